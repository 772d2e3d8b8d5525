"""The Caribbean screen (key 4) and its dialogs."""

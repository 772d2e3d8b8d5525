"""Domain rules and measures in plain Python: no Textual, no Typer."""

"""The Queue screen (key 1), the customer card and the wrap-up form."""

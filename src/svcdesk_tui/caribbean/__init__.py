"""The Caribbean test: who can do what, and what breaks while someone is away."""

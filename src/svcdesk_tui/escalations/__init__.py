"""The hardest call: the escalation ladder, its moves and clock, and the hardest-call measures."""

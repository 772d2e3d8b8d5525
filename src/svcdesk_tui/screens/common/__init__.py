"""What every screen shares: the form base, choices, refused keys, moves."""

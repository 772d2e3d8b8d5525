"""The people of the center: staff, who is at the keyboard, roles, presence, retention."""

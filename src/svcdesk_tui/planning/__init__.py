"""Planning the staffing: the forecast of offered calls, the agents it needs, and the gaps."""

"""The Escalations screen (key 2), one escalation's story, and the moves on it."""

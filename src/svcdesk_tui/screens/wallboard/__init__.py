"""The wallboard: the queue in big figures, for the floor's TV and its browser."""

"""The Load screen: the day by interval, and the shifts\x27 gaps ahead."""

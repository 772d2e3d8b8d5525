"""The core every feature stands on: the store, the clock, errors, settings, audit, time in SQL."""

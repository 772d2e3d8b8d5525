"""The technician dispatch form."""

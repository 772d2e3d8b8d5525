"""Complaint follow-up: the close-the-loop lifecycle, compensation, feedback, their measures."""

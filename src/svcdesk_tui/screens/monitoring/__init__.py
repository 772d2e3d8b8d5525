"""The Monitoring screen: evaluate calls, play recordings, accept or dispute, settle."""

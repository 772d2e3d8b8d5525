"""Telephony in: Asterisk's queue_log read in batch (`import_file`) and live (`follow`)."""

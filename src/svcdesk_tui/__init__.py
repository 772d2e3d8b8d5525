"""svcdesk: a terminal desk for the people who run customer-service centers."""

__version__ = "0.1.0"

"""The management report (`svcdesk report`): its sections and its formats."""

"""The `svcdesk` command: one module per sub-command group."""

from svcdesk_tui.cli.main import app, main

__all__ = ["app", "main"]

"""`python -m svcdesk_tui` runs the `svcdesk` command."""

from .cli import main

main()

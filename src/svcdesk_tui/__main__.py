"""`python -m svcdesk_tui` runs the `svcdesk` command."""

from svcdesk_tui.cli import main

main()

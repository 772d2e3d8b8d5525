"""Every exit code of the `svcdesk` command, named once."""

OK = 0
FAILURE = 1  # the store is missing/corrupt/busy, a refusal, a conflict
USAGE = 2  # bad options or values
THRESHOLD_BREACHED = 3  # a report's --fail-on or a Caribbean finding (for cron)
LINES_REJECTED = 4  # an import read its input but rejected some malformed lines

"""`svcdesk feedback`: survey answers in, from a survey tool's export."""

from __future__ import annotations

import typer

from svcdesk_tui.cli.common import AsOption, CsvFileArgument, DbOption, group, read_text
from svcdesk_tui.cli.output import report_import
from svcdesk_tui.cli.store import open_store

feedback_app = group("Customer feedback (CSAT, NPS): import survey answers.")


@feedback_app.command("import")
def feedback_import(
    ctx: typer.Context,
    csv_file: CsvFileArgument,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Record survey answers from a CSV; bad lines are reported by number, the rest goes in.

    Columns: call_id or complaint_id, csat (1-5) and/or nps (0-10), received_at
    (ISO 8601, local time unless it has an offset), comment. Every detractor
    gets a manager to call the customer back. Lines already imported are skipped.
    Exit 4 when some lines were refused.
    """
    from svcdesk_tui.complaints.feedback_csv import import_feedback_csv

    text = read_text(csv_file)
    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        result = import_feedback_csv(session, actor, text, store.settings)
    report_import(result, csv_file)

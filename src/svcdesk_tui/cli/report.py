"""`svcdesk report`: its options, and the work between them and its exit code (cron-safe).

Never prompts and never needs a terminal: colour and the progress line appear
only on a terminal (and colour never with ``NO_COLOR``); ``--output`` is
written atomically; a breached ``--fail-on`` exits 3 after the report is out.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from svcdesk_tui.cli.common import DbOption, as_utc, day_option, exit_with
from svcdesk_tui.cli.output import emit
from svcdesk_tui.cli.progress import DelayedProgress
from svcdesk_tui.cli.store import Store, open_store
from svcdesk_tui.core import exit_codes
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.core.periods import local_date
from svcdesk_tui.report.build import (
    MEASURE_SECTIONS,
    PERIOD_KINDS,
    build_report,
    check_sections,
    resolve_period,
)
from svcdesk_tui.report.model import Report
from svcdesk_tui.report.render import FORMATS, render
from svcdesk_tui.report.thresholds import Threshold, evaluate, parse_thresholds
from svcdesk_tui.service_desk.customer_report import build_customer_report, find_customer

READ_CACHE_KIB = 256 * 1024
READ_MMAP_BYTES = 1 << 30


@dataclass
class ReportRequest:
    """What the options asked for, checked before the store is opened."""

    period: str = "day"
    since: date | None = None
    until: date | None = None
    fmt: str = "text"
    output: Path | None = None
    sections: list[str] | None = None
    fail_on: list[str] | None = None
    now: datetime | None = None
    customer: str | None = None


def _color_wanted(request: ReportRequest) -> bool:
    return (
        request.fmt == "text"
        and request.output is None
        and sys.stdout.isatty()
        and not os.environ.get("NO_COLOR")
    )


def read_big(session: Session) -> None:
    """A year of calls is read several times: keep it in memory rather than re-reading pages."""
    connection = session.connection()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{READ_CACHE_KIB}")
    connection.exec_driver_sql(f"PRAGMA mmap_size = {READ_MMAP_BYTES}")


def check_request(request: ReportRequest) -> tuple[list[str], list[Threshold]]:
    """The sections and thresholds asked for; bad options are refused (exit 2)."""
    if request.fmt not in FORMATS:
        raise InvalidInput(f"--format must be one of {', '.join(FORMATS)}, not {request.fmt!r}")
    if request.period not in PERIOD_KINDS:
        raise InvalidInput(
            f"--period must be one of {', '.join(PERIOD_KINDS)}, not {request.period!r}"
        )
    if request.customer is not None and (request.sections or request.fail_on):
        raise InvalidInput("--section and --fail-on apply to the management report, not --customer")
    sections = check_sections(request.sections)
    return sections, parse_thresholds(request.fail_on or [], MEASURE_SECTIONS, sections)


def build(store: Store, request: ReportRequest, sections: list[str]) -> Report:
    """The management report, or one customer's, over the requested period."""
    database, settings = store.database, store.settings
    now = request.now or SystemClock().now()
    with DelayedProgress("svcdesk report") as progress, store.session() as session:
        if database.is_sqlite:
            read_big(session)
        period = resolve_period(
            request.period,
            local_date(now, settings.timezone),
            settings.timezone,
            request.since,
            request.until,
        )
        if request.customer is not None:
            return build_customer_report(
                session,
                customer=find_customer(session, request.customer),
                settings=settings,
                center=database.info.center_name,
                period=period,
                now=now,
            )
        return build_report(
            session,
            settings=settings,
            center=database.info.center_name,
            period=period,
            now=now,
            sections=sections,
            progress=progress.update,
        )


def deliver(report: Report, request: ReportRequest, thresholds: list[Threshold]) -> int:
    """Write the report out, then say which thresholds it breached; the exit code."""
    report.thresholds = evaluate(thresholds, report.measures())
    text = render(report, request.fmt, color=_color_wanted(request))
    if not emit(text, request.output):
        return exit_codes.FAILURE  # e.g. `svcdesk report | head`: the reader left
    breached = [t for t in report.thresholds if t.breached]
    for t in breached:
        sys.stderr.write(f"svcdesk: threshold breached: {t.expression} (measured {t.value:.4g})\n")
    return exit_codes.THRESHOLD_BREACHED if breached else exit_codes.OK


def report(
    ctx: typer.Context,
    period: Annotated[
        str, typer.Option(help="day, week, month or year: the last complete one, local time.")
    ] = "day",
    since: Annotated[
        datetime | None,
        day_option("First day (overrides --period; default with --until: that one day)."),
    ] = None,
    until: Annotated[
        datetime | None,
        day_option("Last day, inclusive (default: today)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="text, markdown, csv, json or html.")
    ] = "text",
    output: Annotated[
        Path | None,
        typer.Option(help="Write here (atomically) instead of stdout.", show_default=False),
    ] = None,
    section: Annotated[
        list[str] | None,
        typer.Option(
            help="Only this section (repeatable): queues, load, agents, reasons, quality, "
            "monitoring, escalations, retention, caribbean.",
            show_default=False,
        ),
    ] = None,
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            help="Exit 3 if e.g. 'service_level<0.8' holds (repeatable; see docs/report-json.md).",
            show_default=False,
        ),
    ] = None,
    busy_timeout: Annotated[
        float, typer.Option(min=0, help="Seconds to wait for a locked store before failing.")
    ] = 10.0,
    as_of: Annotated[
        datetime | None, typer.Option(hidden=True, help="The report's 'now' (UTC), for replays.")
    ] = None,
    customer: Annotated[
        str | None,
        typer.Option(
            help="Instead: one customer's operational report (id or name), fit to send them.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """The management report (default: yesterday, as text). Made for cron: never prompts."""
    request = ReportRequest(
        period=period,
        since=since.date() if since else None,
        until=until.date() if until else None,
        fmt=fmt,
        output=output,
        sections=section,
        fail_on=fail_on,
        now=as_utc(as_of),
        customer=customer,
    )
    sections, thresholds = check_request(request)
    with open_store(ctx, db, busy_timeout_s=busy_timeout) as store:
        built = build(store, request, sections)
    exit_with(deliver(built, request, thresholds))

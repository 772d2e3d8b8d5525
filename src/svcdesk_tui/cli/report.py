"""What `svcdesk report` does between its options and its exit code (cron-safe).

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

from sqlmodel import Session

from svcdesk_tui.cli.progress import DelayedProgress
from svcdesk_tui.core import exit_codes
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db import DEFAULT_BUSY_TIMEOUT_S, Database
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.core.files import write_atomic
from svcdesk_tui.core.periods import local_date
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.report.build import (
    MEASURE_SECTIONS,
    PERIOD_KINDS,
    build_report,
    check_sections,
    resolve_period,
)
from svcdesk_tui.report.render import FORMATS, render
from svcdesk_tui.report.thresholds import evaluate, parse_thresholds
from svcdesk_tui.service_desk.customer_report import build_customer_report, find_customer

READ_CACHE_KIB = 256 * 1024
READ_MMAP_BYTES = 1 << 30


@dataclass
class ReportRequest:
    db: str | None
    period: str = "day"
    since: date | None = None
    until: date | None = None
    fmt: str = "text"
    output: Path | None = None
    sections: list[str] | None = None
    fail_on: list[str] | None = None
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S
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


def run_report(request: ReportRequest) -> int:
    """Produce the report; the exit code is 0, or 3 when a threshold is breached."""
    if request.fmt not in FORMATS:
        raise InvalidInput(f"--format must be one of {', '.join(FORMATS)}, not {request.fmt!r}")
    if request.period not in PERIOD_KINDS:
        raise InvalidInput(
            f"--period must be one of {', '.join(PERIOD_KINDS)}, not {request.period!r}"
        )
    if request.customer is not None and (request.sections or request.fail_on):
        raise InvalidInput("--section and --fail-on apply to the management report, not --customer")
    sections = check_sections(request.sections)
    thresholds = parse_thresholds(request.fail_on or [], MEASURE_SECTIONS, sections)
    now = request.now or SystemClock().now()
    database = Database.open(request.db, busy_timeout_s=request.busy_timeout_s)
    try:
        with DelayedProgress("svcdesk report") as progress, database.read() as session:
            if database.is_sqlite:
                read_big(session)
            settings = load_settings(session)
            period = resolve_period(
                request.period,
                local_date(now, settings.timezone),
                settings.timezone,
                request.since,
                request.until,
            )
            if request.customer is not None:
                report = build_customer_report(
                    session,
                    customer=find_customer(session, request.customer),
                    settings=settings,
                    center=database.info.center_name,
                    period=period,
                    now=now,
                )
            else:
                report = build_report(
                    session,
                    settings=settings,
                    center=database.info.center_name,
                    period=period,
                    now=now,
                    sections=sections,
                    progress=progress.update,
                )
    finally:
        database.close()
    report.thresholds = evaluate(thresholds, report.measures())
    text = render(report, request.fmt, color=_color_wanted(request))
    if request.output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. `svcdesk report | head`: the reader left
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return exit_codes.FAILURE
    else:
        write_atomic(request.output, text)
    breached = [t for t in report.thresholds if t.breached]
    for t in breached:
        sys.stderr.write(f"svcdesk: threshold breached: {t.expression} (measured {t.value:.4g})\n")
    return exit_codes.THRESHOLD_BREACHED if breached else exit_codes.OK

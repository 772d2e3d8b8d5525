"""`svcdesk demo-data` and `svcdesk simulate`: a demo center, and live calls fed into it."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from svcdesk_tui.cli.common import DbOption
from svcdesk_tui.cli.output import note, say
from svcdesk_tui.cli.store import open_store
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db import is_url, remove_sqlite_files
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.demo.world import TIMEZONE


def demo_data(
    out_target: Annotated[
        str,
        typer.Option(
            "--out",
            help="File to create (must not exist), or the URL of an empty PostgreSQL database.",
        ),
    ],
    days: Annotated[int, typer.Option(min=1, help="Days of history.")] = 90,
    agents: Annotated[int, typer.Option(min=4, help="Number of agents.")] = 24,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same center.")] = 7,
    end: Annotated[
        datetime | None,
        typer.Option(
            help="The demo's 'now' (UTC), e.g. 2026-11-23T10:30:00. Default: now.",
            show_default=False,
        ),
    ] = None,
    waiting: Annotated[
        int | None,
        typer.Option(
            min=0, help="Calls waiting at the end (default: a few, if open).", show_default=False
        ),
    ] = None,
    timezone: Annotated[
        str,
        typer.Option(help="The center's time zone (IANA name): its opening hours follow it."),
    ] = TIMEZONE,
    force: Annotated[bool, typer.Option(help="Replace the file if it exists.")] = False,
) -> None:
    """Generate a realistic, deterministic demo center (the source of sample.db)."""
    from svcdesk_tui.demo import generate_demo

    out_path = Path(out_target)
    if not is_url(out_target) and out_path.exists():
        if not force:
            raise InvalidInput(f"{out_path} exists; pass --force to replace it")
        remove_sqlite_files(out_path)
    if end is not None and end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    progress = note if sys.stderr.isatty() else None
    summary = generate_demo(
        out_target,
        days=days,
        agents=agents,
        seed=seed,
        end=end,
        waiting=waiting,
        timezone=timezone,
        progress=progress,
    )
    say(str(summary))


def simulate(
    ctx: typer.Context,
    db: DbOption = None,
    speed: Annotated[float, typer.Option(min=0.1, max=100, help="Pace multiplier.")] = 1.0,
    duration: Annotated[
        float | None,
        typer.Option(
            min=1, help="Stop after this many seconds (default: until Ctrl+C).", show_default=False
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed.", show_default=False)] = None,
) -> None:
    """Feed live calls into a center at a realistic pace, for demos."""
    with open_store(ctx, db) as store:
        database = store.database
        if not database.demo:
            raise InvalidInput(f"{database.name} is not a demo center; simulate only feeds demos")
        from svcdesk_tui.demo.simulation import run_simulation

        note(f"Simulating live calls in {database.name} (Ctrl+C stops)…")
        run_simulation(database, SystemClock(), speed=speed, duration_s=duration, seed=seed)

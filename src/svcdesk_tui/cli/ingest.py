"""`svcdesk ingest queue-log`: the command, and the words and progress bar around the importer."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from svcdesk_tui.cli import output
from svcdesk_tui.cli.common import AsOption, DbOption, exit_with, group
from svcdesk_tui.cli.store import open_store
from svcdesk_tui.core import exit_codes
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.ingest.follow import POLL_SECONDS, Follower, import_file
from svcdesk_tui.ingest.importer import IngestSummary, QueueLogImporter
from svcdesk_tui.ingest.names import read_map
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

PROGRESS_MIN_BYTES = 4_000_000
SHOWN_REJECTIONS = 50

ingest_app = group("Telephony in: read the PBX's own logs.")


@ingest_app.command("queue-log")
def ingest_queue_log(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Asterisk's queue_log file.", show_default=False)],
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep reading new lines, like tail -F.")
    ] = False,
    queue_map: Annotated[
        Path | None,
        typer.Option(help="File of 'PBX queue = svcdesk queue' lines.", show_default=False),
    ] = None,
    agent_map: Annotated[
        Path | None,
        typer.Option(help="File of 'PBX agent = svcdesk login' lines.", show_default=False),
    ] = None,
    poll: Annotated[float, typer.Option(min=0.05, help="Seconds between polls (--follow).")] = 0.25,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Import Asterisk's queue_log (calls, agents, pauses); exit 4 if lines were rejected."""
    with open_store(ctx, db, as_login) as store:
        with store.acting() as (_, actor):
            require(actor, Action.INGEST_TELEPHONY)  # here, in a session, a refusal is audited
        code = run_queue_log(
            store.database,
            actor,
            path,
            follow=follow,
            queue_map=queue_map,
            agent_map=agent_map,
            out=output.out,
            err=output.err,
            poll_seconds=poll,
        )
    exit_with(code)


def run_queue_log(
    database: Database,
    actor: Actor,
    path: Path,
    *,
    follow: bool,
    queue_map: Path | None,
    agent_map: Path | None,
    out: Console,
    err: Console,
    poll_seconds: float = POLL_SECONDS,
) -> int:
    """Import (and with ``follow`` keep importing) ``path``; returns the exit code."""
    if not path.is_file():
        raise InvalidInput(f"no queue_log file at {path}")
    importer = QueueLogImporter(
        database,
        actor,
        queue_map=read_map(queue_map, "queue") if queue_map else None,
        agent_map=read_map(agent_map, "agent") if agent_map else None,
    )
    shown = _Rejections(importer.summary, err, path)
    if follow:
        _follow(importer, path, shown, err, poll_seconds)
    else:
        _batch(importer, path, err)
    summary = importer.finish()
    shown.print_new()
    out.print(describe(summary, path), markup=False)
    return exit_codes.LINES_REJECTED if summary.rejected else exit_codes.OK


def _batch(importer: QueueLogImporter, path: Path, err: Console) -> None:
    size = path.stat().st_size
    if not (err.is_terminal and size >= PROGRESS_MIN_BYTES):
        import_file(importer, path)
        return
    columns = (
        TextColumn("Importing {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(path.name, total=size)
        import_file(importer, path, progress=lambda done: progress.update(task, completed=done))


def _follow(
    importer: QueueLogImporter, path: Path, shown: _Rejections, err: Console, poll: float
) -> None:
    stop = threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    err.print(f"Following {path} (Ctrl+C stops)…", markup=False)
    follower = Follower(
        importer,
        path,
        stop=stop,
        poll_seconds=poll,
        on_batch=shown.print_new,
        on_rotation=lambda how: err.print(
            f"{path} was {how}: reading it from the start", markup=False
        ),
    )
    try:
        follower.run()
    except KeyboardInterrupt:
        stop.set()
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class _Rejections:
    """Prints rejected lines once each, as they come, up to a limit."""

    def __init__(self, summary: IngestSummary, err: Console, path: Path) -> None:
        self.summary, self.err, self.path, self.printed = summary, err, path, 0

    def print_new(self) -> None:
        kept = self.summary.rejections
        while self.printed < min(len(kept), SHOWN_REJECTIONS):
            rejection = kept[self.printed]
            self.err.print(
                f"{self.path}:{rejection.line}: rejected: {rejection.reason}", markup=False
            )
            self.printed += 1


def describe(summary: IngestSummary, path: Path) -> str:
    """The summary in a few lines of words."""
    lines = [
        f"{path}: {summary.lines} lines, {summary.events} events applied, "
        f"{summary.calls_added} new calls, {summary.calls_written} call rows written.",
    ]
    if summary.rejected:
        more = summary.rejected - min(summary.rejected, SHOWN_REJECTIONS)
        tail = f" ({more} not shown)" if more else ""
        lines.append(f"Rejected {summary.rejected} malformed lines{tail}; the rest went in.")
    skipped = ", ".join(f"{kind} {n}" for kind, n in sorted(summary.skipped.items()))
    if skipped:
        lines.append(f"Skipped: {skipped}.")
    if summary.duplicates or summary.orphans:
        lines.append(
            f"Already imported: {summary.duplicates} events; without their call's start "
            f"(not enough to place them): {summary.orphans}."
        )
    if summary.unended:
        lines.append(f"Calls whose end is not in the log (left as they were): {summary.unended}.")
    if summary.ring_no_answer:
        lines.append(f"Rings not answered by an agent: {summary.ring_no_answer}.")
    if summary.new_queues:
        lines.append("New queues: " + ", ".join(summary.new_queues) + ".")
    if summary.new_staff:
        people = ", ".join(f"{login} ({agent})" for login, agent in summary.new_staff)
        lines.append(f"New staff (role agent): {people}.")
    return "\n".join(lines)

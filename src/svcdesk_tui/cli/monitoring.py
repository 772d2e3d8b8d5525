"""`svcdesk monitoring`: evaluation forms, the weekly sample, evaluations, disputes, recordings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from svcdesk_tui.cli.common import (
    AsOfOption,
    AsOption,
    CsvFileArgument,
    DbOption,
    OutOption,
    day_option,
    exit_with,
    group,
    read_text,
    utc_or_now,
)
from svcdesk_tui.cli.output import emit, note, say
from svcdesk_tui.cli.store import open_store
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.core.formatting import duration, local_time, percent

monitoring_app = group(
    "Quality monitoring: forms, the weekly sample, evaluations, disputes, recordings."
)
forms_app = group("Evaluation forms as CSV: import a new version, export one.")
monitoring_app.add_typer(forms_app, name="forms")

CallArgument = Annotated[int, typer.Argument(help="The call's number.", show_default=False)]
EvaluationArgument = Annotated[
    int, typer.Argument(help="The evaluation's number.", show_default=False)
]
FormOption = Annotated[
    str | None, typer.Option("--form", help="Form name (default: the newest form).")
]
VersionOption = Annotated[
    int | None, typer.Option("--version", help="Form version (default: the newest).")
]


@forms_app.command("import")
def forms_import(
    ctx: typer.Context, csv_file: CsvFileArgument, db: DbOption = None, as_login: AsOption = None
) -> None:
    """Import a form; a changed form becomes its next version, the same form adds none.

    Columns: form, section, code, text, kind (yes_no, yes_no_partly, scale), weight
    (0-100), critical (yes/no: not fully met fails the whole call), scale_max (2-10,
    scale items only). One form per file. Every bad line is named; then nothing is
    imported (exit 2).
    """
    from svcdesk_tui.monitoring.forms import FormRejected, import_form

    text = read_text(csv_file)
    try:
        with open_store(ctx, db, as_login) as store, store.acting(write=True) as (s, actor):
            form = import_form(s, actor, text, now=utc_or_now(None))
    except FormRejected as refused:
        for line, message in refused.errors:
            note(f"{csv_file}:{line}: {message}")
        raise
    say(f"{form.label}: {len(form.items)} items")


@forms_app.command("export")
def forms_export(
    ctx: typer.Context,
    form: FormOption = None,
    version: VersionOption = None,
    out: OutOption = None,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Write a form as CSV (to fill in a spreadsheet and import again)."""
    from svcdesk_tui.monitoring.forms import export_form, require_form

    with open_store(ctx, db, as_login) as store, store.acting() as (session, _):
        found = require_form(session, form, version)
    emit(export_form(found), out)


@forms_app.command("list")
def forms_list(ctx: typer.Context, db: DbOption = None, as_login: AsOption = None) -> None:
    """Each form and its newest version."""
    from svcdesk_tui.monitoring.forms import form_names

    with open_store(ctx, db, as_login) as store, store.acting() as (session, _):
        names = form_names(session)
    say(*(f"{name} v{version}" for name, version in names)) if names else say("No forms yet.")


@monitoring_app.command("sample")
def sample(
    ctx: typer.Context,
    week: Annotated[
        datetime | None, day_option("A Monday (default: last week's).", "--week")
    ] = None,
    db: DbOption = None,
    as_login: AsOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Draw a week's calls to evaluate, per agent (for cron each Monday); drawing again adds
    nothing."""
    from collections import Counter

    from svcdesk_tui.monitoring.sampling import draw_week, last_week

    now = utc_or_now(as_of)
    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        monday = week.date() if week else last_week(store.settings, now=now)
        drawn = draw_week(session, actor, store.settings, monday, now=now)
    reasons = Counter(d.reason for d in drawn)
    agents = len({d.agent_id for d in drawn})
    why = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
    say(
        f"week of {monday}: {len(drawn)} calls drawn for {agents} agents"
        + (f" ({why})" if why else "")
    )


@monitoring_app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    call_id: CallArgument,
    answer: Annotated[
        list[str],
        typer.Option(
            "--answer", "-a", help="CODE=ANSWER for each item (yes, no, partly, n/a, 0-N)."
        ),
    ],
    comment: Annotated[str, typer.Option(help="What you heard.")] = "",
    coaching: Annotated[str, typer.Option(help="The coaching note for the agent.")] = "",
    form: FormOption = None,
    version: VersionOption = None,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Score a call with a form; a second evaluator's score of the same call is a calibration."""
    from svcdesk_tui.monitoring.evaluations import evaluate as score_call
    from svcdesk_tui.monitoring.forms import require_form

    answers: dict[str, str] = {}
    for given in answer:
        code, sign, value = given.partition("=")
        if not sign:
            raise InvalidInput(f"--answer {given!r}: write CODE=ANSWER, e.g. reflected=partly")
        answers[code.strip()] = value
    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        chosen = require_form(session, form, version)
        done = score_call(
            session, actor, call_id, answers, now=utc_or_now(None), comment=comment,
            coaching=coaching, form=chosen,
        )  # fmt: skip
        line = f"evaluation #{done.id} of call #{call_id} ({chosen.label}): {percent(done.score)}"
        line += " CRITICAL FAIL" if done.critical_failed else ""
        line += " (calibration)" if done.calibration else ""
    say(line)


@monitoring_app.command("accept")
def accept(
    ctx: typer.Context,
    evaluation: EvaluationArgument,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Accept an evaluation of your own call."""
    from svcdesk_tui.monitoring.evaluations import accept as accept_it

    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        accept_it(session, actor, evaluation, now=utc_or_now(None))
    say(f"evaluation #{evaluation} accepted")


@monitoring_app.command("dispute")
def dispute(
    ctx: typer.Context,
    evaluation: EvaluationArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why the score is wrong.")],
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Dispute an evaluation of your own call: it goes to a manager."""
    from svcdesk_tui.models import Staff
    from svcdesk_tui.monitoring.evaluations import dispute as dispute_it

    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        done = dispute_it(session, actor, evaluation, reason, now=utc_or_now(None))
        manager = session.get(Staff, done.dispute_owner_id)
        name = manager.name if manager else "a manager"
    say(f"evaluation #{evaluation} disputed: {name} will settle it")


@monitoring_app.command("settle")
def settle(
    ctx: typer.Context,
    evaluation: EvaluationArgument,
    note_text: Annotated[str, typer.Option("--note", help="Why the score stands or falls.")],
    uphold: Annotated[
        bool, typer.Option("--uphold/--overturn", help="Keep the score, or void it.")
    ],
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Settle a disputed evaluation (managers)."""
    from svcdesk_tui.monitoring.evaluations import settle as settle_it

    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        done = settle_it(
            session, actor, evaluation, uphold=uphold, note=note_text, now=utc_or_now(None)
        )
    say(f"evaluation #{evaluation} {done.state}")


@monitoring_app.command("list")
def list_(
    ctx: typer.Context, db: DbOption = None, as_login: AsOption = None, as_of: AsOfOption = None
) -> None:
    """What you may see: calls waiting for evaluation, then evaluations (yours to act on first)."""
    from svcdesk_tui.monitoring.desk import read_desk

    with open_store(ctx, db, as_login) as store, store.acting() as (session, actor):
        desk = read_desk(session, actor, now=utc_or_now(as_of))
    tz = store.settings.timezone
    lines = []
    if desk.may_evaluate:
        lines.append(f"To evaluate: {len(desk.queue)}")
        lines += [
            f"  call #{q.call_id}  week {q.week}  {q.agent}  {q.reason}  "
            f"{local_time(q.entered_at, tz, with_date=True)}  {duration(q.handle_seconds)}  "
            + ("recorded" if q.recording_path else "no recording")
            for q in desk.queue
        ]
    lines.append(f"Evaluations: {len(desk.evaluations)}")
    for e in desk.evaluations:
        flags = " CRITICAL FAIL" if e.critical_failed else ""
        flags += " calibration" if e.calibration else ""
        when = local_time(e.evaluated_at, tz, with_date=True)
        lines.append(
            f"  #{e.evaluation_id}  call #{e.call_id}  {e.agent}  by {e.evaluator}  "
            f"{percent(e.score)}{flags}  {e.state}  {when}"
            + (f"  — {e.coaching}" if e.coaching else "")
        )
    say(*lines)


@monitoring_app.command("attach")
def attach(
    ctx: typer.Context,
    call_id: CallArgument,
    path: Annotated[Path, typer.Argument(help="The recording's file, inside recording_folder.")],
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Link a recording to a call by its path (never copied into the store)."""
    from svcdesk_tui.monitoring.recordings import attach as attach_it

    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        where = attach_it(session, actor, store.settings, call_id, str(path), now=utc_or_now(None))
    say(f"call #{call_id}: {where}")


@monitoring_app.command("play")
def play(
    ctx: typer.Context, call_id: CallArgument, db: DbOption = None, as_login: AsOption = None
) -> None:
    """Play a call's recording with the recording_player setting's command."""
    from svcdesk_tui.monitoring.recordings import play as play_it
    from svcdesk_tui.monitoring.recordings import playback, recording_of

    with open_store(ctx, db, as_login) as store, store.acting() as (session, actor):
        path = recording_of(session, actor, call_id)
    exit_with(play_it(playback(store.settings, path, call_id)))

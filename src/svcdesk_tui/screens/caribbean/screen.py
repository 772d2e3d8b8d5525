"""The Caribbean test: procedures × people, approvals, and what breaks while people are away.

The desk base re-reads the analysis in a worker; edits (skill level, documented,
absence) run in workers too and are refused by the service for roles that may
not make them.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from rich.text import Text
from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Label, Static

from svcdesk_tui.caribbean import analysis as service
from svcdesk_tui.caribbean import skills
from svcdesk_tui.caribbean.analysis import CaribbeanReport, Coverage
from svcdesk_tui.caribbean.text import bus_line, truck_line
from svcdesk_tui.core.periods import local_date
from svcdesk_tui.people.permissions import Action
from svcdesk_tui.screens.caribbean.forms import (
    AbsenceScreen,
    DetailScreen,
    Documentation,
    DocumentedScreen,
    NewAbsence,
    WhatIfQuestion,
    WhatIfScreen,
)
from svcdesk_tui.screens.caribbean.rows import (
    STYLE,
    approval_row,
    describe,
    gap_row,
    matrix_row,
    name_key,
    person_column,
    risk_key,
)
from svcdesk_tui.screens.common.choice import ChoiceScreen
from svcdesk_tui.screens.common.desk import DeskScreen, Reader
from svcdesk_tui.screens.common.forms import unless_cancelled
from svcdesk_tui.screens.common.guard import keys_needing
from svcdesk_tui.widgets.live_table import LiveTable

FIXED = ("Procedure", "Depth", "Why")
WIDTHS = {"Procedure": 20, "Why": 30}  # capped so people's letters show at 80 columns
LEVELS = [
    ("O", "O: can do it and teach it"),
    ("U", "U: can do it alone"),
    ("L", "L: can do it under supervision"),
    ("I", "I: in training"),
    ("-", "none: remove the skill"),
]
EDIT_KEYS, EDIT_NEEDS = keys_needing(
    Action.EDIT_SKILLS,
    Binding("e", "edit_skill", "Set skill"),
    Binding("d", "documented", "Documented"),
    Binding("b", "add_absence", "Absence"),
)
MIN_REFRESH_SECONDS = 5.0  # skills and absences change slowly; edits re-read at once


class MatrixTable(LiveTable):
    """The LiveTable with a cell cursor and columns that follow the people on staff
    (none until the first :meth:`reset_columns`)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.cursor_type = "cell"
        self.fixed_columns = 1

    def reset_columns(self, columns: tuple[str, ...]) -> None:
        if columns == self._columns:
            return
        self.clear(columns=True)
        self._columns, self._shown, self._order = columns, {}, []
        for name in columns:
            self.add_column(name, key=name, width=WIDTHS.get(name))


class CaribbeanScreen(DeskScreen[CaribbeanReport]):
    """Who can do what, where a single person carries the center, and what if they leave."""

    ACTION_NEEDS = EDIT_NEEDS
    READ_EVERY_S = MIN_REFRESH_SECONDS
    READ_FAILED = "Could not read the Caribbean test"

    BINDINGS = [
        Binding("w", "what_if", "What if"),
        Binding("s", "toggle_sort", "Sort"),
        *EDIT_KEYS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: CaribbeanReport | None = None
        self.away: tuple[str, ...] | None = None  # None: the default question (the manager)
        self.since: date | None = None
        self.until: date | None = None
        self.by_risk = True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="cb-factors")
        yield Label("Procedures × people", id="cb-matrix-title", classes="section-title")
        yield MatrixTable(id="cb-matrix")
        yield Static(id="cb-todo")
        yield Label("Approvals", classes="section-title")
        yield LiveTable("Approval", "Status", "Who can give it", "What to do", id="cb-approvals")
        yield Label("What if…", id="cb-whatif-title", classes="section-title")
        yield LiveTable("Day", "Gaps", "Away", id="cb-gaps")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#cb-matrix", MatrixTable).focus()

    # --- reading ------------------------------------------------------------------

    def today(self) -> date:
        return local_date(self.app.clock.now(), self.app.settings.timezone)

    def reader(self) -> Reader[CaribbeanReport]:
        """The analysis for the question asked (who is away, when), as it stands now."""
        away, since, until = self.away, self.since, self.until
        settings, actor, tz = self.app.settings, self.app.actor, self.app.settings.timezone

        def read(session: Session, *, now: datetime) -> CaribbeanReport:
            return service.analyse(
                session,
                on=local_date(now, tz),
                settings=settings,
                away=away,
                from_=since,
                to=until,
                actor=actor,
            )

        return read

    # --- showing ------------------------------------------------------------------

    def show(self, report: CaribbeanReport) -> None:
        if report != self.report:
            self.paint(report)

    def paint(self, report: CaribbeanReport) -> None:
        self.report = report
        factors = Text(bus_line(asdict(report.bus_factor), most=1))
        if report.bus_factor.size is not None and report.bus_factor.size <= 1:
            factors.stylize("bold red")
        factors.append("\n" + truck_line(asdict(report.truck_factor)))
        self.query_one("#cb-factors", Static).update(factors)
        matrix = self.query_one("#cb-matrix", MatrixTable)
        matrix.reset_columns(FIXED + tuple(person_column(p) for p in report.people))
        rows = sorted(report.coverage, key=risk_key if self.by_risk else name_key)
        matrix.sync([matrix_row(c, report) for c in rows])
        breaches = sum(c.severity == service.BREACH for c in report.coverage)
        order = "by risk" if self.by_risk else "by name"
        self.query_one("#cb-matrix-title", Label).update(
            f"Procedures: {len(rows)}, {breaches} BREACH, {order} · "
            "O teaches U alone L supervised I training"
        )
        self.query_one("#cb-approvals", LiveTable).sync([approval_row(a) for a in report.approvals])
        what = report.what_if
        title = Text(what.summary, style="bold red" if report.critical_uncovered else "green")
        title.append("  (w: ask another)", style="dim")
        self.query_one("#cb-whatif-title", Label).update(title)
        self.query_one("#cb-gaps", LiveTable).sync([gap_row(d) for d in what.days])
        self.show_todo()

    @on(DataTable.CellHighlighted, "#cb-matrix")
    def show_todo(self) -> None:
        """What to do about the procedure under the cursor, in one line."""
        coverage, login = self._selected()
        line = Text()
        if coverage is not None:
            line.append(f"{coverage.procedure.name}: ", style="bold")
            if coverage.suggestions:
                line.append("to do → " + "; ".join(coverage.suggestions))
            else:
                line.append("nothing to do", style=STYLE[service.FINE])
            if login is not None:
                line.append(f"  ·  {login}: {coverage.levels.get(login, 'no skill')} (e: set)")
        self.query_one("#cb-todo", Static).update(line)

    # --- selection helpers ------------------------------------------------------------

    def _selected(self) -> tuple[Coverage | None, str | None]:
        """The procedure under the cursor and, if on a person's column, their login."""
        matrix = self.query_one("#cb-matrix", MatrixTable)
        key = matrix.selected_key
        if self.report is None or key is None:
            return None, None
        coverage = next((c for c in self.report.coverage if str(c.procedure.id) == key), None)
        column = matrix.cursor_coordinate.column - len(FIXED)
        people = self.report.people
        return coverage, people[column].login if 0 <= column < len(people) else None

    def _people_choices(self) -> list[tuple[str, str]]:
        return [(p.login, p.name) for p in self.report.people] if self.report else []

    # --- moves --------------------------------------------------------------------------

    def action_edit_skill(self) -> None:
        coverage, login = self._selected()
        if coverage is None:
            self.notify("Select a procedure first", severity="warning")
            return
        if login is None:

            @unless_cancelled
            def chosen(person: str) -> None:
                self._ask_level(coverage, person)

            title = f"Whose skill on '{coverage.procedure.name}'?"
            self.app.push_screen(ChoiceScreen(title, self._people_choices()), chosen)
        else:
            self._ask_level(coverage, login)

    def _ask_level(self, coverage: Coverage, login: str) -> None:
        actor = self.app.actor
        procedure = coverage.procedure

        title = f"{login} on '{procedure.name}' (now {coverage.levels.get(login, 'none')})"
        self.move_after(
            ChoiceScreen(title, LEVELS),
            "set the skill",
            lambda session, level, now: (
                f"{login}: {procedure.name} → {level}"
                if skills.set_skill(
                    session,
                    actor,
                    person=login,
                    procedure=procedure.id,
                    level=None if level == "-" else level,
                    now=now,
                )
                else "No change"
            ),
        )

    def action_documented(self) -> None:
        coverage, _ = self._selected()
        if coverage is None:
            self.notify("Select a procedure first", severity="warning")
            return
        actor = self.app.actor
        procedure = coverage.procedure

        def move(session: Session, answer: Documentation, *, now: datetime) -> str:
            changed = skills.mark_documented(
                session,
                actor,
                procedure=procedure.id,
                documented=answer.documented,
                location=answer.location,
                now=now,
            )
            state = "documented" if answer.documented else "not documented"
            return f"{procedure.name}: {state}" if changed else "No change"

        ask = DocumentedScreen(procedure.name, procedure.doc_location)
        self.move_after(ask, "mark it documented", move)

    def action_add_absence(self) -> None:
        _, login = self._selected()
        actor = self.app.actor

        def move(session: Session, absence: NewAbsence, *, now: datetime) -> str:
            skills.add_absence(
                session,
                actor,
                person=absence.login,
                kind=absence.kind,
                starts_on=absence.starts_on,
                ends_on=absence.ends_on,
                note=absence.note,
                now=now,
            )
            return f"{absence.login} away {absence.starts_on}–{absence.ends_on}"

        ask = AbsenceScreen(self._people_choices(), login, self.today())
        self.move_after(ask, "add the absence", move)

    def action_what_if(self) -> None:
        if self.report is None:
            return
        what = self.report.what_if

        @unless_cancelled
        def chosen(question: WhatIfQuestion) -> None:
            self.away, self.since, self.until = question.away, question.since, question.until
            self.reread()

        self.app.push_screen(
            WhatIfScreen(self._people_choices(), what.away, what.since, what.until), chosen
        )

    def action_toggle_sort(self) -> None:
        self.by_risk = not self.by_risk
        if self.report is not None:
            self.paint(self.report)

    @on(DataTable.CellSelected, "#cb-matrix")
    def open_detail(self) -> None:
        coverage, _ = self._selected()
        if coverage is not None:
            self.app.push_screen(DetailScreen(coverage.procedure.name, describe(coverage)))

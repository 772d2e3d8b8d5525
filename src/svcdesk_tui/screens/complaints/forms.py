"""The small forms of complaint work: open, resolve, log an attempt, compensate, decide, note.

Each is a modal: ctrl+s (or enter in the last field) saves, escape cancels. They
only collect input; the screen that opened them runs the move in a worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Label, RadioButton, RadioSet, Select

from svcdesk_tui.complaints.compensation import KIND_WORDS, format_amount, parse_amount
from svcdesk_tui.complaints.lifecycle import RESULT_WORDS
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.models import AttemptResult, CompensationKind
from svcdesk_tui.screens.common.forms import FormScreen


@dataclass(frozen=True)
class NewComplaint:
    category: str
    description: str


@dataclass(frozen=True)
class Resolution:
    followup_owner_id: int
    note: str


@dataclass(frozen=True)
class Attempt:
    result: str
    note: str


@dataclass(frozen=True)
class CompensationAsk:
    kind: str
    amount_cents: int
    note: str


@dataclass(frozen=True)
class Decision:
    approve: bool
    note: str


def _radios(choices: Sequence[tuple[str, str]], widget_id: str) -> RadioSet:
    return RadioSet(
        *(
            RadioButton(label, name=key, value=index == 0)
            for index, (key, label) in enumerate(choices)
        ),
        id=widget_id,
    )


class OpenComplaintScreen(FormScreen[NewComplaint]):
    def __init__(self, customer: str, categories: Sequence[tuple[str, str]]) -> None:
        super().__init__(f"Open a complaint for {customer}")
        self._categories = categories

    def fields(self) -> ComposeResult:
        yield Label("What is it about?")
        yield Select(
            [(label, code) for code, label in self._categories],
            id="category",
            prompt="Pick the category",
        )
        yield Input(placeholder="What the customer told you, in their words", id="description")

    def result(self) -> NewComplaint:
        category = self.picked("category", "pick the category first")
        return NewComplaint(category, self.text("description"))


class ResolveScreen(FormScreen[Resolution]):
    def __init__(self, complaint: str, people: Sequence[tuple[int, str]], me: int) -> None:
        super().__init__(f"Resolve {complaint}")
        self._people, self._me = people, me

    def fields(self) -> ComposeResult:
        yield Label("Who calls the customer back to confirm?")
        ids = [staff_id for staff_id, _ in self._people]
        yield Select(
            [(name, staff_id) for staff_id, name in self._people],
            id="caller",
            prompt="Pick who calls back",
            value=self._me if self._me in ids else Select.BLANK,
        )
        yield Input(placeholder="What was done (optional)", id="note")

    def result(self) -> Resolution:
        caller = self.picked("caller", "name who calls the customer back")
        return Resolution(int(caller), self.text("note"))


class AttemptScreen(FormScreen[Attempt]):
    def __init__(self, complaint: str) -> None:
        super().__init__(f"Call-back for {complaint}")

    def fields(self) -> ComposeResult:
        yield Label("How did the call go?")
        yield _radios([(r.value, RESULT_WORDS[r]) for r in AttemptResult], "result")
        yield Input(placeholder="Note (optional)", id="note")

    def result(self) -> Attempt:
        return Attempt(self.pressed("result"), self.text("note"))


class CompensationScreen(FormScreen[CompensationAsk]):
    def __init__(self, customer: str, limit_cents: int) -> None:
        super().__init__(f"Compensate {customer}")
        self._limit = limit_cents

    def fields(self) -> ComposeResult:
        yield Select(
            [(KIND_WORDS[k], k.value) for k in CompensationKind],
            id="kind",
            value=CompensationKind.REFUND.value,
            allow_blank=False,
        )
        yield Label(f"Amount (yours alone up to {format_amount(self._limit)}; more needs approval)")
        yield Input(placeholder="e.g. 25.00", id="amount")
        yield Input(placeholder="Why (optional)", id="note")

    def result(self) -> CompensationAsk:
        kind = str(self.query_one("#kind", Select).value)
        return CompensationAsk(kind, parse_amount(self.text("amount")), self.text("note"))


class DecisionScreen(FormScreen[Decision]):
    def __init__(self, summary: str) -> None:
        super().__init__(summary)

    def fields(self) -> ComposeResult:
        yield _radios([("approve", "Approve"), ("reject", "Reject")], "decision")
        yield Input(placeholder="Note (required): why", id="note")

    def result(self) -> Decision:
        if not self.text("note"):
            raise InvalidInput("write a note to say why")
        return Decision(self.pressed("decision") == "approve", self.text("note"))


class NoteScreen(FormScreen[str]):
    """Ask for one line of text; ``required`` refuses an empty answer."""

    def __init__(self, title: str, placeholder: str, *, required: bool = False) -> None:
        super().__init__(title)
        self._placeholder, self._required = placeholder, required

    def fields(self) -> ComposeResult:
        yield Input(placeholder=self._placeholder, id="note")

    def result(self) -> str:
        if self._required and not self.text("note"):
            raise InvalidInput("this needs a few words")
        return self.text("note")

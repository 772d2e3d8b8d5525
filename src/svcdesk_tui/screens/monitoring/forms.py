"""The Monitoring screen's forms: answer a form's items, dispute, settle a dispute."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, RadioButton, RadioSet

from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.monitoring.forms import Form
from svcdesk_tui.monitoring.scoring import read_answer
from svcdesk_tui.screens.common.forms import FormScreen


class ItemsBox(VerticalScroll, can_focus=False):
    """The form's items, scrolled as the focus moves through them (never focused itself)."""


@dataclass(frozen=True)
class Answers:
    answers: dict[str, str]
    comment: str
    coaching: str


class EvaluateScreen(FormScreen[Answers]):
    """One box per item of the form (y, n, p, n/a or a number), then comment and coaching."""

    def __init__(self, title: str, form: Form) -> None:
        super().__init__(title)
        self.form = form

    def fields(self) -> ComposeResult:
        with ItemsBox(id="eval-items"):
            section = None
            for item in self.form.items:
                if item.section != section:
                    section = item.section
                    yield Label(section, classes="section-title")
                critical = " (critical)" if item.critical else ""
                yield Label(f"{item.text}{critical}")
                yield Input(placeholder=item.spec.allowed(), id=f"item-{item.code}")
            yield Label("Comment: what you heard")
            yield Input(id="eval-comment")
            yield Label("Coaching note for the agent")
            yield Input(id="eval-coaching")

    def on_mount(self) -> None:
        self.query(Input).first().focus(scroll_visible=False)
        box = self.query_one(ItemsBox)
        self.call_after_refresh(box.scroll_home, animate=False)  # the first item's question

    def result(self) -> Answers:
        answers = {}
        for item in self.form.items:
            box = f"item-{item.code}"
            given = self.text(box)
            try:
                read_answer(item.spec, given)
            except InvalidInput:
                self.query_one(f"#{box}", Input).focus()
                raise
            answers[item.code] = given
        return Answers(answers, self.text("eval-comment"), self.text("eval-coaching"))


class DisputeScreen(FormScreen[str]):
    SAVE_LABEL = "Dispute"

    def fields(self) -> ComposeResult:
        yield Label("Why is the score wrong? A manager will settle it.")
        yield Input(id="dispute-reason")

    def result(self) -> str:
        return self.required_text("dispute-reason", "say why you dispute the evaluation")


@dataclass(frozen=True)
class Settlement:
    uphold: bool
    note: str


class SettleScreen(FormScreen[Settlement]):
    SAVE_LABEL = "Settle"

    def fields(self) -> ComposeResult:
        yield RadioSet(
            RadioButton("The score stands (upheld)", name="uphold", value=True),
            RadioButton("Void the score (overturned)", name="overturn"),
            id="settle-outcome",
        )
        yield Label("Why")
        yield Input(id="settle-note")

    def result(self) -> Settlement:
        uphold = self.pressed("settle-outcome") == "uphold"
        return Settlement(
            uphold, self.required_text("settle-note", "say why the score stands or falls")
        )

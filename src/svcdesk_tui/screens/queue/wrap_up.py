"""The wrap-up form: contact reason, where the call goes next, a lead for sales, a note.

A technician dispatch opens the dispatch form before the wrap-up is saved;
escape there comes back here, and escape here leaves the call in wrap-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from textual.app import ComposeResult
from textual.widgets import Input, Label, RadioButton, RadioSet, Select

from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.models import CallRoute, ExpertMode
from svcdesk_tui.queue.completion import Completion
from svcdesk_tui.screens.common.forms import FormScreen
from svcdesk_tui.screens.service_desk.dispatch import DispatchScreen
from svcdesk_tui.service_desk.dispatch import DispatchRequest

WrapUp = Completion

# Radio button name → (label, route, expert mode)
ROUTES: dict[str, tuple[str, str, str | None]] = {
    "solved": ("Solved on this call", CallRoute.SOLVED, None),
    "expert-on-line": ("System expert, on the line now", CallRoute.EXPERT, ExpertMode.ON_LINE),
    "expert-call-back": ("System expert, calls back", CallRoute.EXPERT, ExpertMode.CALL_BACK),
    "dispatch": ("Technician dispatch", CallRoute.DISPATCH, None),
    "sales": ("Information or a need passed to sales", CallRoute.SALES, None),
}


class WrapUpScreen(FormScreen[Completion]):
    """Ask how the call ended; ctrl+s saves, escape leaves the call in wrap-up."""

    def __init__(
        self, caller: str, reasons: Sequence[tuple[str, str]], customer_id: int | None = None
    ) -> None:
        super().__init__(f"Wrap up the call with {caller}")
        self._reasons = reasons
        self._customer_id = customer_id

    def fields(self) -> ComposeResult:
        yield Label("Contact reason")
        yield Select(
            [(label, code) for code, label in self._reasons], id="reason", prompt="Pick the reason"
        )
        yield Label("Where does the call go next?")
        yield RadioSet(
            *(
                RadioButton(label, name=key, value=key == "solved")
                for key, (label, _, _) in ROUTES.items()
            ),
            id="outcome",
        )
        yield Input(placeholder="Need or opportunity for sales (optional)", id="lead")
        yield Input(placeholder="Internal note (optional)", id="note")

    def result(self) -> Completion:
        picker = self.query_one("#reason", Select)
        if picker.is_blank():
            picker.focus()
            raise InvalidInput("Pick the contact reason first")
        _, route, expert_mode = ROUTES[self.pressed("outcome")]
        lead = (
            self.required_text("lead", "Say what sales should know")
            if route == CallRoute.SALES
            else self.text("lead")
        )
        return Completion(
            reason_code=str(picker.value),
            route=route,
            note=self.text("note"),
            expert_mode=expert_mode,
            lead_text=lead,
        )

    def action_save(self) -> None:
        try:
            completion = self.result()
        except InvalidInput as error:
            self.notify(error.message, severity="warning")
            return
        if completion.route != CallRoute.DISPATCH:
            self.dismiss(completion)
            return

        def dispatched(request: DispatchRequest | None) -> None:
            if request is None:
                self.notify("No technician chosen yet; the call stays in wrap-up")
                return
            self.dismiss(replace(completion, dispatch=request))

        self.app.push_screen(DispatchScreen(self._customer_id), dispatched)

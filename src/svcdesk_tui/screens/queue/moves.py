"""What an agent and a supervisor do from the Queue screen: take, complete, pause, assign.

Each move runs in a worker (:meth:`MoveRunner.run_move`); the dialogs it opens
(wrap-up, complaint, escalation) are imported when first used, so the queue,
the desk's first screen, paints sooner without them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session
from textual import work

from svcdesk_tui.models import AgentStateKind
from svcdesk_tui.queue import live as queue_service
from svcdesk_tui.queue.live import AgentRow, QueueSnapshot, WaitingCall
from svcdesk_tui.screens.common.choice import ChoiceScreen
from svcdesk_tui.screens.common.desk import DeskScreen
from svcdesk_tui.screens.common.failures import guarded
from svcdesk_tui.screens.common.selection import under_cursor

if TYPE_CHECKING:
    from svcdesk_tui.screens.queue.wrap_up import WrapUp

PAUSE_REASONS = [
    ("break", "Break"),
    ("lunch", "Lunch"),
    ("coaching", "Coaching"),
    ("training", "Training"),
    ("admin", "Admin work"),
]


class QueueMoves(DeskScreen[QueueSnapshot]):
    """The Queue screen's keys; the screen itself lays out and shows the snapshot."""

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: QueueSnapshot | None = None
        self._reasons: list[tuple[str, str]] = []
        self._open_card_later: int | None = None

    def my_row(self) -> AgentRow | None:
        if self.snapshot is None:
            return None
        me = self.app.actor.id
        return next((a for a in self.snapshot.agents if a.staff_id == me), None)

    def _selected_call(self, missing: str | None = None) -> WaitingCall | None:
        """The waiting call under the cursor; when none, ``missing`` (if given) is said."""
        waiting = self.snapshot.waiting if self.snapshot else ()
        return under_cursor(self, "#waiting", waiting, lambda c: c.call_id, missing=missing)

    @work(thread=True, group="reference")
    @guarded("Could not read the contact reasons")
    def load_reasons(self) -> None:
        with self.app.db.read() as session:
            self._reasons = queue_service.reasons(session)

    def open_card(self, customer_id: int) -> None:
        from svcdesk_tui.screens.queue.customer_card import CustomerCardScreen

        self.app.push_screen(CustomerCardScreen(customer_id))

    # --- taking and finishing calls -------------------------------------------

    def _took(self, session: Session, call_id: int | None) -> str:
        if call_id is None:
            return "Nobody is waiting"
        card = queue_service.call_summary(session, call_id)
        self._open_card_later = card.customer_id
        return f"On call with {card.caller} ({card.queue})"

    def _open_taken_card(self) -> None:
        customer_id, self._open_card_later = self._open_card_later, None
        if customer_id is not None:
            self.open_card(customer_id)

    def _take(self, label: str, call_id: int | None) -> None:
        actor = self.app.actor

        def move(session: Session, *, now: datetime) -> str:
            taken = queue_service.take_call(session, actor, now=now, call_id=call_id)
            return self._took(session, taken.id if taken else None)

        self.run_move(label, move, self._open_taken_card)

    def action_take_next(self) -> None:
        self._take("take the next call", None)

    def action_take_selected(self) -> None:
        if (call := self._selected_call("Select a waiting call first")) is not None:
            self._take("take that call", call.call_id)

    def action_complete(self) -> None:
        mine = self.my_row()
        if mine is None or mine.state not in (AgentStateKind.ON_CALL, AgentStateKind.WRAP_UP):
            self.notify("You have no call in progress", severity="warning")
            return
        actor = self.app.actor
        caller = mine.caller or "the caller"
        if mine.state == AgentStateKind.ON_CALL:
            self.run_move(
                "end the talk",
                lambda session, now: queue_service.end_talk(session, actor, now=now) and None,
                lambda: self._ask_wrap_up(caller),
            )
        else:
            self._ask_wrap_up(caller)

    def _ask_wrap_up(self, caller: str) -> None:
        from svcdesk_tui.queue.completion import complete_call
        from svcdesk_tui.screens.queue.wrap_up import WrapUpScreen

        actor = self.app.actor

        def done(wrap: WrapUp | None) -> None:
            if wrap is None:
                self.notify("The call stays in wrap-up; press c to finish it")
                return
            tz = self.app.settings.timezone
            self.run_move(
                "complete the call",
                lambda session, now: (
                    complete_call(session, actor, wrap, now=now, timezone=tz) and "Call completed"
                ),
            )

        self.app.push_screen(WrapUpScreen(caller, self._reasons), done)

    def action_toggle_pause(self) -> None:
        actor = self.app.actor
        mine = self.my_row()
        if mine is not None and mine.state == AgentStateKind.PAUSED:

            def resume(session: Session, *, now: datetime) -> str:
                queue_service.resume(session, actor, now=now)
                return "Back to available"

            self.run_move("resume", resume)
            return

        def chosen(reason: str | None) -> None:
            if reason is None:
                return

            def pause(session: Session, *, now: datetime) -> str:
                queue_service.pause(session, actor, reason, now=now)
                return f"Paused: {reason}"

            self.run_move("pause", pause)

        self.app.push_screen(ChoiceScreen("Pause for…", PAUSE_REASONS), chosen)

    # --- assigning ------------------------------------------------------------------

    def action_assign(self) -> None:
        if (call := self._selected_call("Select a waiting call to assign")) is not None:
            self.pick_agent_for(call)

    @work(thread=True, group="moves")
    @guarded("Could not read the available agents")
    def pick_agent_for(self, call: WaitingCall) -> None:
        with self.app.db.read() as session:
            agents = queue_service.available_agents(session)
        self.app.call_from_thread(self._ask_agent, call, agents)

    def _ask_agent(self, call: WaitingCall, agents: list[tuple[int, str]]) -> None:
        if not agents:
            self.notify("No agent is available right now", severity="warning")
            return
        actor = self.app.actor

        def chosen(agent_id: str | None) -> None:
            if agent_id is None:
                return
            name = dict(agents)[int(agent_id)]
            self.run_move(
                "assign the call",
                lambda session, now: (
                    queue_service.assign_call(session, actor, call.call_id, int(agent_id), now=now)
                    and f"Assigned to {name}"
                ),
            )

        title = f"Assign {call.customer_name or call.caller_number or 'the call'} to…"
        self.app.push_screen(ChoiceScreen(title, [(str(i), n) for i, n in agents]), chosen)

    # --- complaint, compensation and escalation during a call ---------------------

    def _my_call_id(self) -> int | None:
        mine = self.my_row()
        if mine is None or mine.call_id is None:
            self.notify("You have no call in progress", severity="warning")
            return None
        return mine.call_id

    def action_open_complaint(self) -> None:
        from svcdesk_tui.screens.complaints.actions import open_complaint_for_call

        if (call_id := self._my_call_id()) is not None:
            open_complaint_for_call(self, call_id)

    def action_compensate(self) -> None:
        from svcdesk_tui.screens.complaints.actions import compensate

        if (call_id := self._my_call_id()) is not None:
            compensate(self, call_id=call_id)

    def action_escalate(self) -> None:
        from svcdesk_tui.screens.escalations.forms import escalate_from

        if (call_id := self._my_call_id()) is not None:
            mine = self.my_row()
            escalate_from(self, (mine.caller if mine else None) or "your caller", call_id=call_id)

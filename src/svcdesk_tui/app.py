"""SvcDeskApp: the screens, global keys and the shared state they read."""

from __future__ import annotations

import os
import threading

from textual import work
from textual.app import App
from textual.binding import Binding

from .clock import Clock, SystemClock
from .db import Database
from .errors import SvcdeskError
from .models import Role
from .screens.caribbean import CaribbeanScreen
from .screens.complaints import ComplaintsScreen
from .screens.escalations import EscalationsScreen
from .screens.queue import QueueScreen
from .services import queue as queue_service
from .services.identity import Actor
from .services.permissions import Action, allowed
from .services.settings import CenterSettings, load_settings


class SvcDeskApp(App[None]):
    """The desk. Each screen owns its actions; the app holds db, actor, clock."""

    CSS_PATH = "app.tcss"
    TITLE = "svcdesk"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("1", "switch_mode('queue')", "Queue"),
        Binding("2", "switch_mode('escalations')", "Escalations"),
        Binding("3", "switch_mode('complaints')", "Complaints"),
        Binding("4", "switch_mode('caribbean')", "Caribbean"),
        Binding("question_mark", "toggle_help", "Help"),
        Binding("q", "quit", "Quit"),
    ]
    MODES = {"queue": QueueScreen, "complaints": ComplaintsScreen, "caribbean": CaribbeanScreen}
    MODES["escalations"] = EscalationsScreen
    MODE_NEEDS = {"caribbean": Action.VIEW_CARIBBEAN}  # modes some roles may not open

    def __init__(
        self,
        db: Database,
        actor: Actor,
        *,
        clock: Clock | None = None,
        settings: CenterSettings | None = None,
        refresh_seconds: float | None = None,
        simulate: bool = False,
    ) -> None:
        super().__init__()
        self.db = db
        self.actor = actor
        self.clock = clock or SystemClock()
        if settings is None:
            with db.read() as session:
                settings = load_settings(session)
        self.settings = settings
        self.refresh_seconds = refresh_seconds or settings.refresh_seconds
        self.simulate = simulate
        self._stop_simulation = threading.Event()
        self.sub_title = f"{actor.name} · {actor.role}"

    def on_mount(self) -> None:
        self.switch_mode("queue")
        if self.actor.role == Role.AGENT:
            self.log_in()
        if self.simulate:
            self.run_simulation()

    @work(thread=True, group="presence")
    def log_in(self) -> None:
        try:
            with self.db.write() as session:
                queue_service.log_in(
                    session, self.actor, self.clock.now(), client=f"tui:{os.getpid()}"
                )
        except SvcdeskError as error:
            self.call_from_thread(self.notify, error.message, severity="error")

    @work(thread=True, group="simulation")
    def run_simulation(self) -> None:
        from .services.simulation import run_simulation

        try:
            run_simulation(
                self.db, self.clock, stop=self._stop_simulation, skip_logins={self.actor.login}
            )
        except SvcdeskError as error:
            self.call_from_thread(
                self.notify, error.message, title="Simulation stopped", severity="error"
            )

    def on_unmount(self) -> None:
        self._stop_simulation.set()

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide and refuse the modes the actor's role may not open."""
        if action == "switch_mode" and parameters:
            needed = self.MODE_NEEDS.get(str(parameters[0]))
            return needed is None or allowed(self.actor, needed)
        return True

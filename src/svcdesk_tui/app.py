"""SvcDeskApp: the screens, global keys and the shared state they read."""

from __future__ import annotations

import gc
import importlib
import math
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from svcdesk_tui.core.changes import ChangeWatcher
from svcdesk_tui.core.clock import Clock, SystemClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import SvcdeskError
from svcdesk_tui.core.settings import CenterSettings, load_settings
from svcdesk_tui.models import Role
from svcdesk_tui.people import presence
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, ActionRefused, allowed
from svcdesk_tui.queue import live as queue_service
from svcdesk_tui.screens.queue.screen import QueueScreen

# What is imported by now (Textual, SQLAlchemy, the tables) lives as long as the
# process: keep the cyclic collector off it. Otherwise its first full pass walks
# every one of those objects (~70 ms) while the first screen is being drawn.
gc.freeze()

CLIMB_EVERY = timedelta(seconds=10)  # how often (on the center's clock) the ladder is checked


class DeskMode(NamedTuple):
    """A screen of the desk: its number key, its package under screens/, its footer label."""

    key: str
    name: str
    label: str
    screen: str
    needs: Action | None = None  # what a role needs to open it; the others are told why

    def opener(self) -> Callable[[], Screen[None]]:
        """Its screen, imported when first opened: the desk paints the queue sooner."""
        module = f"svcdesk_tui.screens.{self.name}.screen"
        return lambda: getattr(importlib.import_module(module), self.screen)()


DESK_MODES = (
    DeskMode("1", "queue", "Queue", "QueueScreen"),
    DeskMode("2", "escalations", "Escalations", "EscalationsScreen"),
    DeskMode("3", "complaints", "Complaints", "ComplaintsScreen"),
    DeskMode("4", "caribbean", "Caribbean", "CaribbeanScreen", Action.VIEW_CARIBBEAN),
    DeskMode("5", "monitoring", "Monitoring", "MonitoringScreen"),
    DeskMode("6", "load", "Load", "LoadScreen", Action.VIEW_ALL_AGENTS),
)


def _mode_keys() -> list[Binding]:
    """Each mode's key; a mode some roles may not open has a hidden twin that says why
    (and audits) when they press it."""
    keys = []
    for mode in DESK_MODES:
        keys.append(Binding(mode.key, f"switch_mode('{mode.name}')", mode.label))
        if mode.needs is not None:
            keys.append(Binding(mode.key, f"refuse_mode('{mode.name}')", show=False))
    return keys


class SvcDeskApp(App[None]):
    """The desk. Each screen owns its actions; the app holds db, actor, clock."""

    CSS_PATH = "app.tcss"
    TITLE = "svcdesk"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        *_mode_keys(),
        Binding("question_mark", "toggle_help", "Help"),
        Binding("q", "quit", "Quit"),
    ]
    MODES = {**{m.name: m.opener() for m in DESK_MODES}, "queue": QueueScreen}  # the first: eager
    DEFAULT_MODE = "queue"  # the first screen, without a blank one before it
    MODE_NEEDS = {m.name: m.needs for m in DESK_MODES if m.needs is not None}

    def __init__(
        self,
        db: Database,
        actor: Actor,
        *,
        clock: Clock | None = None,
        settings: CenterSettings | None = None,
        refresh_seconds: float | None = None,
        simulate: bool = False,
        agent_mode: bool = False,
    ) -> None:
        super().__init__()
        self.agent_mode = agent_mode
        self.db = db
        self.actor = actor
        self.clock = clock or SystemClock()
        if settings is None:
            with db.read() as session:
                settings = load_settings(session)
        self.settings = settings
        self._not_woken: str | None = None
        if db.demo:  # opened at any hour, days after it was made: callers wait, agents work
            from svcdesk_tui.demo.wake import wake_on_opening

            self._not_woken = wake_on_opening(db, actor.login, now=self.clock.now())
        self.changes = ChangeWatcher(db.engine, db.name)  # connects on the first question
        self.refresh_seconds = refresh_seconds or settings.refresh_seconds
        self.simulate = simulate
        self._stop_simulation = threading.Event()
        self.sub_title = f"{actor.name} · {actor.role}"
        self._beat_every = presence.heartbeat_interval(settings.stale_presence_seconds)
        self._beaten_at = -math.inf  # time.monotonic() of the last heartbeat
        self._climbed_at: datetime | None = None  # the clock's time of the last ladder check

    def on_mount(self) -> None:
        if self._not_woken:
            self.notify(self._not_woken, severity="warning")
        if self.agent_mode or self.actor.role == Role.AGENT:
            self.log_in()
        if self.simulate:
            self.run_simulation()
        self.set_interval(min(self.refresh_seconds, self._beat_every), self.tick_clocks)
        self.tick_clocks()

    def tick_clocks(self) -> None:
        """The center's clocks, for whichever screen is open: presence and the ladder."""
        now, beat_at = self.clock.now(), time.monotonic()
        beat = beat_at - self._beaten_at >= self._beat_every
        climb = self._climbed_at is None or now - self._climbed_at >= CLIMB_EVERY
        if beat:
            self._beaten_at = beat_at
        if climb:
            self._climbed_at = now
        if beat or climb:
            self.run_clocks(now=now, beat=beat, climb=climb)

    @work(thread=True, group="center-clocks")
    def run_clocks(self, *, now: datetime, beat: bool, climb: bool) -> None:
        """Say this desk is alive, log out desks that stopped beating, climb what is overdue."""
        from svcdesk_tui.escalations.moves import climb_if_due  # off the first paint's path

        try:
            if beat:
                with self.db.write() as session:
                    presence.heartbeat(session, self.actor.id, now=now)
                    presence.clear_stale(session, self.settings.stale_presence_seconds, now=now)
            climbed = climb_if_due(self.db, now=now) if climb else []
        except SvcdeskError:
            return  # the next tick tries again; a busy store is not worth a message here
        if climbed and allowed(self.actor, Action.HANDLE_ESCALATION):
            for item in climbed:
                self.call_from_thread(
                    self.notify,
                    str(item),
                    title="Climbed by itself",
                    severity="error" if item.to_executive else "warning",
                )

    @work(thread=True, group="presence")
    def log_in(self) -> None:
        try:
            with self.db.write() as session:
                queue_service.log_in(
                    session, self.actor, now=self.clock.now(), client=f"tui:{os.getpid()}"
                )
        except SvcdeskError as error:
            self.call_from_thread(self.notify, error.message, severity="error")

    @work(thread=True, group="simulation")
    def run_simulation(self) -> None:
        from svcdesk_tui.demo.simulation import run_simulation

        try:
            run_simulation(
                self.db,
                self.clock,
                stop=self._stop_simulation,
                skip_logins={self.actor.login},
                actor=None if self.db.demo else self.actor,
            )
        except SvcdeskError as error:
            self.call_from_thread(
                self.notify, error.message, title="Simulation stopped", severity="error"
            )

    def on_unmount(self) -> None:
        self._stop_simulation.set()
        self.changes.close()

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the modes the actor's role may not open; their keys explain the refusal."""
        if action in ("switch_mode", "refuse_mode") and parameters:
            needed = self.MODE_NEEDS.get(str(parameters[0]))
            may = needed is None or allowed(self.actor, needed)
            return may if action == "switch_mode" else not may
        return True

    def action_refuse_mode(self, mode: str) -> None:
        self.refuse(self.MODE_NEEDS[mode])

    @work(thread=True, group="refusals")
    def refuse(self, action: Action) -> None:
        """Say in the status line why the role may not act, and record the attempt."""
        refusal = ActionRefused(self.actor, action)
        self.call_from_thread(self.notify, refusal.message, title="Not allowed", severity="warning")
        try:
            with self.db.write() as session:
                session.add(refusal.audit_entry(self.clock.now()))
        except SvcdeskError:
            pass

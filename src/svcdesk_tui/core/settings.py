"""Center-wide thresholds: one typed table of what may be set, checked when it is read.

A setting is a row of the ``setting`` table (its name, its value as JSON). Every
stored row is checked against :data:`SPECS` when the settings are loaded: bad
JSON, a value of the wrong type (the string ``"7"`` is not the number 7) or one
out of range stops the reader with one :class:`SettingsError` naming the setting,
the stored value and what is allowed, before any figure is computed from it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

from svcdesk_tui.core.errors import InvalidInput, SvcdeskError
from svcdesk_tui.models import Setting


class SettingsError(SvcdeskError):
    """A setting stored in the center is not one it may have (exit 1: fix the store)."""


def _is_zone(value: str) -> bool:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class Spec:
    """One setting: its type, default, allowed values and what it means."""

    name: str
    kind: type[int] | type[float] | type[str]
    default: int | float | str
    description: str
    low: float | None = None
    high: float | None = None
    check: Callable[[Any], bool] | None = None
    check_text: str = ""

    @property
    def allowed(self) -> str:
        """What the setting accepts, in words."""
        if self.kind is str or self.check_text:
            return self.check_text or "text"
        noun = "a whole number" if self.kind is int else "a number"
        return f"{noun} from {_number(self.low)} to {_number(self.high)}"

    def why_not(self, value: object) -> str | None:
        """None when ``value`` (as decoded from JSON) fits; else the kind of value it is."""
        if isinstance(value, bool) or not isinstance(value, _ACCEPTED[self.kind]):
            return f"is {_kind_of(value)}"
        if isinstance(value, str):
            return None if self.check is None or self.check(value) else "is not allowed"
        assert isinstance(value, int | float)
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            return "is out of range"
        return None if self.check is None or self.check(value) else "is not allowed"


INTERVAL_CHOICES = (15, 30, 60)
"""The interval lengths (minutes) that divide an hour and fit every time zone's offset."""

_ACCEPTED: dict[type, tuple[type, ...]] = {int: (int,), float: (int, float), str: (str,)}


def _number(value: float | None) -> str:
    return "any" if value is None else f"{value:g}"


def _kind_of(value: object) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a fractional number" if isinstance(value, float) else "a whole number"
    return "null" if value is None else "a list or an object"


def _is_folder(value: str) -> bool:
    return value == "" or value.startswith("/")


def _is_pattern(value: str) -> bool:
    try:
        value.format(uniqueid="u", queue="q", date=datetime(2026, 1, 1, tzinfo=UTC))
    except (KeyError, IndexError, ValueError):
        return False
    return "{uniqueid}" in value and not value.startswith("/") and ".." not in value


def _is_player(value: str) -> bool:
    return "{path}" in value and bool(value.split())


def _days(name: str, default: int, what: str, high: int = 365) -> Spec:
    return Spec(name, int, default, what, low=1, high=high)


SPECS: dict[str, Spec] = {
    spec.name: spec
    for spec in (
        Spec(
            "timezone",
            str,
            "UTC",
            "The center's time zone: days, hours and shown times follow it.",
            check=_is_zone,
            check_text="an IANA time zone such as Europe/Amsterdam",
        ),
        Spec(
            "refresh_seconds",
            float,
            1.0,
            "Seconds between the desk's re-reads of the store.",
            low=0.2,
            high=60,
        ),
        Spec(
            "interval_minutes",
            int,
            15,
            "Minutes in one interval of the interval statistics and the forecast.",
            low=15,
            high=60,
            check=lambda minutes: minutes in INTERVAL_CHOICES,
            check_text="15, 30 or 60",
        ),
        _days(
            "fcr_window_days", 7, "FCR: a call again about the same reason within this many days."
        ),
        _days("repeat_complaint_window_days", 30, "A new complaint within this many days repeats."),
        _days("history_window_days", 30, "Days of resolved escalations and complaints shown."),
        Spec("followup_max_attempts", int, 3, "Follow-up attempts before giving up.", 1, 20),
        Spec("followup_due_hours", int, 48, "Hours within which a follow-up is due.", 1, 720),
        Spec(
            "detractor_followup_hours",
            int,
            48,
            "Hours within which a manager calls a detractor back.",
            1,
            720,
        ),
        Spec(
            "detractor_csat_max",
            int,
            2,
            "A CSAT answer (1-5) at or below this calls for a manager's follow-up.",
            1,
            4,
        ),
        Spec("critical_min_depth", int, 2, "People a critical procedure needs covering it.", 1, 20),
        Spec("approval_min_holders", int, 2, "Fewer people who can approve: a finding.", 1, 20),
        _days("caribbean_days", 14, "The default what-if: the manager away this many days."),
        Spec(
            "stale_presence_seconds",
            int,
            120,
            "Seconds without a heartbeat before a desk counts as gone.",
            1,
            86400,
        ),
        Spec(
            "escalation_at_risk_share",
            float,
            0.75,
            "Waiting at least this share of a rung's limit: at risk.",
            0.05,
            1,
        ),
        _days("first_time_fix_window_days", 14, "A new fault of the same kind within: not fixed."),
        Spec(
            "recording_folder",
            str,
            "",
            "Folder of the PBX's call recordings (empty: recordings are not linked).",
            check=_is_folder,
            check_text="an absolute folder path, or empty",
        ),
        Spec(
            "recording_pattern",
            str,
            "{uniqueid}.wav",
            "A recording's file name in that folder: {uniqueid}, {queue}, {date:%Y/%m/%d}.",
            check=_is_pattern,
            check_text="a relative file name holding {uniqueid}, e.g. {date:%Y%m%d}/{uniqueid}.wav",
        ),
        Spec(
            "recording_player",
            str,
            "mpv --no-video {path}",
            "The command that plays a recording in a supervisor's terminal.",
            check=_is_player,
            check_text="a command holding {path}, e.g. mpv --no-video {path}",
        ),
        Spec(
            "monitoring_calls_per_week",
            int,
            4,
            "Calls drawn per agent each week for a quality evaluation.",
            1,
            50,
        ),
        Spec(
            "monitoring_long_call_seconds",
            int,
            900,
            "A call at least this long (talk and wrap-up) is drawn as a long call.",
            60,
            14400,
        ),
        Spec(
            "shrinkage",
            float,
            0.3,
            "Share of a shift not on the phone (breaks, training): agents to schedule on top.",
            0,
            0.9,
        ),
    )
}


def _default(name: str) -> Any:
    return SPECS[name].default


@dataclass(frozen=True)
class CenterSettings:
    """Every threshold a center may change, typed (see :data:`SPECS`).

    Per-queue targets live on the queue.
    """

    timezone: str = _default("timezone")
    refresh_seconds: float = _default("refresh_seconds")
    interval_minutes: int = _default("interval_minutes")
    fcr_window_days: int = _default("fcr_window_days")
    repeat_complaint_window_days: int = _default("repeat_complaint_window_days")
    history_window_days: int = _default("history_window_days")
    followup_max_attempts: int = _default("followup_max_attempts")
    followup_due_hours: int = _default("followup_due_hours")
    detractor_followup_hours: int = _default("detractor_followup_hours")
    detractor_csat_max: int = _default("detractor_csat_max")
    critical_min_depth: int = _default("critical_min_depth")
    approval_min_holders: int = _default("approval_min_holders")
    caribbean_days: int = _default("caribbean_days")
    stale_presence_seconds: int = _default("stale_presence_seconds")
    escalation_at_risk_share: float = _default("escalation_at_risk_share")
    first_time_fix_window_days: int = _default("first_time_fix_window_days")
    recording_folder: str = _default("recording_folder")
    recording_pattern: str = _default("recording_pattern")
    recording_player: str = _default("recording_player")
    monitoring_calls_per_week: int = _default("monitoring_calls_per_week")
    monitoring_long_call_seconds: int = _default("monitoring_long_call_seconds")
    shrinkage: float = _default("shrinkage")


if {f.name for f in fields(CenterSettings)} != set(SPECS):  # pragma: no cover - a coding slip
    raise RuntimeError("CenterSettings and SPECS must name the same settings")


def spec(name: str) -> Spec:
    """The setting called ``name``; an unknown name is refused with the known ones."""
    try:
        return SPECS[name]
    except KeyError:
        raise InvalidInput(
            f"unknown setting {name!r}; the settings are: {', '.join(SPECS)}"
        ) from None


def stored_rows(session: Session) -> dict[str, str]:
    """The JSON text of every known setting the store overrides, by name."""
    rows = session.exec(select(Setting)).all()
    return {row.key: row.value for row in rows if row.key in SPECS}


def stored_problem(name: str, text: str) -> str | None:
    """Why the stored JSON ``text`` is no value for setting ``name``, or None when it is."""
    try:
        value = json.loads(text)
    except ValueError:
        return f"setting {name} holds {text!r}, which is not JSON; allowed: {SPECS[name].allowed}"
    why = SPECS[name].why_not(value)
    if why is None:
        return None
    return f"setting {name} holds {text}, which {why}; allowed: {SPECS[name].allowed}"


def load_settings(session: Session) -> CenterSettings:
    """The defaults, overridden by the store's rows; a bad row raises :class:`SettingsError`."""
    stored = stored_rows(session)
    problems = {n: p for n, text in sorted(stored.items()) if (p := stored_problem(n, text))}
    if problems:
        name = next(iter(problems)) if len(problems) == 1 else "NAME"
        fix = f"fix it with `svcdesk settings set {name} VALUE` or `svcdesk settings unset {name}`"
        raise SettingsError("; ".join(problems.values()) + f" ({fix})")
    return replace(CenterSettings(), **{name: json.loads(text) for name, text in stored.items()})


def usable_settings(session: Session) -> CenterSettings:
    """Like :func:`load_settings`, but a bad stored row reads as its default (for repairs)."""
    stored = stored_rows(session)
    good = {n: json.loads(t) for n, t in stored.items() if stored_problem(n, t) is None}
    return replace(CenterSettings(), **good)


def parse_value(name: str, text: str) -> int | float | str:
    """A value typed on the command line for ``name``; a bad one is refused with the range."""
    value: int | float | str = text
    if spec(name).kind is not str:
        for number in (int, float):
            try:
                value = number(text)
                break
            except ValueError:
                continue  # left as text when no number: refused below as the wrong type
    check(name, value)
    return value


def check(name: str, value: object) -> None:
    """Refuse (exit 2) a value that setting ``name`` may not have, saying what it may."""
    why = spec(name).why_not(value)
    if why is not None:
        shown = json.dumps(value) if isinstance(value, str) else value
        raise InvalidInput(f"{name} may not be {shown}: allowed: {SPECS[name].allowed}")


def save_setting(session: Session, key: str, value: Any) -> None:
    """Store one override after checking it; unknown names and bad values are refused."""
    check(key, value)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)


def remove_setting(session: Session, key: str) -> bool:
    """Drop the override of ``key`` (it reads as its default again); False if there was none."""
    spec(key)
    row = session.get(Setting, key)
    if row is None:
        return False
    session.delete(row)
    return True

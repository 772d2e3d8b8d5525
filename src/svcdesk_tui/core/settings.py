"""Center-wide thresholds: defaults from DOMAIN.md, overridable in the store."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from sqlmodel import Session, select

from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.models import Setting


@dataclass(frozen=True)
class CenterSettings:
    """Every threshold a center may change. Per-queue targets live on the queue."""

    timezone: str = "UTC"
    refresh_seconds: float = 1.0
    fcr_window_days: int = 7
    repeat_complaint_window_days: int = 30
    history_window_days: int = 30
    followup_max_attempts: int = 3
    followup_due_hours: int = 48
    detractor_followup_hours: int = 48
    detractor_csat_max: int = 2  # CSAT at or below this (1–5) calls for a manager's follow-up
    critical_min_depth: int = 2
    approval_min_holders: int = 2  # fewer people who can give an approval: a finding
    caribbean_days: int = 14  # the default what-if: the manager away this many days
    stale_presence_seconds: int = 120
    escalation_at_risk_share: float = 0.75  # waiting ≥ this share of a rung's limit: at risk
    first_time_fix_window_days: int = 14  # a new fault of the same kind within: not fixed


def load_settings(session: Session) -> CenterSettings:
    """The defaults, overridden by whatever the `setting` table holds."""
    known = {f.name: f.type for f in fields(CenterSettings)}
    stored: dict[str, Any] = {}
    for row in session.exec(select(Setting)):
        if row.key in known:
            stored[row.key] = json.loads(row.value)
    return replace(CenterSettings(), **stored)


def save_setting(session: Session, key: str, value: Any) -> None:
    """Store one override; unknown keys are refused."""
    if key not in asdict(CenterSettings()):
        raise InvalidInput(f"unknown setting {key!r}")
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)

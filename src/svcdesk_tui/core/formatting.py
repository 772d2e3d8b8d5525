"""How times, durations and rates read on screen."""

from __future__ import annotations

from datetime import datetime

from svcdesk_tui.core.periods import zone


def duration(seconds: float | None) -> str:
    """``m:ss`` under an hour, ``h:mm:ss`` above; an em dash for no value."""
    if seconds is None:
        return "—"
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def clock(seconds: float) -> str:
    """A clock that moves on screen (a wait, time in state): ``m:ss`` under an hour, ``1h05`` above.

    Past an hour the seconds are noise to the eye, and a clock that changes
    costs its row a repaint: such a clock moves once a minute, and says so by
    showing no seconds.
    """
    whole = max(0, int(seconds))
    if whole < 3600:
        return duration(whole)
    hours, rest = divmod(whole, 3600)
    return f"{hours}h{rest // 60:02d}"


def percent(fraction: float | None) -> str:
    return "—" if fraction is None else f"{fraction * 100:.0f}%"


def local_time(moment: datetime, tz: str, *, with_date: bool = False) -> str:
    local = moment.astimezone(zone(tz))
    return local.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M:%S")

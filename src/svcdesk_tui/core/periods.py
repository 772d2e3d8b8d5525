"""Calendar periods in the center's time zone, as UTC instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from svcdesk_tui.core.errors import InvalidInput


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"unknown time zone {name!r} (use an IANA name like Europe/Amsterdam)"
        ) from None


@dataclass(frozen=True)
class Period:
    """A half-open interval [since, until) of aware UTC instants."""

    since: datetime
    until: datetime


def local_date(moment: datetime, tz: str) -> date:
    return moment.astimezone(zone(tz)).date()


def day_period(day: date, tz: str) -> Period:
    """Midnight to midnight of a local calendar day."""
    return days_period(day, day + timedelta(days=1), tz)


def days_period(first: date, after_last: date, tz: str) -> Period:
    tzinfo = zone(tz)
    since = datetime.combine(first, time(), tzinfo).astimezone(UTC)
    until = datetime.combine(after_last, time(), tzinfo).astimezone(UTC)
    return Period(since, until)


def today_period(tz: str, *, now: datetime) -> Period:
    return day_period(local_date(now, tz), tz)

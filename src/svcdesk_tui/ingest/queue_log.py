"""Asterisk's queue_log, one line at a time: ``epoch|uniqueid|queue|agent|EVENT|data…``.

Both layouts found in the wild are read: the text file of older Asterisk, where
the event's parameters follow as ``|``-separated values, and the exports of the
``data1..data5`` columns (database/CSV back ends), which only differ by empty
trailing fields. The first five fields are checked strictly; missing trailing
data is tolerated wherever the figure can be worked out another way.

Data fields by event (Asterisk's own documentation, doc/queuelog.txt and
docs.asterisk.org "Queue Logs"):

======================  =========================================================
ENTERQUEUE              url | callerid | position
CONNECT                 holdtime | bridged channel uniqueid | ringtime
COMPLETECALLER/-AGENT   holdtime | calltime | origposition
ABANDON                 position | origposition | waittime
EXITWITHTIMEOUT         position | origposition | waittime
EXITEMPTY               position | origposition | waittime
EXITWITHKEY             key | position | origposition | waittime
TRANSFER, BLINDTRANSFER extension | context | holdtime | calltime | origposition
ATTENDEDTRANSFER        method | target… | holdtime | calltime | origposition
RINGNOANSWER            ringtime (milliseconds)
AGENTLOGIN / LOGOFF     channel / channel | logintime
PAUSE, PAUSEALL         reason
======================  =========================================================
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import NamedTuple

MAX_LINE_CHARS = 4096
LATEST = 32503680000  # 1 January 3000
NO_VALUE = frozenset({"", "NONE", "NULL"})

CALL_EVENTS = frozenset(
    {
        "ENTERQUEUE",
        "CONNECT",
        "COMPLETECALLER",
        "COMPLETEAGENT",
        "ABANDON",
        "EXITWITHTIMEOUT",
        "EXITWITHKEY",
        "EXITEMPTY",
        "TRANSFER",
        "BLINDTRANSFER",
        "ATTENDEDTRANSFER",
        "RINGNOANSWER",
    }
)
AGENT_EVENTS = frozenset(
    {
        "ADDMEMBER",
        "REMOVEMEMBER",
        "AGENTLOGIN",
        "AGENTLOGOFF",
        "AGENTCALLBACKLOGIN",
        "AGENTCALLBACKLOGOFF",
        "PAUSE",
        "UNPAUSE",
        "PAUSEALL",
        "UNPAUSEALL",
    }
)
KNOWN_EVENTS = CALL_EVENTS | AGENT_EVENTS
_NEEDS_AGENT = AGENT_EVENTS | {"CONNECT", "COMPLETECALLER", "COMPLETEAGENT", "RINGNOANSWER"}


class BadLine(ValueError):
    """A line that cannot be read; the message says why, in words."""


class Event(NamedTuple):
    """One queue_log event, its numbers already checked.

    ``agent`` and ``queue`` are "" where the log says NONE. ``hold`` is the wait
    before an answer, ``talk`` the conversation, ``wait`` the wait before an
    unanswered exit, all in seconds; ``text`` is the caller id (ENTERQUEUE), the
    pause reason, the key pressed or the transfer target.
    """

    at: int
    uniqueid: str
    queue: str
    agent: str
    kind: str
    hold: int | None = None
    talk: int | None = None
    wait: int | None = None
    text: str | None = None


def parse_line(line: str) -> Event:
    """Read one line (without its newline) or raise :class:`BadLine`."""
    if len(line) > MAX_LINE_CHARS:
        raise BadLine(f"line is longer than {MAX_LINE_CHARS} characters")
    if not line.isprintable():
        _check_text(line)
    fields = line.split("|")
    if len(fields) < 5:
        raise BadLine(f"expected at least 5 '|'-separated fields, found {len(fields)}")
    stamp, uniqueid, queue, agent, kind = fields[0], fields[1], fields[2], fields[3], fields[4]
    at = int(stamp) if stamp.isascii() and stamp.isdigit() else _timestamp(stamp)
    if not 0 < at < LATEST:
        raise BadLine(f"timestamp {stamp!r} is out of range")
    if queue in NO_VALUE:
        queue = ""
    if agent in NO_VALUE:
        agent = ""
    rule = _RULES.get(kind)
    if rule is None:
        kind = _event_name(kind)
        rule = _RULES.get(kind)
        if rule is None:  # an event svcdesk does not read: the caller skips it
            return _new(Event, (at, uniqueid, queue, agent, kind, None, None, None, None))
    read_data, of_a_call, needs_agent = rule
    if of_a_call:
        if uniqueid in NO_VALUE:
            raise BadLine(f"{kind} has no call uniqueid (2nd field)")
        if not queue:
            raise BadLine(f"{kind} has no queue name (3rd field)")
    if needs_agent and not agent:
        raise BadLine(f"{kind} has no agent (4th field)")
    return read_data(at, uniqueid, queue, agent, kind, fields[5:])


def _event_name(value: str) -> str:
    """The event name of a field that is not a known name as it stands, or BadLine."""
    kind = value.strip()
    if not kind:
        raise BadLine("the event name (5th field) is empty")
    if not kind.replace("_", "").isalnum():
        raise BadLine(f"{kind!r} is not an event name")
    return kind


def _check_text(line: str) -> None:
    """Reject binary data: bytes that are not UTF-8 (decoded as surrogates), control characters."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        raise BadLine("line is not valid UTF-8 text") from None
    for char in line:
        if char != "\t" and unicodedata.category(char) == "Cc":
            raise BadLine(f"line holds the control character {char!r} (binary data)")


def _timestamp(value: str) -> int:
    """Epoch seconds, also written with decimals or as an ISO time (database exports)."""
    try:
        return int(float(value))
    except (ValueError, OverflowError):
        pass
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadLine(f"timestamp {value!r} is not epoch seconds") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _number(data: list[str], index: int, name: str, *, required: bool = False) -> int | None:
    """A whole, non-negative number from ``data[index]``; None if absent and optional."""
    value = data[index].strip() if index < len(data) else ""
    if not value:
        if required:
            raise BadLine(f"{name} is missing")
        return None
    if value.isdigit() and value.isascii():
        return int(value)
    raise BadLine(f"{name} {value!r} is not a whole number")


def _text(data: list[str], index: int) -> str | None:
    value = data[index].strip() if index < len(data) else ""
    return value or None


_new = tuple.__new__  # builds an Event without NamedTuple's slower keyword constructor


def _seconds(data: list[str], index: int, name: str) -> int | None:
    """Fast path of :func:`_number` for the common, well-formed case."""
    try:
        value = int(data[index])
    except IndexError:
        return None
    except ValueError:
        return _number(data, index, name)
    return value if value >= 0 else _number(data, index, name)


def _enter(at, uid, queue, agent, kind, data):  # type: ignore[no-untyped-def]
    caller = data[1].strip() if len(data) > 1 else None
    return _new(Event, (at, uid, queue, agent, kind, None, None, None, caller or None))


def _connect(at, uid, queue, agent, kind, data):  # type: ignore[no-untyped-def]
    hold = _seconds(data, 0, "holdtime")
    return _new(Event, (at, uid, queue, agent, kind, hold, None, None, None))


def _complete(at, uid, queue, agent, kind, data):  # type: ignore[no-untyped-def]
    hold = _seconds(data, 0, "holdtime")
    talk = _seconds(data, 1, "calltime")
    if hold is None or talk is None:
        _number(data, 0, "holdtime", required=True)
        _number(data, 1, "calltime", required=True)
    return _new(Event, (at, uid, queue, agent, kind, hold, talk, None, None))


def _exit(at, uid, queue, agent, kind, data):  # type: ignore[no-untyped-def]
    _seconds(data, 0, "position")
    wait = _seconds(data, 2, "waittime")
    return _new(Event, (at, uid, queue, agent, kind, None, None, wait, None))


def _exit_key(at, uid, queue, agent, kind, data):  # type: ignore[no-untyped-def]
    key = _text(data, 0)
    return Event(at, uid, queue, agent, kind, wait=_seconds(data, 3, "waittime"), text=key)


def _transfer(at, uid, queue, agent, kind, data):  # type: ignore[no-untyped-def]
    target = "@".join(part for part in (_text(data, 0), _text(data, 1)) if part) or None
    hold = _seconds(data, 2, "holdtime")
    talk = _seconds(data, 3, "calltime")
    return Event(at, uid, queue, agent, kind, hold=hold, talk=talk, text=target)


def _attended(at, uid, queue, agent, kind, data):  # type: ignore[no-untyped-def]
    # method|target…|holdtime|calltime|origposition: the target part varies in
    # length (BRIDGE|id, APP|name, LINK|chan|chan), so the figures are read from
    # the end, after dropping the empty data columns of a database export.
    values = list(data)
    while values and not values[-1].strip():
        values.pop()
    if len(values) < 4:
        return Event(at, uid, queue, agent, kind, text=_text(values, 0))
    tail = values[-3:]
    hold = _number(tail, 0, "holdtime")
    talk = _number(tail, 1, "calltime")
    target = "|".join(v for v in values[:-3] if v.strip()) or None
    return Event(at, uid, queue, agent, kind, hold=hold, talk=talk, text=target)


def _ring(at, uid, queue, agent, kind, data):  # type: ignore[no-untyped-def]
    ring_ms = _number(data, 0, "ringtime")
    return Event(at, uid, queue, agent, kind, text=None if ring_ms is None else str(ring_ms))


def _pause(at, uid, queue, agent, kind, data):  # type: ignore[no-untyped-def]
    return Event(at, uid, queue, agent, kind, text=_text(data, 0))


def _plain(at, uid, queue, agent, kind, data):  # type: ignore[no-untyped-def]
    return Event(at, uid, queue, agent, kind)


_READERS = {
    "ENTERQUEUE": _enter,
    "CONNECT": _connect,
    "COMPLETECALLER": _complete,
    "COMPLETEAGENT": _complete,
    "ABANDON": _exit,
    "EXITWITHTIMEOUT": _exit,
    "EXITEMPTY": _exit,
    "EXITWITHKEY": _exit_key,
    "TRANSFER": _transfer,
    "BLINDTRANSFER": _transfer,
    "ATTENDEDTRANSFER": _attended,
    "RINGNOANSWER": _ring,
    "PAUSE": _pause,
    "PAUSEALL": _pause,
    "UNPAUSE": _plain,
    "UNPAUSEALL": _plain,
    "ADDMEMBER": _plain,
    "REMOVEMEMBER": _plain,
    "AGENTLOGIN": _plain,
    "AGENTLOGOFF": _plain,
    "AGENTCALLBACKLOGIN": _plain,
    "AGENTCALLBACKLOGOFF": _plain,
}
_RULES = {
    kind: (read_data, kind in CALL_EVENTS, kind in _NEEDS_AGENT)
    for kind, read_data in _READERS.items()
}
"""Event name → (data reader, is a call event, needs an agent): one lookup per line."""

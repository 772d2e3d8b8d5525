"""Reading queue_log lines: every event, both data layouts, every way a line can be bad."""

from __future__ import annotations

import pytest

from svcdesk_tui.ingest.queue_log import BadLine, Event, parse_line

T = 1767603700


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            f"{T}|17.1|support|NONE|ENTERQUEUE||+31 20 111|1",
            Event(T, "17.1", "support", "", "ENTERQUEUE", text="+31 20 111"),
        ),
        (  # Asterisk 1.2: url|callerid only
            f"{T}|17.1|support|NONE|ENTERQUEUE||0611",
            Event(T, "17.1", "support", "", "ENTERQUEUE", text="0611"),
        ),
        (
            f"{T}|17.1|support|SIP/1001|CONNECT|12|17.2|3",
            Event(T, "17.1", "support", "SIP/1001", "CONNECT", hold=12),
        ),
        (  # older Asterisk: holdtime only
            f"{T}|17.1|support|SIP/1001|CONNECT|12",
            Event(T, "17.1", "support", "SIP/1001", "CONNECT", hold=12),
        ),
        (
            f"{T}|17.1|support|SIP/1001|COMPLETECALLER|12|120|1",
            Event(T, "17.1", "support", "SIP/1001", "COMPLETECALLER", hold=12, talk=120),
        ),
        (  # data1..data5 export: empty trailing columns
            f"{T}|17.1|support|SIP/1001|COMPLETEAGENT|12|120|1||",
            Event(T, "17.1", "support", "SIP/1001", "COMPLETEAGENT", hold=12, talk=120),
        ),
        (
            f"{T}|17.1|support|NONE|ABANDON|2|3|41",
            Event(T, "17.1", "support", "", "ABANDON", wait=41),
        ),
        (
            f"{T}|17.1|support|NONE|EXITWITHTIMEOUT|1|1|60",
            Event(T, "17.1", "support", "", "EXITWITHTIMEOUT", wait=60),
        ),
        (  # Asterisk 1.2: position only; the wait comes from the entry time
            f"{T}|17.1|support|NONE|EXITWITHTIMEOUT|1",
            Event(T, "17.1", "support", "", "EXITWITHTIMEOUT"),
        ),
        (
            f"{T}|17.1|support|NONE|EXITEMPTY|1|1|30",
            Event(T, "17.1", "support", "", "EXITEMPTY", wait=30),
        ),
        (
            f"{T}|17.1|support|NONE|EXITWITHKEY|5|1|1|2",
            Event(T, "17.1", "support", "", "EXITWITHKEY", wait=2, text="5"),
        ),
        (
            f"{T}|17.1|support|SIP/1001|TRANSFER|2001|from-internal|5|60|1",
            Event(T, "17.1", "support", "SIP/1001", "TRANSFER", 5, 60, text="2001@from-internal"),
        ),
        (  # Asterisk 1.2 TRANSFER: extension|context only
            f"{T}|17.1|support|SIP/1001|TRANSFER|2001|from-internal",
            Event(T, "17.1", "support", "SIP/1001", "TRANSFER", text="2001@from-internal"),
        ),
        (
            f"{T}|17.1|7200|SIP/1001|BLINDTRANSFER|2000|from-internal|4|100|1",
            Event(
                T, "17.1", "7200", "SIP/1001", "BLINDTRANSFER", 4, 100, text="2000@from-internal"
            ),
        ),
        (
            f"{T}|17.1|q|PJSIP/2002|ATTENDEDTRANSFER|BRIDGE|7a1c|18|100|1",
            Event(T, "17.1", "q", "PJSIP/2002", "ATTENDEDTRANSFER", 18, 100, text="BRIDGE|7a1c"),
        ),
        (  # LINK carries two channels: the figures are read from the end
            f"{T}|17.1|q|PJSIP/2002|ATTENDEDTRANSFER|LINK|PJSIP/a-1|PJSIP/b-2|18|100|1",
            Event(
                T,
                "17.1",
                "q",
                "PJSIP/2002",
                "ATTENDEDTRANSFER",
                18,
                100,
                text="LINK|PJSIP/a-1|PJSIP/b-2",
            ),
        ),
        (
            f"{T}|17.1|q|PJSIP/2002|ATTENDEDTRANSFER|APP|Voicemail|18|100|1|||",
            Event(T, "17.1", "q", "PJSIP/2002", "ATTENDEDTRANSFER", 18, 100, text="APP|Voicemail"),
        ),
        (
            f"{T}|17.1|support|PJSIP/2002|RINGNOANSWER|15000",
            Event(T, "17.1", "support", "PJSIP/2002", "RINGNOANSWER", text="15000"),
        ),
        (
            f"{T}|MANAGER|support|SIP/1001|ADDMEMBER|",
            Event(T, "MANAGER", "support", "SIP/1001", "ADDMEMBER"),
        ),
        (
            f"{T}|MANAGER|support|SIP/1001|REMOVEMEMBER|",
            Event(T, "MANAGER", "support", "SIP/1001", "REMOVEMEMBER"),
        ),
        (
            f"{T}|NONE|NONE|Agent/1001|AGENTLOGIN|SIP/1001-0001",
            Event(T, "NONE", "", "Agent/1001", "AGENTLOGIN"),
        ),
        (
            f"{T}|NONE|NONE|Agent/1001|AGENTLOGOFF|SIP/1001-0001|3600",
            Event(T, "NONE", "", "Agent/1001", "AGENTLOGOFF"),
        ),
        (
            f"{T}|NONE|support|SIP/1001|PAUSE|lunch",
            Event(T, "NONE", "support", "SIP/1001", "PAUSE", text="lunch"),
        ),
        (
            f"{T}|NONE|NONE|SIP/1001|PAUSEALL|",
            Event(T, "NONE", "", "SIP/1001", "PAUSEALL"),
        ),
        (
            f"{T}|NONE|support|SIP/1001|UNPAUSE|",
            Event(T, "NONE", "support", "SIP/1001", "UNPAUSE"),
        ),
        (
            f"{T}|NONE|NONE|SIP/1001|UNPAUSEALL|",
            Event(T, "NONE", "", "SIP/1001", "UNPAUSEALL"),
        ),
        (f"{T}|NONE|NONE|NONE|CONFIGRELOAD|", Event(T, "NONE", "", "", "CONFIGRELOAD")),
        (f"{T}|NONE|NONE|NONE|QUEUESTART|", Event(T, "NONE", "", "", "QUEUESTART")),
        (f"{T}|17.1|support|NONE|DID|5551234", Event(T, "17.1", "support", "", "DID")),
    ],
)
def test_every_event_and_layout(line, expected):
    assert parse_line(line) == expected


def test_database_export_timestamps_are_read_as_utc():
    assert parse_line("2026-01-05 09:01:40.896208|17.1|support|NONE|ABANDON|1|1|3").at == T
    assert parse_line(f"{T}.5|17.1|support|NONE|ABANDON|1|1|3").at == T


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("garbage without separators", "expected at least 5 '|'-separated fields, found 1"),
        (f"{T}|b8|support|NONE", "expected at least 5 '|'-separated fields, found 4"),
        ("abc|b2|support|NONE|ENTERQUEUE||x|1", "timestamp 'abc' is not epoch seconds"),
        ("0|b6|support|NONE|ENTERQUEUE||x|1", "timestamp '0' is out of range"),
        ("99999999999|b6|support|NONE|ENTERQUEUE||x|1", "timestamp '99999999999' is out of range"),
        (f"{T}|b2|support|NONE||x", "the event name (5th field) is empty"),
        (f"{T}|b5|support|NONE|ENTER QUEUE||x|1", "'ENTER QUEUE' is not an event name"),
        (f"{T}|NONE|support|NONE|ENTERQUEUE||x|1", "ENTERQUEUE has no call uniqueid (2nd field)"),
        (f"{T}|b3|NONE|NONE|ENTERQUEUE||x|1", "ENTERQUEUE has no queue name (3rd field)"),
        (f"{T}|b1|support|NONE|CONNECT|13", "CONNECT has no agent (4th field)"),
        (f"{T}|b1|support|NONE|PAUSE|break", "PAUSE has no agent (4th field)"),
        (f"{T}|b1|support|SIP/1|COMPLETECALLER|14", "calltime is missing"),
        (f"{T}|b1|support|SIP/1|COMPLETEAGENT||86|1", "holdtime is missing"),
        (f"{T}|b1|support|SIP/1|COMPLETECALLER|x|86|1", "holdtime 'x' is not a whole number"),
        (f"{T}|b4|support|NONE|ABANDON|1|1|-4", "waittime '-4' is not a whole number"),
        (f"{T}|b4|support|SIP/1|CONNECT|1.5", "holdtime '1.5' is not a whole number"),
        (f"{T}|b4|support|SIP/1|RINGNOANSWER|soon", "ringtime 'soon' is not a whole number"),
        (f"{T}|b1|s|NONE|ENTERQUEUE||Ren\udce9|1", "line is not valid UTF-8 text"),
        ("\x7fELF\x02\x01\x00|\x00|\udcff\udcfe|\x00|ENTERQUEUE", "line is not valid UTF-8 text"),
        (f"{T}|b1|sup\x00port|NONE|ENTERQUEUE||x|1", "control character '\\x00' (binary data)"),
        (f"{T}|b1|support|NONE|ENTERQUEUE||06\x1b[2J|1", "control character '\\x1b'"),
        (f"{T}|b5|support|NONE|ENTERQUEUE||{'9' * 5000}|1", "longer than 4096 characters"),
    ],
)
def test_malformed_lines_say_why(line, reason):
    with pytest.raises(BadLine) as caught:
        parse_line(line)
    assert reason in str(caught.value)


def test_non_ascii_text_that_is_valid_utf8_is_fine():
    assert parse_line(f"{T}|b1|support|NONE|ENTERQUEUE||René|1").text == "René"
    assert parse_line(f"{T}|b1|support|NONE|ENTERQUEUE||René\tAmes|1").text == "René\tAmes"

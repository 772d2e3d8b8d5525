"""The Caribbean findings in plain words, from the JSON-friendly structure.

Used by `svcdesk caribbean` and fit for the management report: no colour, every
severity spelled out (BREACH, RISK).
"""

from __future__ import annotations

from datetime import date
from typing import Any


def bus_line(bus: dict[str, Any], most: int = 2) -> str:
    """'Bus factor 1: without Mara Vos, nobody for Outage, approval: x' (weakest first)."""
    if bus["size"] is None:
        return "Bus factor: — (no critical procedure nor approval recorded)"
    if bus["size"] == 0:
        return "Bus factor 0: nobody covers " + ", ".join(bus["functions"])
    groups: dict[tuple[str, ...], list[str]] = {}
    for function, people in zip(bus["functions"], bus["people"], strict=True):
        groups.setdefault(tuple(people), []).append(function)
    parts = [
        f"without {' + '.join(people)}, nobody for {', '.join(functions)}"
        for people, functions in list(groups.items())[:most]
    ]
    more = f" (+{len(groups) - most} more)" if len(groups) > most else ""
    return f"Bus factor {bus['size']}: " + "; ".join(parts) + more


def truck_line(truck: dict[str, Any]) -> str:
    if truck["size"] is None:
        return "Truck factor: — (no critical procedure)"
    who = f" ({', '.join(truck['people'])})" if truck["people"] else ""
    return (
        f"Truck factor {truck['size']}{who}: then {truck['uncovered_after']} of "
        f"{truck['critical_procedures']} critical procedures uncovered"
    )


def _gap_text(gap: dict[str, Any]) -> str:
    label = gap["name"] if gap["kind"] == "procedure" else f"approval {gap['name']}"
    state = "UNCOVERED" if gap["depth"] == 0 else "short"
    crit = "critical, " if gap["critical"] and gap["kind"] == "procedure" else ""
    return f"{label} {gap['depth']}/{gap['required']} ({crit}{state})"


def _day_lines(days: list[dict[str, Any]]) -> list[str]:
    """One line per run of consecutive days with the same gaps."""
    lines: list[str] = []
    run: list[dict[str, Any]] = []

    def flush() -> None:
        if not run:
            return
        first, last = date.fromisoformat(run[0]["day"]), date.fromisoformat(run[-1]["day"])
        span = f"{first:%a %Y-%m-%d}" + (f" – {last:%a %Y-%m-%d}" if last != first else "")
        gaps = "; ".join(_gap_text(g) for g in run[0]["gaps"]) or "no gaps"
        lines.append(f"  {span}: {gaps}")

    for day in days:
        key = [(g["kind"], g["name"], g["depth"]) for g in day["gaps"]]
        if run and key != [(g["kind"], g["name"], g["depth"]) for g in run[0]["gaps"]]:
            flush()
            run = []
        run.append(day)
    flush()
    return lines


def render_text(data: dict[str, Any]) -> str:
    """The whole Caribbean test as text lines."""
    lines = [f"Caribbean test on {data['on']}", bus_line(data["bus_factor"])]
    lines.append(truck_line(data["truck_factor"]))
    findings = [c for c in data["coverage"] if c["severity"] != "ok"]
    lines.append("")
    lines.append(f"Procedures with findings: {len(findings)} of {len(data['coverage'])}")
    order = {"breach": 0, "risk": 1}
    for row in sorted(findings, key=lambda c: (order[c["severity"]], c["procedure"]["name"])):
        proc = row["procedure"]
        lines.append(
            f"  {row['severity'].upper():6} {proc['name']} ({proc['criticality']}, depth "
            f"{row['depth']}/{row['required']}, {row['trainers']} O): "
            + "; ".join(f["reason"] for f in row["findings"])
        )
        if row["suggestions"]:
            lines.append("         → " + "; ".join(row["suggestions"]))
    lines.append("")
    lines.append(f"Approvals: {len(data['approvals'])}")
    for row in data["approvals"]:
        holders = ", ".join(row["holders"]) or "nobody"
        status = row["severity"].upper() if row["severity"] != "ok" else "OK"
        reason = "; ".join(f["reason"] for f in row["findings"])
        lines.append(
            f"  {status:6} {row['kind']} ({row['depth']}/{row['required']}: {holders})"
            + (f": {reason}" if reason else "")
        )
        if row["suggestions"]:
            lines.append("         → " + "; ".join(row["suggestions"]))
    what = data["what_if"]
    lines.append("")
    lines.append(what["summary"])
    lines.extend(_day_lines(what["days"]))
    return "\n".join(lines)

"""The Caribbean screen's rows and words: the matrix, approvals, gaps and one procedure's detail."""

from __future__ import annotations

from rich.text import Text

from svcdesk_tui.caribbean import analysis as service
from svcdesk_tui.caribbean.analysis import ApprovalCoverage, CaribbeanReport, Coverage, GapDay
from svcdesk_tui.widgets.live_table import Row

STYLE = {service.BREACH: "bold red", service.RISK: "yellow", service.FINE: "green"}
WORD = {service.BREACH: "BREACH", service.RISK: "RISK", service.FINE: "OK"}
RANK = {service.BREACH: 0, service.RISK: 1, service.FINE: 2}


def risk_key(c: Coverage) -> tuple[int, int, int, str]:
    return (RANK[c.severity], not c.procedure.critical, c.depth, c.procedure.name)


def name_key(c: Coverage) -> tuple[str]:
    return (c.procedure.name,)


def person_column(person: service.PersonColumn) -> str:
    return f"{person.login} (away)" if person.absent else person.login


def status_text(severity: str, reasons: list[str]) -> Text:
    words = WORD[severity] + (": " + "; ".join(reasons) if reasons else "")
    return Text(words, style=STYLE[severity])


def matrix_row(c: Coverage, report: CaribbeanReport) -> Row:
    name = Text(c.procedure.name, style="bold" if c.procedure.critical else "")
    if c.procedure.critical:
        name.append(" !", style="bold")
    depth = Text(f"{c.depth}/{c.required} O:{c.trainers}", style=STYLE[c.severity])
    why = status_text(c.severity, [f.reason for f in c.findings])
    levels = [c.levels.get(p.login, "·") for p in report.people]
    return str(c.procedure.id), (name, depth, why, *levels)


def approval_row(a: ApprovalCoverage) -> Row:
    status = status_text(a.severity, [f.reason for f in a.findings])
    holders = f"{a.depth}/{a.required}: " + (", ".join(a.holders) or "nobody")
    return a.kind, (a.kind, status, holders, "; ".join(a.suggestions))


def gap_row(day: GapDay) -> Row:
    critical = day.uncovered("procedure") or day.uncovered("approval")
    parts = []
    for gap in day.gaps:
        label = gap.name if gap.kind == "procedure" else f"approval {gap.name}"
        parts.append(
            f"{label} {gap.depth}/{gap.required}" + (" UNCOVERED" if gap.uncovered else "")
        )
    style = "bold red" if critical else "yellow" if day.gaps else "green"
    gaps = Text("; ".join(parts) or "no gaps", style=style)
    return day.day.isoformat(), (f"{day.day:%a %m-%d}", gaps, ", ".join(day.absent) or "—")


def describe(c: Coverage) -> Text:
    """The detail of one procedure, for the dialog opened with enter."""
    p = c.procedure
    text = Text()
    text.append(f"{p.criticality.capitalize()} procedure")
    for label, value in (("area", p.area), ("queue", p.queue), ("needed", p.frequency)):
        if value:
            text.append(f" · {label}: {value}")
    if p.description:
        text.append(f"\n{p.description}")
    text.append("\nDocumented: ")
    text.append(
        f"yes, {p.doc_location or 'location not given'}" if p.documented else "NO",
        style="" if p.documented else STYLE[service.BREACH if p.critical else service.RISK],
    )
    text.append(
        f"\nCan do it alone today: {c.depth} (needs {c.required}), trainers (O): {c.trainers}"
    )
    text.append(f"\n  {', '.join(c.doers) or 'nobody'}")
    levels = ", ".join(f"{login} {level}" for login, level in sorted(c.levels.items()))
    text.append(f"\nLevels: {levels or 'nobody has this skill'}\n")
    text.append_text(status_text(c.severity, [f.reason for f in c.findings]))
    for tip in c.suggestions:
        text.append(f"\n→ {tip}")
    return text

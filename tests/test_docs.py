"""docs/measures.md defines every measure, and the code cites only headings it has.

A citation in src/ reads ``docs/measures.md, <Heading>``: what follows the comma
starts with a whole heading (not followed by more of a word); it may wrap across
lines of a docstring or a comment.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MEASURES = ROOT / "docs" / "measures.md"
SOURCE = ROOT / "src" / "svcdesk_tui"

REQUIRED = (
    "Offered",
    "Short abandon",
    "Service level",
    "ASA",
    "AHT",
    "Abandon rate",
    "Occupancy",
    "FCR",
    "Close-the-loop rate",
    "Repeat-complaint rate",
    "CSAT",
    "NPS",
    "Hardest-call index",
    "Tenure and attrition",
    "Coverage depth",
    "First-time fix",
    "Erlang C",
)
PARTS = ("**Definition.**", "**Formula.**", "**Counted / excluded.**", "**Threshold.**")

CITATION = re.compile(r"docs/measures\.md,\s*")
END = re.compile(r"$|[^\w-]")  # after the heading: no more of the same word
WRAP = re.compile(r"\s*\n\s*(?:#+\s*)?")  # a line break, and a comment's '#' on the next line


def headings(markdown: str) -> list[str]:
    return [line[3:].strip() for line in markdown.splitlines() if line.startswith("## ")]


def sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", markdown, flags=re.MULTILINE)
    return {name.strip(): body for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def bad_citations(text: str, known: list[str]) -> list[str]:
    """What follows each citation in ``text`` that does not start with a known heading."""
    flat = WRAP.sub(" ", text)
    bad = []
    for match in CITATION.finditer(flat):
        rest = flat[match.end() :]
        cited = any(
            rest.startswith(name) and END.match(rest, len(name)) is not None
            for name in sorted(known, key=len, reverse=True)
        )
        if not cited:
            bad.append(rest[:40].splitlines()[0] if rest else "(nothing)")
    return bad


def test_every_measure_has_its_section_with_each_part() -> None:
    found = sections(MEASURES.read_text(encoding="utf-8"))
    assert [name for name in REQUIRED if name not in found] == []
    for name in REQUIRED:
        missing = [part for part in PARTS if part not in found[name]]
        assert missing == [], f"{name}: no {', '.join(missing)}"
        assert "**Computed in.**" in found[name] and "svcdesk_tui." in found[name], name


def resolves(dotted: str) -> bool:
    """True when ``dotted`` is a module of the package, or a name inside one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


def test_every_module_and_function_a_section_names_exists() -> None:
    named = set(re.findall(r"`(svcdesk_tui(?:\.\w+)+)", MEASURES.read_text(encoding="utf-8")))
    assert len(named) > 20
    assert sorted(name for name in named if not resolves(name)) == []


def test_a_wrong_name_does_not_resolve() -> None:
    assert resolves("svcdesk_tui.queue.measures.QueueKpi.service_level")
    assert not resolves("svcdesk_tui.queue.measures.QueueKpi.service_levels")
    assert not resolves("svcdesk_tui.queue.nowhere")


def test_every_citation_in_src_names_a_heading() -> None:
    known = headings(MEASURES.read_text(encoding="utf-8"))
    bad = {
        str(path.relative_to(ROOT)): found
        for path in sorted(SOURCE.rglob("*.py"))
        if (found := bad_citations(path.read_text(encoding="utf-8"), known))
    }
    assert bad == {}, f"citations of docs/measures.md without such a heading: {bad}"


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("# as docs/measures.md, Service level defines it", []),
        ("see docs/measures.md, Service level.", []),
        ('"""Counted as in docs/measures.md, Close-the-loop\n    rate."""', []),
        ("(docs/measures.md, Short abandon)", []),
        ("docs/measures.md, Service level", []),
        ("docs/measures.md, Service levels.", ["Service levels."]),
        ("docs/measures.md, Wait time.", ["Wait time."]),
        ("docs/measures.md, Tenure.", ["Tenure."]),
        ("docs/measures.md, First-time fixes", ["First-time fixes"]),
        ("docs/measures.md,", ["(nothing)"]),
    ],
)
def test_a_citation_must_match_a_whole_heading(text: str, bad: list[str]) -> None:
    assert bad_citations(text, list(REQUIRED)) == bad

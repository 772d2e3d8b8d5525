"""``--fail-on`` thresholds: ``name<value`` or ``name>value`` (also ``<=`` and ``>=``),
tested against the report's headline measures so cron can alert (exit 3).

Values are in the units of the JSON report: rates as fractions (``0.8``, or
``80%``), durations in seconds. A measure with no value (no calls) is not breached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.report.model import ThresholdResult

_EXPRESSION = re.compile(r"^\s*([a-z_]+)\s*(<=|>=|<|>)\s*(-?[0-9]*\.?[0-9]+)\s*(%?)\s*$")


@dataclass(frozen=True)
class Threshold:
    expression: str
    name: str
    op: str
    limit: float

    def breached_by(self, value: float | None) -> bool:
        if value is None:
            return False
        return {
            "<": value < self.limit,
            "<=": value <= self.limit,
            ">": value > self.limit,
            ">=": value >= self.limit,
        }[self.op]


def parse_threshold(expression: str, known: dict[str, str]) -> Threshold:
    """Parse one expression; ``known`` maps each measure name to its section."""
    match = _EXPRESSION.match(expression)
    names = ", ".join(sorted(known))
    if not match:
        raise InvalidInput(
            f"cannot read --fail-on {expression!r}: write NAME<VALUE or NAME>VALUE, "
            f"e.g. service_level<0.8; names: {names}"
        )
    name, op, number, percent = match.groups()
    if name not in known:
        raise InvalidInput(f"--fail-on {expression!r}: unknown measure {name!r}; names: {names}")
    limit = float(number) / (100 if percent else 1)
    return Threshold(expression.strip(), name, op, limit)


def parse_thresholds(
    expressions: list[str], known: dict[str, str], sections: list[str]
) -> list[Threshold]:
    """Parse all expressions and check each measure's section is in the report."""
    parsed = [parse_threshold(e, known) for e in expressions]
    for threshold in parsed:
        section = known[threshold.name]
        if section not in sections:
            raise InvalidInput(
                f"--fail-on {threshold.expression!r} needs the {section} section; "
                f"add --section {section}"
            )
    return parsed


def evaluate(thresholds: list[Threshold], measures: dict[str, Any]) -> list[ThresholdResult]:
    """Each threshold with the measured value (None when there was nothing to measure)."""
    results = []
    for t in thresholds:
        value = measures.get(t.name)
        results.append(
            ThresholdResult(t.expression, t.name, t.op, t.limit, value, t.breached_by(value))
        )
    return results

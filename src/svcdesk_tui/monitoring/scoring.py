"""How an item's answer is read and what it earns; how a call's score is made.

An answer earns a share of its item's weight: yes 1, partly ½, no 0, a point
on a scale of 0..max its share of max; "n/a" earns nothing and leaves the item
out of the base. The call's score is the weighted share earned (0–1). A
critical item not fully met fails the whole call: its score is then 0 (the
score before the critical items is kept as the raw score). docs/measures.md,
Quality score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from svcdesk_tui.core import rates
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.models import ItemKind

NOT_APPLICABLE = "n/a"
_WORDS = {"y": "yes", "yes": "yes", "n": "no", "no": "no", "p": "partly", "partly": "partly"}
_EARNED = {"yes": 1.0, "partly": 0.5, "no": 0.0}


@dataclass(frozen=True)
class ItemSpec:
    """What scoring needs to know of a form's item."""

    code: str
    kind: str
    weight: int
    critical: bool
    scale_max: int | None = None

    def allowed(self) -> str:
        if self.kind == ItemKind.SCALE:
            words = f"0 to {self.scale_max}"
        elif self.kind == ItemKind.YES_NO_PARTLY:
            words = "yes, partly or no"
        else:
            words = "yes or no"
        return words if self.critical else f"{words}, or n/a"


def read_answer(item: ItemSpec, text: str) -> tuple[str, float | None]:
    """The answer as stored and the share it earns (None for n/a); refused in words."""
    word = text.strip().lower()
    if word in (NOT_APPLICABLE, "na", "-") and not item.critical:
        return NOT_APPLICABLE, None
    if item.kind == ItemKind.SCALE:
        assert item.scale_max is not None
        if word.isdigit() and 0 <= int(word) <= item.scale_max:
            return str(int(word)), int(word) / item.scale_max
    else:
        answer = _WORDS.get(word)
        if answer is not None and (answer != "partly" or item.kind == ItemKind.YES_NO_PARTLY):
            return answer, _EARNED[answer]
    given = text.strip() or "nothing"
    raise InvalidInput(f"{item.code}: {given} is no answer; say {item.allowed()}")


@dataclass(frozen=True)
class Score:
    score: float
    raw_score: float
    critical_failed: bool


def score(answers: Iterable[tuple[ItemSpec, float | None]]) -> Score:
    """The call's score from each item's earned share (None: not applicable)."""
    earned = base = 0.0
    failed = False
    for item, share in answers:
        if share is None:
            continue
        earned += item.weight * share
        base += item.weight
        failed = failed or (item.critical and share < 1)
    raw = rates.quality_score(earned, base)
    raw = 1.0 if raw is None else raw  # every weighted item n/a: nothing was missed
    return Score(0.0 if failed else raw, raw, failed)

"""What one queue_log import did: counts, rejected lines, new names."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str
    text: str


@dataclass
class IngestSummary:
    """What an import did, for the command's report and the audit trail."""

    lines: int = 0
    events: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    orphans: int = 0
    ring_no_answer: int = 0
    unended: int = 0
    calls_written: int = 0
    calls_added: int = 0
    new_queues: list[str] = field(default_factory=list)
    new_staff: list[tuple[str, str]] = field(default_factory=list)

    def as_audit(self) -> dict[str, object]:
        return {
            "lines": self.lines,
            "events": self.events,
            "rejected": self.rejected,
            "calls_added": self.calls_added,
            "calls_written": self.calls_written,
            "new_queues": self.new_queues,
            "new_staff": [login for login, _ in self.new_staff],
        }

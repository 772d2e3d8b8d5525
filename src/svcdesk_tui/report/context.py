"""What every section of the management report reads: one session (one snapshot),
the settings, the period, "now", and the measures several sections share (computed once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlmodel import Session

from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.queue.interval_stats import HandledCuts, handled_cuts, period_queue_kpis
from svcdesk_tui.queue.measures import QueueKpi
from svcdesk_tui.report.model import ReportPeriod


@dataclass
class ReportContext:
    session: Session
    settings: CenterSettings
    period: ReportPeriod
    now: datetime

    @cached_property
    def queues(self) -> list[QueueKpi]:
        return period_queue_kpis(self.session, self.period.period)

    @cached_property
    def handled(self) -> HandledCuts:
        """Handled calls per agent and per reason (FCR, repeat calls, handle time)."""
        return handled_cuts(self.session, self.period.period, self.settings.fcr_window_days)

"""A deterministic generator of a realistic demo center (``svcdesk demo-data``).

The package is split by what it makes: ``reference`` (queues, agreements,
customers), ``people`` (staff and absences), ``skills`` (procedures and the
Caribbean test), ``roster`` (shifts), ``calls`` and ``presence`` (the simulated
history and the live queue at ``end``), ``complaints`` and ``cases``.
"""

from svcdesk_tui.demo.generate import DemoSummary, generate_demo

__all__ = ["DemoSummary", "generate_demo"]

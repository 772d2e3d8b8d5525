"""A deterministic generator of a realistic demo center (``svcdesk demo-data``), and its life.

The generator is split by what it makes: ``reference`` (queues, agreements,
customers), ``people`` (staff and absences), ``skills`` (procedures and the
Caribbean test), ``roster`` (shifts), ``calls`` with ``call_rows`` and
``case_seeding`` (the simulated history), ``presence`` (sessions and the board
at ``end``), ``complaints``, ``cases``, ``field_service`` and ``service_tickets``.

The live part: ``simulation`` ticks ``sim_callers`` and ``sim_agents`` over what
``sim_center`` knows of the store; ``leftovers`` closes what was left long ago,
and ``wake`` brings a demo opened at any hour to life around "now".

``generate_demo`` is imported on first use, so the desk opening a demo does not
load the whole generator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from svcdesk_tui.demo.generate import DemoSummary, generate_demo

__all__ = ["DemoSummary", "generate_demo"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from svcdesk_tui.demo import generate

        return getattr(generate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

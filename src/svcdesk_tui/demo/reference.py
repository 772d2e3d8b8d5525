"""Reference data of the demo center: queues, agreements, products and customers."""

from __future__ import annotations

import math
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import accumulate

from svcdesk_tui.demo import names
from svcdesk_tui.demo.store import BulkWriter
from svcdesk_tui.demo.traffic import QUEUES
from svcdesk_tui.demo.world import World
from svcdesk_tui.models import Agreement, Customer, Product, Queue


@dataclass(frozen=True)
class Tier:
    name: str
    rank: int
    answer_seconds: int | None
    response_hours: float | None
    fix_hours: float | None
    queue_priority: int
    share: float
    description: str


TIERS: tuple[Tier, ...] = (
    Tier("Platinum", 3, 15, 1, 4, 2, 0.03, "Business critical: answer ≤15 s, on site ≤4 h"),
    Tier("Gold", 2, 30, 4, 8, 1, 0.12, "Answer ≤30 s, response ≤4 h, fix ≤8 h"),
    Tier("Silver", 1, 60, 8, 24, 0, 0.30, "Answer ≤60 s, fix next working day"),
)
MAX_ACTIVITY = 8.0
"""The most frequent callers call about eight times as often as a typical customer."""
NO_AGREEMENT_FIX_HOURS = 120.0
"""What the center promises customers without an agreement: a fix within 5 days."""


@dataclass
class CustomerBook:
    """The customers, as columns in memory, with a skewed choice of who calls."""

    ids: list[int] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    priorities: list[int] = field(default_factory=list)
    products: list[int] = field(default_factory=list)
    fix_hours: list[float] = field(default_factory=list)
    special: list[int] = field(default_factory=list)
    nuisance: list[int] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def pick(self, rng: random.Random) -> int:
        """An index into the book; a few customers call far more often than most."""
        return bisect(self.cumulative, rng.random() * self.cumulative[-1])


def write_queues(writer: BulkWriter, world: World) -> None:
    rows = [
        {
            "id": i,
            "name": q.name,
            "sl_threshold_seconds": q.sl_threshold_seconds,
            "sl_target": q.sl_target,
            "short_abandon_seconds": q.short_abandon_seconds,
            "description": q.description,
        }
        for i, q in enumerate(QUEUES, start=1)
    ]
    writer.rows(Queue, rows)
    world.queue_ids = {q.name: i for i, q in enumerate(QUEUES, start=1)}


def write_products(writer: BulkWriter, world: World) -> None:
    rows = [{"id": i, "name": name} for i, name in enumerate(names.PRODUCTS, start=1)]
    writer.rows(Product, rows)
    world.product_ids = list(range(1, len(names.PRODUCTS) + 1))


def write_agreements(writer: BulkWriter) -> None:
    writer.rows(
        Agreement,
        [
            {
                "id": i,
                "name": t.name,
                "rank": t.rank,
                "answer_seconds": t.answer_seconds,
                "response_hours": t.response_hours,
                "fix_hours": t.fix_hours,
                "queue_priority": t.queue_priority,
                "description": t.description,
            }
            for i, t in enumerate(TIERS, start=1)
        ],
    )


def _tier_index(rng: random.Random) -> int | None:
    """Index into TIERS, or None for a customer without an agreement."""
    roll = rng.random()
    for i, tier in enumerate(TIERS):
        if roll < tier.share:
            return i
        roll -= tier.share
    return None


def write_customers(writer: BulkWriter, world: World) -> CustomerBook:
    """About 100 customers per agent; ~10 % with special requests, ~1 % nuisance."""
    rng = world.rng("customers")
    count = world.agents * 100
    book = CustomerBook()
    rows = []
    used_phones: set[str] = set()
    activity = []
    for cid in range(1, count + 1):
        name = names.customer_name(rng)
        phone = names.phone_number(rng, mobile=rng.random() < 0.7)
        while phone in used_phones:
            phone = names.phone_number(rng, mobile=True)
        used_phones.add(phone)
        tier = _tier_index(rng)
        special = rng.choice(names.SPECIAL_REQUESTS) if rng.random() < 0.10 else None
        nuisance = rng.random() < 0.01
        email = None
        if rng.random() < 0.6:
            local = names.ascii_letters(name.split(" (")[0].replace(" ", "."))[:30] or "info"
            email = f"{local}{rng.randint(1, 99)}@mail.example"
        rows.append(
            {
                "id": cid,
                "name": name,
                "phone": phone,
                "email": email,
                "agreement_id": None if tier is None else tier + 1,
                "special_requests": special,
                "nuisance": nuisance,
                "nuisance_note": rng.choice(names.NUISANCE_NOTES) if nuisance else None,
                "customer_since": world.today - timedelta(days=rng.randint(20, 3650)),
            }
        )
        book.ids.append(cid)
        book.phones.append(phone)
        book.priorities.append(0 if tier is None else TIERS[tier].queue_priority)
        book.products.append(rng.randrange(len(names.PRODUCTS)))
        book.fix_hours.append(
            NO_AGREEMENT_FIX_HOURS if tier is None else float(TIERS[tier].fix_hours or 120)
        )
        book.special.append(int(special is not None))
        book.nuisance.append(int(nuisance))
        weight = math.exp(rng.gauss(0.0, 0.8)) * (2.5 if nuisance else 1.0)
        activity.append(min(MAX_ACTIVITY, weight * (1.5 if tier == 0 else 1.0)))
    book.cumulative = list(accumulate(activity))
    writer.rows(Customer, rows)
    return book

"""Word lists for the demo center: names, notes and the things customers say."""

from __future__ import annotations

import random
import unicodedata

CENTER_NAME = "Deltanet Service Center"
MAIL_DOMAIN = "deltanet.example"

FIRST_NAMES = (
    "Anna", "Bram", "Charlotte", "Daan", "Emma", "Fleur", "Gijs", "Hanna", "Iris", "Jesse",
    "Julia", "Kevin", "Lotte", "Lucas", "Maud", "Milan", "Noor", "Olivier", "Priya", "Quinten",
    "Roos", "Sander", "Sanne", "Thijs", "Tess", "Umar", "Vera", "Wouter", "Yara", "Zoë",
    "Ahmed", "Bas", "Chloé", "Dirk", "Esra", "Femke", "Hugo", "Inge", "Joost", "Karin",
    "Lars", "Mila", "Niels", "Ouassima", "Pieter", "Rik", "Sophie", "Tom", "Ilse", "Jan",
    "Mohammed", "Fatima", "Luuk", "Eva", "Ruben", "Lieke", "Stijn", "Merel", "Koen", "Anouk",
    "Mehmet", "Ayşe", "Diego", "Aisha", "Wei", "Mei", "Oleksandr", "Kasia", "João", "Elif",
)  # fmt: skip

SURNAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
    "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
    "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
    "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen",
    "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Bruin",
    "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven",
    "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom",
    "Huisman", "Peeters", "El Amrani", "Yilmaz", "Kaya", "Nowak", "Kowalski", "Santos",
    "Chen", "Wang", "Öztürk", "Bouzid", "Haddou", "Pérez", "Müller", "O'Brien", "Novak",
)  # fmt: skip

COMPANY_WORDS = (
    "Bakkerij", "Tandartspraktijk", "Garage", "Kapsalon", "Installatiebedrijf",
    "Fysiotherapie", "Boekhandel", "Bloemenhuis", "Administratiekantoor", "Café",
    "Advocatenkantoor", "Dierenkliniek", "Schildersbedrijf", "Fietsenmaker",
)  # fmt: skip

STREET_TOWNS = (
    "Amsterdam", "Rotterdam", "Utrecht", "Haarlem", "Leiden", "Delft", "Zaandam",
    "Amersfoort", "Almere", "Hilversum", "Gouda", "Alkmaar",
)  # fmt: skip

SPECIAL_REQUESTS = (
    "Hard of hearing: speak slowly and clearly, confirm by e-mail",
    "Prefers English",
    "Call back only after 18:00 (works nights)",
    "Visually impaired: no links, read options aloud",
    "Wheelchair user: technician must use the side entrance",
    "Prefers contact by e-mail, not by phone",
    "Business line: always ask for the office manager",
    "Elderly customer: daughter (same surname) may act on her behalf",
    "Dog on premises: technician to ring first",
    "Speaks Turkish; colleague Mehmet helps if needed",
    "Has a pacemaker: no on-site radio tests",
    "Night-shift worker: never call before 13:00",
)

NUISANCE_NOTES = (
    "Threatens to go to the press on every call; stay calm, do not promise anything "
    "outside the agreement, hand over to the shift lead if he raises his voice",
    "Records every call and quotes earlier agents; summarise in writing afterwards",
    "Demands compensation on every contact; check the history before offering anything",
    "Becomes abusive when put on hold; do not hold, offer a call-back instead",
    "Calls several times a day about the same question; refer to the open case number",
)

PRODUCTS = (
    "FiberBox 1000",
    "HomeConnect Router X2",
    "Mesh Wi-Fi Kit",
    "TV Stick 4K",
    "SmartMeter S3",
    "CloudBackup",
)

COMPLAINT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "how_to_use": ("Unclear manual", "Wrong advice"),
    "fault": ("Recurring fault", "Technician no-show", "Outage"),
    "billing": ("Billing error", "Unexpected charge"),
    "delivery": ("Late delivery", "Damaged on arrival"),
    "contract": ("Contract not as agreed",),
    "cancel": ("Cancellation not processed",),
    "complaint": ("Staff attitude", "Waiting time", "Billing error", "Recurring fault"),
    "other": ("Waiting time", "Wrong advice"),
}

COMPLAINT_TEXTS: dict[str, str] = {
    "Unclear manual": "Could not set up the device with the manual; steps do not match the screen",
    "Wrong advice": "Followed the advice of an earlier call and lost the settings",
    "Recurring fault": "Connection drops every evening, third time this month",
    "Technician no-show": "Took the day off for the technician, nobody came",
    "Outage": "No service for two days, no message from us",
    "Billing error": "Charged twice for the same month",
    "Unexpected charge": "Invoice shows a fee nobody mentioned when ordering",
    "Late delivery": "Order promised within 2 days, still not delivered after a week",
    "Damaged on arrival": "Box was damaged and the device does not power on",
    "Contract not as agreed": "Price in the contract differs from what sales promised",
    "Cancellation not processed": "Cancelled last month, still being billed",
    "Staff attitude": "Felt rushed and not listened to by the agent",
    "Waiting time": "Waited more than 15 minutes, was disconnected twice",
}

ESCALATION_REASONS = (
    "Customer very angry, asked for a supervisor",
    "Third contact about the same fault, threatens to cancel",
    "Demands compensation above the agent's limit",
    "Business customer losing revenue due to the outage",
    "Customer threatens to go to the press",
    "Promised call-back never happened",
)

ESCALATION_JUSTIFICATIONS = (
    "Customer demands someone with more authority",
    "Compensation asked is above my limit",
    "Needs a decision on the contract that I cannot take",
    "Third escalation this month for this customer",
)

RESOLUTION_NOTES = (
    "Listened to the full story, apologised, arranged a priority technician visit",
    "Credit applied and written confirmation sent; customer calmer",
    "Explained what went wrong and what we changed; customer accepted",
    "Replaced the device on the spot via express delivery",
    "Cancelled the disputed fee and set a follow-up call in two days",
)

PROMISES = (
    "Technician visit Thursday 08:00–12:00",
    "Written confirmation by e-mail today",
    "Call-back by the shift lead tomorrow before noon",
    "Credit on the next invoice",
    "Replacement device shipped today",
)

FOLLOWUP_OUTCOMES = (
    "Called back, apologised, problem now solved; customer will stay",
    "Called back, explained the waiting time; offered a call-back slot next time",
    "Called back, arranged a technician; customer appreciated the call",
    "Called back, customer still unhappy about the price; noted for sales",
    "Called back, customer was surprised and pleased the manager called",
)

DECISION_NOTES: dict[bool, tuple[str, ...]] = {
    True: (
        "Fair given the outage; customer has been loyal for years",
        "Second failed visit: the credit is deserved",
        "Within policy for a repeat fault",
    ),
    False: (
        "Already compensated for the same fault last month",
        "Damage not caused by our product; offered a repair instead",
        "Amount out of proportion; offered free delivery instead",
    ),
}

FEEDBACK_GOOD = (
    "Friendly and quick, problem solved",
    "Agent really listened",
    "Clear explanation, thank you",
    "Fixed in one call",
)
FEEDBACK_BAD = (
    "Waited far too long",
    "Had to explain everything again",
    "Problem still not solved",
    "The manual is useless",
    "Promised call-back never came",
    "Transferred three times",
)

CALL_NOTES_UNRESOLVED = (
    "Customer will try again after a restart; call back if not fixed",
    "Needs technician; ticket created",
    "Waiting for billing department to check",
    "Sent the setup guide by e-mail; customer to call back",
    "Could not verify identity; asked to call back",
)


def ascii_letters(text: str) -> str:
    """Lowercase letters only, accents stripped: "Öztürk" → "ozturk"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.lower() if "a" <= ch <= "z")


def login_for(name: str, taken: set[str]) -> str:
    """First letter plus surname, lowercase ascii; a digit is added when taken."""
    first, _, surname = name.partition(" ")
    base = ascii_letters(first)[:1] + ascii_letters(surname)
    login, n = base, 2
    while login in taken:
        login, n = f"{base}{n}", n + 1
    taken.add(login)
    return login


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def customer_name(rng: random.Random) -> str:
    """A person, or now and then a small business."""
    if rng.random() < 0.22:
        surname = rng.choice(SURNAMES).split()[-1]
        return f"{rng.choice(COMPANY_WORDS)} {surname} ({rng.choice(STREET_TOWNS)})"
    return person_name(rng)


def phone_number(rng: random.Random, mobile: bool) -> str:
    """A Dutch-looking number in international format."""
    if mobile:
        return f"+31 6 {rng.randint(10000000, 99999999)}"
    area = rng.choice(("20", "10", "30", "23", "71", "15", "75", "33", "36", "35", "182", "72"))
    return f"+31 {area} {rng.randint(1000000, 9999999)}"

"""Seeded personas, consistent by construction: totals from parts, prices from the price list."""

from __future__ import annotations

import random
import threading
from datetime import date, timedelta
from typing import Any, Protocol, cast

from presto_desktop.core.persona import (
    Appointment,
    BankingPersona,
    Claim,
    Field_,
    GenericPersona,
    HealthcarePersona,
    InsurancePersona,
    Item,
    Policy,
    Prescription,
    Transaction,
)
from presto_desktop.core.persona_generic import make_generic


class Fake(Protocol):
    """The part of Faker a persona uses."""

    def seed_instance(self, seed: int) -> None: ...  # noqa: D102
    def name(self) -> str: ...  # noqa: D102
    def free_email(self) -> str: ...  # noqa: D102
    def numerify(self, text: str) -> str: ...  # noqa: D102
    def city(self) -> str: ...  # noqa: D102


# One Faker per thread, reseeded for each persona: personas may be made on worker threads at
# once, and a Faker's random state is its own.
_FAKERS = threading.local()
# The providers a persona uses (name, free_email, city), in Faker's own order. Faker("en_US")
# set up all 25 and listed every locale of each on disk: ~75 ms of CPU, for the same output.
_PROVIDERS = ("address", "internet", "person")
_IMPORTING = threading.Lock()


def _faker(seed: int) -> Fake:
    fake: Fake | None = getattr(_FAKERS, "fake", None)
    if fake is None:
        fake = _FAKERS.fake = _en_us_faker()
    fake.seed_instance(seed)
    return fake


def _en_us_faker() -> Fake:
    """Faker("en_US")'s generator with only the providers a persona uses (same output)."""
    make, providers = _faker_classes()
    fake = make(locale="en_US", use_weighting=True)
    for package, provider_class in providers:
        provider = provider_class(fake)
        # As Faker's factory sets them up (its weighting and locale decide the output).
        provider.__use_weighting__ = True
        provider.__provider__ = package
        provider.__lang__ = "en_US"
        fake.add_provider(provider)
    return cast(Fake, fake)


def _faker_classes() -> tuple[Any, list[tuple[str, Any]]]:
    """Faker's generator class and the providers' en_US classes, one thread at a time.

    Two threads making their first persona at once imported the providers at the same time,
    and Python's import locks reported a deadlock between them (seen in a self-test).
    """
    with _IMPORTING:
        from importlib import import_module

        from faker.generator import Generator  # ~0.12 s: only when the first persona is made

        packages = [f"faker.providers.{name}" for name in _PROVIDERS]
        return Generator, [(package, import_module(f"{package}.en_US").Provider)
                           for package in packages]


def _money(rng: random.Random, low: float, high: float) -> float:
    return round(rng.uniform(low, high), 2)


def _day(rng: random.Random, today: date, within_days: int, future: bool = False) -> str:
    delta = timedelta(days=rng.randint(1, within_days))
    return (today + delta if future else today - delta).isoformat()


def make_persona(
    kind: str,
    seed: int,
    details: list[tuple[str, list[str]]] | None = None,
    items: list[Item] | None = None,
    *,
    relationship: str = "purchase",
    today: date | None = None,
    noun: str = "",
    rewards: bool | None = None,
    priced: bool = True,
) -> BankingPersona | InsurancePersona | HealthcarePersona | GenericPersona:
    """Make a deterministic persona of `kind`; same seed and day, same person.

    `details` are (label, choices) pairs; `items` the mode's products, with prices when
    known (orders, premiums and visits are then priced from them). `relationship` shapes a
    generic persona (orders, bookings, memberships ...); dates count back from `today`.
    """
    return make_any(kind, seed, details or [], items or [], relationship=relationship,
                    today=today or date.today(), noun=noun, rewards=rewards, priced=priced)


def make_any(kind: str, seed: int, details: list[tuple[str, list[str]]], items: list[Item], *,
             relationship: str, today: date, noun: str, rewards: bool | None,
             priced: bool) -> BankingPersona | InsurancePersona | HealthcarePersona | GenericPersona:
    """The persona of `kind` (see make_persona)."""
    fake = _faker(seed)
    rng = random.Random(seed)
    base = {
        "seed": seed,
        "name": fake.name(),
        "email": fake.free_email(),
        "phone": fake.numerify("(###) 555-0###"),
        "city": fake.city(),
        "customer_since": rng.randint(today.year - 14, today.year),
        "as_of": today.isoformat(),
    }
    priced_items: list[tuple[str, float | None]] = [(i, None) if isinstance(i, str) else (i[0], float(i[1])) for i in items]
    if kind == "banking":
        return _banking(rng, base, today)
    if kind == "insurance":
        return _insurance(rng, base, today, priced_items)
    if kind == "healthcare":
        return _healthcare(rng, fake, base, today, priced_items)
    fields = [Field_(label=label[:60], value=rng.choice(choices)[:120])
              for label, choices in details if choices][:12]
    return make_generic(rng, base, fields, priced_items, relationship=relationship, today=today,
                        noun=noun, rewards=rewards, priced=priced)


def _banking(rng: random.Random, base: dict, today: date) -> BankingPersona:
    shops = ["Grocery Mart", "Fuel Stop", "Coffee House", "Online Store", "Pharmacy",
             "Electric Utility", "Restaurant", "Streaming Service", "Gym Membership"]
    tx = [Transaction(date=_day(rng, today, 30), description=rng.choice(shops),
                      amount=-_money(rng, 4, 180)) for _ in range(7)]
    tx.append(Transaction(date=_day(rng, today, 30), description="Payroll deposit",
                          amount=_money(rng, 1800, 4200)))
    tx.sort(key=lambda t: t.date, reverse=True)
    limit = float(rng.choice([2500, 5000, 7500, 10000, 15000]))
    return BankingPersona(kind="banking", **base,
                          checking_balance=_money(rng, 800, 9000),
                          savings_balance=_money(rng, 1500, 45000),
                          credit_score=rng.randint(580, 820), credit_limit=limit,
                          credit_used=_money(rng, 0, limit * 0.6), transactions=tx)


_POLICY_KINDS = [("Auto", 50000, 300000, 60, 180), ("Home", 200000, 650000, 70, 220),
                 ("Life", 100000, 1000000, 20, 120), ("Renters", 15000, 60000, 12, 30),
                 ("Umbrella", 1000000, 2000000, 15, 45)]


def _insurance(rng: random.Random, base: dict, today: date,
               items: list[tuple[str, float | None]]) -> InsurancePersona:
    priced = [(n, p) for n, p in items if p]
    if len(priced) >= 2:
        # The mode's own products: the premium is the list price, coverage scales with it.
        chosen = rng.sample(priced, min(len(priced), rng.randint(1, 3)))
        kinds = [(n, int(p * 600), int(p * 2400), p, p) for n, p in chosen]
    else:
        kinds = rng.sample(_POLICY_KINDS, rng.randint(2, 3))
    policies = [Policy(type=t[:60], number=f"{_initials(t)}-{rng.randint(100000, 999999)}",
                       coverage=float(rng.randrange(lo, max(hi, lo + 1), max((hi - lo) // 20, 1))),
                       premium_monthly=round(plo if plo == phi else rng.uniform(plo, phi), 2),
                       deductible=float(rng.choice([250, 500, 1000, 2500])))
                for t, lo, hi, plo, phi in kinds]
    statuses = ["Paid", "Paid", "Approved", "In review", "Awaiting documents"]
    claims = [Claim(id=f"CLM-{rng.randint(10000, 99999)}", date=_day(rng, today, 400),
                    type=rng.choice(policies).type, amount=_money(rng, 300, 12000),
                    status=rng.choice(statuses)) for _ in range(rng.randint(1, 3))]
    claims.sort(key=lambda c: c.date)
    return InsurancePersona(kind="insurance", **base, policies=policies, claims=claims)


def _initials(text: str) -> str:
    letters = "".join(w[0] for w in text.split() if w[:1].isalpha()).upper()
    return (letters or "PL")[:3]


def _healthcare(rng: random.Random, fake: object, base: dict, today: date,
                items: list[tuple[str, float | None]]) -> HealthcarePersona:
    deductible = float(rng.choice([1000, 1500, 2000, 3000]))
    oop_max = float(rng.choice([4000, 6000, 8000]))
    met = _money(rng, 0, deductible)
    providers = ["Dr. " + fake.last_name() for _ in range(3)]  # type: ignore[attr-defined]
    reasons = [n for n, _ in items][:8] or ["Annual physical", "Follow-up visit",
                                            "Dermatology check", "Physical therapy",
                                            "Lab work", "Eye exam"]
    appts = sorted((Appointment(date=_day(rng, today, 60, future=True),
                                provider=rng.choice(providers), reason=rng.choice(reasons)[:60])
                    for _ in range(2)), key=lambda a: a.date)
    drugs = [("Atorvastatin", "20 mg daily"), ("Lisinopril", "10 mg daily"),
             ("Metformin", "500 mg twice daily"), ("Levothyroxine", "50 mcg daily")]
    rx = [Prescription(name=n, dosage=d, monthly_cost=_money(rng, 5, 45),
                       refills_left=rng.randint(0, 5)) for n, d in rng.sample(drugs, 2)]
    return HealthcarePersona(kind="healthcare", **base,
                             plan=rng.choice(["Silver PPO", "Gold HMO", "Bronze HDHP"]),
                             member_id=f"MBR{rng.randint(10**7, 10**8 - 1)}",
                             deductible=deductible, deductible_met=met,
                             out_of_pocket_max=oop_max,
                             out_of_pocket_spent=round(met + _money(rng, 0, 900), 2),
                             appointments=appts, prescriptions=rx)


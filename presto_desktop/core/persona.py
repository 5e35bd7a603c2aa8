"""The seeded customer persona: models (totals derived from parts) and a deterministic maker."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(max_length=80)]
Label = Annotated[str, StringConstraints(max_length=60)]
Money = Annotated[float, Field(allow_inf_nan=False, ge=-1e9, le=1e9)]
PERSONA_KINDS = ("banking", "insurance", "healthcare", "generic")
# A fixed reference day keeps personas identical whenever they are made.
REFERENCE_DAY = date(2026, 1, 15)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Transaction(_Strict):
    """A dated amount: negative for money out."""

    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    description: Label
    amount: Money


class Policy(_Strict):
    """An insurance policy."""

    type: Label
    number: Label
    coverage: Money
    premium_monthly: Money
    deductible: Money


class Claim(_Strict):
    """An insurance claim."""

    id: Label
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    type: Label
    amount: Money
    status: Label


class Appointment(_Strict):
    """A healthcare appointment."""

    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    provider: Label
    reason: Label


class Prescription(_Strict):
    """A prescription with its monthly cost."""

    name: Label
    dosage: Label
    monthly_cost: Money
    refills_left: Annotated[int, Field(ge=0, le=99)]


class Field_(_Strict):
    """A free label/value pair for industry-specific persona details."""

    label: Label
    value: Annotated[str, StringConstraints(max_length=120)]


class _PersonaBase(_Strict):
    seed: Annotated[int, Field(ge=0, le=2**63)]
    name: Name
    email: Annotated[str, StringConstraints(max_length=120)]
    phone: Annotated[str, StringConstraints(max_length=40)]
    city: Label
    customer_since: Annotated[int, Field(ge=1900, le=2100)]


class BankingPersona(_PersonaBase):
    """A bank customer; `total_balance` and `credit_available` are derived."""

    kind: Literal["banking"]
    checking_balance: Money
    savings_balance: Money
    credit_score: Annotated[int, Field(ge=300, le=850)]
    credit_limit: Money
    credit_used: Money
    transactions: Annotated[list[Transaction], Field(max_length=50)]

    @property
    def total_balance(self) -> float:
        """Checking plus savings."""
        return round(self.checking_balance + self.savings_balance, 2)

    @property
    def credit_available(self) -> float:
        """Credit limit minus what is used."""
        return round(self.credit_limit - self.credit_used, 2)


class InsurancePersona(_PersonaBase):
    """A policyholder; premium and claim totals are derived."""

    kind: Literal["insurance"]
    policies: Annotated[list[Policy], Field(max_length=20)]
    claims: Annotated[list[Claim], Field(max_length=50)]

    @property
    def total_premium_monthly(self) -> float:
        """Sum of the policies' monthly premiums."""
        return round(sum(p.premium_monthly for p in self.policies), 2)

    @property
    def total_coverage(self) -> float:
        """Sum of the policies' coverage."""
        return round(sum(p.coverage for p in self.policies), 2)

    @property
    def total_claimed(self) -> float:
        """Sum of all claim amounts."""
        return round(sum(c.amount for c in self.claims), 2)


class HealthcarePersona(_PersonaBase):
    """A patient; remaining deductible and out-of-pocket are derived."""

    kind: Literal["healthcare"]
    plan: Label
    member_id: Label
    deductible: Money
    deductible_met: Money
    out_of_pocket_max: Money
    out_of_pocket_spent: Money
    appointments: Annotated[list[Appointment], Field(max_length=20)]
    prescriptions: Annotated[list[Prescription], Field(max_length=20)]

    @property
    def deductible_remaining(self) -> float:
        """Deductible left to meet."""
        return round(max(self.deductible - self.deductible_met, 0.0), 2)

    @property
    def out_of_pocket_remaining(self) -> float:
        """Out-of-pocket left before the maximum."""
        return round(max(self.out_of_pocket_max - self.out_of_pocket_spent, 0.0), 2)

    @property
    def prescriptions_monthly(self) -> float:
        """Sum of the prescriptions' monthly costs."""
        return round(sum(p.monthly_cost for p in self.prescriptions), 2)


class GenericPersona(_PersonaBase):
    """A customer of any other business; lifetime spend is derived from orders."""

    kind: Literal["generic"]
    loyalty_points: Annotated[int, Field(ge=0, le=10**9)]
    status: Label
    orders: Annotated[list[Transaction], Field(max_length=50)]
    details: Annotated[list[Field_], Field(max_length=12)]

    @property
    def lifetime_spend(self) -> float:
        """Sum of order amounts."""
        return round(sum(o.amount for o in self.orders), 2)


Persona = Annotated[
    BankingPersona | InsurancePersona | HealthcarePersona | GenericPersona,
    Field(discriminator="kind"),
]


def persona_seed(mode_id: str, salt: int = 0) -> int:
    """A stable 63-bit seed from the mode id and a stored salt."""
    digest = hashlib.sha256(f"{mode_id}:{salt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _faker(seed: int):  # noqa: ANN202 - Faker is imported lazily on purpose
    from faker import Faker  # ~0.15 s: only when a new persona is made

    fake = Faker("en_US")
    fake.seed_instance(seed)
    return fake


def _money(rng: random.Random, low: float, high: float) -> float:
    return round(rng.uniform(low, high), 2)


def _day(rng: random.Random, within_days: int, future: bool = False) -> str:
    delta = timedelta(days=rng.randint(1, within_days))
    return (REFERENCE_DAY + delta if future else REFERENCE_DAY - delta).isoformat()


def make_persona(
    kind: str,
    seed: int,
    details: list[tuple[str, list[str]]] | None = None,
    items: list[str] | None = None,
) -> BankingPersona | InsurancePersona | HealthcarePersona | GenericPersona:
    """Make a deterministic persona of `kind`; same seed, same person.

    `details` are (label, choices) pairs and `items` product names, both used by the
    generic persona for industry-specific content.
    """
    fake = _faker(seed)
    rng = random.Random(seed)
    base = {
        "seed": seed,
        "name": fake.name(),
        "email": fake.free_email(),
        "phone": fake.numerify("(###) 555-0###"),
        "city": fake.city(),
        "customer_since": rng.randint(2008, 2024),
    }
    if kind == "banking":
        shops = ["Grocery Mart", "Fuel Stop", "Coffee House", "Online Store", "Pharmacy",
                 "Electric Utility", "Restaurant", "Streaming Service", "Gym Membership"]
        tx = [Transaction(date=_day(rng, 30), description=rng.choice(shops),
                          amount=-_money(rng, 4, 180)) for _ in range(7)]
        tx.append(Transaction(date=_day(rng, 30), description="Payroll deposit",
                              amount=_money(rng, 1800, 4200)))
        tx.sort(key=lambda t: t.date, reverse=True)
        limit = float(rng.choice([2500, 5000, 7500, 10000, 15000]))
        return BankingPersona(kind="banking", **base,
                              checking_balance=_money(rng, 800, 9000),
                              savings_balance=_money(rng, 1500, 45000),
                              credit_score=rng.randint(580, 820), credit_limit=limit,
                              credit_used=_money(rng, 0, limit * 0.6), transactions=tx)
    if kind == "insurance":
        kinds = [("Auto", 50000, 300000, 60, 180), ("Home", 200000, 650000, 70, 220),
                 ("Life", 100000, 1000000, 20, 120), ("Renters", 15000, 60000, 12, 30),
                 ("Umbrella", 1000000, 2000000, 15, 45)]
        chosen = rng.sample(kinds, rng.randint(2, 3))
        policies = [Policy(type=t, number=f"{t[:2].upper()}-{rng.randint(100000, 999999)}",
                           coverage=float(rng.randrange(lo, hi, 5000)),
                           premium_monthly=_money(rng, plo, phi),
                           deductible=float(rng.choice([250, 500, 1000, 2500])))
                    for t, lo, hi, plo, phi in chosen]
        statuses = ["Approved", "In review", "Paid", "Awaiting documents"]
        claims = [Claim(id=f"CLM-{rng.randint(10000, 99999)}", date=_day(rng, 400),
                        type=rng.choice(policies).type, amount=_money(rng, 300, 12000),
                        status=rng.choice(statuses)) for _ in range(rng.randint(1, 3))]
        return InsurancePersona(kind="insurance", **base, policies=policies, claims=claims)
    if kind == "healthcare":
        deductible = float(rng.choice([1000, 1500, 2000, 3000]))
        oop_max = float(rng.choice([4000, 6000, 8000]))
        met = _money(rng, 0, deductible)
        providers = ["Dr. " + fake.last_name() for _ in range(3)]
        reasons = ["Annual physical", "Follow-up visit", "Dermatology check",
                   "Physical therapy", "Lab work", "Eye exam"]
        appts = [Appointment(date=_day(rng, 60, future=True), provider=rng.choice(providers),
                             reason=rng.choice(reasons)) for _ in range(2)]
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
    products = items or ["Standard order", "Premium order", "Gift card", "Service visit"]
    orders = [Transaction(date=_day(rng, 365), description=rng.choice(products)[:60],
                          amount=_money(rng, 15, 400)) for _ in range(rng.randint(3, 6))]
    orders.sort(key=lambda t: t.date, reverse=True)
    fields = [Field_(label=label[:60], value=rng.choice(choices)[:120])
              for label, choices in (details or []) if choices][:12]
    return GenericPersona(kind="generic", **base, loyalty_points=rng.randint(50, 9000),
                          status=rng.choice(["Member", "Silver", "Gold", "Platinum"]),
                          orders=orders, details=fields)

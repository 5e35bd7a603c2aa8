"""The seeded customer persona: models (totals derived from parts) and a deterministic maker."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from presto_desktop.core.strict import StrictModel

Name = Annotated[str, StringConstraints(max_length=80)]
Label = Annotated[str, StringConstraints(max_length=60)]
Money = Annotated[float, Field(allow_inf_nan=False, ge=-1e9, le=1e9)]
# What a customer has with a business; it chooses the generic persona's shape.
RELATIONSHIPS = ("purchase", "booking", "appointment", "subscription", "membership", "policy",
                 "account", "case", "enrolment", "ticket", "donation", "rental", "stay",
                 "project")
Relationship = Literal["purchase", "booking", "appointment", "subscription", "membership",
                       "policy", "account", "case", "enrolment", "ticket", "donation", "rental",
                       "stay", "project"]
# The day old mode files (made before personas carried `as_of`) were dated against.
REFERENCE_DAY = date(2026, 1, 15)
DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class OrderLine(StrictModel):
    """One priced line of an order: an item from the mode's price list and how many."""

    name: Label
    quantity: Annotated[int, Field(ge=1, le=99)]
    price: Money


class Transaction(StrictModel):
    """A dated amount (negative for money out); with `lines`, the amount is their sum."""

    date: DateText
    description: Label
    amount: Money
    lines: Annotated[list[OrderLine], Field(max_length=12)] = []

    @model_validator(mode="after")
    def _total_from_lines(self) -> Transaction:
        if self.lines and abs(sum(x.quantity * x.price for x in self.lines) - self.amount) > 0.006:
            raise ValueError("amount must equal the sum of its lines")
        return self


class Policy(StrictModel):
    """An insurance policy."""

    type: Label
    number: Label
    coverage: Money
    premium_monthly: Money
    deductible: Money


class Claim(StrictModel):
    """An insurance claim."""

    id: Label
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    type: Label
    amount: Money
    status: Label


class Appointment(StrictModel):
    """A healthcare appointment."""

    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    provider: Label
    reason: Label


class Prescription(StrictModel):
    """A prescription with its monthly cost."""

    name: Label
    dosage: Label
    monthly_cost: Money
    refills_left: Annotated[int, Field(ge=0, le=99)]


class Field_(StrictModel):
    """A free label/value pair for industry-specific persona details."""

    label: Label
    value: Annotated[str, StringConstraints(max_length=120)]


class _PersonaBase(StrictModel):
    seed: Annotated[int, Field(ge=0, le=2**63)]
    name: Name
    email: Annotated[str, StringConstraints(max_length=120)]
    phone: Annotated[str, StringConstraints(max_length=40)]
    city: Label
    customer_since: Annotated[int, Field(ge=1900, le=2100)]
    as_of: DateText | None = None  # the day the persona was made; None in older files

    @property
    def reference_day(self) -> date:
        """The day this persona's dates and 12-month figures are counted back from."""
        return date.fromisoformat(self.as_of) if self.as_of else REFERENCE_DAY


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
    """A customer of any other business; spend figures are derived from the orders."""

    kind: Literal["generic"]
    loyalty_points: Annotated[int, Field(ge=0, le=10**9)]
    status: Label
    orders: Annotated[list[Transaction], Field(max_length=50)]
    details: Annotated[list[Field_], Field(max_length=12)]
    relationship: Relationship = "purchase"
    noun: Annotated[str, StringConstraints(max_length=30)] = ""
    prior_spend: Annotated[float, Field(allow_inf_nan=False, ge=0, le=1e9)] = 0.0
    upcoming: Annotated[list[Transaction], Field(max_length=10)] = []
    plan: Label = ""
    rewards: bool = True
    priced: bool = True

    @property
    def year_spend(self) -> float:
        """Sum of the orders on file (the last 12 months)."""
        return round(sum(o.amount for o in self.orders), 2)

    @property
    def lifetime_spend(self) -> float:
        """Spend before the last 12 months plus the orders on file."""
        return round(self.prior_spend + self.year_spend, 2)


Persona = Annotated[
    BankingPersona | InsurancePersona | HealthcarePersona | GenericPersona,
    Field(discriminator="kind"),
]


def persona_seed(mode_id: str, salt: int = 0) -> int:
    """A stable 63-bit seed from the mode id and a stored salt."""
    digest = hashlib.sha256(f"{mode_id}:{salt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


Item = str | tuple[str, float]

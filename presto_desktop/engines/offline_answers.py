"""Offline answers computed from a mode's persona: text plus `show_chart` / `show_metrics` calls."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from presto_desktop.core.chat import ToolCall
from presto_desktop.core.models import Chart
from presto_desktop.core.persona import (
    REFERENCE_DAY,
    BankingPersona,
    GenericPersona,
    HealthcarePersona,
    InsurancePersona,
)

AnyPersona = BankingPersona | InsurancePersona | HealthcarePersona | GenericPersona
_OPEN_CLAIMS = ("In review", "Awaiting documents")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Reply:
    """An offline reply: Markdown-free text and the tool calls that go with it."""

    text: str
    tool_calls: tuple[ToolCall, ...] = field(default_factory=tuple)
    chart: Chart | None = None


@dataclass(frozen=True)
class Intent:
    """A persona topic: every group must match; score counts matched terms."""

    topic: str
    kind: str
    groups: tuple[tuple[str, ...], ...]
    extra: tuple[str, ...] = ()


def money(value: float) -> str:
    """Format an amount like $1,234.56 (or -$45.10)."""
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def months(count: int = 12) -> list[str]:
    """Labels for the last `count` months ending at the persona reference month."""
    labels = []
    year, month = REFERENCE_DAY.year, REFERENCE_DAY.month
    for _ in range(count):
        labels.append(f"{_MONTHS[month - 1]} {year}")  # not strftime: locale-independent
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return labels[::-1]


def _chart_reply(text: str, chart: Chart) -> Reply:
    return Reply(text, (ToolCall("show_chart", chart.model_dump()),), chart)


def _metrics_reply(text: str, metrics: list[tuple[str, float, str]]) -> Reply:
    args = {"metrics": [{"label": label, "value": round(float(value), 2), "unit": unit}
                        for label, value, unit in metrics]}
    return Reply(text, (ToolCall("show_metrics", args),))


def _bar(title: str, points: list[tuple[str, float]], unit: str = "$", kind: str = "bar") -> Chart:
    return Chart(type=kind, title=title[:120], unit=unit,
                 points=[{"label": label[:40], "value": round(float(value), 2)}
                         for label, value in points])


def history(end: float, seed: int, name: str, volatility: float = 0.06) -> list[float]:
    """A seeded 12-month series whose last value is exactly `end`."""
    rng = random.Random(f"{seed}:{name}")
    values = [end]
    for _ in range(11):
        step = rng.gauss(abs(end) * 0.012, abs(end) * volatility)
        values.append(round(max(values[-1] - step, abs(end) * 0.2), 2))
    values.reverse()
    values[-1] = end
    return values


def persona_value(persona: AnyPersona, source: str) -> float | None:
    """A metric value read or derived from the persona (None if it has no such value)."""
    if source == "open_claims" and isinstance(persona, InsurancePersona):
        return float(sum(1 for c in persona.claims if c.status in _OPEN_CLAIMS))
    if source == "appointment_count" and isinstance(persona, HealthcarePersona):
        return float(len(persona.appointments))
    value = getattr(persona, source, None)
    return float(value) if isinstance(value, int | float) else None


# --- banking -------------------------------------------------------------------------------


def _banking(topic: str, p: BankingPersona, words: str) -> Reply | None:
    if topic == "accounts":
        return _chart_reply(
            f"Here are your balances: checking {money(p.checking_balance)} and savings "
            f"{money(p.savings_balance)}, {money(p.total_balance)} in total.",
            _bar("Account balances", [("Checking", p.checking_balance),
                                      ("Savings", p.savings_balance)]))
    if topic == "checking":
        return Reply(f"Your checking balance is {money(p.checking_balance)}.")
    if topic == "savings":
        return Reply(f"Your savings balance is {money(p.savings_balance)}.")
    if topic == "transactions":
        lines = [f"- {t.date}: {t.description}, {money(t.amount)}" for t in p.transactions[:6]]
        debits = [t for t in p.transactions if t.amount < 0][:6]
        return _chart_reply("Your most recent transactions:\n" + "\n".join(lines),
                            _bar("Recent card spending", [(f"{t.description} {t.date[5:]}",
                                                           -t.amount) for t in debits]))
    if topic == "spending":
        totals: dict[str, float] = {}
        for t in p.transactions:
            if t.amount < 0:
                totals[t.description] = totals.get(t.description, 0.0) - t.amount
        ranked = sorted(totals.items(), key=lambda kv: -kv[1])
        spent = round(sum(totals.values()), 2)
        return _chart_reply(
            f"You spent {money(spent)} over the last 30 days; the biggest category was "
            f"{ranked[0][0]} at {money(ranked[0][1])}.",
            _bar("Spending by category (30 days)", ranked, kind="pie"))
    if topic == "balance_history":
        account, end = "Checking", p.checking_balance
        if "saving" in words:
            account, end = "Savings", p.savings_balance
        elif "total" in words or "all" in words.split():
            account, end = "Total", p.total_balance
        values = history(end, p.seed, account)
        return _chart_reply(
            f"Your {account.lower()} balance over the last 12 months, ending at "
            f"{money(end)} today.",
            _bar(f"{account} balance, last 12 months", list(zip(months(), values, strict=False)),
                 kind="line"))
    if topic in ("credit", "credit_score"):
        rating = ("excellent" if p.credit_score >= 800 else "very good" if p.credit_score >= 740
                  else "good" if p.credit_score >= 670 else "fair")
        return _chart_reply(
            f"Your credit score is {p.credit_score} ({rating}). You've used "
            f"{money(p.credit_used)} of your {money(p.credit_limit)} limit, so "
            f"{money(p.credit_available)} is available.",
            _bar("Credit line", [("Used", p.credit_used), ("Available", p.credit_available)],
                 kind="pie"))
    if topic == "summary":
        return _metrics_reply(
            f"Here's your snapshot, {p.name.split()[0]}: {money(p.total_balance)} across your "
            f"accounts and a credit score of {p.credit_score}.",
            [("Checking", p.checking_balance, "$"), ("Savings", p.savings_balance, "$"),
             ("Total balance", p.total_balance, "$"), ("Credit score", p.credit_score, ""),
             ("Available credit", p.credit_available, "$")])
    return None


# --- insurance -----------------------------------------------------------------------------


def _insurance(topic: str, p: InsurancePersona, words: str) -> Reply | None:
    if topic == "policies":
        lines = [f"- {x.type} ({x.number}): {money(x.coverage)} coverage, "
                 f"{money(x.premium_monthly)}/month, {money(x.deductible)} deductible"
                 for x in p.policies]
        return _chart_reply("Your policies:\n" + "\n".join(lines),
                            _bar("Coverage by policy", [(x.type, x.coverage) for x in p.policies]))
    if topic == "premiums":
        return _chart_reply(
            f"You pay {money(p.total_premium_monthly)} a month in total: "
            + ", ".join(f"{x.type} {money(x.premium_monthly)}" for x in p.policies) + ".",
            _bar("Monthly premium by policy", [(x.type, x.premium_monthly) for x in p.policies],
                 kind="pie"))
    if topic == "premium_history":
        values = history(p.total_premium_monthly, p.seed, "premium", volatility=0.01)
        return _chart_reply(
            f"Your total monthly premium over the last year, now "
            f"{money(p.total_premium_monthly)}.",
            _bar("Monthly premium, last 12 months", list(zip(months(), values, strict=False)), kind="line"))
    if topic == "claims":
        lines = [f"- {c.id} ({c.type}, {c.date}): {money(c.amount)}, {c.status}"
                 for c in p.claims]
        open_count = sum(1 for c in p.claims if c.status in _OPEN_CLAIMS)
        return _chart_reply(
            f"You have {len(p.claims)} claim(s), {open_count} still open, totalling "
            f"{money(p.total_claimed)}:\n" + "\n".join(lines),
            _bar("Claims", [(f"{c.id} {c.type}", c.amount) for c in p.claims]))
    if topic == "coverage":
        return _chart_reply(
            f"You're covered for {money(p.total_coverage)} in total across "
            f"{len(p.policies)} policies.",
            _bar("Coverage by policy", [(x.type, x.coverage) for x in p.policies]))
    if topic == "deductibles":
        return _chart_reply(
            "Your deductibles: " + ", ".join(f"{x.type} {money(x.deductible)}"
                                             for x in p.policies) + ".",
            _bar("Deductible by policy", [(x.type, x.deductible) for x in p.policies]))
    if topic == "summary":
        return _metrics_reply(
            f"Here's your snapshot: {len(p.policies)} policies, "
            f"{money(p.total_premium_monthly)} a month.",
            [("Monthly premium", p.total_premium_monthly, "$"),
             ("Total coverage", p.total_coverage, "$"), ("Policies", len(p.policies), ""),
             ("Open claims", persona_value(p, "open_claims") or 0.0, ""),
             ("Total claimed", p.total_claimed, "$")])
    return None


# --- healthcare ----------------------------------------------------------------------------


def _healthcare(topic: str, p: HealthcarePersona, words: str) -> Reply | None:
    if topic == "deductible":
        return _chart_reply(
            f"You've met {money(p.deductible_met)} of your {money(p.deductible)} deductible, "
            f"so {money(p.deductible_remaining)} remains.",
            _bar("Deductible progress", [("Met", p.deductible_met),
                                         ("Remaining", p.deductible_remaining)], kind="pie"))
    if topic == "out_of_pocket":
        return _chart_reply(
            f"You've spent {money(p.out_of_pocket_spent)} out of pocket this plan year; "
            f"{money(p.out_of_pocket_remaining)} remains before your "
            f"{money(p.out_of_pocket_max)} maximum.",
            _bar("Out-of-pocket spending", [("Spent", p.out_of_pocket_spent),
                                            ("Remaining", p.out_of_pocket_remaining)]))
    if topic == "appointments":
        upcoming = sorted(p.appointments, key=lambda a: a.date)
        if not upcoming:
            return Reply("You have no upcoming appointments.")
        lines = [f"- {a.date}: {a.reason} with {a.provider}" for a in upcoming]
        return Reply(f"Your next appointment is on {upcoming[0].date}: {upcoming[0].reason} "
                     f"with {upcoming[0].provider}.\n\nUpcoming:\n" + "\n".join(lines))
    if topic == "prescriptions":
        lines = [f"- {r.name} {r.dosage}: {money(r.monthly_cost)}/month, "
                 f"{r.refills_left} refill(s) left" for r in p.prescriptions]
        return _chart_reply(
            f"Your prescriptions cost {money(p.prescriptions_monthly)} a month:\n"
            + "\n".join(lines),
            _bar("Prescription cost per month", [(r.name, r.monthly_cost)
                                                 for r in p.prescriptions]))
    if topic == "plan":
        return Reply(f"You're on the {p.plan} plan (member ID {p.member_id}) with a "
                     f"{money(p.deductible)} deductible and a {money(p.out_of_pocket_max)} "
                     "out-of-pocket maximum.")
    if topic == "summary":
        return _metrics_reply(
            f"Here's your snapshot on the {p.plan} plan.",
            [("Deductible met", p.deductible_met, "$"),
             ("Deductible left", p.deductible_remaining, "$"),
             ("Out-of-pocket left", p.out_of_pocket_remaining, "$"),
             ("Upcoming visits", len(p.appointments), ""),
             ("Prescriptions", p.prescriptions_monthly, "$/mo")])
    return None


# --- generic -------------------------------------------------------------------------------


def _generic(topic: str, p: GenericPersona, words: str, noun: str) -> Reply | None:
    if topic == "orders":
        lines = [f"- {o.date}: {o.description}, {money(o.amount)}" for o in p.orders]
        return _chart_reply(
            f"Your recent {noun} ({len(p.orders)} in the last year, {money(p.lifetime_spend)} "
            "in total):\n" + "\n".join(lines),
            _bar(f"Recent {noun}", [(f"{o.description} {o.date[5:]}", o.amount)
                                    for o in reversed(p.orders)]))
    if topic == "spend_history":
        labels = months()
        totals, running = [], 0.0
        ordered = sorted(p.orders, key=lambda o: o.date)
        for label in labels:
            month_end = _month_end(label)
            running = round(sum(o.amount for o in ordered
                                if date.fromisoformat(o.date) <= month_end), 2)
            totals.append(running)
        totals[-1] = p.lifetime_spend
        return _chart_reply(
            f"You've spent {money(p.lifetime_spend)} with us over the last 12 months across "
            f"{len(p.orders)} {noun}.",
            _bar("Cumulative spend, last 12 months", list(zip(labels, totals, strict=False)), kind="area"))
    if topic == "lifetime_spend":
        return Reply(f"Your lifetime spend is {money(p.lifetime_spend)} across "
                     f"{len(p.orders)} {noun}.")
    if topic in ("loyalty", "status"):
        return Reply(f"You have {p.loyalty_points:,} loyalty points and {p.status} status. "
                     f"You've been a customer since {p.customer_since}.")
    if topic == "profile":
        details = "".join(f"\n- {d.label}: {d.value}" for d in p.details)
        return Reply(f"Here's what we have on file for {p.name} ({p.city}, customer since "
                     f"{p.customer_since}):{details}")
    if topic.startswith("detail:"):
        wanted = topic[7:]
        for d in p.details:
            if d.label == wanted:
                return Reply(f"{d.label}: {d.value}.")
        return None
    if topic == "summary":
        average = p.lifetime_spend / len(p.orders) if p.orders else 0.0
        return _metrics_reply(
            f"Here's your snapshot, {p.name.split()[0]}: {p.status} status with "
            f"{p.loyalty_points:,} points.",
            [("Lifetime spend", p.lifetime_spend, "$"), ("Loyalty points", p.loyalty_points,
                                                         "pts"),
             (noun[:1].upper() + noun[1:], len(p.orders), ""),
             ("Average order", round(average, 2), "$")])
    return None


def _month_end(label: str) -> date:
    month, year = _MONTHS.index(label[:3]) + 1, int(label[-4:])
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def answer_topic(topic: str, persona: AnyPersona, words: str = "",
                 noun: str = "orders") -> Reply | None:
    """Answer a persona topic (see INTENTS); None if the topic does not apply to this persona."""
    handlers: dict[str, Callable[[], Reply | None]] = {
        "banking": lambda: _banking(topic, persona, words),  # type: ignore[arg-type]
        "insurance": lambda: _insurance(topic, persona, words),  # type: ignore[arg-type]
        "healthcare": lambda: _healthcare(topic, persona, words),  # type: ignore[arg-type]
        "generic": lambda: _generic(topic, persona, words, noun),  # type: ignore[arg-type]
    }
    return handlers[persona.kind]()


_HISTORY = ("history", "trend", "over time", "chart", "graph", "past year", "last year",
            "month", "grown", "growth", "last 12 month")
_SUMMARY = ("how am i doing", "summary", "overview", "snapshot", "dashboard", "at a glance",
            "how are my finance", "my numbers", "key number")
INTENTS: tuple[Intent, ...] = (
    Intent("summary", "*", (_SUMMARY,)),
    Intent("balance_history", "banking", (("balance", "money", "saving", "checking",
                                           "account"), _HISTORY)),
    Intent("spending", "banking", (("spending", "spend", "spent", "category", "categories",
                                    "breakdown", "where my money", "budget"),),
           ("by category", "break down", "pie")),
    Intent("transactions", "banking", (("transaction", "purchase", "activity", "recent",
                                        "payment", "charge", "deposit", "statement"),)),
    Intent("credit", "banking", (("credit", "credit card", "card limit", "limit"),),
           ("available", "used", "owe", "available credit")),
    Intent("credit_score", "banking", (("credit score", "score", "fico", "credit rating"),)),
    Intent("checking", "banking", (("checking",),), ("balance", "account", "how much")),
    Intent("savings", "banking", (("saving",),), ("balance", "account", "how much")),
    Intent("accounts", "banking", (("balance", "how much money", "account", "net worth",
                                    "total"),), ("all", "my money")),
    Intent("premium_history", "insurance", (("premium", "payment", "bill"), _HISTORY)),
    Intent("premiums", "insurance", (("premium", "pay", "payment", "bill", "cost",
                                      "monthly"),), ("how much", "total")),
    Intent("claims", "insurance", (("claim",),), ("status", "open", "recent")),
    Intent("coverage", "insurance", (("coverage", "covered", "cover", "protected"),),
           ("how much", "total")),
    Intent("deductibles", "insurance", (("deductible",),)),
    Intent("policies", "insurance", (("policy", "plan", "insurance"),), ("my", "all")),
    Intent("deductible", "healthcare", (("deductible",),), ("met", "remaining", "left",
                                                             "how much")),
    Intent("out_of_pocket", "healthcare", (("out of pocket", "oop", "spent", "spending",
                                            "maximum", "max"),)),
    Intent("appointments", "healthcare", (("appointment", "visit", "booking", "doctor",
                                           "schedule", "next"),)),
    Intent("prescriptions", "healthcare", (("prescription", "medication", "medicine",
                                            "refill", "drug", "rx"),)),
    Intent("plan", "healthcare", (("plan", "member id", "insurance card", "my insurance"),)),
    Intent("spend_history", "generic", (("spend", "spent", "spending"), _HISTORY)),
    Intent("lifetime_spend", "generic", (("spend", "spent", "spending", "lifetime"),),
           ("how much", "total")),
    Intent("orders", "generic", (("order", "purchase", "bought", "booking", "visit",
                                  "session", "job", "project", "ticket", "stay", "enrolment",
                                  "invoice", "bill", "my history", "recent"),)),
    Intent("loyalty", "generic", (("point", "loyalty", "reward"),)),
    Intent("status", "generic", (("status", "tier", "level", "membership"),)),
    Intent("profile", "generic", (("profile", "my detail", "my info", "on file", "who am i",
                                   "my account"),)),
)

# Keywords stored with a tab's offline answer, per topic.
TOPIC_KEYWORDS: dict[str, list[str]] = {
    intent.topic: list(dict.fromkeys(t for g in intent.groups for t in g[:6]))[:12]
    for intent in INTENTS
}

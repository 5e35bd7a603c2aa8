"""Offline answers computed from a mode's persona: text plus `show_chart` / `show_metrics` calls."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from presto_desktop.core.persona import (
    BankingPersona,
    GenericPersona,
    HealthcarePersona,
    InsurancePersona,
)
from presto_desktop.engines.offline_generic import answer_generic, month_labels
from presto_desktop.engines.offline_reply import Reply, money
from presto_desktop.engines.offline_reply import bar as _bar
from presto_desktop.engines.offline_reply import chart_reply as _chart_reply
from presto_desktop.engines.offline_reply import metrics_reply as _metrics_reply

AnyPersona = BankingPersona | InsurancePersona | HealthcarePersona | GenericPersona
_OPEN_CLAIMS = ("In review", "Awaiting documents")


@dataclass(frozen=True)
class Intent:
    """A persona topic: every group must match; score counts matched terms."""

    topic: str
    kind: str
    groups: tuple[tuple[str, ...], ...]
    extra: tuple[str, ...] = ()


def months(persona: AnyPersona, count: int = 12) -> list[str]:
    """Labels for the last `count` months ending with the persona's reference month."""
    return [label for _, _, label in month_labels(persona.reference_day, count)]


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
            _bar(f"{account} balance, last 12 months", list(zip(months(p), values, strict=False)),
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
            _bar("Monthly premium, last 12 months", list(zip(months(p), values, strict=False)), kind="line"))
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
        return _chart_reply(
            f"You're on the {p.plan} plan (member ID {p.member_id}) with a "
            f"{money(p.deductible)} deductible and a {money(p.out_of_pocket_max)} "
            "out-of-pocket maximum.",
            _bar("This plan year so far", [("Deductible met", p.deductible_met),
                                           ("Deductible left", p.deductible_remaining),
                                           ("Out-of-pocket left", p.out_of_pocket_remaining)]))
    if topic == "summary":
        return _metrics_reply(
            f"Here's your snapshot on the {p.plan} plan.",
            [("Deductible met", p.deductible_met, "$"),
             ("Deductible left", p.deductible_remaining, "$"),
             ("Out-of-pocket left", p.out_of_pocket_remaining, "$"),
             ("Upcoming visits", len(p.appointments), ""),
             ("Prescriptions", p.prescriptions_monthly, "$/mo")])
    return None


def answer_topic(topic: str, persona: AnyPersona, words: str = "",
                 noun: str = "orders") -> Reply | None:
    """Answer a persona topic (see INTENTS); None if the topic does not apply to this persona."""
    handlers: dict[str, Callable[[], Reply | None]] = {
        "banking": lambda: _banking(topic, persona, words),  # type: ignore[arg-type]
        "insurance": lambda: _insurance(topic, persona, words),  # type: ignore[arg-type]
        "healthcare": lambda: _healthcare(topic, persona, words),  # type: ignore[arg-type]
        "generic": lambda: answer_generic(topic, persona, noun),  # type: ignore[arg-type]
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
    Intent("spend", "generic", (("spend", "spent", "spending", "pay", "paid"), _HISTORY)),
    Intent("lifetime", "generic", (("spend", "spent", "spending", "lifetime", "altogether"),),
           ("how much", "total", "since", "ever")),
    Intent("upcoming", "generic", (("next", "upcoming", "coming up", "booked", "scheduled",
                                    "when is my", "when's my", "reservation"),)),
    Intent("history", "generic", (("order", "purchase", "bought", "booking", "visit",
                                   "session", "job", "project", "ticket", "stay", "lesson",
                                   "invoice", "bill", "donation", "rental", "appointment",
                                   "my history", "recent", "past", "last time"),)),
    Intent("favourites", "generic", (("favourite", "favorite", "most often", "usual",
                                      "what do i buy", "what do i order", "most"),)),
    Intent("status", "generic", (("point", "loyalty", "reward", "status", "tier", "level"),)),
    Intent("plan", "generic", (("plan", "subscription", "membership", "next bill",
                                "renewal", "charge", "dues"),)),
    Intent("profile", "generic", (("profile", "my detail", "my info", "on file", "who am i",
                                   "my account"),)),
)

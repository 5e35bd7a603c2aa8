"""Offline answers for the generic persona: orders, bookings, plans ... in one time order."""

from __future__ import annotations

from collections import Counter
from datetime import date

from presto_desktop.core.persona import GenericPersona, Transaction
from presto_desktop.engines.offline_reply import Reply, bar, chart_reply, metrics_reply, money

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Older mode files name these topics differently.
ALIASES = {"orders": "history", "spend_history": "spend", "lifetime_spend": "lifetime",
           "loyalty": "status"}


def month_labels(end: date, count: int = 12) -> list[tuple[int, int, str]]:
    """(year, month, label) for the `count` months ending with `end`'s month, oldest first."""
    out = []
    for back in range(count - 1, -1, -1):
        index = end.year * 12 + end.month - 1 - back
        year, month = divmod(index, 12)
        out.append((year, month + 1, f"{_MONTHS[month]} {year}"))
    return out


def _noun(p: GenericPersona, fallback: str) -> str:
    return p.noun or fallback


def _amount(p: GenericPersona, t: Transaction) -> str:
    return f", {money(t.amount)}" if p.priced else ""


def _line(p: GenericPersona, t: Transaction) -> str:
    return f"- {t.date}: {t.description}{_amount(p, t)}"


def _history(p: GenericPersona, noun: str) -> Reply:
    recent = p.orders[-8:]  # oldest first, as the chart reads
    if not recent:
        return Reply(f"You have no {noun} on file yet.")
    lines = "\n".join(_line(p, t) for t in recent)
    head = f"Your last {len(recent)} {noun}, oldest first"
    if p.priced:
        head += f" ({money(sum(t.amount for t in recent))} in total)"
        return chart_reply(f"{head}:\n{lines}",
                           bar(f"Your recent {noun}", [(f"{t.date[5:]} {t.description}", t.amount)
                                                       for t in recent]))
    counts = Counter(t.date[:7] for t in p.orders)
    return chart_reply(f"{head}:\n{lines}",
                       bar(f"Your {noun} per month", [(month, n) for month, n in
                                                      sorted(counts.items())], unit=""))


def _upcoming(p: GenericPersona, noun: str) -> Reply:
    if not p.upcoming:
        return Reply(f"You have nothing booked right now. Your last {noun[:-1] or noun} was on "
                     f"{p.orders[-1].date}." if p.orders else f"You have no {noun} yet.")
    first = p.upcoming[0]
    lines = "\n".join(_line(p, t) for t in p.upcoming)
    text = f"Next up: {first.description} on {first.date}.\n\nComing up:\n{lines}"
    if not p.priced:
        return Reply(text)
    # The last few past ones and what is booked, on one time line.
    shown = [(f"{t.date[5:]} {t.description}", t.amount) for t in p.orders[-4:]]
    shown += [(f"{t.date[5:]} (booked)", t.amount) for t in p.upcoming]
    return chart_reply(text, bar(f"Your {noun}: recent and booked", shown))


def _spend(p: GenericPersona, noun: str) -> Reply:
    buckets = month_labels(p.reference_day)
    points, running = [], 0.0
    for year, month, label in buckets:
        in_month = [t for t in p.orders if (int(t.date[:4]), int(t.date[5:7])) == (year, month)]
        running += sum(t.amount for t in in_month) if p.priced else len(in_month)
        points.append((label, round(running, 2)))
    if not p.priced:
        return chart_reply(f"You've made {len(p.orders)} {noun} in the last 12 months.",
                           bar(f"{noun.capitalize()}, last 12 months (running total)", points,
                               unit="", kind="area"))
    points[-1] = (points[-1][0], p.year_spend)
    return chart_reply(
        f"You've spent {money(p.year_spend)} over the last 12 months across {len(p.orders)} "
        f"{noun}, up to {buckets[-1][2]}.",
        bar("Cumulative spend, last 12 months", points, kind="area"))


def _lifetime(p: GenericPersona, noun: str) -> Reply:
    if not p.priced:
        return Reply(f"You've been with us since {p.customer_since}, with {len(p.orders)} "
                     f"{noun} in the last 12 months.")
    return chart_reply(
        f"Since {p.customer_since} you've spent {money(p.lifetime_spend)} with us, "
        f"{money(p.year_spend)} of it in the last 12 months.",
        bar("Lifetime spend", [("Before the last 12 months", p.prior_spend),
                               ("Last 12 months", p.year_spend)], kind="pie"))


def _favourites(p: GenericPersona, noun: str) -> Reply:
    counts: Counter[str] = Counter()
    for t in p.orders:
        for line in t.lines or []:
            counts[line.name] += line.quantity
        if not t.lines:
            counts[t.description] += 1
    if not counts:
        return Reply(f"You have no {noun} yet, so no favourites either.")
    ranked = counts.most_common(6)
    top, times = ranked[0]
    return chart_reply(f"Your favourite is {top}: {times} in the last 12 months.",
                       bar("What you choose most", ranked, unit="", kind="pie"))


def _status(p: GenericPersona, noun: str) -> Reply:
    text = f"Your status is {p.status}; you've been with us since {p.customer_since}."
    if not (p.rewards and p.priced):
        return Reply(text)
    text = (f"You're {p.status} with {p.loyalty_points:,} points, earned on "
            f"{money(p.year_spend)} of {noun} in the last 12 months.")
    earned = []
    for year, month, label in month_labels(p.reference_day):
        spent = sum(t.amount for t in p.orders if (int(t.date[:4]), int(t.date[5:7])) ==
                    (year, month))
        earned.append((label, int(spent)))
    return chart_reply(text, bar("Points earned per month", earned, unit="pts"))


def _plan(p: GenericPersona, noun: str) -> Reply:
    if not p.plan:
        return _status(p, noun)
    text = f"You're on {p.plan} ({p.status.lower()})."
    if p.upcoming:
        text += f" Your next charge is {money(p.upcoming[0].amount)} on {p.upcoming[0].date}."
    if not (p.priced and p.orders):
        return Reply(text)
    return chart_reply(text, bar("Your monthly charges", [(t.date[:7], t.amount)
                                                          for t in p.orders[-12:]],
                                 kind="line"))


def _profile(p: GenericPersona, noun: str) -> Reply:
    details = "".join(f"\n- {d.label}: {d.value}" for d in p.details)
    return Reply(f"Here's what we have on file for {p.name} ({p.city}, with us since "
                 f"{p.customer_since}):{details}")


def _summary(p: GenericPersona, noun: str) -> Reply:
    figures: list[tuple[str, float, str]] = [(noun.capitalize()[:40], len(p.orders), "")]
    if p.priced:
        average = p.year_spend / len(p.orders) if p.orders else 0.0
        figures = [("Spent in 12 months", p.year_spend, "$"), *figures,
                   (f"Average per {noun[:-1] or noun}"[:40], round(average, 2), "$")]
        if p.rewards:
            figures.append(("Points", p.loyalty_points, "pts"))
    return metrics_reply(f"Here's your snapshot, {p.name.split()[0]}: {p.status}, with us "
                         f"since {p.customer_since}.", figures)


_HANDLERS = {"history": _history, "upcoming": _upcoming, "spend": _spend,
             "lifetime": _lifetime, "favourites": _favourites, "status": _status,
             "plan": _plan, "profile": _profile, "summary": _summary}


def answer_generic(topic: str, p: GenericPersona, noun: str = "orders") -> Reply | None:
    """Answer a generic-persona topic; None if it has no such topic."""
    topic = ALIASES.get(topic, topic)
    if topic.startswith("detail:"):
        for d in p.details:
            if d.label == topic[7:]:
                return Reply(f"{d.label}: {d.value}.")
        return None
    handler = _HANDLERS.get(topic)
    return handler(p, _noun(p, noun)) if handler else None

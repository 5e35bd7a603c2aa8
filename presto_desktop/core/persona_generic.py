"""The generic persona's shapes: orders, bookings, memberships ... priced from the mode's list."""

from __future__ import annotations

import hashlib
import random
import re
from bisect import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate

from presto_desktop.core.persona import Field_, GenericPersona, OrderLine, Transaction

_LEGACY_ITEMS = ["Standard order", "Premium order", "Gift card", "Service visit"]
# Extras are bought alongside something, never booked on their own.
_EXTRA_WORDS = re.compile(r"\b(add-on|add on|extra|upgrade|gift|voucher|card|deposit|fee|"
                          r"waiver|insurance|hamper|tote|merch)", re.IGNORECASE)
_PLAN_WORDS = re.compile(r"\b(plan|membership|subscription|monthly|box|tier|package|pass|"
                         r"unlimited|dues|service|contract)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Shape:
    """How a relationship's history looks: counts, lines, what lies ahead, how status reads."""

    count: tuple[int, int]  # transactions in the last 12 months (monthly: bills)
    lines: tuple[int, int] = (1, 1)  # items per transaction
    quantity: int = 1  # the most of one item in a line
    upcoming: tuple[int, int] = (0, 0)
    horizon: int = 30  # days ahead an upcoming one may lie
    monthly: bool = False  # a plan billed every month
    tiers: tuple[str, ...] = ()  # by 12-month spend, lowest first; () -> `state`
    state: str = "Active"
    rewards: bool = False


_TIERS = ("Member", "Silver", "Gold", "Platinum")
SHAPES: dict[str, Shape] = {
    "purchase": Shape((4, 11), (1, 3), 3, tiers=_TIERS, rewards=True),
    "booking": Shape((3, 8), upcoming=(1, 2), horizon=45, tiers=("Guest", "Regular", "Gold",
                                                                  "Platinum"), rewards=True),
    "appointment": Shape((2, 6), upcoming=(1, 1), horizon=60, state="Regular client"),
    "subscription": Shape((12, 12), monthly=True, upcoming=(1, 1), state="Active"),
    "membership": Shape((12, 12), monthly=True, upcoming=(1, 2), horizon=14,
                        state="Active member"),
    "policy": Shape((12, 12), monthly=True, upcoming=(1, 1), state="Active"),
    "account": Shape((12, 12), monthly=True, upcoming=(1, 1), state="Active"),
    "case": Shape((2, 6), (1, 2), upcoming=(1, 1), horizon=30, state="Open matter"),
    "enrolment": Shape((4, 10), upcoming=(1, 2), horizon=14, state="Enrolled"),
    "ticket": Shape((2, 6), quantity=4, upcoming=(1, 2), horizon=90, tiers=_TIERS, rewards=True),
    "donation": Shape((3, 12), tiers=("Friend", "Supporter", "Patron", "Benefactor")),
    "rental": Shape((2, 6), (1, 2), 3, upcoming=(1, 1), horizon=30, state="Returning customer"),
    "stay": Shape((1, 4), quantity=5, upcoming=(1, 1), horizon=120, tiers=_TIERS, rewards=True),
    "project": Shape((1, 4), (1, 3), upcoming=(1, 1), horizon=21, state="Active client"),
}


def _stable_price(name: str) -> float:
    """A fixed price for an item named without one (older callers), so orders agree."""
    digest = hashlib.sha256(name.encode("utf-8", "replace")).digest()
    return float(15 + int.from_bytes(digest[:2], "big") % 77 * 5)


def _quantity(rng: random.Random, price: float, shape: Shape) -> int:
    """How many of an item at `price` one line buys: fewer of the dearer things."""
    most = shape.quantity if price < 40 or shape.quantity > 3 else min(shape.quantity, 2)
    if price >= 150 and shape.quantity <= 3:
        most = 1
    return rng.randint(1, max(most, 1))


def _line(rng: random.Random, item: tuple[str, float], shape: Shape, priced: bool) -> OrderLine:
    name, price = item
    return OrderLine(name=name[:60], quantity=_quantity(rng, price, shape),
                     price=round(price, 2) if priced else 0.0)


def _transaction(day: date, lines: list[OrderLine]) -> Transaction:
    first = lines[0]
    label = first.name if first.quantity == 1 else f"{first.name} ×{first.quantity}"
    if len(lines) > 1:
        label = f"{first.name} + {len(lines) - 1} more"
    amount = round(sum(x.quantity * x.price for x in lines), 2)
    return Transaction(date=day.isoformat(), description=label[:60], amount=amount, lines=lines)


def _weights(items: list[tuple[str, float]]) -> list[float]:
    """How often each item is chosen: cheap things often, a $2,400 e-bike rarely."""
    return [1.0 / max(price, 1.0) ** 0.9 for _, price in items]


def _pick_items(rng: random.Random, items: list[tuple[str, float]], count: int,
                weights: list[float]) -> list[tuple[str, float]]:
    """`count` distinct items, chosen by weight."""
    pool = list(items)
    left = list(weights)
    chosen: list[tuple[str, float]] = []
    while pool and len(chosen) < count:
        # rng.choices(range(len(pool)), left)[0], without building its population and list
        # each time (the same draw: one random() against the running totals).
        totals = list(accumulate(left))
        pick = bisect(totals, rng.random() * totals[-1], 0, len(totals) - 1)
        chosen.append(pool.pop(pick))
        del left[pick]
    return chosen


def _past_days(rng: random.Random, today: date, since: date, count: int) -> list[date]:
    """`count` distinct past days, oldest first; the newest within the last 25 days."""
    start = max(today - timedelta(days=364), since)
    span = max((today - start).days - 1, 1)
    newest = today - timedelta(days=rng.randint(1, min(25, span)))
    older = {today - timedelta(days=rng.randint(26, max(span, 26))) for _ in range(count - 1)}
    days = sorted(d for d in older if d >= start and d < newest)
    return [*days, newest]


def _plan_item(items: list[tuple[str, float]]) -> tuple[str, float]:
    for item in items:
        if _PLAN_WORDS.search(item[0]):
            return item
    return items[0]


def _monthly(rng: random.Random, items: list[tuple[str, float]], shape: Shape, today: date,
             since: date, priced: bool) -> tuple[list[Transaction], list[Transaction], str]:
    plan = _plan_item(items)
    extras = [i for i in items if i is not plan]
    billing_day = rng.randint(1, 28)
    bills: list[Transaction] = []
    for back in range(12):
        index = today.year * 12 + today.month - 1 - back
        day = date(index // 12, index % 12 + 1, billing_day)
        if day >= today:
            continue
        if day < since:
            break
        lines = [_line(rng, (plan[0], plan[1]), Shape((1, 1)), priced)]
        if extras and rng.random() < 0.3:
            lines.append(_line(rng, rng.choice(extras), Shape((1, 1)), priced))
        bills.append(_transaction(day, lines))
    bills.reverse()
    index = today.year * 12 + today.month - (0 if today.day < billing_day else -1) - 1
    next_bill = date(index // 12, index % 12 + 1, billing_day)
    upcoming = [_transaction(next_bill, [_line(rng, plan, Shape((1, 1)), priced)])]
    if shape.upcoming[1] > 1 and extras:
        day = today + timedelta(days=rng.randint(1, shape.horizon))
        upcoming.append(_transaction(day, [_line(rng, rng.choice(extras), Shape((1, 1)),
                                                 priced)]))
    return bills, sorted(upcoming, key=lambda t: t.date), plan[0]


# Remembered per business: every persona of one mode has the same cuts (its own random stream),
# and simulating them was ~60% of a persona's making.
@lru_cache(maxsize=64)
def _tier_cuts(items: tuple[tuple[str, float], ...], shape: Shape) -> tuple[float, ...]:
    """12-month spends that separate the tiers: the 40th, 75th and 93rd percentiles of 80
    simulated customers of this business, so tiers spread alike whatever the prices."""
    rng = random.Random(1)
    weights = _weights(list(items))
    spends = sorted(
        # Only the quantities: building 100,000 validated OrderLines took half of make_mode.
        sum(_quantity(rng, item[1], shape) * item[1]
            for _ in range(rng.randint(*shape.count))
            for item in _pick_items(rng, list(items), rng.randint(*shape.lines), weights))
        for _ in range(80))
    return tuple(spends[int(len(spends) * q)] for q in (0.40, 0.75, 0.93))


def _status(shape: Shape, spend: float, cuts: tuple[float, ...], upcoming: int) -> str:
    if not shape.tiers:
        return shape.state if upcoming or shape.monthly else "Past client"
    return shape.tiers[sum(1 for cut in cuts if spend >= cut)]


def make_generic(rng: random.Random, base: dict, fields: list[Field_],
                 items: list[tuple[str, float | None]], *, relationship: str, today: date,
                 noun: str, rewards: bool | None, priced: bool) -> GenericPersona:
    """A generic persona whose history follows `relationship` and the mode's prices."""
    shape = SHAPES.get(relationship, SHAPES["purchase"])
    named = items or [(n, None) for n in _LEGACY_ITEMS]
    listed = [(n[:60], p if p is not None else _stable_price(n)) for n, p in named]
    since = date(base["customer_since"], 1, 1)
    upcoming: list[Transaction] = []
    plan = ""
    if shape.monthly:
        orders, upcoming, plan = _monthly(rng, listed, shape, today, since, priced)
    else:
        count = rng.randint(*shape.count)
        weights = _weights(listed)
        orders = [_transaction(day, [_line(rng, item, shape, priced) for item in _pick_items(
                      rng, listed, rng.randint(*shape.lines), weights)])
                  for day in _past_days(rng, today, since, count)]
        main = [i for i in listed if not _EXTRA_WORDS.search(i[0])]
        main = main if len(main) >= 2 else listed
        for _ in range(rng.randint(*shape.upcoming)):
            day = today + timedelta(days=rng.randint(1, shape.horizon))
            upcoming.append(_transaction(day, [_line(rng, rng.choice(main), shape, priced)]))
        upcoming.sort(key=lambda t: t.date)
    spend = round(sum(o.amount for o in orders), 2)
    cuts = _tier_cuts(tuple(listed), shape) if shape.tiers and not shape.monthly else ()
    years_before = today.year - base["customer_since"]
    prior = round(spend * years_before * rng.uniform(0.45, 0.95), 2) if years_before > 0 else 0.0
    with_rewards = shape.rewards if rewards is None else rewards
    return GenericPersona(
        kind="generic", **base, loyalty_points=int(spend) if with_rewards and priced else 0,
        status=_status(shape, spend, cuts, len(upcoming)), orders=orders, details=fields,
        relationship=relationship if relationship in SHAPES else "purchase",  # type: ignore[arg-type]
        noun=noun[:30], prior_spend=prior if priced else 0.0, upcoming=upcoming[:10],
        plan=plan[:60], rewards=with_rewards, priced=priced)

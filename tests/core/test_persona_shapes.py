"""Generic personas follow their relationship, count back from today and add up."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from pydantic import ValidationError

from presto_desktop.core.persona import RELATIONSHIPS, GenericPersona, Transaction
from presto_desktop.core.persona_maker import make_persona

TODAY = date(2026, 12, 6)
ITEMS = [("Seasonal bouquet", 65.0), ("Dozen roses", 79.0), ("Peony arrangement", 95.0),
         ("Succulent planter", 42.0), ("Sympathy wreath", 150.0), ("Bud vase", 28.0)]
GENERIC = [r for r in RELATIONSHIPS if r not in ("policy", "account")]


def _make(seed: int, relationship: str, **kw: object) -> GenericPersona:
    persona = make_persona("generic", seed, [("Favourite", ["a", "b", "c"])], ITEMS,
                           relationship=relationship, today=TODAY, **kw)
    assert isinstance(persona, GenericPersona)
    return persona


@pytest.mark.parametrize("relationship", GENERIC)
def test_same_seed_and_day_same_person(relationship: str) -> None:
    assert _make(7, relationship) == _make(7, relationship)
    later = make_persona("generic", 7, [], ITEMS, relationship=relationship,
                         today=date(2027, 3, 1))
    assert later.as_of == "2027-03-01"


@pytest.mark.parametrize("relationship", GENERIC)
def test_dates_count_back_from_today_and_totals_add_up(relationship: str) -> None:
    prices = dict(ITEMS)
    for seed in range(60):
        p = _make(seed, relationship)
        assert p.orders, (relationship, seed)
        days = [date.fromisoformat(o.date) for o in p.orders]
        assert days == sorted(days)
        assert 0 < (TODAY - days[-1]).days <= 31
        assert all((TODAY - d).days <= 366 for d in days)
        assert all(d.year >= p.customer_since for d in days)
        assert all(date.fromisoformat(u.date) >= TODAY for u in p.upcoming)
        for order in p.orders + p.upcoming:
            assert order.lines
            assert all(prices[x.name] == x.price for x in order.lines)
        assert p.lifetime_spend >= p.year_spend
        assert p.year_spend == round(sum(o.amount for o in p.orders), 2)
        if p.customer_since == TODAY.year:
            assert p.prior_spend == 0


def test_tiers_spread_like_a_real_customer_base() -> None:
    tiers = Counter(_make(seed, "purchase").status for seed in range(300))
    assert set(tiers) == {"Member", "Silver", "Gold", "Platinum"}
    assert tiers["Platinum"] < 45  # the top tier is rare
    assert max(tiers.values()) < 180


def test_no_rewards_and_free_services() -> None:
    funeral = _make(3, "case")
    assert not funeral.rewards and funeral.loyalty_points == 0
    free = _make(3, "appointment", priced=False)
    assert free.lifetime_spend == 0 and all(o.amount == 0 for o in free.orders)


def test_an_amount_that_is_not_the_sum_of_its_lines_is_refused() -> None:
    with pytest.raises(ValidationError):
        Transaction(date="2026-11-01", description="x", amount=10.0,
                    lines=[{"name": "x", "quantity": 2, "price": 4.0}])

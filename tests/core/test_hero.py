"""Hero imagery colours: palette-true, deterministic, and every text rule kept on them."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presto_desktop.core.contrast import (
    BACKDROP_RULES,
    TEXT_ON_BACKDROP,
    contrast_ratio,
    mix,
    strongest_tint,
)
from presto_desktop.core.hero import PATTERNS, hero_for
from presto_desktop.core.palette import derive_palette
from presto_desktop.core.paths import resource_path

BUILTINS = ["banking", "default", "healthcare", "insurance"]


def _roles(mode_id: str, variant: str) -> tuple[str, dict[str, str]]:
    data = json.loads(resource_path("modes", f"{mode_id}.json").read_text(encoding="utf-8"))
    return data["company_name"], data["palette"][variant]


def _reads(roles: dict[str, str], colour: str, rules: tuple[tuple[str, float], ...]) -> bool:
    return all(contrast_ratio(roles[role], colour) >= minimum for role, minimum in rules)


@pytest.mark.parametrize("mode_id", BUILTINS)
@pytest.mark.parametrize("variant", ["light", "dark"])
def test_every_text_rule_holds_on_the_builtin_backdrops(mode_id, variant) -> None:
    company, roles = _roles(mode_id, variant)
    hero = hero_for(company, roles)
    for colour in (hero.top, hero.bottom):
        assert _reads(roles, colour, BACKDROP_RULES)
    assert _reads(roles, hero.ink, TEXT_ON_BACKDROP)
    assert hero.pattern in PATTERNS.values()
    assert hero_for(company, roles) == hero  # same mode, same picture


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 0xFFFFFF), st.booleans(), st.text(min_size=1, max_size=30))
def test_any_seed_colour_and_company_keeps_the_rules(seed, dark, company) -> None:
    palette = derive_palette(f"#{seed:06x}")
    roles = (palette.dark if dark else palette.light).model_dump()
    hero = hero_for(company, roles)
    assert _reads(roles, hero.top, BACKDROP_RULES) and _reads(roles, hero.bottom, BACKDROP_RULES)
    assert _reads(roles, hero.ink, TEXT_ON_BACKDROP)


def test_the_backdrop_is_tinted_toward_the_palette_and_stays_subtle() -> None:
    company, roles = _roles("banking", "light")
    hero = hero_for(company, roles)
    assert hero.ink != roles["background"] and hero.top != roles["background"]
    # Never more than MAX_TINT of the way to the primary.
    assert contrast_ratio(hero.ink, roles["background"]) < 1.5


def test_different_companies_get_different_pictures() -> None:
    _, roles = _roles("default", "light")
    names = ["Petal & Stem", "Northwind", "Acme Robotics", "Blue Harbor", "Cedar Dental",
             "Orbit Coffee", "Kite Legal", "Maple Farms"]
    pictures = {(h.pattern, h.tile, h.angle, h.offset)
                for h in (hero_for(name, roles) for name in names)}
    assert len(pictures) == len(names)
    assert len({hero_for(name, roles).pattern for name in names}) >= 3


def test_mix_and_tint_limits() -> None:
    assert mix("#000000", "#ffffff", 0.5) == "#808080"
    _, roles = _roles("banking", "dark")
    assert strongest_tint(roles, roles["primary"], 0.0) == 0.0
    assert 0 < strongest_tint(roles, roles["primary"], 0.16, TEXT_ON_BACKDROP) <= 0.16

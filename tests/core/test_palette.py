"""Palette derivation meets the WCAG contrast rules for any seed."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presto_desktop.core.contrast import CONTRAST_RULES, contrast_ratio
from presto_desktop.core.models import PALETTE_ROLES, Palette
from presto_desktop.core.palette import derive_palette

HEX = re.compile(r"^#[0-9a-f]{6}$")


def assert_palette_ok(palette: Palette) -> None:
    for variant in (palette.light, palette.dark):
        roles = variant.model_dump()
        assert set(PALETTE_ROLES) <= set(roles)
        for role, value in roles.items():
            assert HEX.match(value), (role, value)
        for fg, bg, minimum in CONTRAST_RULES:
            ratio = contrast_ratio(roles[fg], roles[bg])
            assert ratio >= minimum, f"{fg}/{bg} = {ratio} < {minimum}"


@pytest.mark.parametrize("seed", ["#ffffff", "#000000", "#808080", "#ffff00", "#ff0000", "#00ffff"])
def test_edge_seeds(seed: str) -> None:
    assert_palette_ok(derive_palette(seed))


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=0xFFFFFF))
def test_random_seeds(value: int) -> None:
    palette = derive_palette(f"#{value:06x}")
    assert palette.primary == f"#{value:06x}"
    assert_palette_ok(palette)


def test_dark_variant_is_dark_and_light_is_light() -> None:
    palette = derive_palette("#3366cc")
    assert contrast_ratio(palette.light.background, "#ffffff") < 1.2
    assert contrast_ratio(palette.dark.background, "#000000") < 1.6


@pytest.mark.parametrize("bad", ["red", "#fff", "#GGGGGG", "#fff}QWidget{", "", "#12345678"])
def test_rejects_non_hex(bad: str) -> None:
    with pytest.raises(ValueError):
        derive_palette(bad)


def test_contrast_formula_known_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.478, abs=0.01)


@settings(max_examples=300, deadline=None)
@given(st.floats(-0.1, 1.1), st.floats(-0.05, 0.5), st.floats(0, 720))
def test_fast_oklch_conversion_is_coloraides(lightness: float, chroma: float, hue: float) -> None:
    """The bare conversion steps give exactly what coloraide's Color gives (same palettes)."""
    from presto_desktop.core.palette import _oklch_to_hex, _oklch_to_hex_color

    assert _oklch_to_hex(lightness, chroma, hue) == _oklch_to_hex_color(lightness, chroma, hue)


def test_palettes_without_the_fast_path_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """If coloraide's private steps move or disagree, the Color path gives the same palette."""
    import presto_desktop.core.palette as palette_module

    fast = palette_module.derive_palette.__wrapped__("#2e7d32")
    monkeypatch.setattr(palette_module, "_srgb_steps", lambda: None)
    assert palette_module.derive_palette.__wrapped__("#2e7d32") == fast

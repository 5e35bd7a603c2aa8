"""Remove logo: the drawn emblem again, and the palette the mode had before its logo."""

from __future__ import annotations

import io

from PIL import Image

from presto_desktop.core.logo import LoadedLogo, brand_mode, unbrand_mode
from presto_desktop.core.modefile import dump_mode, parse_mode
from presto_desktop.core.models import Brand
from tests.factories import make_mode


def _logo(colour: str = "#14785a") -> LoadedLogo:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "PNG")
    return LoadedLogo("image/png", out.getvalue(), colour)


def test_removing_restores_the_palette_from_before_the_first_logo() -> None:
    mode = make_mode("florist", primary="#8e24aa")
    once = brand_mode(mode, _logo())
    twice = brand_mode(once, _logo("#c62828"))
    assert twice.brand is not None and twice.brand.previous_palette == mode.palette
    plain = unbrand_mode(twice)
    assert plain.palette == mode.palette
    assert plain.brand is not None and plain.brand.logo is None and plain.brand.icon
    assert parse_mode(dump_mode(plain)) == plain


def test_a_mode_branded_without_a_remembered_palette_keeps_the_logos() -> None:
    branded = brand_mode(make_mode(), _logo())
    assert branded.brand is not None
    old_style = branded.model_copy(update={"brand": Brand(icon="flower",
                                                          logo=branded.brand.logo)})
    assert unbrand_mode(old_style).palette == branded.palette  # still contrast-checked


def test_unbranding_a_plain_mode_changes_nothing_but_the_icon_record() -> None:
    mode = make_mode()
    assert unbrand_mode(mode).palette == mode.palette

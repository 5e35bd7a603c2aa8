"""The one-file bundle: a generated mark embedded as `brand.mark`, checked again on every read."""

from __future__ import annotations

import base64
import io
import json
import random

import pytest
from PIL import Image

from presto_desktop.core.brand_mark import (
    MARK_PIXELS,
    bundled,
    compact,
    embed_mark,
    generated_mark,
    shown_mark,
    shrink_mark,
)
from presto_desktop.core.errors import ModeValidationError
from presto_desktop.core.generated_images import GeneratedImages, emblem_prompt
from presto_desktop.core.logo import check_logo
from presto_desktop.core.logo_svg import LogoError
from presto_desktop.core.mode_transfer import export_mode, load_import
from presto_desktop.core.modefile import MAX_MODE_BYTES, dump_mode, parse_mode
from presto_desktop.core.models import MAX_LOGO_BYTES
from presto_desktop.core.settings import Settings
from tests.factories import make_mode

ROLES = make_mode("florist").palette.light.model_dump()


def _png(size: int = 64, noisy: bool = False) -> bytes:
    image = Image.new("RGB", (size, size), (200, 40, 40))
    if noisy:  # incompressible: a PNG far over the 256 KB cap
        image = Image.frombytes("RGB", (size, size), random.Random(16).randbytes(size * size * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _raw(mode_bytes: bytes) -> dict:
    return json.loads(mode_bytes)


def _with_mark(media_type: str, data: str) -> bytes:
    raw = _raw(dump_mode(make_mode("florist")))
    raw["brand"] = {"icon": "flower", "mark": {"media_type": media_type, "data": data}}
    return json.dumps(raw).encode()


def test_shown_mark_is_logo_then_mark_then_drawn_emblem() -> None:
    mode = make_mode("florist")
    kind, svg = shown_mark(mode, ROLES)
    assert kind == "image/svg+xml" and svg.startswith(b"<svg")
    marked = embed_mark(mode, "image/png", _png())
    assert shown_mark(marked, ROLES)[0] == "image/png"
    from presto_desktop.core.logo import brand_mode

    logo = check_logo(b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="#123456" '
                      b'width="9" height="9"/></svg>', "l.svg", MAX_LOGO_BYTES)
    branded = brand_mode(marked, logo)
    assert shown_mark(branded, ROLES)[0] == "image/svg+xml"  # the logo wins


def test_a_big_generated_mark_is_shrunk_to_fit_the_mode_file() -> None:
    big = _png(1024, noisy=True)
    assert len(big) > MAX_LOGO_BYTES
    kind, small = shrink_mark("image/png", big)
    assert len(small) <= MAX_LOGO_BYTES
    with Image.open(io.BytesIO(small)) as image:
        assert max(image.size) == MARK_PIXELS
    mode = embed_mark(make_mode("florist"), "image/png", big)
    data = dump_mode(mode)
    assert len(data) < MAX_MODE_BYTES
    assert parse_mode(data) == mode  # reads back, checked again
    assert mode.summary().has_logo  # the library reads the file for its pixels
    assert compact(("image/png", big)) is not None and compact(("image/png", big))[0] == kind


def test_bundled_embeds_only_what_the_window_would_show(tmp_path) -> None:
    mode = make_mode("florist")
    images = GeneratedImages(tmp_path / "images")
    on = Settings(generated_images=True)
    assert bundled(mode, images, on) == mode  # nothing cached: plain mode JSON
    images.put(on.image_model, emblem_prompt(mode), _png())
    assert bundled(mode, images, Settings()) == mode  # the setting is off: the drawn emblem shows
    shared = bundled(mode, images, on)
    assert shared.brand is not None and shared.brand.mark is not None
    assert generated_mark(shared, images, on) is None  # its own mark now: nothing to ask
    out = tmp_path / "florist.json"
    export_mode(shared, out)
    again = load_import(out)
    assert again.brand is not None and again.brand.mark == shared.brand.mark


def test_old_files_without_a_mark_still_read_and_are_written_as_before() -> None:
    mode = make_mode("florist")
    assert "brand" not in _raw(dump_mode(mode))
    assert parse_mode(dump_mode(mode)) == mode


@pytest.mark.parametrize(("media_type", "data", "words"), [
    ("image/png", "not base64!!", "brand.mark.data"),
    ("image/png", "QUJD", "not a PNG"),  # "ABC": valid base64, not an image
    ("image/png", base64.b64encode(b"\xff\xd8\xff\xe0 jpeg").decode(), "not a PNG"),
    ("image/svg+xml", base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg">'
                                       b'<script>alert(1)</script></svg>').decode(),
     "brand.mark.media_type"),
    ("image/gif", base64.b64encode(b"GIF89a").decode(), "brand.mark.media_type"),
    ("image/png", "A" * ((MAX_LOGO_BYTES + 2) // 3 * 4 + 4), "brand.mark.data"),
])
def test_hostile_marks_are_refused_with_one_line(media_type, data, words) -> None:
    with pytest.raises(ModeValidationError) as caught:
        parse_mode(_with_mark(media_type, data), "shared.json")
    line = str(caught.value)
    assert "\n" not in line and words in line, line


def test_bad_padding_is_refused() -> None:
    with pytest.raises(ModeValidationError, match="brand.mark"):
        parse_mode(_with_mark("image/png", "iVBORw0KGgoAA"), "shared.json")


def test_a_bundle_whose_mode_fails_validation_is_refused(tmp_path) -> None:
    raw = _raw(dump_mode(embed_mark(make_mode("florist"), "image/png", _png())))
    raw["palette"]["primary"] = "red"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(ModeValidationError, match="palette.primary"):
        load_import(path)


def test_an_oversized_file_is_refused_before_parsing(tmp_path) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(_with_mark("image/png", "A" * (MAX_MODE_BYTES + 10)))
    with pytest.raises(ModeValidationError, match="too large"):
        load_import(path)


@pytest.mark.parametrize("data", [b"", b"GIF89a", b"\x89PNG\r\n\x1a\ncut", "bomb"])
def test_shrinking_refuses_what_is_not_a_usable_image(data) -> None:
    if data == "bomb":
        out = io.BytesIO()
        Image.new("1", (5000, 5000)).save(out, "PNG")
        data = out.getvalue()
    with pytest.raises(LogoError):
        shrink_mark("image/png", data)
    assert compact(("image/png", data + b"x" * (MAX_LOGO_BYTES + 1))) is None
    with pytest.raises(LogoError):
        shrink_mark("image/svg+xml", b"<svg/>")

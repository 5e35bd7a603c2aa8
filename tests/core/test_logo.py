"""'Use our logo': every bad input refused with one line; good logos give their colour."""

from __future__ import annotations

import base64
import io
import os
import random
import sys
from pathlib import Path

import pytest
from PIL import Image

from presto_desktop.core.contrast import check_palette_contrast
from presto_desktop.core.logo import brand_mode, read_logo
from presto_desktop.core.logo_svg import LogoError, sanitise_svg
from presto_desktop.core.modefile import MAX_MODE_BYTES, dump_mode, parse_mode
from presto_desktop.core.models import MAX_LOGO_BYTES
from tests.factories import make_mode

GREEN = (20, 120, 90)


def _image(fmt: str, size: tuple[int, int] = (120, 60), colour: tuple[int, ...] = GREEN,
           **save: object) -> bytes:
    image = Image.new("RGB", size, (255, 255, 255))
    image.paste(colour, (10, 10, size[0] - 10, size[1] - 10))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _near(hex_colour: str, rgb: tuple[int, ...], slack: int = 12) -> bool:
    got = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
    return all(abs(a - b) <= slack for a, b in zip(got, rgb, strict=True))


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(LogoError) as info:
        read_logo(path)
    message = str(info.value)
    assert "\n" not in message and path.name in message
    for word in words:
        assert word in message, message
    return message


@pytest.mark.parametrize(("fmt", "media_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_png_and_jpeg_give_their_brand_colour(tmp_path, fmt, media_type) -> None:
    logo = read_logo(_write(tmp_path, f"logo.{fmt.lower()}", _image(fmt)))
    assert logo.media_type == media_type and _near(logo.colour, GREEN)


def test_transparent_png_counts_only_visible_pixels(tmp_path) -> None:
    image = Image.new("RGBA", (80, 80), (255, 0, 0, 0))  # invisible red everywhere
    image.paste((30, 60, 200, 255), (30, 30, 50, 50))
    out = io.BytesIO()
    image.save(out, "PNG")
    assert _near(read_logo(_write(tmp_path, "t.png", out.getvalue())).colour, (30, 60, 200))


def test_mislabelled_files_are_judged_by_their_bytes(tmp_path) -> None:
    assert read_logo(_write(tmp_path, "logo.jpg", _image("PNG"))).media_type == "image/png"
    _refused(_write(tmp_path, "logo.png", "just some text, not an image"),
             "not a PNG, JPEG or SVG")
    _refused(_write(tmp_path, "logo.gif", _image("GIF")), "not a PNG, JPEG or SVG")


def test_truncated_images_are_refused(tmp_path) -> None:
    for fmt in ("PNG", "JPEG"):
        data = _image(fmt, (400, 300))
        _refused(_write(tmp_path, f"cut.{fmt.lower()}", data[: len(data) // 2]), "truncated")


def test_pixel_bombs_are_refused_before_decoding(tmp_path) -> None:
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")  # 400 M pixels in a few KB
    assert len(out.getvalue()) < MAX_LOGO_BYTES
    _refused(_write(tmp_path, "bomb.png", out.getvalue()), "too large")
    _refused(_write(tmp_path, "big.jpg", _image("JPEG", (2100, 2100))), "too large")


def test_animated_png_uses_its_first_frame(tmp_path) -> None:
    frames = [Image.new("RGB", (40, 40), colour) for colour in (GREEN, (200, 30, 30))]
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:], duration=100)
    assert _near(read_logo(_write(tmp_path, "anim.png", out.getvalue())).colour, GREEN)


def test_size_kind_and_empty_checks(tmp_path) -> None:
    _refused(_write(tmp_path, "huge.png", b"\x89PNG\r\n\x1a\n" + b"0" * MAX_LOGO_BYTES),
             "too large")
    _refused(_write(tmp_path, "empty.svg", b""), "empty")
    (tmp_path / "folder.png").mkdir()
    _refused(tmp_path / "folder.png", "not a regular file")
    _refused(tmp_path / "missing.png", "no such file")


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes are POSIX here")
def test_a_named_pipe_is_refused_without_blocking(tmp_path) -> None:
    os.mkfifo(tmp_path / "pipe.png")
    _refused(tmp_path / "pipe.png", "not a regular file")


SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{}</svg>'
BAD_SVGS = {
    "script": (SVG.format("<script>alert(1)</script>"), "script"),
    "handler": ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler"),
    "link": (SVG.format('<a href="https://example.com"><rect width="5" height="5"/></a>'),
             "external reference"),
    "xlink": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
              '<use xlink:href="file:///etc/passwd#x"/></svg>', "external reference"),
    "image": (SVG.format('<image href="#x"/>'), "image"),
    "data": (SVG.format('<use href="data:image/svg+xml;base64,AAAA"/>'), "data: URI"),
    "entity": ('<!DOCTYPE svg [<!ENTITY x "xx">]>' + SVG.format("&x;"), "DOCTYPE or entities"),
    "external-entity": ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        + SVG.format("&x;"), "DOCTYPE or entities"),
    "css-url": (SVG.format('<rect fill="url(https://evil.example/x.svg#p)"/>'),
                "external reference"),
    "import": (SVG.format("<style>@import url(#a);</style>"), "@import"),
    "foreign": (SVG.format("<foreignObject><p>hi</p></foreignObject>"), "foreignobject"),
    "js-link": (SVG.format('<a href="javascript:alert(1)"/>'), "javascript"),
    "not-svg": ("<?xml version='1.0'?><html/>", "not an SVG"),
    "damaged": ('<svg xmlns="http://www.w3.org/2000/svg"><rect', "damaged SVG"),
}


@pytest.mark.parametrize("case", sorted(BAD_SVGS))
def test_unsafe_svgs_are_refused_with_one_line(tmp_path, case) -> None:
    text, words = BAD_SVGS[case]
    _refused(_write(tmp_path, f"{case}.svg", text), words)


def test_svg_not_utf8_is_refused(tmp_path) -> None:
    _refused(_write(tmp_path, "latin.svg", "<svg>é</svg>".encode("latin-1")), "not UTF-8")


def test_safe_svg_is_rewritten_without_comments(tmp_path) -> None:
    text = ('<?xml version="1.0"?><!-- made by hand --><svg xmlns="http://www.w3.org/2000/svg" '
            'viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs>'
            '<rect fill="url(#g)" width="4" height="4"/><circle fill="#E4572E" r="3"/></svg>')
    logo = read_logo(_write(tmp_path, "ok.svg", text))
    assert logo.media_type == "image/svg+xml" and logo.colour == "#e4572e"
    assert b"made by hand" not in logo.data and logo.data.startswith(b"<svg")
    assert sanitise_svg(logo.data) == logo.data


def test_branding_keeps_contrast_and_a_mode_file_under_the_limit(tmp_path) -> None:
    # The largest logo a mode may hold.
    data = b"\xff\xd8\xff" + random.Random(16).randbytes(MAX_LOGO_BYTES - 3)
    mode = make_mode()
    for logo_path in (_write(tmp_path, "a.png", _image("PNG")),
                      _write(tmp_path, "ok.svg", SVG.format('<rect fill="#ffeb3b"/>'))):
        branded = brand_mode(mode, read_logo(logo_path))
        for variant in (branded.palette.light, branded.palette.dark):
            assert check_palette_contrast(variant.model_dump()) is None
        assert branded.brand is not None and branded.brand.logo is not None
        assert parse_mode(dump_mode(branded)) == branded
    big = brand_mode(mode, read_logo(_write(tmp_path, "big.jpg", _image("JPEG"))))
    assert big.brand is not None and big.brand.logo is not None
    stuffed = big.brand.logo.model_copy(update={"data": base64.b64encode(data).decode()})
    biggest = big.model_copy(update={"brand": big.brand.model_copy(update={"logo": stuffed})})
    assert len(dump_mode(biggest)) < MAX_MODE_BYTES
    assert parse_mode(dump_mode(biggest)).brand == biggest.brand


@pytest.mark.parametrize(("media_type", "content", "words"), [
    ("image/svg+xml", SVG.format("<script>x</script>"), "script"),
    ("image/svg+xml", SVG.format('<image href="file:///etc/passwd"/>'), "image"),
    ("image/png", "GIF89a not a png", "not a PNG image"),
    ("image/jpeg", "\x89PNG\r\n\x1a\n", "not a JPEG image"),
])
def test_a_shared_mode_with_an_unsafe_logo_is_refused(media_type, content, words) -> None:
    from presto_desktop.core.errors import ModeValidationError

    text = make_mode().model_dump_json()
    data = base64.b64encode(content.encode("latin-1")).decode()
    hostile = text[:-1] + f', "brand": {{"logo": {{"media_type": "{media_type}", "data": "{data}"}}}}}}'
    with pytest.raises(ModeValidationError) as info:
        parse_mode(hostile.encode())
    assert "brand.logo" in str(info.value) and words in str(info.value)


def test_an_exported_branded_mode_keeps_its_logo_and_palette(tmp_path) -> None:
    from presto_desktop.core.mode_transfer import load_import
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.core.store import ModeStore

    mine = ModeStore(AppPaths.resolve(tmp_path / "mine"))
    branded = brand_mode(make_mode(), read_logo(_write(tmp_path, "l.png", _image("PNG"))))
    mine.save(branded)
    shared = mine.export(branded.id, tmp_path / "shared.json")
    theirs = ModeStore(AppPaths.resolve(tmp_path / "theirs"))
    theirs.import_mode(load_import(Path(shared)), "rename")
    got = theirs.get(branded.id)
    assert got.brand == branded.brand and got.palette == branded.palette

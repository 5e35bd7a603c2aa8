"""The generated-image cache: checked like a logo file going in and coming out."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from presto_desktop.core.generated_images import GeneratedImages, emblem_prompt
from presto_desktop.core.logo_svg import LogoError
from tests.factories import make_mode


def _png(size: int = 32, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (size, size), (30, 90, 200) if mode == "RGB" else 0).save(out, "PNG")
    return out.getvalue()


def test_put_then_get_by_model_and_prompt(tmp_path) -> None:
    cache = GeneratedImages(tmp_path / "images")
    assert cache.get("gpt-image-1", "p") is None
    stored = cache.put("gpt-image-1", "p", _png())
    assert stored.media_type == "image/png" and stored.colour.startswith("#")
    assert cache.get("gpt-image-1", "p") == stored
    assert cache.get("dall-e-3", "p") is None and cache.get("gpt-image-1", "q") is None


@pytest.mark.parametrize(("data", "words"), [
    (b"", "empty"),
    (b"GIF89a....", "not a PNG, JPEG or SVG"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>', "not a PNG"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', "script"),
    ("bomb", "too large"),
    ("cut", "damaged or truncated"),
])
def test_hostile_server_answers_are_refused_and_not_kept(tmp_path, data, words) -> None:
    if data == "bomb":
        data = _png(5000, "1")
    elif data == "cut":
        data = _png(300)[:150]
    cache = GeneratedImages(tmp_path / "images")
    with pytest.raises(LogoError, match=words):
        cache.put("m", "p", data)
    assert not list((tmp_path / "images").glob("*")) if (tmp_path / "images").exists() else True


def test_a_tampered_cache_file_is_ignored(tmp_path) -> None:
    cache = GeneratedImages(tmp_path / "images")
    cache.put("m", "p", _png())
    (file,) = (tmp_path / "images").iterdir()
    file.write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    assert cache.get("m", "p") is None
    file.unlink()
    file.mkdir()  # a folder in its place
    assert cache.get("m", "p") is None


def test_the_prompt_names_the_company_and_colour_and_asks_for_no_text() -> None:
    mode = make_mode(company="Petal & Stem", primary="#8e24aa")
    prompt = emblem_prompt(mode)
    assert "Petal & Stem" in prompt and mode.palette.primary in prompt and "no text" in prompt

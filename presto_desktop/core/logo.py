"""'Use our logo': an untrusted PNG, JPEG or SVG file becomes a mode's emblem and colour seed.

The file is read through core/safe_read.py (regular file, at most MAX_LOGO_BYTES), its kind
is taken from its bytes, never its name, and it is stored embedded in the mode (base64,
docs/BRAND.md). PNG and JPEG go through Pillow, imported only here: the header is read first
and anything above MAX_LOGO_PIXELS is refused before a pixel is decoded (decompression
bombs); truncated files are refused; of an animation only the first frame counts.
"""

from __future__ import annotations

import base64
import colorsys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from presto_desktop.core.logo_svg import LogoError, sanitise_svg, svg_colours
from presto_desktop.core.safe_read import UnreadableFileError, read_limited

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode

__all__ = ["MAX_LOGO_PIXELS", "LoadedLogo", "LogoError", "brand_mode", "check_logo",
           "dominant_colour", "read_logo", "unbrand_mode"]

MAX_LOGO_PIXELS = 4_000_000  # 2000 x 2000; a logo is small, a bomb is not
_SAMPLE = 64  # the colour count runs on a 64 px thumbnail


@dataclass(frozen=True)
class LoadedLogo:
    """A checked logo: its media type, the bytes to store and its dominant colour."""

    media_type: str
    data: bytes
    colour: str


def _sniff(data: bytes) -> str | None:
    """The media type the bytes really are (a .png that holds a JPEG is a JPEG)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")):
        return "image/svg+xml"
    return None


def _pick(counts: Counter[str]) -> str:
    """The most frequent colourful colour; grey, near-white and near-black ones count last."""
    def colourful(hex_colour: str) -> bool:
        r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        _h, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
        return saturation > 0.2 and 0.12 < lightness < 0.92

    for hex_colour, _count in counts.most_common():
        if colourful(hex_colour):
            return hex_colour
    # (palette code owns colours; imported here, as palette loads the models: the header
    # imports this module before the first paint)
    from presto_desktop.core.palette import NEUTRAL_SEED

    return NEUTRAL_SEED


def _raster_colours(data: bytes, name: str, kind: str) -> Counter[str]:
    """Colour counts of the first frame of a PNG/JPEG, refusing bombs and truncated files."""
    import io
    import warnings

    from PIL import Image  # ~0.1 s; only `modes brand` decodes images headless

    expected = {"image/png": "PNG", "image/jpeg": "JPEG"}[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                width, height = image.size
                if width * height > MAX_LOGO_PIXELS:
                    raise LogoError(f"{name}: image too large ({width:,} x {height:,} pixels; "
                                    f"the limit is {MAX_LOGO_PIXELS:,})")
                image.seek(0)  # an animation: its first frame
                image.draft("RGB", (_SAMPLE, _SAMPLE))  # JPEG: decode at 1/2-1/8 scale
                image.thumbnail((_SAMPLE, _SAMPLE))
                rgba = image.convert("RGBA")
    except LogoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise LogoError(f"{name}: image too large (a decompression bomb)") from None
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a bad file
        detail = " ".join(str(exc).split())[:80]
        raise LogoError(f"{name}: damaged or truncated image ({detail})") from None
    counts: Counter[str] = Counter()
    raw = rgba.tobytes()
    for index in range(0, len(raw), 4):
        r, g, b, a = raw[index:index + 4]
        if a >= 128:  # transparent pixels are not the brand
            # Buckets of 8 levels per channel: anti-aliased edges join their colour.
            counts[f"#{r & 0xF8:02x}{g & 0xF8:02x}{b & 0xF8:02x}"] += 1
    return counts


def dominant_colour(media_type: str, data: bytes, name: str = "logo") -> str:
    """The logo's brand colour as '#rrggbb'."""
    if media_type == "image/svg+xml":
        return _pick(svg_colours(data))
    return _pick(_raster_colours(data, name, media_type))


def read_logo(path: Path | str) -> LoadedLogo:
    """Read and check a logo file; LogoError (one line) when it cannot be used."""
    from presto_desktop.core.models import MAX_LOGO_BYTES

    name = Path(path).name
    try:
        data = read_limited(path, MAX_LOGO_BYTES)
    except UnreadableFileError as exc:
        raise LogoError(str(exc)) from None
    except FileNotFoundError:
        raise LogoError(f"{name}: no such file") from None
    return check_logo(data, name, MAX_LOGO_BYTES)


def check_logo(data: bytes, name: str, limit: int) -> LoadedLogo:
    """Check image bytes (a logo file's, or a generated image's) like a logo file."""
    if not data:
        raise LogoError(f"{name}: file is empty")
    if len(data) > limit:
        raise LogoError(f"{name}: image too large ({len(data):,} bytes)")
    kind = _sniff(data)
    if kind is None:
        raise LogoError(f"{name}: not a PNG, JPEG or SVG image")
    if kind == "image/svg+xml":
        data = sanitise_svg(data, name)
        if len(data) > limit:
            raise LogoError(f"{name}: SVG too large once rewritten")
    return LoadedLogo(kind, data, dominant_colour(kind, data, name))


def brand_mode(mode: Mode, logo: LoadedLogo) -> Mode:
    """`mode` with `logo` as its emblem and a palette derived from the logo's colour."""
    from presto_desktop.core.emblem import mode_icon
    from presto_desktop.core.models import Brand, Logo
    from presto_desktop.core.palette import derive_palette

    stored = Logo(media_type=logo.media_type,  # type: ignore[arg-type]
                  data=base64.b64encode(logo.data).decode("ascii"))
    # A second logo keeps the palette from before the first: that is the mode's own.
    before = mode.brand.previous_palette if mode.brand is not None else None
    return mode.model_copy(update={
        "palette": derive_palette(logo.colour),
        "brand": Brand(icon=mode_icon(mode), logo=stored,
                       previous_palette=before or mode.palette),
    })


def unbrand_mode(mode: Mode) -> Mode:
    """`mode` with its drawn emblem again and the palette it had before its logo.

    A mode branded before the palette was remembered keeps the logo's palette (still valid).
    """
    from presto_desktop.core.emblem import mode_icon
    from presto_desktop.core.models import Brand

    before = mode.brand.previous_palette if mode.brand is not None else None
    return mode.model_copy(update={"palette": before or mode.palette,
                                   "brand": Brand(icon=mode_icon(mode))})

"""The mark a mode shows (logo > generated mark > drawn emblem) and the one-file bundle's mark.

A mode file is the one-file bundle (docs/BRAND.md): its logo is embedded as `brand.logo`,
and an image model's mark, which otherwise lives only in this machine's image cache, is
embedded by `modes export` and the library's Export as `brand.mark` (PNG or JPEG, at most
MARK_PIXELS square, under the logo's 256 KB cap), so the shared file keeps its look on a
machine without the image server. Reading it back checks it like a logo (core/models.py).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from typing import TYPE_CHECKING

from presto_desktop.core.logo import MAX_LOGO_PIXELS, LogoError

if TYPE_CHECKING:
    from presto_desktop.core.generated_images import GeneratedImages
    from presto_desktop.core.logo import LoadedLogo
    from presto_desktop.core.models import Mode
    from presto_desktop.core.settings import Settings

SVG = "image/svg+xml"
MARK_PIXELS = 256  # the header shows 48 px, the window icon 128: 256 stays crisp at 2x
MarkBytes = tuple[str, bytes]  # (media type, bytes)


def shown_mark(mode: Mode, roles: Mapping[str, str]) -> MarkBytes:
    """What the mode shows on its own: its logo, its embedded mark, else its drawn emblem."""
    from presto_desktop.core.emblem import EmblemSpec, emblem_svg, mode_icon

    brand = mode.brand
    for stored in (brand.logo, brand.mark) if brand is not None else ():
        if stored is not None:
            return stored.media_type, base64.b64decode(stored.data)
    spec = EmblemSpec(mode.id, mode.company_name, mode_icon(mode), roles)
    return SVG, emblem_svg(spec).encode("utf-8")


def generated_mark(mode: Mode, images: GeneratedImages, settings: Settings) -> LoadedLogo | None:
    """The image model's cached mark the window shows for `mode`, if it shows one."""
    brand = mode.brand
    if not settings.generated_images or (brand is not None and (brand.logo or brand.mark)):
        return None
    from presto_desktop.core.generated_images import emblem_prompt

    return images.get(settings.image_model, emblem_prompt(mode))


def shrink_mark(media_type: str, data: bytes, name: str = "generated mark") -> MarkBytes:
    """The image at most MARK_PIXELS square: PNG, or JPEG when the PNG is over the cap."""
    from PIL import Image

    from presto_desktop.core.models import MAX_LOGO_BYTES

    if media_type not in ("image/png", "image/jpeg"):
        raise LogoError(f"{name}: not a PNG or JPEG image")
    try:
        with Image.open(io.BytesIO(data), formats=["PNG", "JPEG"]) as image:
            if image.size[0] * image.size[1] > MAX_LOGO_PIXELS:
                raise LogoError(f"{name}: image too large")
            image.seek(0)  # an animation: its first frame
            image.thumbnail((MARK_PIXELS, MARK_PIXELS))
            rgba = image.convert("RGBA")
    except LogoError:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a bad image
        raise LogoError(f"{name}: damaged image ({' '.join(str(exc).split())[:80]})") from None
    out = io.BytesIO()
    rgba.save(out, "PNG", optimize=True)
    if out.tell() <= MAX_LOGO_BYTES:
        return "image/png", out.getvalue()
    # A photo-like mark: JPEG on white (JPEG has no transparency).
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, "JPEG", quality=85)
    return "image/jpeg", out.getvalue()


def compact(mark: MarkBytes | None) -> MarkBytes | None:
    """A generated mark small enough to embed in a page (None when it cannot be read)."""
    from presto_desktop.core.models import MAX_LOGO_BYTES

    if mark is None or mark[0] == SVG or len(mark[1]) <= MAX_LOGO_BYTES:
        return mark
    try:
        return shrink_mark(*mark)
    except LogoError:
        return None


def embed_mark(mode: Mode, media_type: str, data: bytes) -> Mode:
    """`mode` carrying the image as `brand.mark` (shrunk; LogoError if unusable)."""
    from presto_desktop.core.emblem import mode_icon
    from presto_desktop.core.models import Brand, GeneratedMark

    kind, small = shrink_mark(media_type, data)
    mark = GeneratedMark(media_type=kind,  # type: ignore[arg-type]
                         data=base64.b64encode(small).decode("ascii"))
    brand = mode.brand or Brand(icon=mode_icon(mode))
    return mode.model_copy(update={"brand": brand.model_copy(update={"mark": mark})})


def bundled(mode: Mode, images: GeneratedImages, settings: Settings) -> Mode:
    """`mode` as shared: with the generated mark it shows here embedded (else unchanged)."""
    image = generated_mark(mode, images, settings)
    return mode if image is None else embed_mark(mode, image.media_type, image.data)

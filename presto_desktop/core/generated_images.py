"""Images an image model made for a mode (its emblem), cached in the data dir.

Optional and off by default (Settings' `generated_images`): the offline emblem always shows
first. What the server sends is as untrusted as a logo file: it passes the same checks
(core/logo.py: kind from the bytes, pixel cap before decoding, truncated files refused) before
it is stored, and again when it is read back. The cache key is the model and the prompt, so
the same mode asks once per model; a changed palette or company asks again.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from presto_desktop.core.atomic import atomic_write_bytes
from presto_desktop.core.errors import PrestoError
from presto_desktop.core.logo import LoadedLogo, check_logo
from presto_desktop.core.safe_read import read_limited

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode

log = logging.getLogger(__name__)
MAX_GENERATED_BYTES = 4_000_000  # a 1024 px PNG is 1-2 MB; the pixel cap still applies


def emblem_prompt(mode: Mode) -> str:
    """What the image model is asked for: a plain logo mark in the mode's colour, no text."""
    return (f"A simple, modern, flat logo mark for {mode.company_name}, a {mode.industry} "
            f"business. Main colour {mode.palette.primary}. One centred symbol on a plain white "
            "background, no text, no letters, no photograph.")


class GeneratedImages:
    """The folder of generated images: `<sha256 of model and prompt>.img`, checked both ways."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def _path(self, model: str, prompt: str) -> Path:
        digest = hashlib.sha256(f"{model}\n{prompt}".encode()).hexdigest()[:32]
        return self._folder / f"{digest}.img"

    def get(self, model: str, prompt: str) -> LoadedLogo | None:
        """The cached image for this model and prompt, if there is one and it still checks out."""
        path = self._path(model, prompt)
        try:
            return check_logo(read_limited(path, MAX_GENERATED_BYTES), path.name,
                              MAX_GENERATED_BYTES)
        except FileNotFoundError:
            return None
        except (OSError, PrestoError) as exc:
            log.warning("cached generated image ignored: %s", exc)
            return None

    def put(self, model: str, prompt: str, data: bytes) -> LoadedLogo:
        """Check what the server sent (LogoError, one line, if unusable) and keep it."""
        image = check_logo(data, "generated image", MAX_GENERATED_BYTES)
        if image.media_type == "image/svg+xml":
            # An image model sends pixels; markup from a server is not shown.
            from presto_desktop.core.logo_svg import LogoError

            raise LogoError("generated image: not a PNG or JPEG image")
        self._folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(self._path(model, prompt), image.data)
        return image

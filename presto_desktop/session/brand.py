"""'Use our logo' and 'Remove logo' for the window, as plain Python run on a worker thread.

The same steps as `presto-desktop modes brand` (cli_brand.py): the file is checked and its
colour found in core/logo.py (Pillow is imported there, so only on the thread that calls
this), the palette is derived from that colour, and the mode is saved like a regenerated one
(a built-in mode is saved as a new mode). Nothing here touches Qt.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode
    from presto_desktop.core.store import ModeStore

# What a drop may carry, by name (the bytes decide in core/logo.py; this only lights the target).
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


def looks_like_logo(path: str) -> bool:
    """Whether a dragged file's name is one a logo may have (the content is checked later)."""
    return path.lower().endswith(LOGO_SUFFIXES)


def brand_from_file(store: ModeStore, mode_id: str, path: Path | str) -> Mode:
    """Mode `mode_id` with the logo at `path`, saved; LogoError/PrestoError (one line) if not."""
    from presto_desktop.core.logo import brand_mode, read_logo

    logo = read_logo(Path(path))  # before the mode: a refused file costs no mode read
    mode = store.get(mode_id)
    return store.replace(mode.id, brand_mode(mode, logo))


def remove_logo(store: ModeStore, mode_id: str) -> Mode:
    """Mode `mode_id` with its drawn emblem and its palette from before the logo, saved."""
    from presto_desktop.core.logo import unbrand_mode

    mode = store.get(mode_id)
    return store.replace(mode.id, unbrand_mode(mode))


def has_logo(mode: Mode) -> bool:
    """Whether `mode` shows a company logo rather than its drawn emblem."""
    return mode.brand is not None and mode.brand.logo is not None

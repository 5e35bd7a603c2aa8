"""`presto-desktop modes brand ID --logo FILE`: the company's logo becomes the mode's emblem.

Headless (no Qt): the logo is checked and its colour found in core/logo.py; the palette is
derived from that colour like any generated one (contrast rules kept). Prints the mode's id
and the new primary colour.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from presto_desktop.core.settings import Settings
    from presto_desktop.core.store import ModeStore

P = TypeVar("P", bound=argparse.ArgumentParser)


def add_brand_parser(actions: argparse._SubParsersAction[P]) -> P:
    """The `modes brand` subcommand's arguments."""
    brand = actions.add_parser("brand", help="use a company's logo (PNG, JPEG or SVG) as the "
                               "mode's emblem; its colour seeds the palette")
    brand.add_argument("id")
    brand.add_argument("--logo", required=True, metavar="FILE", help="PNG, JPEG or SVG file")
    return brand


def run_brand(args: argparse.Namespace, store: ModeStore) -> int:
    """Brand the mode and save it (a built-in mode is saved as a new mode)."""
    from presto_desktop.core.logo import brand_mode, read_logo

    mode = store.get(args.id)
    logo = read_logo(Path(args.logo))
    saved = store.replace(mode.id, brand_mode(mode, logo))
    print(f"{saved.id}: primary {saved.palette.primary} "
          f"(light {saved.palette.light.primary}, dark {saved.palette.dark.primary})")
    return 0


def export_bundle(args: argparse.Namespace, store: ModeStore, settings: Settings) -> Path:
    """`modes export ID FILE`: one file, with the generated mark the mode shows here embedded."""
    from presto_desktop.core.brand_mark import bundled
    from presto_desktop.core.generated_images import GeneratedImages
    from presto_desktop.core.mode_transfer import export_mode

    images = GeneratedImages(args.paths.images_dir)
    mode = bundled(store.get(args.id), images, settings)
    return export_mode(mode, Path(args.file), overwrite=args.force)

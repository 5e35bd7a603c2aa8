"""Render resources/icons/app.svg to the app icons PyInstaller uses: app.png, app.ico, app.icns.

Run with the project venv: `python packaging/make_icons.py` (offscreen Qt, no display needed).
Windows uses app.ico, macOS app.icns; both fall back to app.png (PyInstaller converts it
when Pillow is installed). `--hicolor DIR` instead writes the freedesktop icon theme tree
for Linux (DIR/<N>x<N>/apps/presto-desktop.png and DIR/scalable/apps/presto-desktop.svg),
which `make deb` builds at package time (nothing of it is committed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
ICON_NAME = "presto-desktop"  # the .desktop file's Icon= name
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The SVG as a transparent square image of `size` pixels."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def write_hicolor(renderer: QSvgRenderer, root: Path) -> list[Path]:
    """The hicolor theme's app icons under `root` (PNG per size, plus the SVG itself)."""
    written = []
    for size in HICOLOR_SIZES:
        target = root / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(renderer, size).save(str(target), "png"):
            raise OSError(f"could not write {target}")
        written.append(target)
    scalable = root / "scalable" / "apps" / f"{ICON_NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ICONS / "app.svg", scalable)
    return [*written, scalable]


def main() -> int:
    """Write app.png (256 px) and, where Qt can encode them, app.ico and app.icns."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hicolor", type=Path, metavar="DIR",
                        help="write the hicolor icon tree under DIR instead")
    args = parser.parse_args()
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "app.svg"))
    if not renderer.isValid():
        print("app.svg is not a valid SVG", file=sys.stderr)
        return 1
    if args.hicolor:
        written_paths = write_hicolor(renderer, args.hicolor)
        print(f"wrote {len(written_paths)} icons under {args.hicolor}")
        return 0
    render(renderer, 256).save(str(ICONS / "app.png"))
    written = ["app.png"]
    formats = {bytes(f).decode() for f in QImageWriter.supportedImageFormats()}
    for suffix in ("ico", "icns"):
        if suffix in formats:
            # ico holds up to 256 px; icns wants a large square image (Qt adds the sizes).
            size = 256 if suffix == "ico" else 512
            if render(renderer, size).save(str(ICONS / f"app.{suffix}"), suffix):
                written.append(f"app.{suffix}")
    print("wrote " + ", ".join(str(ICONS / name) for name in written))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Render resources/icons/app.svg to the app icons PyInstaller uses: app.png, app.ico, app.icns.

Run with the project venv: `python packaging/make_icons.py` (offscreen Qt, no display needed).
Windows uses app.ico, macOS app.icns; both fall back to app.png (PyInstaller converts it
when Pillow is installed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The SVG as a transparent square image of `size` pixels."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    """Write app.png (256 px) and, where Qt can encode them, app.ico and app.icns."""
    _app = QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(ICONS / "app.svg"))
    if not renderer.isValid():
        print("app.svg is not a valid SVG", file=sys.stderr)
        return 1
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

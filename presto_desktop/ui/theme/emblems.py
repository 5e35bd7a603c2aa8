"""A mode's mark as pixels: the drawn emblem (core/emblem.py) or the company's logo.

Rendered once per mark, size and device-pixel ratio (QSvgRenderer for SVG, QImageReader for
PNG/JPEG, which reads the header first and is told the size to decode to), then cached.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QImageReader, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from presto_desktop.core.brand_mark import shown_mark
from presto_desktop.core.emblem import EmblemSpec, emblem_svg
from presto_desktop.core.logo import MAX_LOGO_PIXELS  # a shared mode's PNG may be a bomb

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode

SVG = "image/svg+xml"
Mark = tuple[str, bytes]
DECODE_PIXELS = 256  # the window icon's 128 px at 2x; a 1024 px generated mark decodes once


def drawn_mark(key: str, company: str, icon: str, roles: Mapping[str, str],
               layout: str | None = None) -> Mark:
    """The drawn emblem as a mark (`layout` overrides the company's own)."""
    return SVG, emblem_svg(EmblemSpec(key, company, icon, roles), layout).encode("utf-8")


def mode_mark(mode: Mode, roles: Mapping[str, str]) -> Mark:
    """The mode's logo, else its embedded generated mark, else its drawn emblem in `roles`."""
    return shown_mark(mode, roles)


def _raster(data: bytes, pixels: int) -> QImage:
    """A PNG/JPEG decoded straight to at most `pixels` square (a null image when unreadable)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_LOGO_PIXELS:
        return QImage()
    reader.setScaledSize(size.scaled(QSize(pixels, pixels), Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


@lru_cache(maxsize=16)
def decoded(mark: Mark) -> QImage:
    """A PNG/JPEG mark decoded once, at most DECODE_PIXELS square; every size scales from it.

    QImage only: a worker thread may call it first (ui/shell/generated_wiring.py), so the
    header, the window icon and the library rows only scale.
    """
    return _raster(mark[1], DECODE_PIXELS)


@lru_cache(maxsize=64)
def mark_pixmap(mark: Mark, size: int, ratio: float) -> QPixmap:
    """The mark `size` logical pixels square at device-pixel ratio `ratio`, centred."""
    pixels = max(1, round(size * ratio))
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    media_type, data = mark
    if media_type == SVG:
        renderer = QSvgRenderer(QByteArray(data))
        box = renderer.viewBoxF().size()
        box.scale(pixels, pixels, Qt.AspectRatioMode.KeepAspectRatio)
        renderer.render(painter, QRectF((pixels - box.width()) / 2,
                                        (pixels - box.height()) / 2, box.width(), box.height()))
    else:
        raster = (_raster(data, pixels) if pixels > DECODE_PIXELS else decoded(mark).scaled(
            pixels, pixels, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))
        if not raster.isNull():
            painter.drawImage((pixels - raster.width()) // 2, (pixels - raster.height()) // 2,
                              raster)
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def mark_icon(mark: Mark, sizes: tuple[int, ...] = (16, 32, 64, 128)) -> QIcon:
    """The mark as a multi-size icon (the window icon)."""
    icon = QIcon()
    for size in sizes:
        icon.addPixmap(mark_pixmap(mark, size, 1.0))
    return icon

"""Bundled SVG icons, tinted with a palette colour (the files are single-colour masks)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from presto_desktop.core.icon_names import FALLBACK_ICON as FALLBACK_ICON
from presto_desktop.core.icon_names import icon_path_name as icon_path_name
from presto_desktop.core.paths import resource_path


@lru_cache(maxsize=128)
def _shape(name: str, size: int, ratio: float) -> QImage:
    """The icon rendered once per size: a new palette only recolours it (an SVG parse and
    render per icon made each restyle's icon tinting take ~3 ms)."""
    renderer = QSvgRenderer(str(resource_path("icons", f"{icon_path_name(name)}.svg")))
    pixels = max(1, round(size * ratio))
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    return image


@lru_cache(maxsize=512)
def _tinted(name: str, rgba: int, size: int, ratio: float) -> QPixmap:
    image = _shape(name, size, ratio).copy()
    painter = QPainter(image)
    # Keep the icon's shape, replace its colour with the palette colour.
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(image.rect(), QColor.fromRgba(rgba))
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def tinted_icon(name: str, color: QColor, size: int = 24, ratio: float = 2.0) -> QIcon:
    """An icon drawn in `color` (rendered at 2x so it stays crisp on high-DPI screens)."""
    icon = QIcon()
    icon.addPixmap(_tinted(name, color.rgba(), size, ratio))
    return icon


def icon_size(size: int) -> QSize:
    """A square QSize."""
    return QSize(size, size)

"""Bundled SVG icons, tinted with a palette colour (the files are single-colour masks)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from presto_desktop.core.errors import ResourceError
from presto_desktop.core.paths import resource_path

FALLBACK_ICON = "circle"
# Lexicon icon names that mean the same as a bundled file.
_ALIASES = {
    # the offline lexicon's vocabulary (resources/lexicon.json "icons")
    "card": "credit-card", "pie": "pie-chart", "package": "box", "map": "map-pin",
    "chat": "message", "bolt": "zap", "cup": "coffee", "sparkles": "sparkle", "trophy": "award",
    "line-chart": "chart", "chart-line": "chart", "graph": "chart", "trend": "trending-up",
    "money": "dollar", "cash": "dollar", "coins": "dollar", "payments": "dollar",
    "cards": "credit-card", "account": "user", "profile": "user",
    "people": "users", "team": "users", "support": "message",
    "health": "heart", "medical": "stethoscope", "doctor": "stethoscope", "pharmacy": "pill",
    "medicine": "pill", "appointments": "calendar", "schedule": "calendar", "policy": "shield",
    "insurance": "shield", "claims": "file", "document": "file", "documents": "file",
    "orders": "box", "shipping": "truck", "delivery": "truck",
    "shop": "cart", "store": "cart", "shopping-cart": "cart", "location": "map-pin",
    "time": "clock", "history": "clock", "food": "utensils", "menu": "list",
    "restaurant": "utensils", "plant": "leaf", "garden": "leaf", "eco": "leaf",
    "bloom": "flower", "florist": "flower", "wrench": "tool", "tools": "tool", "repair": "tool",
    "travel": "plane", "flight": "plane", "vehicle": "car", "auto": "car", "house": "home",
    "property": "home", "education": "book", "learn": "book", "offers": "tag", "deals": "tag",
    "rewards": "award", "loyalty": "award", "pet": "paw", "pets": "paw", "energy": "zap",
    "water": "droplet", "weather": "sun", "security": "lock", "email": "mail", "web": "globe",
    "goal": "target", "goals": "target", "rates": "percent", "loan": "bank", "loans": "bank",
    "savings": "wallet", "accounts": "wallet", "overview": "home", "dashboard": "home",
    "stats": "bar-chart", "analytics": "bar-chart", "reports": "pie-chart", "spark": "sparkle",
}


def icon_path_name(name: str) -> str:
    """The bundled file name for an icon name (aliases resolved, unknown -> fallback)."""
    key = _ALIASES.get(name, name)
    try:
        resource_path("icons", f"{key}.svg")
    except ResourceError:
        return FALLBACK_ICON
    return key


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

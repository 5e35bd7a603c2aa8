"""Icon names: the lexicon's words for the bundled icons (resources/icons/*.svg)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from presto_desktop.core.errors import ResourceError
from presto_desktop.core.paths import resource_path, resources_root

__all__ = ["FALLBACK_ICON", "icon_path_name", "industry_icon"]

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
# Industry words of the built-in modes (which predate the stored industry icon).
_ALIASES.update({"banking": "bank", "healthcare": "stethoscope", "general": "sparkle",
                 "assistant": "sparkle"})


def icon_path_name(name: str) -> str:
    """The bundled file name for an icon name (aliases resolved, unknown -> fallback)."""
    key = _ALIASES.get(name, name)
    return key if key in _bundled(resources_root()) else FALLBACK_ICON


@lru_cache(maxsize=4)
def _bundled(root: Path) -> frozenset[str]:
    """The icon names `root` holds, listed once (a file check per icon cost ~0.2 ms a look)."""
    try:
        folder = resource_path("icons")
        return frozenset(path.stem for path in folder.iterdir() if path.suffix == ".svg")
    except (ResourceError, OSError):
        return frozenset()


def industry_icon(stored: str | None, industry: str, first_tab: str) -> str:
    """A mode's emblem icon: the stored one, else the industry's word, else its first tab's."""
    if stored:
        return icon_path_name(stored)
    by_industry = icon_path_name(industry.strip().lower())
    return by_industry if by_industry != FALLBACK_ICON else icon_path_name(first_tab)

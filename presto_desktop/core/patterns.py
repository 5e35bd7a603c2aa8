"""Names and patterns shared by the models and the start-up path (no pydantic: cheap to import)."""

from __future__ import annotations

from typing import Literal, get_args

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
HEX_PATTERN = r"^#[0-9a-f]{6}$"

PALETTE_ROLES: tuple[str, ...] = (
    "primary",
    "on_primary",
    "secondary",
    "on_secondary",
    "background",
    "surface",
    "text",
    "text_muted",
    "border",
    "user_bubble",
    "on_user_bubble",
    "assistant_bubble",
    "on_assistant_bubble",
)

# The theme schemes a user can pick; settings, the start frame and the theme manager share them.
ThemeScheme = Literal["system", "light", "dark"]
THEME_SCHEMES: tuple[ThemeScheme, ...] = get_args(ThemeScheme)

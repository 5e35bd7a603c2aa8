"""The palette roles as QColors: what widgets and delegates paint with (never literals)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

from presto_desktop.core.models import PALETTE_ROLES, PaletteRoles


@dataclass(frozen=True)
class ThemeColors:
    """One palette variant resolved to QColors, plus whether it is the dark one."""

    roles: dict[str, QColor]
    dark: bool

    @classmethod
    def from_roles(cls, roles: PaletteRoles, *, dark: bool) -> ThemeColors:
        """Resolve every role of a palette variant."""
        return cls({name: QColor(getattr(roles, name)) for name in PALETTE_ROLES}, dark)

    def __getitem__(self, role: str) -> QColor:
        return QColor(self.roles[role])

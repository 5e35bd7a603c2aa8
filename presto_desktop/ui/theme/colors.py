"""The palette roles as QColors: what widgets and delegates paint with (never literals)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtGui import QColor

from presto_desktop.core.patterns import PALETTE_ROLES


@dataclass(frozen=True)
class ThemeColors:
    """One palette variant resolved to QColors, plus whether it is the dark one."""

    roles: dict[str, QColor]
    dark: bool

    @classmethod
    def from_hex(cls, roles: Mapping[str, str], *, dark: bool) -> ThemeColors:
        """Resolve every role from a role -> '#rrggbb' mapping."""
        return cls({name: QColor(roles[name]) for name in PALETTE_ROLES}, dark)

    def __getitem__(self, role: str) -> QColor:
        return QColor(self.roles[role])

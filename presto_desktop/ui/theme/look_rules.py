"""What the main window's parts look like (ui/theme/look.py paints it): the former QSS rules.

Keyed by object name, as the sheet's selectors were; every colour is a palette role.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QStyle, QToolButton, QWidget

from presto_desktop.ui.theme.colors import ThemeColors

SCROLL_BAR_EXTENT = 10
PROGRESS_HEIGHT = 10

# object name -> (point size change from the base size or None, weight or None, letter spacing)
FONTS: dict[str, tuple[int | None, int | None, float]] = {
    "companyName": (7, 600, 0),
    "engineBadge": (-2, None, 0),
    "cardTitle": (0, 700, 1),
    "personaName": (3, 600, 0),
    "figureValue": (None, 600, 0),
    "kpiValue": (13, 700, 0),
    "tabButton": (3, None, 0),
    "overlayTitle": (3, 600, 0),
    "typingIndicator": (-2, None, 0),
    "disclaimer": (-2, None, 0),
    "chatHint": (-2, None, 0),
    "voiceStatus": (-2, None, 0),
    "voiceNote": (-2, None, 0),
}

_MUTED = QPalette.ColorRole.PlaceholderText  # text_muted (ui/theme/manager.py build_qpalette)
_PRIMARY = QPalette.ColorRole.Highlight  # primary
ROLES: dict[str, QPalette.ColorRole] = {
    **{name: _MUTED for name in ("tagline", "personaMeta", "figureLabel", "kpiLabel", "kpiUnit",
                                 "chartPlaceholder", "overlayDetail", "typingIndicator",
                                 "disclaimer", "chatHint", "voiceNote")},
    "cardTitle": _PRIMARY,
    "kpiValue": _PRIMARY,
}

# object name -> contents margins (left, top, right, bottom): the sheet's padding
MARGINS: dict[str, tuple[int, int, int, int]] = {
    "engineBadge": (14, 4, 15, 4),
    "errorBanner": (10, 10, 10, 10),
    "errorBubble": (10, 10, 10, 10),
}


# scroll area name -> (viewport background role, viewport margins: border + padding)
SCROLL_AREAS: dict[str, tuple[QPalette.ColorRole, int]] = {
    "chatView": (QPalette.ColorRole.Window, 0),
    "messageList": (QPalette.ColorRole.Window, 0),
    "composer": (QPalette.ColorRole.Base, 9),
}

# The containers that get new parts while the window shows (measured over a 50-step replay,
# switches, a new conversation, a notice and a narrow window): the look watches them for new
# parts to dress. Every event of a watched widget passes through Python, so no others (the
# chart's card, repainted every animation frame, took ~670 events a replay); a restyle dresses
# whatever else is new (ui/theme/restyle.py).
GROWING = frozenset({"chipBar", "personaCard", "tabBar", "kpiBox"})


@dataclass(frozen=True)
class Panel:
    """A widget's background: fill role (at alpha), border role, corner radius."""

    fill: str | None
    border: str | None = None
    radius: float = 0
    alpha: float = 1.0
    edge: bool = False  # only a bottom border line (header, notice bar)
    wide: bool = False  # a 2 px border
    focus: bool = False  # a 2 px primary border while focused
    drop: bool = False  # a dashed primary border while a file hovers (dropTarget)

    @property
    def margins(self) -> tuple[int, int, int, int]:
        """The contents margins its border takes (as the sheet's box model gave them)."""
        width = 0 if self.border is None or self.edge else 2 if self.wide else 1
        return (width, width, width, width)


_CARD = Panel("surface", "border", 14)
PANELS: dict[str, Panel] = {
    "header": Panel("surface", "border", edge=True, drop=True),
    "noticeBar": Panel("primary", "primary", alpha=0.12, edge=True),
    "engineBadge": Panel("primary", "border", 11, alpha=0.12),
    "personaCard": _CARD,
    "kpiCard": _CARD,
    "chartArea": _CARD,
    "overlay": Panel("background", alpha=0.78),
    "overlayCard": Panel("surface", "border", 16),
    "undoBar": Panel("primary", "primary", 10, alpha=0.12),
    "errorBanner": Panel("surface", "primary", 10, wide=True),
    "errorBubble": Panel("surface", "primary", 10, wide=True),
    "composer": Panel("surface", "border", 12, focus=True),
    "voiceLevel": Panel("surface", "border", 4),
}


PROGRESS_GROOVE = Panel("background", "border", 5)  # a progress bar other than the voice level


@dataclass(frozen=True)
class ButtonLook:
    """How a button paints in one state."""

    fill: QColor
    text: QColor
    border: QColor
    width: float = 1.0
    radius: float = 8
    dashed: bool = False


def _alpha(colors: ThemeColors, role: str, alpha: float, under_role: str = "surface") -> QColor:
    """`role` at `alpha` over `under_role`, opaque: the sheet's rgba() on a button blended with
    the button's own base colour (measured on its screens: the surface; a chip, whose base
    is itself translucent, the background)."""
    over, under = colors.roles[role], colors.roles[under_role]
    return QColor.fromRgbF(*(a * alpha + b * (1 - alpha) for a, b in (
        (over.redF(), under.redF()), (over.greenF(), under.greenF()),
        (over.blueF(), under.blueF()))))


def _is_accent(widget: QWidget) -> bool:
    name = widget.objectName()
    return (name in ("sendButton", "stopButton", "undoButton") or bool(widget.property("accent"))
            or bool(getattr(widget, "isDefault", lambda: False)()))


def button_look(widget: QWidget, state: QStyle.StateFlag, colors: ThemeColors) -> ButtonLook:
    """The fill, text and border of `widget` (a push or tool button) in `state`."""
    S = QStyle.StateFlag
    name = widget.objectName()
    hover, down = bool(state & S.State_MouseOver), bool(state & (S.State_Sunken | S.State_On))
    focus, enabled = bool(state & S.State_HasFocus), bool(state & S.State_Enabled)
    radius = {"chip": 14.0, "tabButton": 14.0, "sendButton": 10.0, "stopButton": 10.0}.get(name, 8.0)
    if _is_accent(widget):
        if name == "sendButton" and not enabled:
            return ButtonLook(colors["surface"], colors["text_muted"], colors["border"], radius=radius)
        fill, text = (colors["secondary"], colors["on_secondary"]) if hover else (
            colors["primary"], colors["on_primary"])
        border = colors["text"] if focus and name == "undoButton" else colors["primary"]
        return ButtonLook(fill, text, border, 2.0 if focus and name == "undoButton" else 1.0, radius)
    fill, border, dashed = colors["surface"], colors["border"], False
    text = colors["text"] if enabled else colors["text_muted"]
    if name == "chip":
        fill = _alpha(colors, "primary", 0.22 if hover or down else 0.10, "background")
    elif name == "tabButton" and isinstance(widget, QToolButton) and widget.isChecked():
        fill, border = _alpha(colors, "primary", 0.24), colors["primary"]
    elif name == "micButton" and widget.property("voiceState") in (
            "connecting", "listening", "thinking", "speaking"):
        fill, border = colors["primary"], colors["primary"]
    elif name == "micButton" and widget.property("voiceState") == "unavailable":
        dashed = True
    elif name == "muteButton" and widget.property("muted"):
        fill, border = _alpha(colors, "primary", 0.22), colors["primary"]
    elif not enabled:
        fill = colors["background"]
    elif down:
        fill = _alpha(colors, "primary", 0.22)
    elif hover:
        fill = _alpha(colors, "primary", 0.14 if name == "tabButton" else 0.12)
    if name == "noticeAction":
        border = colors["primary"]
    checked_tab = name == "tabButton" and isinstance(widget, QToolButton) and widget.isChecked()
    width = 2.0 if focus or checked_tab else 1.0
    if focus:
        border = colors["primary"]
    return ButtonLook(fill, text, border, width, radius, dashed)


_PADDING = {"chip": (4, 12), "tabButton": (10, 6), "undoButton": (4, 14), "noticeAction": (4, 12),
            "moreButton": (6, 8)}


def button_padding(widget: QWidget) -> tuple[int, int]:
    """A button's (vertical, horizontal) padding in px."""
    if widget.property("compact"):
        return 5, 7
    return _PADDING.get(widget.objectName(), (6, 14))

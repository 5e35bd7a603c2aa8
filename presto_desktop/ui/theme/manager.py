"""The one owner of the theme: a mode palette becomes a QPalette, the look's colours and one QSS.

The main window's parts are painted by the look (ui/theme/look.py) from the palette's colours;
its dialogs and menus carry the QSS. One visual step: after a generation the new look reaches
the window over a few loop turns, as steps of the mode change (ui/common/mode_change.py), each
part's updates off until its repaint (ui/theme/restyle.py).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from presto_desktop.core.paths import resource_path
from presto_desktop.core.patterns import PALETTE_ROLES, ThemeScheme
from presto_desktop.ui.common.mode_change import ModeChange
from presto_desktop.ui.theme.colors import ThemeColors
from presto_desktop.ui.theme.look import Look
from presto_desktop.ui.theme.restyle import Restyler

if TYPE_CHECKING:
    from presto_desktop.core.models import Palette

Scheme = ThemeScheme  # one list of schemes: core/patterns.py
_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)\}")


@lru_cache(maxsize=4)
def _template(name: str) -> str:
    """The QSS template text (read once per process)."""
    return resource_path("qss", name).read_text(encoding="utf-8")


_ARROW_DIR: list[tempfile.TemporaryDirectory[str]] = []  # made on first use, removed at exit
_ARROW_LOCK = threading.Lock()  # a new mode's sheet may be derived in a worker thread


def arrow_image(name: str, color: str) -> str:
    """A file path for QSS `image: url(...)`: the icon `name` stroked in `color`.

    QSS images are files with fixed colours, so each palette colour gets its own small copy
    (written once per colour and process; the folder goes away when the process ends).
    """
    with _ARROW_LOCK:
        if not _ARROW_DIR:
            _ARROW_DIR.append(tempfile.TemporaryDirectory(prefix="presto-qss-"))
        path = Path(_ARROW_DIR[0].name) / f"{name}-{color.lstrip('#')}.svg"
        if not path.exists():
            svg = _template_icon(name).replace('stroke="black"', f'stroke="{color}"')
            # Whole or absent: Qt may read it as soon as the name exists.
            part = path.with_suffix(".part")
            part.write_text(svg, encoding="utf-8")
            os.replace(part, path)
    return path.as_posix()


@lru_cache(maxsize=8)
def _template_icon(name: str) -> str:
    return resource_path("icons", f"{name}.svg").read_text(encoding="utf-8")


def _values(colors: ThemeColors, font_size: int) -> dict[str, str]:
    """Every placeholder the template may use: roles, `<role>_rgb` triplets and font sizes."""
    values: dict[str, str] = {}
    for role in PALETTE_ROLES:
        color = colors[role]
        values[role] = color.name()
        # "r, g, b" lets the template write translucent variants as rgba({role_rgb}, 0.2).
        values[f"{role}_rgb"] = f"{color.red()}, {color.green()}, {color.blue()}"
    for name in ("chevron-down", "chevron-up"):
        key = name.replace("chevron-", "arrow_")
        values[key] = arrow_image(name, values["text"])
        values[f"{key}_muted"] = arrow_image(name, values["text_muted"])
    values["check_mark"] = arrow_image("check", values["on_primary"])  # a ticked QCheckBox
    size = max(6, int(font_size))
    values.update(
        font_size=str(size),
        font_size_small=str(max(6, size - 2)),
        font_size_large=str(size + 3),
        font_size_xl=str(size + 7),
        font_size_xxl=str(size + 13),
    )
    return values


def build_stylesheet(colors: ThemeColors, font_size: int, template: str = "app.qss") -> str:
    """Render the QSS template with the palette roles and font sizes (unknown keys left alone)."""
    values = _values(colors, font_size)
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), _template(template))


def build_qpalette(colors: ThemeColors) -> QPalette:
    """Map the palette roles onto a QPalette, so unstyled and painted parts match the QSS."""
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: "background",
        QPalette.ColorRole.WindowText: "text",
        QPalette.ColorRole.Base: "surface",
        QPalette.ColorRole.AlternateBase: "background",
        QPalette.ColorRole.Text: "text",
        QPalette.ColorRole.Button: "surface",
        QPalette.ColorRole.ButtonText: "text",
        QPalette.ColorRole.Highlight: "primary",
        QPalette.ColorRole.HighlightedText: "on_primary",
        QPalette.ColorRole.ToolTipBase: "surface",
        QPalette.ColorRole.ToolTipText: "text",
        QPalette.ColorRole.PlaceholderText: "text_muted",
        QPalette.ColorRole.Link: "primary",
        QPalette.ColorRole.LinkVisited: "secondary",
        QPalette.ColorRole.BrightText: "on_primary",
        QPalette.ColorRole.Light: "surface",
        QPalette.ColorRole.Midlight: "surface",
        QPalette.ColorRole.Mid: "border",
        QPalette.ColorRole.Dark: "border",
        QPalette.ColorRole.Shadow: "border",
        QPalette.ColorRole.Accent: "primary",
    }
    for qt_role, role in roles.items():
        pal.setColor(qt_role, colors[role])
    for qt_role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                    QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, qt_role, colors["text_muted"])
    return pal


def palette_variants(palette: Palette) -> tuple[dict[str, str], dict[str, str]]:
    """A mode palette's light and dark variants as role -> '#rrggbb'."""
    return tuple(  # type: ignore[return-value]
        {name: str(getattr(roles, name)) for name in PALETTE_ROLES}
        for roles in (palette.light, palette.dark))


def system_is_dark() -> bool:
    """Whether the platform asks for a dark colour scheme (Unknown counts as light)."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


class ThemeManager(QObject):
    """Applies a mode palette to the whole application and follows the system scheme live."""

    theme_changed = Signal(object)  # ThemeColors
    repainted = Signal()  # a restyle in steps is fully on screen (its last unit repainted)

    def __init__(self, app: QApplication, *, font_size: int = 11,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        # The mode's light and dark variants as role -> '#rrggbb' (from a Palette or a start frame).
        self._variants: tuple[dict[str, str], dict[str, str]] | None = None
        self._scheme: Scheme = "system"
        self._font_size = font_size
        self._applied: tuple[object, ...] | None = None
        # (key, colours, sheet) derived ahead by `prepare` (a worker thread) for the next apply.
        self._prepared: tuple[tuple[object, ...], ThemeColors, str] | None = None
        self._colors: ThemeColors | None = None
        self._target: QWidget | None = None
        self._restyler: Restyler | None = None
        # The main window's parts paint with this style instead of a sheet (ui/theme/look.py).
        self._look = Look(font_size=font_size)
        # Set before any window exists: widgets built later start with the right size, while
        # widgets already polished under a stylesheet would keep the old one until a restyle.
        self._set_font_size(font_size)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)

    def set_target(self, window: QWidget, steps: ModeChange | None = None) -> None:
        """Put the QSS on `window` (and so its dialogs) instead of the whole application.

        A restyle in steps joins `steps`, the window's mode change (its own list if None).

        Measured with the full window: QApplication.setStyleSheet costs ~16 ms per restyle,
        the same sheet on the main window ~10 ms in one turn. A window with `style_roots()` and
        `paint_units()` has its roots painted by the look instead, and only its dialogs carry
        the sheet (ui/theme/restyle.py). The QPalette stays application-wide.
        """
        if window is self._target:
            return
        if self._restyler is not None:
            self._restyler.release()
        self._target = window
        self._restyler = Restyler(self._app, window, steps or ModeChange(self), self._look,
                                  parent=self)
        self._restyler.announced.connect(self._announce)
        self._restyler.shown.connect(self.repainted)
        if self._app.styleSheet():
            # An application-wide sheet would reach the window's unstyled parts (its frame,
            # the splitter, the columns) with stale colours.
            self._app.setStyleSheet("")
        if self._applied is not None and self._colors is not None:
            colors = self._colors
            self._look.set_colors(colors)
            self._restyler.restyle(build_qpalette(colors),
                                   build_stylesheet(colors, self._font_size), announce=False)

    @property
    def repaint_pending(self) -> bool:
        """Whether part of the window still shows the old look (a restyle's repaint waits)."""
        return self._restyler is not None and self._restyler.frozen

    @property
    def sheet(self) -> str:
        """The QSS the window's dialogs carry (the window's own parts have the look instead)."""
        return self._restyler.sheet if self._restyler is not None else self._app.styleSheet()

    @property
    def look(self) -> Look:
        """The style the main window's parts paint with (ui/theme/look.py)."""
        return self._look

    @property
    def colors(self) -> ThemeColors | None:
        """The colours currently applied (None before the first apply)."""
        return self._colors

    @property
    def font_size(self) -> int:
        """The base text size in points (presenter mode enlarges it, then puts it back)."""
        return self._font_size

    @property
    def scheme(self) -> Scheme:
        """The requested scheme: system, light or dark."""
        return self._scheme

    def prepare(self, mode_palette: Palette) -> None:
        """Derive `mode_palette`'s colours and QSS ahead of its `apply` (safe in any thread).

        A generated mode's sheet is rendered in the worker thread that saves it: the loop
        then only sets it. Nothing is applied; a later apply with another key ignores it.
        """
        applied = self._applied
        dark = bool(applied[1]) if applied is not None else False  # the scheme shown now
        variant = palette_variants(mode_palette)[1 if dark else 0]
        colors = ThemeColors.from_hex(variant, dark=dark)
        sheet = build_stylesheet(colors, self._font_size)
        self._prepared = ((tuple(variant.items()), dark, self._font_size), colors, sheet)

    def apply(self, mode_palette: Palette | None = None, scheme: Scheme | None = None,
              font_size: int | None = None, *, in_steps: bool = False,
              hold: bool = False) -> bool:
        """Set QPalette and QSS in one step; returns False (and emits nothing) if unchanged.

        None keeps the current palette, scheme or font size. With `in_steps` (a generated mode,
        while the loop must keep running) only the QPalette is set now; theme_changed and the
        QSS of each of the target's style roots follow as steps of the mode change, with the
        target's updates off until one repaint shows it all. With `hold` (a preview), that
        repaint waits for the next apply (of the same palette, or of another).
        """
        variants = palette_variants(mode_palette) if mode_palette is not None else None
        return self.apply_variants(variants, scheme, font_size, in_steps=in_steps, hold=hold)

    def apply_variants(self, variants: tuple[Mapping[str, str], Mapping[str, str]] | None,
                       scheme: Scheme | None = None, font_size: int | None = None, *,
                       in_steps: bool = False, hold: bool = False) -> bool:
        """`apply` with the light and dark variants as role -> '#rrggbb' mappings."""
        if variants is not None:
            self._variants = (dict(variants[0]), dict(variants[1]))
        if scheme is not None:
            self._scheme = scheme
        if font_size is not None:
            self._font_size = font_size
        if self._variants is None:
            return False
        if self._target is not None and not isValid(self._target):
            return False  # the window is gone: nothing left to restyle
        dark = self._scheme == "dark" or (self._scheme == "system" and system_is_dark())
        variant = self._variants[1] if dark else self._variants[0]
        key = (tuple(variant.items()), dark, self._font_size)
        if key == self._applied:
            if self._restyler is not None and not hold:
                self._restyler.release_hold()  # a preview of this palette: now it shows
            return False
        prepared, self._prepared = self._prepared, None
        if prepared is not None and prepared[0] == key:
            colors, sheet = prepared[1], prepared[2]
        else:
            colors = ThemeColors.from_hex(variant, dark=dark)
            sheet = build_stylesheet(colors, self._font_size)
        self._set_font_size(self._font_size)
        self._applied, self._colors = key, colors
        self._look.set_colors(colors)
        palette = build_qpalette(colors)
        if self._restyler is None:
            self._app.setPalette(palette)
            self._app.setStyleSheet(sheet)
            self.theme_changed.emit(colors)
        else:
            self._restyler.restyle(palette, sheet, in_steps=in_steps or hold,
                                   hold=hold)  # then _announce
        return True

    def _announce(self) -> None:
        if self._colors is not None:
            self.theme_changed.emit(self._colors)

    def _set_font_size(self, size: int) -> None:
        """The base text size, as the application font (titles are sized relative to it)."""
        self._look.set_font_size(max(6, int(size)))
        font = QFont(self._app.font())
        if font.pointSize() != size:
            font.setPointSize(max(6, int(size)))
            self._app.setFont(font)

    def _on_system_scheme(self, _scheme: object = None) -> None:
        """The platform switched light/dark: follow it when the user chose 'system'."""
        if self._scheme == "system":
            self.apply()

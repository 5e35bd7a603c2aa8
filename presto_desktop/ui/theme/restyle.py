"""Where the theme goes in a window, and a restyle spread over loop turns.

The main window names its style roots (the header and the parts of the chat column and the
dashboard): `Look` (ui/theme/look.py) dresses them and paints them from the theme's colours,
so a new palette reaches them without a stylesheet (a QSS re-polished every widget under it,
~0.2 ms a widget: 20-25 ms a switch for the main window). Its dialogs carry the QSS. After a
generation the restyle is steps of the mode change (ui/common/mode_change.py) with its paint
units' updates off (header, chat column, dashboard) until each is repainted in a step of its
own: the whole window's repaint in one turn took 20-50 ms, a unit's takes 2-12 ms. The change
then reaches the screen over a few frames (~2-4, top to bottom, left to right).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from PySide6.QtCore import QChildEvent, QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from presto_desktop.ui.common.mode_change import ModeChange, Step

if TYPE_CHECKING:
    from presto_desktop.ui.theme.look import Look

GROUP = "restyle"  # this module's steps in a mode change
OPAQUE = Qt.WidgetAttribute.WA_OpaquePaintEvent


@runtime_checkable
class StyleRooted(Protocol):
    """A window whose style roots carry the sheet (the main window)."""

    def style_roots(self) -> list[QWidget]:
        """The widgets that carry the QSS, in the order they are restyled."""
        ...

    def paint_units(self) -> list[QWidget]:
        """The parts of the window a restyle repaints one at a time (each holds style roots)."""
        ...


@runtime_checkable
class DrawsAhead(Protocol):
    """A paint unit that can draw its content ahead of its held repaint, a piece at a time."""

    def draw_ahead(self) -> bool:
        """Draw one piece in the new look; True while pieces remain."""
        ...


def parts(widget: QWidget) -> list[QWidget]:
    """`widget`'s child widgets that are not windows: a unit's style roots."""
    return [child for child in widget.children()
            if isinstance(child, QWidget) and not child.isWindow()]


class Restyler(QObject):
    """Gives a window's style roots the look, and one QSS to its dialogs (or to the window).

    A window with `style_roots()` carries no sheet: its roots (and new ones, e.g. an overlay
    built later) are dressed by the look, and what lies between them (the window, splitters,
    columns) paints with the application QPalette. Its dialogs get the sheet when they are
    first polished. A window without style roots carries the sheet itself. A restyle in steps
    is the "restyle" group of the mode change's steps (ui/common/mode_change.py).
    """

    announced = Signal()  # the new palette is set: custom-painted parts may follow it now
    shown = Signal()  # the last frozen unit is repainted: the restyle is on screen

    def __init__(self, app: QApplication, window: QWidget, steps: ModeChange, look: Look,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._window = window
        self._steps = steps
        self._look = look
        self._roots: Callable[[], list[QWidget]] | None = None
        self._units: Callable[[], list[QWidget]] = lambda: [window]
        if isinstance(window, StyleRooted):
            self._roots, self._units = window.style_roots, window.paint_units
            for root in window.style_roots():
                look.adopt(root)
        self._sheet = ""
        self._frozen: list[QWidget] = []  # paint units and dialogs whose updates wait for a step
        self._opaque: list[QWidget] = []  # frozen units made opaque: their pixels stay meanwhile
        self._held: list[Step] = []  # a preview's repaint (and hidden roots), until released
        self._watched: list[QWidget] = []
        if self._roots is not None:
            for container in self._containers():
                container.installEventFilter(self)
                self._watched.append(container)

    def release(self) -> None:
        """Stop watching the window (another target takes over)."""
        self._steps.replace(GROUP, [])
        self._held = []
        for widget in self._watched:
            if isValid(widget):
                widget.removeEventFilter(self)
        self._watched = []
        self._thaw()

    def restyle(self, palette: QPalette, sheet: str, *, in_steps: bool = False,
                announce: bool = True, hold: bool = False) -> None:
        """Set the application `palette`, put `sheet` everywhere, then emit `announced`.

        With `in_steps`, the paint units' updates go off and the rest follows as steps of the
        mode change, after those already queued: the announcement, every root that carries the
        sheet, then a repaint per unit. With `hold` (a
        preview), the repaints wait for `release_hold`.
        """
        self._sheet = sheet
        self._held = []
        if self._roots is not None:
            for root in self._roots():  # parts added since (outside the look's watch) too
                self._look.adopt(root)
        if not in_steps:
            self._steps.replace(GROUP, [])  # an older restyle's steps would put its sheet back
            self._app.setPalette(palette)
            # Qt hands the new palette to widgets on a later turn; the parts without a sheet
            # (window, columns) take it now, so the switch is complete when this returns.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
            self._put(self.styled())
            if announce:
                self.announced.emit()
            self._thaw()
            return
        self._freeze()
        self._app.setPalette(palette)
        steps = [Step(f"{GROUP}:announce", self.announced.emit)] if announce else []
        styled = self.styled()
        # A hidden dialog (e.g. the spare Settings) takes its sheet after the repaint: the
        # switch shows without waiting for it (~7 ms).
        hidden = [w for w in styled
                  if w is not self._window and w.isWindow() and not w.isVisible()]
        # Named per root: the mode change plans its turns by each step's last duration. By
        # object name, not place: a notice bar shifted the places and the costs with them
        # (the dashboard's ~10 ms repaint was planned as the chat column's ~3 ms).
        steps += [Step(f"{GROUP}:root:{_name(widget, index)}", partial(self._put, [widget]))
                  for index, widget in enumerate(styled) if widget not in hidden]
        # Named per unit, like the roots: cheap repaints share a turn. A unit that draws
        # ahead (the chat history: ~1 ms a row, 10-15 ms in its repaint) does so in steps
        # before it, so the turns' budget covers it; during a hold at once.
        ahead: list[Step | None] = [
            Step(f"{GROUP}:ahead:{_name(widget, index)}", partial(_draw_ahead, widget),
                 repeat=True)
            if isinstance(widget, DrawsAhead) else None
            for index, widget in enumerate(self._frozen)]
        tail: list[Step] = []
        for index, widget in enumerate(self._frozen):
            drawing = ahead[index]
            if drawing is not None and not hold:
                tail.append(drawing)
            tail.append(Step(f"{GROUP}:repaint:{_name(widget, index)}",
                             partial(self._thaw, [widget])))
        tail += [Step(f"{GROUP}:hidden", partial(self._put, [widget])) for widget in hidden]
        if hold:
            steps += [step for step in ahead if step is not None]
            self._held = tail
            tail = []
        # After the steps already queued (the window's new content, queued first): each unit
        # then repaints once, with its new content (interleaved, the chat column was painted
        # twice: before and after its conversation step, ~6 ms more a switch).
        self._steps.replace(GROUP, [])
        self._steps.append(steps + tail)

    @property
    def sheet(self) -> str:
        """The QSS last put on the window's dialogs (and roots, for a window without a look)."""
        return self._sheet

    @property
    def frozen(self) -> bool:
        """Whether part of the window waits for a restyle's repaint (shows the old look)."""
        return any(isValid(widget) for widget in self._frozen)

    @property
    def held(self) -> bool:
        """Whether a preview's repaint waits for `release_hold`."""
        return bool(self._held)

    def release_hold(self) -> None:
        """Let a preview's repaint run, after every step queued by then (the mode's content)."""
        held, self._held = self._held, []
        if held:
            self._steps.append(held)

    def styled(self) -> list[QWidget]:
        """The widgets that carry the sheet: the window without style roots, then the dialogs."""
        window = self._window
        if not isValid(window):
            return []
        roots = [] if self._roots is not None else [window]  # roots have the look instead
        dialogs = [child for child in window.children()
                   if isinstance(child, QWidget) and child.isWindow() and child.styleSheet()]
        return [*roots, *dialogs]

    def _containers(self) -> list[QWidget]:
        """The window and every widget between it and a root: they paint with the QPalette."""
        found = [self._window]
        for root in self._roots() if self._roots is not None else []:
            parent = root.parentWidget()
            while parent is not None and parent not in found:
                found.append(parent)
                parent = parent.parentWidget()
        return found

    def _put(self, widgets: list[QWidget]) -> None:
        for widget in widgets:
            if isValid(widget) and widget.styleSheet() != self._sheet:
                widget.setStyleSheet(self._sheet)

    def _freeze(self) -> None:
        """No repaint of the paint units and the dialogs until their steps."""
        if not isValid(self._window):
            return
        # Not the window itself: a child's updates cannot come back on while its window's
        # are off, and the units are repainted one at a time.
        dialogs = [child for child in self._window.children()
                   if isinstance(child, QWidget) and child.isWindow()]
        units = self._units()
        for widget in [*units, *dialogs]:
            if widget.isVisible() and widget.updatesEnabled():
                widget.setUpdatesEnabled(False)
                self._frozen.append(widget)
        # The new palette repaints what lies around the units (the window, splitters, the
        # dashboard's background between its cards) at once. A frozen unit is opaque
        # meanwhile: Qt paints its parents around it, and its old pixels stay on screen
        # (else their background blanked it: seen, an empty window for the restyle's ~100 ms).
        for widget in units:
            if widget in self._frozen and not widget.testAttribute(OPAQUE):
                widget.setAttribute(OPAQUE, True)
                self._opaque.append(widget)

    def _thaw(self, widgets: list[QWidget] | None = None) -> None:
        """Repaint `widgets` (every frozen one if None) with their updates back on."""
        chosen = list(self._frozen) if widgets is None else widgets
        was_frozen = bool(self._frozen)
        self._frozen = [widget for widget in self._frozen if widget not in chosen]
        for widget in chosen:
            if widget in self._opaque:
                self._opaque.remove(widget)
                if isValid(widget):  # its parents paint under it again (the dashboard's)
                    widget.setAttribute(OPAQUE, False)
            if isValid(widget) and not widget.updatesEnabled():
                widget.setUpdatesEnabled(True)
                # Not update(): a sync that ran while the updates were off leaves the widget
                # marked dirty, and Qt then requests no new paint; the restyle never showed.
                widget.repaint()
        if was_frozen and not self._frozen:
            self.shown.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A dialog or menu polished for the first time gets the sheet; a new root the look."""
        if event.type() == QEvent.Type.ChildPolished and self._roots is not None:
            child = cast(QChildEvent, event).child()  # ChildPolished is always a QChildEvent
            if not isinstance(child, QWidget):
                return False
            if child.isWindow():
                if self._sheet:
                    self._put([child])
            elif child in self._roots():
                self._look.adopt(child)
        return False


def _draw_ahead(widget: DrawsAhead) -> bool:
    """One piece of `widget`'s drawing ahead; False once it is gone (closed meanwhile)."""
    return isValid(widget) and widget.draw_ahead()


def _name(widget: QWidget, index: int) -> str:
    """A step's name for `widget`: its object name, else its place."""
    return widget.objectName() or str(index)

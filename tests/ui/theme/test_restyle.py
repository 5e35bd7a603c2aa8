"""ui/theme/restyle.py: the look on a window's style roots, the QSS on its dialogs, and a
generated mode's restyle in steps."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from presto_desktop.core.palette import derive_palette
from presto_desktop.ui.theme.look import DRESSED
from presto_desktop.ui.theme.manager import ThemeManager

PALETTE = derive_palette("#c2185b")
OTHER = derive_palette("#00695c")


class RootedWindow(QMainWindow):
    """Like the main window: a header and a column whose parts have the look."""

    def __init__(self) -> None:
        super().__init__()
        central = QWidget(self)
        self.setCentralWidget(central)
        self.header = QLabel("Header", central)
        self.header.setObjectName("header")
        self.column = QWidget(central)
        column = QVBoxLayout(self.column)
        for widget in (QPushButton("Send", self.column), QLabel("Hint", self.column)):
            column.addWidget(widget)
        layout = QVBoxLayout(central)
        layout.addWidget(self.header)
        layout.addWidget(self.column)

    def style_roots(self) -> list[QWidget]:
        return [self.header, *(child for child in self.column.children()
                               if isinstance(child, QWidget) and not child.isWindow())]

    def paint_units(self) -> list[QWidget]:
        return [self.header, self.column]


class PaintSpy(QObject):
    """For each paint in one of `window`'s paint units: the primary colour the look paints
    with then, and the palette's."""

    def __init__(self, window: RootedWindow, manager: ThemeManager) -> None:
        super().__init__()
        self.window, self.manager, self.seen = window, manager, []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                and any(unit is watched or unit.isAncestorOf(watched)
                        for unit in self.window.paint_units())):
            colors = self.manager.look.colors
            self.seen.append((colors["primary"].name() if colors else None,
                              watched.palette().color(QPalette.ColorRole.Highlight).name()))
        return False


def header_fill(window: RootedWindow) -> str:
    """The colour the look fills the header's panel with (the former #header rule)."""
    return window.header.grab().toImage().pixelColor(3, 3).name()


def shown_window(qapp, qtbot, make: type[RootedWindow] = RootedWindow,
                 ) -> tuple[RootedWindow, ThemeManager]:
    qapp.setStyleSheet("")
    window = make()
    qtbot.addWidget(window)
    manager = ThemeManager(qapp)
    manager.set_target(window)
    manager.apply(PALETTE, "light")
    window.show()
    qtbot.waitExposed(window)
    return window, manager


def test_roots_have_the_look_dialogs_the_sheet_and_the_rest_the_palette(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    assert not any(w.styleSheet() for w in [window, window.column, *window.style_roots()])
    assert all(root.property(DRESSED) for root in window.style_roots())
    assert window.palette().color(QPalette.ColorRole.Window).name() == PALETTE.light.background
    assert header_fill(window) == PALETTE.light.surface  # the header's panel
    late = QPushButton("Late", window.column)  # a part built later, like the overlay
    dialog = QDialog(window)
    late.show()
    dialog.show()
    assert late.property(DRESSED) and late.style() is manager.look
    assert dialog.styleSheet() == manager.sheet and PALETTE.light.primary in manager.sheet
    manager.apply(OTHER)  # an instant switch: complete when apply returns
    assert OTHER.light.primary in dialog.styleSheet()
    assert header_fill(window) == OTHER.light.surface
    assert window.palette().color(QPalette.ColorRole.Window).name() == OTHER.light.background
    assert dialog.palette().color(QPalette.ColorRole.Window).name() == OTHER.light.background


def test_restyle_in_steps_shows_as_one_step(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    emitted: list[object] = []
    manager.theme_changed.connect(emitted.append)
    spy = PaintSpy(window, manager)
    qapp.installEventFilter(spy)
    try:
        assert manager.apply(OTHER, in_steps=True)
        assert manager.repaint_pending  # no unit is painted until its step
        assert window.updatesEnabled()  # the window is not frozen: its units are, one by one
        assert not window.header.updatesEnabled()
        assert qapp.palette().color(QPalette.ColorRole.Window).name() == OTHER.light.background
        assert emitted == []
        qtbot.waitUntil(lambda: not manager.repaint_pending, timeout=2000)
        qtbot.wait(20)
    finally:
        qapp.removeEventFilter(spy)
    assert len(emitted) == 1
    assert header_fill(window) == OTHER.light.surface
    # Painted when the updates came back on, always with the look's colours and the palette of
    # the same mode (tests/ui/shell/test_window.py checks the same on the real window).
    assert spy.seen and {look for look, _ in spy.seen} == {OTHER.light.primary}
    assert all(look == palette for look, palette in spy.seen)


def test_a_newer_apply_takes_over_a_restyle_in_steps(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    manager.apply(OTHER, in_steps=True)
    manager.apply(PALETTE)  # e.g. an instant switch before the steps are done
    assert not manager.repaint_pending
    assert header_fill(window) == PALETTE.light.surface
    qtbot.wait(50)  # the older steps stop; none brings its colours back
    assert header_fill(window) == PALETTE.light.surface
    assert manager.look.colors is not None
    assert manager.look.colors["surface"] == QColor(PALETTE.light.surface)
    assert not manager.repaint_pending


def test_a_held_preview_shows_only_once_its_palette_is_applied(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    steps = manager._restyler._steps  # the mode change the restyle's steps join
    assert manager.apply(OTHER, "light", hold=True)  # a generated mode, while it is saved
    qtbot.waitUntil(lambda: not steps.pending("restyle"), timeout=2000)
    qtbot.wait(30)
    assert manager.repaint_pending  # restyled, but not shown: the repaint waits
    assert not window.header.updatesEnabled()
    assert not manager.apply(OTHER, "light", in_steps=True)  # the saved mode: same palette
    qtbot.waitUntil(lambda: not manager.repaint_pending, timeout=2000)
    assert header_fill(window) == OTHER.light.surface


def test_a_dropped_preview_restyles_back(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    manager.apply(OTHER, "light", hold=True)
    assert manager.apply(PALETTE, "light", in_steps=True)  # the save failed: the old palette
    qtbot.waitUntil(lambda: not manager.repaint_pending, timeout=2000)
    assert header_fill(window) == PALETTE.light.surface
    assert window.palette().color(QPalette.ColorRole.Window).name() == PALETTE.light.background


def test_a_prepared_sheet_is_used_by_the_matching_apply(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    dialog = QDialog(window)
    dialog.show()
    manager.prepare(OTHER)  # e.g. in the worker thread that saves a generated mode
    prepared = manager._prepared
    assert prepared is not None and OTHER.light.primary in prepared[2]
    manager.apply(OTHER, "light")
    assert manager._prepared is None
    assert manager.sheet == prepared[2] and dialog.styleSheet() == prepared[2]


def test_a_part_added_outside_the_looks_watch_is_dressed_by_the_next_restyle(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    inside = window.style_roots()[1]  # the Send button: a root, not a container it watches
    late = QLabel("94", inside)
    late.setObjectName("kpiValue")
    late.show()
    qtbot.wait(10)
    assert not late.property(DRESSED)
    manager.apply(OTHER)
    assert late.property(DRESSED) and late.foregroundRole() == QPalette.ColorRole.Highlight


def on_screen(window: RootedWindow, widget: QWidget, x: int = 3, y: int = 3) -> str:
    """The colour the window's backing store holds at `widget`'s (x, y): what is on screen."""
    image = window.screen().grabWindow(window.winId()).toImage()
    return image.pixelColor(widget.mapTo(window, QPoint(x, y))).name()


def test_a_frozen_unit_keeps_its_pixels_while_the_window_around_it_repaints(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    margin = QPoint(2, 2)  # the window's own background, outside every unit
    qtbot.waitUntil(lambda: on_screen(window, window.header) == PALETTE.light.surface,
                    timeout=2000)
    manager.apply(OTHER, in_steps=True)
    # The palette change reaches the widgets (not the steps: they wait for their turns).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
    window.repaint()  # as the next frame does: the window, not its frozen units
    assert manager.repaint_pending
    image = window.screen().grabWindow(window.winId()).toImage()
    assert image.pixelColor(margin).name() == OTHER.light.background
    assert on_screen(window, window.header) == PALETTE.light.surface  # not blanked
    qtbot.waitUntil(lambda: not manager.repaint_pending, timeout=2000)
    assert on_screen(window, window.header) == OTHER.light.surface
    assert not window.header.testAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)


class AheadColumn(QWidget):
    """A paint unit that draws ahead: three pieces, each noted with whether it is still held."""

    def __init__(self, parent: QWidget, seen: list[str]) -> None:
        super().__init__(parent)
        self.seen, self.left = seen, 3

    def draw_ahead(self) -> bool:
        self.seen.append("ahead" if not self.updatesEnabled() else "ahead after the repaint")
        self.left -= 1
        return self.left > 0

    def paintEvent(self, event) -> None:  # noqa: N802
        self.seen.append("paint")


class AheadWindow(RootedWindow):
    """A rooted window whose second unit draws ahead."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []
        self.ahead = AheadColumn(self.centralWidget(), self.seen)
        self.ahead.setMinimumSize(100, 40)
        self.centralWidget().layout().addWidget(self.ahead)

    def paint_units(self) -> list[QWidget]:
        return [self.header, self.ahead]


def shown_ahead_window(qapp, qtbot) -> tuple[AheadWindow, ThemeManager]:
    """An AheadWindow in PALETTE, painted, with nothing seen yet."""
    window, manager = shown_window(qapp, qtbot, AheadWindow)
    assert isinstance(window, AheadWindow)
    qtbot.waitUntil(lambda: "paint" in window.seen)
    window.seen.clear()
    return window, manager


def test_a_unit_that_draws_ahead_does_so_in_steps_before_its_repaint(qapp, qtbot):
    window, manager = shown_ahead_window(qapp, qtbot)
    manager.apply(OTHER, in_steps=True)
    assert window.seen == []  # nothing drawn in the apply itself
    qtbot.waitUntil(lambda: not manager.repaint_pending, timeout=2000)
    assert window.seen[:4] == ["ahead", "ahead", "ahead", "paint"]


def test_a_held_restyle_draws_ahead_before_its_release(qapp, qtbot):
    """A preview's repaint waits for the release; drawing ahead does not."""
    window, manager = shown_ahead_window(qapp, qtbot)
    manager.apply(OTHER, hold=True)
    qtbot.waitUntil(lambda: len(window.seen) == 3, timeout=2000)
    qtbot.wait(30)
    assert window.seen == ["ahead", "ahead", "ahead"] and manager.repaint_pending
    manager.apply(OTHER)  # the saved mode: the held repaint goes ahead
    qtbot.waitUntil(lambda: not manager.repaint_pending, timeout=2000)
    assert window.seen[3] == "paint"

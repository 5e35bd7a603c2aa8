"""ui/theme/restyle.py: the QSS on a window's style roots, and a generated mode's restyle in steps."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from presto_desktop.core.palette import derive_palette
from presto_desktop.ui.theme.manager import ThemeManager

PALETTE = derive_palette("#c2185b")
OTHER = derive_palette("#00695c")


class RootedWindow(QMainWindow):
    """Like the main window: a header and a column whose parts carry the sheet."""

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
    """For each paint in one of `window`'s paint units: how many different sheets its roots
    carried then."""

    def __init__(self, window: RootedWindow) -> None:
        super().__init__()
        self.window, self.sheets_seen = window, []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                and any(unit is watched or unit.isAncestorOf(watched)
                        for unit in self.window.paint_units())):
            self.sheets_seen.append(len({r.styleSheet() for r in self.window.style_roots()}))
        return False


def shown_window(qapp, qtbot) -> tuple[RootedWindow, ThemeManager]:
    qapp.setStyleSheet("")
    window = RootedWindow()
    qtbot.addWidget(window)
    manager = ThemeManager(qapp)
    manager.set_target(window)
    manager.apply(PALETTE, "light")
    window.show()
    qtbot.waitExposed(window)
    return window, manager


def test_roots_carry_the_sheet_and_the_rest_the_palette(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    assert window.styleSheet() == "" and window.column.styleSheet() == ""
    assert all(PALETTE.light.primary in root.styleSheet() for root in window.style_roots())
    assert window.palette().color(QPalette.ColorRole.Window).name() == PALETTE.light.background
    assert window.header.palette().color(QPalette.ColorRole.Window).name() == (
        PALETTE.light.surface)  # the #header rule
    late = QPushButton("Late", window.column)  # a part built later, like the overlay
    dialog = QDialog(window)
    late.show()
    dialog.show()
    assert late.styleSheet() == dialog.styleSheet() == window.header.styleSheet()
    manager.apply(OTHER)  # an instant switch: complete when apply returns
    assert all(OTHER.light.primary in w.styleSheet() for w in [*window.style_roots(), dialog])
    assert window.palette().color(QPalette.ColorRole.Window).name() == OTHER.light.background
    assert dialog.palette().color(QPalette.ColorRole.Window).name() == OTHER.light.background


def test_restyle_in_steps_shows_as_one_step(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    emitted: list[object] = []
    manager.theme_changed.connect(emitted.append)
    spy = PaintSpy(window)
    qapp.installEventFilter(spy)
    try:
        assert manager.apply(OTHER, in_steps=True)
        assert manager.repaint_pending  # no unit is painted until the roots are restyled
        assert window.updatesEnabled()  # the window is not frozen: its units are, one by one
        assert qapp.palette().color(QPalette.ColorRole.Window).name() == OTHER.light.background
        assert all(PALETTE.light.primary in root.styleSheet() for root in window.style_roots())
        assert emitted == []
        qtbot.waitUntil(lambda: not manager.repaint_pending, timeout=2000)
        qtbot.wait(20)
    finally:
        qapp.removeEventFilter(spy)
    assert all(OTHER.light.primary in root.styleSheet() for root in window.style_roots())
    assert len(emitted) == 1
    assert window.header.palette().color(QPalette.ColorRole.Window).name() == OTHER.light.surface
    # Painted when the updates came back on, and no unit painted while some roots had the old
    # sheet and some the new (tests/ui/shell/test_window.py checks the same on the real window).
    assert spy.sheets_seen and set(spy.sheets_seen) == {1}


def test_a_newer_apply_takes_over_a_restyle_in_steps(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    manager.apply(OTHER, in_steps=True)
    manager.apply(PALETTE)  # e.g. an instant switch before the steps are done
    assert not manager.repaint_pending
    assert all(PALETTE.light.primary in root.styleSheet() for root in window.style_roots())
    qtbot.wait(50)  # the older steps stop; none puts its sheet back
    assert all(PALETTE.light.primary in root.styleSheet() for root in window.style_roots())
    assert not manager.repaint_pending


def test_a_held_preview_shows_only_once_its_palette_is_applied(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    steps = manager._restyler._steps  # the mode change the restyle's steps join
    assert manager.apply(OTHER, "light", hold=True)  # a generated mode, while it is saved
    qtbot.waitUntil(lambda: not steps.pending("restyle"), timeout=2000)
    assert all(OTHER.light.primary in root.styleSheet() for root in window.style_roots())
    qtbot.wait(30)
    assert manager.repaint_pending  # restyled, but not shown: the repaint waits
    assert not manager.apply(OTHER, "light", in_steps=True)  # the saved mode: same palette
    qtbot.waitUntil(lambda: not manager.repaint_pending, timeout=2000)


def test_a_dropped_preview_restyles_back(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    manager.apply(OTHER, "light", hold=True)
    assert manager.apply(PALETTE, "light", in_steps=True)  # the save failed: the old palette
    qtbot.waitUntil(lambda: not manager.repaint_pending, timeout=2000)
    assert all(PALETTE.light.primary in root.styleSheet() for root in window.style_roots())
    assert window.palette().color(QPalette.ColorRole.Window).name() == PALETTE.light.background


def test_a_prepared_sheet_is_used_by_the_matching_apply(qapp, qtbot):
    window, manager = shown_window(qapp, qtbot)
    manager.prepare(OTHER)  # e.g. in the worker thread that saves a generated mode
    prepared = manager._prepared
    assert prepared is not None and OTHER.light.primary in prepared[2]
    manager.apply(OTHER, "light")
    assert manager._prepared is None
    assert all(root.styleSheet() == prepared[2] for root in window.style_roots())

"""ui/theme/look.py: the main window's parts painted from the palette, without a stylesheet."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollBar,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from presto_desktop.core.palette import derive_palette
from presto_desktop.ui.theme.look import DRESSED, Look
from presto_desktop.ui.theme.look_rules import SCROLL_BAR_EXTENT
from tests.ui.helpers import colors_from_roles

PALETTE = derive_palette("#c2185b")
COLORS = colors_from_roles(PALETTE.light, dark=False)


def named(widget: QWidget, name: str) -> QWidget:
    widget.setObjectName(name)
    return widget


def dressed_root(qtbot, look: Look, *children: QWidget, name: str = "") -> QWidget:
    """A shown window whose style root (named `name`) holds `children`, dressed by `look`
    (keep the window: it owns them)."""
    window = QWidget()
    qtbot.addWidget(window)
    root = QWidget(window)
    root.setObjectName(name)
    QVBoxLayout(window).addWidget(root)
    layout = QVBoxLayout(root)
    for child in children:
        child.setParent(root)
        layout.addWidget(child)
    look.adopt(root)
    window.resize(320, 60 * max(1, len(children)))
    window.show()
    qtbot.waitExposed(window)
    return window


def inside(widget: QWidget) -> QColor:
    """The colour just inside `widget`'s border, half way down its left edge."""
    return widget.grab().toImage().pixelColor(QPoint(4, widget.height() // 2))


def test_buttons_and_panels_take_the_palette_roles(qtbot):
    look = Look(COLORS)
    send = named(QPushButton("Send"), "sendButton")
    plain = named(QPushButton("Modes"), "libraryButton")
    card = named(QFrame(), "kpiCard")
    card.setMinimumHeight(40)
    _window = dressed_root(qtbot, look, send, plain, card)  # noqa: F841 - keeps the widgets
    assert inside(send) == COLORS["primary"]  # an accent button: filled with the primary
    assert inside(plain) == COLORS["surface"]
    assert inside(card) == COLORS["surface"]
    send.setEnabled(False)  # a disabled Send looks like a plain button with muted text
    assert inside(send) == COLORS["surface"]
    other = colors_from_roles(derive_palette("#00695c").light, dark=False)
    look.set_colors(other)  # the next repaint paints the new colours, no re-polish
    assert inside(plain) == other["surface"] and inside(card) == other["surface"]


def test_a_checked_tab_and_a_focused_button_show_a_primary_border(qtbot):
    look = Look(COLORS)
    tab = named(QToolButton(), "tabButton")
    tab.setText("Accounts")
    tab.setCheckable(True)
    chip = named(QPushButton("Ask this"), "chip")
    _window = dressed_root(qtbot, look, tab, chip)  # noqa: F841
    edge = QPoint(tab.width() // 2, 0)
    assert tab.grab().toImage().pixelColor(edge) == COLORS["border"]
    tab.setChecked(True)
    assert tab.grab().toImage().pixelColor(edge) == COLORS["primary"]
    assert inside(chip) != COLORS["surface"]  # a chip is tinted with the primary
    chip.setFocus()
    qtbot.waitUntil(chip.hasFocus)
    assert chip.grab().toImage().pixelColor(QPoint(chip.width() // 2, 0)) == COLORS["primary"]


def test_labels_keep_the_base_style_and_take_their_font_and_text_role(qtbot):
    look = Look(COLORS, font_size=11)
    value = named(QLabel("94"), "kpiValue")
    meta = named(QLabel("since 2014"), "personaMeta")
    button = QPushButton("Go")
    # Named as a container the look watches for new parts (look_rules.GROWING).
    _window = dressed_root(qtbot, look, value, meta, button, name="kpiBox")  # noqa: F841
    root = value.parentWidget()
    assert value.style() is not look and button.style() is look  # no Python per label paint
    assert value.font().pointSize() == 11 + 13 and value.font().weight() == QFont.Weight.Bold
    assert value.foregroundRole() == QPalette.ColorRole.Highlight  # the primary
    assert meta.foregroundRole() == QPalette.ColorRole.PlaceholderText  # text_muted
    late = named(QLabel("later"), "kpiValue")  # a label added after, like a new KPI card's
    late.setParent(root)
    late.show()
    qtbot.waitUntil(lambda: bool(late.property(DRESSED)))
    assert late.font().pointSize() == 24
    look.set_font_size(16)  # presenter mode's larger text
    assert value.font().pointSize() == 29 and late.font().pointSize() == 29


def test_scroll_bars_are_thin_without_arrows(qtbot):
    look = Look(COLORS)
    bar = QScrollBar(Qt.Orientation.Vertical)
    bar.setRange(0, 300)
    bar.setPageStep(100)
    bar.setFixedHeight(200)
    _window = dressed_root(qtbot, look, bar)  # noqa: F841
    assert bar.sizeHint().width() == SCROLL_BAR_EXTENT
    option = QStyleOptionSlider()
    bar.initStyleOption(option)
    rect = bar.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, option,
                               QStyle.SubControl.SC_ScrollBarAddLine, bar)
    assert rect.isEmpty()
    slider = bar.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, option,
                                 QStyle.SubControl.SC_ScrollBarSlider, bar)
    assert slider.top() == 0 and abs(slider.height() - bar.height() // 4) <= 1  # page/(range+page)
    bar.setValue(300)
    bar.initStyleOption(option)
    slider = bar.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, option,
                                 QStyle.SubControl.SC_ScrollBarSlider, bar)
    assert slider.bottom() == bar.height() - 1


def test_the_composer_is_a_rounded_panel_around_its_text(qtbot):
    look = Look(COLORS)
    composer = named(QPlainTextEdit(), "composer")
    _window = dressed_root(qtbot, look, composer)  # noqa: F841
    assert composer.frameShape() == QFrame.Shape.NoFrame
    assert composer.viewport().geometry().left() == 9  # border and padding, as the sheet had
    assert composer.grab().toImage().pixelColor(QPoint(0, 0)) != COLORS["border"]  # a round corner
    assert composer.grab().toImage().pixelColor(QPoint(composer.width() // 2, 0)) == COLORS["border"]


def test_a_busy_progress_bar_sweeps(qtbot):
    look = Look(COLORS)
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    _window = dressed_root(qtbot, look, bar)  # noqa: F841
    assert bar.maximumHeight() == 10
    first = bar.grab().toImage()
    qtbot.wait(250)
    assert bar.grab().toImage() != first  # the chunk moved


def test_an_error_in_the_look_is_logged_once_and_the_base_style_paints(qtbot, monkeypatch, caplog):
    from presto_desktop.ui.theme import look as look_module

    def broken(*_args: object) -> None:
        raise TypeError("a bug in a rule")

    monkeypatch.setattr(look_module, "button_look", broken)
    look = Look(COLORS)
    button = named(QPushButton("Modes"), "libraryButton")
    _window = dressed_root(qtbot, look, button)  # noqa: F841
    for _ in range(3):
        button.grab()  # painted (by the base style) instead of crashing the process
    failures = [r for r in caplog.records if "the look failed" in r.getMessage()]
    assert [r.getMessage() for r in failures] == [
        "the look failed in drawControl; the base style answers instead"]


def test_custom_painted_labels_follow_their_text_role(qtbot):
    """A KPI value (painted by its own paintEvent) is in the primary, a tagline muted."""
    from presto_desktop.ui.dashboard.cards import KpiCard
    from presto_desktop.ui.shell.header import ElidedLabel
    from tests.ui.helpers import dress

    card = KpiCard(("Hives", "888", "jars"))
    tagline = named(ElidedLabel(), "tagline")
    tagline.setText("█████")
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    for part in (card, tagline):
        layout.addWidget(part)
    dress(host, COLORS)
    host.show()
    qtbot.waitExposed(host)
    value = card.value.grab().toImage()
    inks = {value.pixelColor(x, y).name() for x in range(value.width())
            for y in range(value.height())}
    assert COLORS["primary"].name() in inks and COLORS["text"].name() not in inks
    shown = tagline.grab().toImage()
    assert shown.pixelColor(3, shown.height() // 2).name() == COLORS["text_muted"].name()

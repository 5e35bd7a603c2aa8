"""The main window's look without a stylesheet: a style that paints in the theme's colours.

A per-mode QSS re-polishes every widget it reaches: ~0.2 ms a widget, 20-25 ms for the main
window's parts on each mode switch (measured), while a widget without a sheet follows
QApplication.setPalette with one repaint (~1 ms for the whole window). So the main window's
parts carry no sheet: `Look`, a QProxyStyle set on each of their widgets, paints panels, cards,
buttons and scroll bars in the current ThemeColors, and gives widgets the fonts and text roles
the sheet gave them (ui/theme/look_rules.py says which). Dialogs and menus keep the QSS.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen, QPixmap, QPixmapCache
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QFrame,
    QGraphicsView,
    QLabel,
    QProgressBar,
    QProxyStyle,
    QScrollBar,
    QStyle,
    QStyleOption,
    QStyleOptionButton,
    QStyleOptionComplex,
    QStyleOptionSlider,
    QStyleOptionToolButton,
    QWidget,
)
from shiboken6 import isValid

from presto_desktop.ui.theme.colors import ThemeColors
from presto_desktop.ui.theme.look_rules import (
    FONTS,
    MARGINS,
    PANELS,
    PROGRESS_GROOVE,
    PROGRESS_HEIGHT,
    ROLES,
    SCROLL_AREAS,
    SCROLL_BAR_EXTENT,
    ButtonLook,
    Panel,
    button_look,
    button_padding,
)

log = logging.getLogger(__name__)
PM = QStyle.PixelMetric
TOOL_BUTTON_MARGIN = 3
DASHES = [2.0, 2.0]  # a dashed border's dash and gap, in pen widths (the sheet's short dashes)
BUSY_FRAME_MS = 33  # a busy progress bar's sweep is repainted ~30 times a second
BUSY_SWEEPS_PER_S = 0.7
DRESSED = "lookDressed"  # a widget's property once `Look.adopt` dressed it
SC = QStyle.SubControl


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """A style override that never raises: on an error it is logged once and the base style
    answers instead (an exception escaping a style call made from C++ crashed the process)."""
    name = method.__name__

    @functools.wraps(method)
    def run(self: Look, *args: Any) -> Any:
        try:
            return method(self, *args)
        except Exception:  # noqa: BLE001 - any error: the base style paints instead
            if name not in self._failed:
                self._failed.add(name)
                log.exception("the look failed in %s; the base style answers instead", name)
            return getattr(QProxyStyle, name)(self, *args)

    return run


def mixed(colors: ThemeColors, role: str, alpha: float) -> QColor:
    """`role`'s colour at `alpha` (the sheet's rgba(role, alpha))."""
    color = colors[role]
    color.setAlphaF(alpha)
    return color


class Look(QProxyStyle):
    """Paints the widgets it is set on from the theme's colours; the rest as the base style."""

    def __init__(self, colors: ThemeColors | None = None, font_size: int = 11) -> None:
        super().__init__("Fusion")
        self._colors = colors
        self._font_size = font_size
        self._roots: list[QWidget] = []  # what `adopt` was given: the dressed widgets lie under them
        self._failed: set[str] = set()  # overrides that raised (logged once each)
        self._looks: dict[tuple[object, ...], ButtonLook] = {}
        self._watcher = _ChildWatcher(self)
        self._busy = _BusyTicker()

    @property
    def colors(self) -> ThemeColors | None:
        """The colours it paints with (None: the base style's)."""
        return self._colors

    def set_colors(self, colors: ThemeColors) -> None:
        """Paint with `colors` from the next repaint on (the palette change asks for it)."""
        self._colors = colors
        self._looks.clear()

    def _button(self, widget: QWidget, state: QStyle.StateFlag, colors: ThemeColors) -> ButtonLook:
        """`widget`'s look in `state`, worked out once per kind of button, state and palette."""
        key = (widget.objectName(), state.value, widget.property("compact"),
               widget.property("voiceState"), widget.property("muted"),
               widget.property("accent"), getattr(widget, "isDefault", bool)(),
               getattr(widget, "isChecked", bool)())
        look = self._looks.get(key)
        if look is None:
            look = self._looks[key] = button_look(widget, state, colors)
        return look

    def set_font_size(self, size: int) -> None:
        """The base text size: every adopted widget's font follows it."""
        if size == self._font_size:
            return
        self._font_size = size
        self._roots = [root for root in self._roots if isValid(root)]
        for root in self._roots:
            for widget in [root, *root.findChildren(QWidget)]:
                if widget.objectName() in FONTS and widget.property(DRESSED):
                    self._set_font(widget)

    def adopt(self, root: QWidget) -> None:
        """Dress `root` and every widget under it (now, and when added later) in the look.

        Only what the look paints (buttons, panels, scroll and progress bars) gets the style:
        each of its draw calls runs Python, so plain labels keep the C++ base style and take
        just their font and text role.
        """
        self._roots = [known for known in self._roots if isValid(known) and known is not root]
        self._roots.append(root)
        self._dress_tree(root)

    def _dress_tree(self, top: QWidget) -> None:
        for widget in [top, *top.findChildren(QWidget)]:
            if widget.isWindow() or widget.property(DRESSED):
                continue
            widget.setProperty(DRESSED, True)
            self._dress(widget)
            if _painted(widget) and widget.style() is not self:
                widget.setStyle(self)
            if _may_gain_parts(widget):
                widget.installEventFilter(self._watcher)

    def _dress(self, widget: QWidget) -> None:
        """Font, text role, margins and background settings of `widget` (by object name)."""
        name = widget.objectName()
        self._set_font(widget)
        if name in ROLES:
            widget.setForegroundRole(ROLES[name])
        panel = PANELS.get(name)
        if name in SCROLL_AREAS and isinstance(widget, QAbstractScrollArea):
            _plain_scroll_area(widget, *SCROLL_AREAS[name])
        elif name in MARGINS or panel is not None:
            widget.setContentsMargins(*MARGINS.get(name) or panel.margins)  # type: ignore[union-attr]
        if panel is not None:
            widget.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        if isinstance(widget, QProgressBar):
            widget.setMaximumHeight(PROGRESS_HEIGHT)

    def _set_font(self, widget: QWidget) -> None:
        rule = FONTS.get(widget.objectName())
        if rule is None:
            return
        delta, weight, spacing = rule
        font = QFont()  # only what the rule sets: the rest follows the parent's font
        if delta is not None:
            font.setPointSize(max(6, self._font_size + delta))
        if weight is not None:
            font.setWeight(QFont.Weight(weight))
        if spacing:
            font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, spacing)
        widget.setFont(font)

    # -- panels and cards ----------------------------------------------------------------------------
    @_guarded
    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,  # noqa: N802
                      painter: QPainter, widget: QWidget | None = None) -> None:
        """Panels (header, cards, bars) and no focus rectangles: a focused part has a border."""
        colors = self._colors
        if colors is not None and widget is not None:
            if element == QStyle.PrimitiveElement.PE_Widget:
                panel = PANELS.get(widget.objectName())
                if panel is not None:
                    self._panel(painter, QRectF(option.rect), panel, colors, widget)
                return
            if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
                return
        super().drawPrimitive(element, option, painter, widget)

    def _panel(self, painter: QPainter, rect: QRectF, panel: Panel, colors: ThemeColors,
               widget: QWidget) -> None:
        focused = panel.focus and widget.hasFocus()
        dashed = panel.drop and bool(widget.property("dropTarget"))
        width = 2.0 if focused or dashed or panel.wide else 1.0
        border = colors["primary"] if focused or dashed else (
            colors[panel.border] if panel.border else None)
        fill = mixed(colors, panel.fill, panel.alpha) if panel.fill else None
        if panel.edge:  # a bottom border line under a flat fill (header, notice bar)
            if fill is not None:
                painter.fillRect(rect, fill)
            if border is not None:
                # QRectF.bottom() is the edge below the last row (QRect's is that row).
                painter.fillRect(QRectF(rect.left(), rect.bottom() - width, rect.width(), width),
                                 border)
            return
        # A rounded panel is drawn once per size and colours, then copied: a card under a
        # growing chart is repainted every animation frame (0.28 ms a big card drawn, measured).
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = (f"look:{rect.width()}x{rect.height()}@{ratio}:{panel.radius}:{width}:{dashed}:"
               f"{fill.rgba() if fill else '-'}:{border.rgba() if border else '-'}")
        cached = QPixmap()
        if not QPixmapCache.find(key, cached):
            cached = QPixmap((rect.size() * ratio).toSize())
            cached.setDevicePixelRatio(ratio)
            cached.fill(Qt.GlobalColor.transparent)
            drawing = QPainter(cached)
            drawing.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            inset = width / 2 if border is not None else 0.0
            shape = QRectF(0, 0, rect.width(), rect.height()).adjusted(inset, inset, -inset,
                                                                      -inset)
            pen = QPen(border, width) if border is not None else QPen(Qt.PenStyle.NoPen)
            if dashed:
                pen.setDashPattern(DASHES)
            drawing.setPen(pen)
            drawing.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
            drawing.drawRoundedRect(shape, panel.radius, panel.radius)
            drawing.end()
            QPixmapCache.insert(key, cached)
        painter.drawPixmap(rect.topLeft(), cached)

    # -- buttons -------------------------------------------------------------------------------------
    @_guarded
    def drawControl(self, element: QStyle.ControlElement, option: QStyleOption,  # noqa: N802
                    painter: QPainter, widget: QWidget | None = None) -> None:
        """A push button's panel and label, a progress bar's groove and chunk."""
        colors = self._colors
        if colors is not None and widget is not None:
            CE = QStyle.ControlElement
            if element == CE.CE_PushButtonBevel and isinstance(option, QStyleOptionButton):
                self._button_panel(painter, option, widget, colors)
                return
            if element in (CE.CE_PushButtonLabel, CE.CE_ToolButtonLabel) and isinstance(
                    option, (QStyleOptionButton, QStyleOptionToolButton)):
                label = (QStyleOptionButton(option) if isinstance(option, QStyleOptionButton)
                         else QStyleOptionToolButton(option))
                look = self._button(widget, option.state, colors)
                label.palette.setColor(QPalette.ColorRole.ButtonText, look.text)
                label.palette.setColor(QPalette.ColorRole.WindowText, look.text)
                super().drawControl(element, label, painter, widget)
                return
            if element == CE.CE_ShapedFrame and widget.objectName() in PANELS:
                return  # drawn as the widget's background (PE_Widget)
            if element == CE.CE_ProgressBarGroove:
                groove = PANELS.get(widget.objectName(), PROGRESS_GROOVE)
                self._panel(painter, QRectF(option.rect), groove, colors, widget)
                return
            if element == CE.CE_ProgressBarContents and isinstance(widget, QProgressBar):
                self._chunk(painter, option, widget, colors)
                return
        super().drawControl(element, option, painter, widget)

    def _button_panel(self, painter: QPainter, option: QStyleOption, widget: QWidget,
                      colors: ThemeColors) -> None:
        look = self._button(widget, option.state, colors)
        self._paint_button(painter, QRectF(option.rect), look)

    def _paint_button(self, painter: QPainter, rect: QRectF, look: ButtonLook) -> None:
        inset = look.width / 2
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(look.border, look.width)
        if look.dashed:
            pen.setDashPattern(DASHES)
        painter.setPen(pen)
        painter.setBrush(look.fill)
        painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset), look.radius,
                                look.radius)
        painter.restore()

    def _chunk(self, painter: QPainter, option: QStyleOption, widget: QProgressBar,
               colors: ThemeColors) -> None:
        groove = QRectF(option.rect).adjusted(1, 1, -1, -1)
        share = _progress(widget)
        if share is None:  # busy: a chunk of half the groove, sweeping to and fro
            self._busy.follow(widget)
            swing = abs(((time.monotonic() * BUSY_SWEEPS_PER_S) % 2.0) - 1.0)
            rect = QRectF(groove.left() + swing * groove.width() / 2, groove.top(),
                          groove.width() / 2, groove.height())
        else:
            rect = QRectF(groove.left(), groove.top(), groove.width() * share, groove.height())
        if rect.width() < 1:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colors.roles["primary"])
        painter.drawRoundedRect(rect, 4, 4)
        painter.restore()

    @_guarded
    def drawComplexControl(self, control: QStyle.ComplexControl,  # noqa: N802
                           option: QStyleOptionComplex, painter: QPainter,
                           widget: QWidget | None = None) -> None:
        """A tool button as a push button (no menu arrow); a thin scroll bar handle."""
        colors = self._colors
        if colors is not None and widget is not None:
            if control == QStyle.ComplexControl.CC_ToolButton and isinstance(
                    option, QStyleOptionToolButton):
                self._button_panel(painter, option, widget, colors)
                label = QStyleOptionToolButton(option)
                vertical, horizontal = button_padding(widget)
                label.rect = option.rect.adjusted(horizontal + 1, vertical + 1,
                                                  -horizontal - 1, -vertical - 1)
                self.drawControl(QStyle.ControlElement.CE_ToolButtonLabel, label, painter, widget)
                return
            if control == QStyle.ComplexControl.CC_ScrollBar and isinstance(
                    option, QStyleOptionSlider):
                handle = QRectF(self.subControlRect(control, option, SC.SC_ScrollBarSlider,
                                                    widget)).adjusted(2, 2, -2, -2)
                painter.save()
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(mixed(colors, "text_muted", 0.45))
                painter.drawRoundedRect(handle, 4, 4)
                painter.restore()
                return
        super().drawComplexControl(control, option, painter, widget)

    # -- sizes ---------------------------------------------------------------------------------------
    @_guarded
    def sizeFromContents(self, kind: QStyle.ContentsType, option: QStyleOption,  # noqa: N802
                         size: QSize, widget: QWidget | None = None) -> QSize:
        """A button: its contents plus the padding and border the sheet gave it."""
        if widget is not None and kind in (QStyle.ContentsType.CT_PushButton,
                                           QStyle.ContentsType.CT_ToolButton):
            vertical, horizontal = button_padding(widget)
            # A tool button's contents came to the sheet with the base style's 3 px margin.
            extra = TOOL_BUTTON_MARGIN if kind == QStyle.ContentsType.CT_ToolButton else 0
            return QSize(size.width() + 2 * (horizontal + 1) + extra,
                         size.height() + 2 * (vertical + 1) + extra)
        return super().sizeFromContents(kind, option, size, widget)  # type: ignore[arg-type]

    @_guarded
    def subControlRect(self, control: QStyle.ComplexControl,  # noqa: N802
                       option: QStyleOptionComplex, sub: QStyle.SubControl,
                       widget: QWidget | None = None) -> QRect:
        """A scroll bar without arrow buttons: the groove is the whole bar."""
        if control == QStyle.ComplexControl.CC_ScrollBar and isinstance(option,
                                                                         QStyleOptionSlider):
            return _scroll_rect(option, sub)
        if control == QStyle.ComplexControl.CC_ToolButton and sub == SC.SC_ToolButton:
            return QRect(option.rect)  # no menu-arrow part: the sheet hid it
        return super().subControlRect(control, option, sub, widget)  # type: ignore[arg-type]

    @_guarded
    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,  # noqa: N802
                    widget: QWidget | None = None) -> int:
        """Thin scroll bars; no menu-arrow room on a tool button."""
        if metric == PM.PM_ScrollBarExtent:
            return SCROLL_BAR_EXTENT
        if metric == PM.PM_MenuButtonIndicator:
            return 0
        return super().pixelMetric(metric, option, widget)


def _may_gain_parts(widget: QWidget) -> bool:
    """Whether `widget` may get new child widgets to dress (a card's rows, a bar's chips).

    Not buttons, labels, or scroll areas and their insides: each watched widget's events all
    pass through Python, and a scroll area's viewport gets most paints (the chat's, ~300 a
    switch: ~3 ms).
    """
    if isinstance(widget, (QAbstractButton, QLabel, QScrollBar, QAbstractScrollArea,
                           QProgressBar)):
        return False
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QAbstractScrollArea):
            return False
        parent = parent.parentWidget()
    return True


def _painted(widget: QWidget) -> bool:
    """Whether the look paints `widget` (else the base style does, without Python calls)."""
    return (isinstance(widget, (QAbstractButton, QScrollBar, QProgressBar))
            or widget.objectName() in PANELS)


def _plain_scroll_area(area: QAbstractScrollArea, role: QPalette.ColorRole | None,
                       margin: int) -> None:
    """No frame (the panel behind it draws one, if any); the viewport filled with `role`."""
    area.setFrameShape(QFrame.Shape.NoFrame)
    viewport = area.viewport()
    viewport.setAutoFillBackground(role is not None)
    if role is not None:
        viewport.setBackgroundRole(role)
    elif isinstance(area, QGraphicsView):
        area.setBackgroundBrush(Qt.BrushStyle.NoBrush)
    if margin:
        area.setViewportMargins(margin, margin, margin, margin)


def _progress(widget: QProgressBar) -> float | None:
    """A progress bar's filled share (None for a busy one: it has none)."""
    if widget.maximum() <= widget.minimum():
        return None
    span = widget.maximum() - widget.minimum()
    return max(0.0, min(1.0, (widget.value() - widget.minimum()) / span))


def _scroll_rect(option: QStyleOptionSlider, sub: QStyle.SubControl) -> QRect:
    """Where `sub` lies on a scroll bar whose groove is the whole bar."""
    rect = option.rect
    horizontal = option.orientation == Qt.Orientation.Horizontal
    length = rect.width() if horizontal else rect.height()
    if sub in (SC.SC_ScrollBarAddLine, SC.SC_ScrollBarSubLine):
        return QRect()
    if sub == SC.SC_ScrollBarGroove:
        return QRect(rect)
    span = option.maximum - option.minimum
    slider = length if span <= 0 else max(24, length * option.pageStep
                                          // max(1, span + option.pageStep))
    slider = min(slider, length)
    start = QStyle.sliderPositionFromValue(option.minimum, option.maximum, option.sliderPosition,
                                           length - slider, option.upsideDown)
    if sub == SC.SC_ScrollBarSlider:
        begin, size = start, slider
    elif sub == SC.SC_ScrollBarSubPage:
        begin, size = 0, start
    elif sub == SC.SC_ScrollBarAddPage:
        begin, size = start + slider, length - start - slider
    else:
        return QRect(rect)
    if horizontal:
        return QRect(rect.x() + begin, rect.y(), size, rect.height())
    return QRect(rect.x(), rect.y() + begin, rect.width(), size)


class _BusyTicker(QObject):
    """Repaints the busy progress bars the look drew, while they are shown (its sweep)."""

    def __init__(self) -> None:
        super().__init__()
        self._bars: list[QProgressBar] = []
        self._timer = QTimer(self)
        self._timer.setInterval(BUSY_FRAME_MS)
        self._timer.timeout.connect(self._tick)

    def follow(self, bar: QProgressBar) -> None:
        """Keep `bar` sweeping while it is busy and visible."""
        if bar not in self._bars:
            self._bars.append(bar)
        if not self._timer.isActive():
            self._timer.start()

    def _tick(self) -> None:
        self._bars = [bar for bar in self._bars if isValid(bar) and bar.isVisible()
                      and bar.maximum() <= bar.minimum()]
        for bar in self._bars:
            bar.update()
        if not self._bars:
            self._timer.stop()


class _ChildWatcher(QObject):
    """Gives the look to widgets added under an adopted one (a new chip, a persona row)."""

    def __init__(self, look: Look) -> None:
        super().__init__()
        self._look = look

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """A child polished for the first time under an adopted widget takes the look."""
        if event.type() == QEvent.Type.ChildPolished:
            child = event.child()  # type: ignore[attr-defined]  # a QChildEvent
            if isinstance(child, QWidget) and not child.isWindow() and not child.property(DRESSED):
                self._look._dress_tree(child)  # noqa: SLF001 - the look's own helper
        elif event.type() == QEvent.Type.FocusIn or event.type() == QEvent.Type.FocusOut:
            if isinstance(watched, QAbstractScrollArea):
                watched.update()  # the composer's border shows focus
        return False


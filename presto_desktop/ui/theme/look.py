"""The main window's look without a stylesheet: a style that paints in the theme's colours.

A per-mode QSS re-polishes every widget it reaches: ~0.2 ms a widget, 20-25 ms for the main
window's parts on each mode switch (measured), while a widget without a sheet follows
QApplication.setPalette with one repaint (~1 ms for the whole window). So the main window's
parts carry no sheet: `Look`, a QProxyStyle set on each of their widgets, paints panels, cards,
buttons and scroll bars in the current ThemeColors, and gives widgets the fonts and text roles
the sheet gave them (ui/theme/look_rules.py says which). Dialogs and menus keep the QSS.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen, QPixmap, QPixmapCache
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QProgressBar,
    QProxyStyle,
    QScrollBar,
    QStyle,
    QStyleOption,
    QStyleOptionButton,
    QStyleOptionComplex,
    QStyleOptionToolButton,
    QWidget,
)
from shiboken6 import isValid

from presto_desktop.ui.theme.colors import ThemeColors
from presto_desktop.ui.theme.look_parts import (
    BusyTicker,
    ThinBars,
    guarded,
    mixed,
    plain_scroll_area,
    progress_share,
    warm_style_options,
)
from presto_desktop.ui.theme.look_rules import (
    FONTS,
    GROWING,
    MARGINS,
    PANELS,
    PROGRESS_GROOVE,
    PROGRESS_HEIGHT,
    ROLES,
    SCROLL_AREAS,
    ButtonLook,
    Panel,
    button_look,
    button_padding,
)

log = logging.getLogger(__name__)
PM = QStyle.PixelMetric
TOOL_BUTTON_MARGIN = 3
SEEN_PANELS = 512  # panel sizes and colours remembered as drawn once
DASHES = [2.0, 2.0]  # a dashed border's dash and gap, in pen widths (the sheet's short dashes)
BUSY_FRAME_MS = 33  # a busy progress bar's sweep is repainted ~30 times a second
BUSY_SWEEPS_PER_S = 0.7
DRESSED = "lookDressed"  # a widget's property once `Look.adopt` dressed it
SC = QStyle.SubControl


class Look(QProxyStyle):
    """Paints the widgets it is set on from the theme's colours; the rest as the base style."""

    def __init__(self, colors: ThemeColors | None = None, font_size: int = 11) -> None:
        super().__init__("Fusion")
        self._colors = colors
        self._font_size = font_size
        self._roots: list[QWidget] = []  # what `adopt` was given: the dressed widgets lie under them
        self._failed: set[str] = set()  # overrides that raised (logged once each)
        self._seen: set[str] = set()  # panels drawn once (a second paint keeps a pixmap)
        self._looks: dict[tuple[object, ...], ButtonLook] = {}
        self._watcher = _ChildWatcher(self)
        self._busy = BusyTicker()
        self._bars = ThinBars(lambda: self._colors)  # scroll bars: a style of their own
        warm_style_options()

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
            style = self._bars if isinstance(widget, QScrollBar) else self
            if _painted(widget) and widget.style() is not style:
                widget.setStyle(style)
            panel = PANELS.get(widget.objectName())
            if _may_gain_parts(widget) or (panel is not None and panel.focus):
                widget.installEventFilter(self._watcher)  # new parts; the composer's focus

    def _dress(self, widget: QWidget) -> None:
        """Font, text role, margins and background settings of `widget` (by object name)."""
        name = widget.objectName()
        self._set_font(widget)
        if name in ROLES:
            widget.setForegroundRole(ROLES[name])
        panel = PANELS.get(name)
        if name in SCROLL_AREAS and isinstance(widget, QAbstractScrollArea):
            plain_scroll_area(widget, *SCROLL_AREAS[name])
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
    @guarded
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
        if not QPixmapCache.find(key, cached) and key not in self._seen:
            # First sight: drawn directly (a window's first paint made a pixmap per panel
            # for nothing); kept as a pixmap from its second paint on.
            if len(self._seen) > SEEN_PANELS:
                self._seen.clear()
            self._seen.add(key)
            self._draw_panel(painter, rect, panel, fill, border, width, dashed)
            return
        if cached.isNull():
            cached = QPixmap((rect.size() * ratio).toSize())
            cached.setDevicePixelRatio(ratio)
            cached.fill(Qt.GlobalColor.transparent)
            drawing = QPainter(cached)
            self._draw_panel(drawing, QRectF(0, 0, rect.width(), rect.height()), panel, fill,
                             border, width, dashed)
            drawing.end()
            QPixmapCache.insert(key, cached)
        painter.drawPixmap(rect.topLeft(), cached)

    @staticmethod
    def _draw_panel(painter: QPainter, rect: QRectF, panel: Panel, fill: QColor | None,
                    border: QColor | None, width: float, dashed: bool) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        inset = width / 2 if border is not None else 0.0
        pen = QPen(border, width) if border is not None else QPen(Qt.PenStyle.NoPen)
        if dashed:
            pen.setDashPattern(DASHES)
        painter.setPen(pen)
        painter.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset), panel.radius,
                                panel.radius)
        painter.restore()

    # -- buttons -------------------------------------------------------------------------------------
    @guarded
    def drawControl(self, element: QStyle.ControlElement, option: QStyleOption,  # noqa: N802
                    painter: QPainter, widget: QWidget | None = None) -> None:
        """A push button (panel and label), a progress bar's groove and chunk."""
        colors = self._colors
        if colors is not None and widget is not None:
            CE = QStyle.ControlElement
            if element == CE.CE_PushButton and isinstance(option, QStyleOptionButton):
                # All of it in this one call: the base style's button called back into this
                # Python style ~7 times (bevel, label, metrics, focus frame), each call taking
                # the GIL, which a busy worker thread holds up to 0.5 ms each time.
                look = self._button(widget, option.state, colors)
                self._paint_button(painter, QRectF(option.rect), look)
                self._label(CE.CE_PushButtonLabel, QStyleOptionButton(option), painter,
                            widget, look)
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

    def _label(self, element: QStyle.ControlElement,
               label: QStyleOptionButton | QStyleOptionToolButton, painter: QPainter,
               widget: QWidget, look: ButtonLook) -> None:
        """A button's icon and text, inside its padding, in its look's text colour."""
        vertical, horizontal = button_padding(widget)
        label.rect = label.rect.adjusted(horizontal + 1, vertical + 1, -horizontal - 1,
                                         -vertical - 1)
        label.palette.setColor(QPalette.ColorRole.ButtonText, look.text)
        label.palette.setColor(QPalette.ColorRole.WindowText, look.text)
        self.baseStyle().drawControl(element, label, painter, widget)

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
        share = progress_share(widget)
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

    @guarded
    def drawComplexControl(self, control: QStyle.ComplexControl,  # noqa: N802
                           option: QStyleOptionComplex, painter: QPainter,
                           widget: QWidget | None = None) -> None:
        """A tool button as a push button (no menu arrow)."""
        colors = self._colors
        if colors is not None and widget is not None:
            if control == QStyle.ComplexControl.CC_ToolButton and isinstance(
                    option, QStyleOptionToolButton):
                look = self._button(widget, option.state, colors)
                self._paint_button(painter, QRectF(option.rect), look)
                self._label(QStyle.ControlElement.CE_ToolButtonLabel,
                            QStyleOptionToolButton(option), painter, widget, look)
                return
        super().drawComplexControl(control, option, painter, widget)

    # -- sizes ---------------------------------------------------------------------------------------
    @guarded
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



def _may_gain_parts(widget: QWidget) -> bool:
    """Whether `widget` gets new child widgets to dress (look_rules.GROWING says which)."""
    return widget.objectName() in GROWING


def _painted(widget: QWidget) -> bool:
    """Whether the look paints `widget` (else the base style does, without Python calls)."""
    return (isinstance(widget, (QAbstractButton, QScrollBar, QProgressBar))
            or widget.objectName() in PANELS)


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


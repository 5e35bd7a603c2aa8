"""The look's helpers: a guard for style calls, the thin scroll bars' style, the busy bar's sweep.

Split from ui/theme/look.py, whose `Look` uses them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QProgressBar,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionComplex,
    QStyleOptionSlider,
    QWidget,
)
from shiboken6 import isValid

from presto_desktop.ui.theme.colors import ThemeColors
from presto_desktop.ui.theme.look_rules import SCROLL_BAR_EXTENT

log = logging.getLogger("presto_desktop.ui.theme.look")
BUSY_FRAME_MS = 33  # a busy progress bar's sweep is repainted ~30 times a second


def guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """A style override that never raises: on an error it is logged once and the base style
    answers instead (an exception escaping a style call made from C++ crashed the process)."""
    name = method.__name__

    @functools.wraps(method)
    def run(self: Any, *args: Any) -> Any:
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


def plain_scroll_area(area: QAbstractScrollArea, role: QPalette.ColorRole, margin: int) -> None:
    """No frame (the panel behind it draws one, if any); the viewport filled with `role`."""
    area.setFrameShape(QFrame.Shape.NoFrame)
    viewport = area.viewport()
    viewport.setAutoFillBackground(True)
    viewport.setBackgroundRole(role)
    if margin:
        area.setViewportMargins(margin, margin, margin, margin)


def progress_share(widget: QProgressBar) -> float | None:
    """A progress bar's filled share (None for a busy one: it has none)."""
    if widget.maximum() <= widget.minimum():
        return None
    span = widget.maximum() - widget.minimum()
    return max(0.0, min(1.0, (widget.value() - widget.minimum()) / span))


def scroll_rect(option: QStyleOptionSlider, sub: QStyle.SubControl) -> QRect:
    """Where `sub` lies on a scroll bar whose groove is the whole bar."""
    rect = option.rect
    horizontal = option.orientation == Qt.Orientation.Horizontal
    length = rect.width() if horizontal else rect.height()
    if sub in (QStyle.SubControl.SC_ScrollBarAddLine, QStyle.SubControl.SC_ScrollBarSubLine):
        return QRect()
    if sub == QStyle.SubControl.SC_ScrollBarGroove:
        return QRect(rect)
    span = option.maximum - option.minimum
    slider = length if span <= 0 else max(24, length * option.pageStep
                                          // max(1, span + option.pageStep))
    slider = min(slider, length)
    start = QStyle.sliderPositionFromValue(option.minimum, option.maximum, option.sliderPosition,
                                           length - slider, option.upsideDown)
    if sub == QStyle.SubControl.SC_ScrollBarSlider:
        begin, size = start, slider
    elif sub == QStyle.SubControl.SC_ScrollBarSubPage:
        begin, size = 0, start
    elif sub == QStyle.SubControl.SC_ScrollBarAddPage:
        begin, size = start + slider, length - start - slider
    else:
        return QRect(rect)
    if horizontal:
        return QRect(rect.x() + begin, rect.y(), size, rect.height())
    return QRect(rect.x(), rect.y() + begin, rect.width(), size)


def warm_style_options() -> None:
    """Initialise PySide's QStyleOption types now, before the window's first paint.

    The first call from C++ into a Python style converts its option to the right subclass,
    which initialises all 26 QStyleOption types and creates their enums (~10 ms, measured):
    inside the first paint, that was a stall of the just-shown window.
    """
    from PySide6 import QtWidgets

    for name in dir(QtWidgets):
        if name.startswith("QStyleOption"):
            getattr(QtWidgets, name)


class BusyTicker(QObject):
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



class ThinBars(QProxyStyle):
    """Scroll bars as the sheet drew them: thin, no arrow buttons, a rounded muted handle.

    A style of their own, so the look (set on buttons and panels) answers no pixel metrics:
    every call from C++ into a Python style takes the GIL, and layouts ask for metrics often.
    """

    def __init__(self, colors: Callable[[], ThemeColors | None]) -> None:
        super().__init__("Fusion")
        self._colors = colors
        self._failed: set[str] = set()

    @guarded
    def drawComplexControl(self, control: QStyle.ComplexControl,  # noqa: N802
                           option: QStyleOptionComplex, painter: QPainter,
                           widget: QWidget | None = None) -> None:
        """Only the handle, rounded, in the muted text colour."""
        colors = self._colors()
        if (colors is None or control != QStyle.ComplexControl.CC_ScrollBar
                or not isinstance(option, QStyleOptionSlider)):
            super().drawComplexControl(control, option, painter, widget)
            return
        handle = QRectF(scroll_rect(option, QStyle.SubControl.SC_ScrollBarSlider))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(mixed(colors, "text_muted", 0.45))
        painter.drawRoundedRect(handle.adjusted(2, 2, -2, -2), 4, 4)
        painter.restore()

    @guarded
    def subControlRect(self, control: QStyle.ComplexControl,  # noqa: N802
                       option: QStyleOptionComplex, sub: QStyle.SubControl,
                       widget: QWidget | None = None) -> QRect:
        """No arrow buttons: the groove is the whole bar."""
        if control == QStyle.ComplexControl.CC_ScrollBar and isinstance(option,
                                                                         QStyleOptionSlider):
            return scroll_rect(option, sub)
        return super().subControlRect(control, option, sub, widget)  # type: ignore[arg-type]

    @guarded
    def pixelMetric(self, metric: QStyle.PixelMetric,  # noqa: N802
                    option: QStyleOption | None = None, widget: QWidget | None = None) -> int:
        """Thin: the sheet's 10 px."""
        if metric == QStyle.PixelMetric.PM_ScrollBarExtent:
            return SCROLL_BAR_EXTENT
        return super().pixelMetric(metric, option, widget)

"""Category-axis labels that never run into each other, decided by the room each category has.

The decision follows the plot's width per category and the axis font, in this order: wrap the
labels when every line fits, else shorten them (and wrap), else slant them, else label every
n-th category. It is remade when the chart view is resized or its font changes: debounced, and
cached per (room, font), so a window drag sets the axis' labels only when the decision changes.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetricsF, QGuiApplication
from PySide6.QtWidgets import QWidget

from presto_desktop.ui.common.turns import next_turn

MAX_LABEL = 24  # characters a label keeps before it is shortened at all
WRAP_AT = 12  # axis labels wrap onto lines of about this many characters when they can
MAX_LINES = 3  # more lines would take too much of the plot's height
SHORTEN_TO = (18, 14, 10)  # shorter and shorter labels before slanting
SLANT_LIMITS = (14, 12, 10, 8)  # a slanted label's characters: it takes the plot's height
BAND = 0.3  # of the chart's height: at most this much goes to the category labels
SLANT_ANGLE = -45
SIN_SLANT = math.sin(math.radians(abs(SLANT_ANGLE)))
PAD = 6.0  # px: the label's text item adds a margin around the text
GAP = 0.5  # of a line's height: the space kept between two labels
REFIT_MS = 40  # a resize burst (a window drag) refits once, when it pauses
CACHE_SIZE = 64


@dataclass(frozen=True)
class AxisFit:
    """Escaped axis labels (rich text), one per category ("" where thinned out), and their angle."""

    labels: tuple[str, ...]
    angle: int


def truncate(label: str, limit: int = MAX_LABEL) -> str:
    """Shorten a label with an ellipsis so axes stay readable."""
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def distinct_labels(labels: list[str], limit: int = MAX_LABEL) -> list[str]:
    """Shorten labels, keeping apart those that only differ at the end.

    "Dozen red roses 09-09" and "Dozen red roses 09-29" cut at the same place would read
    the same; such labels keep their start and their end instead ("Dozen red…09-29").
    """
    cleaned = [" ".join(label.split()) for label in labels]
    short = [truncate(label, limit) for label in cleaned]
    originals: dict[str, set[str]] = {}
    for label, cut in zip(cleaned, short, strict=True):
        originals.setdefault(cut, set()).add(label)
    tail = max(4, limit // 2 - 1)
    head = max(1, limit - tail - 1)
    return [label[:head].rstrip() + "…" + label[-tail:].lstrip()
            if len(originals[cut]) > 1 else cut
            for label, cut in zip(cleaned, short, strict=True)]


def wrap_lines(label: str, room: float, metrics: QFontMetricsF,
               max_lines: int = MAX_LINES) -> list[str] | None:
    """`label` on at most `max_lines` lines no wider than `room` px, or None when it cannot be."""
    lines = textwrap.wrap(label, WRAP_AT, break_long_words=False) or [""]  # the usual short lines, when they fit
    if len(lines) <= max_lines and all(metrics.horizontalAdvance(x) <= room for x in lines):
        return lines
    lines = []
    for word in label.split():
        if metrics.horizontalAdvance(word) > room:
            return None  # a word is never cut: shortening or slanting says more
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and metrics.horizontalAdvance(joined) <= room:
            lines[-1] = joined
        else:
            lines.append(word)
    return lines if len(lines) <= max_lines else None


def markup(lines: list[str]) -> str:
    """Escaped lines as a centred rich-text label (QtCharts renders labels as rich text)."""
    if len(lines) == 1:
        return html.escape(lines[0], quote=False)
    return '<div align="center">{}</div>'.format(
        "<br>".join(html.escape(line, quote=False) for line in lines))


def fit_axis(labels: Sequence[str], slot: float, metrics: QFontMetricsF,
             band: float = math.inf) -> AxisFit:
    """Labels for `slot` px wide categories, at most `band` px high: wrapped, shortened, slanted."""
    # In that order; then every n-th label, flat, with the room of n categories.
    line = metrics.height()
    max_lines = int(max(1, min(MAX_LINES, (band - PAD) // line)))

    def flat_at(step: int) -> tuple[str, ...] | None:
        shown = [index for index in range(len(labels)) if _shown(index, step, len(labels))]
        if not shown:
            return None
        fitted = _flat([labels[index] for index in shown], slot * step - line * GAP - PAD,
                       metrics, max_lines)
        if fitted is None:
            return None
        out = [""] * len(labels)
        for index, text in zip(shown, fitted, strict=True):
            out[index] = text
        return tuple(out)

    every = flat_at(1)
    if every is not None:
        return AxisFit(every, 0)
    slanted = _slanted(labels, metrics, band, slot)
    if slanted is not None and slot * SIN_SLANT >= line * (1 + GAP) + PAD:
        return AxisFit(tuple(slanted), SLANT_ANGLE)  # neighbours apart by slot * sin(45°)
    # The fewest labels that fit: more room per label only helps, so a binary search over
    # the step (trying every step wrapped all 500 labels of a big chart 500 times: 30 s).
    low, high, best = 2, len(labels), None
    while low <= high:
        step = (low + high) // 2
        fit = flat_at(step)
        if fit is None:
            low = step + 1
        else:
            best, high = fit, step - 1
    return AxisFit(best if best is not None else ("",) * len(labels), 0)  # none fit: none


def _shown(index: int, step: int, count: int) -> bool:
    """Whether every-`step`-th labelling shows the label at `index`; none past the axis' ends."""
    # A label up to `step` categories wide, centred on its own, needs step / 2 on either side
    # (QtCharts hides one that would stick out of the axis).
    if step == 1:
        return True
    half = step / 2
    return index % step == step // 2 and index + 0.5 >= half and count - index - 0.5 >= half


def _flat(labels: Sequence[str], room: float, metrics: QFontMetricsF,
          max_lines: int) -> list[str] | None:
    """Escaped labels wrapped into `room` px (shortened if they must be), or None."""
    for limit in (MAX_LABEL, *SHORTEN_TO):
        wrapped: list[list[str]] = []
        for label in distinct_labels(list(labels), limit):
            lines = wrap_lines(label, room, metrics, max_lines)
            if lines is None:
                break  # one that cannot fit settles this length
            wrapped.append(lines)
        else:
            return [markup(lines or [""]) for lines in wrapped]
    return None


def _slanted(labels: Sequence[str], metrics: QFontMetricsF, band: float,
             slot: float) -> list[str] | None:
    """Escaped labels short enough that, slanted, they stay within `band` px of height, or None."""
    # A w x h label turned by 45° is (w + h) * sin(45°) high, and as wide.
    widest = band / SIN_SLANT - metrics.height() - PAD
    # QtCharts hides the first and the last category's label when its turned box is wider
    # than the category (seen: a price list of 8 bars showed 6 labels): those two are shorter.
    edge = slot / SIN_SLANT - metrics.height() - PAD
    for limit in SLANT_LIMITS:
        short = distinct_labels(list(labels), limit)
        if all(metrics.horizontalAdvance(label) <= widest for label in short):
            for index in {0, len(short) - 1}:
                short[index] = _narrowed(short[index], edge, metrics)
            return [html.escape(label, quote=False) for label in short]
    return None


def _narrowed(label: str, room: float, metrics: QFontMetricsF) -> str:
    """`label`, shortened with an ellipsis until it is at most `room` px wide ("" if never)."""
    for limit in range(len(label), 1, -1):
        text = truncate(label, limit)
        if metrics.horizontalAdvance(text) <= room:
            return text
    return ""


class AxisFitter(QObject):
    """Keeps a chart's category labels fitted to its view: on showing, resizing, a font change."""

    def __init__(self, view: QWidget, unique: Callable[[list[str]], list[str]]) -> None:
        super().__init__(view)
        self._view, self._unique = view, unique
        self._axis: Any = None
        self._qchart: Any = None
        self._labels: tuple[str, ...] = ()
        self._cache: dict[tuple[tuple[str, ...], int, int, str], AxisFit] = {}
        self._shown: AxisFit | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFIT_MS)
        self._timer.timeout.connect(self.refit)
        view.installEventFilter(self)

    @property
    def fit(self) -> AxisFit | None:
        """What the axis shows now (None without a category axis)."""
        return self._shown

    @property
    def pending(self) -> bool:
        """Whether a refit is waiting for a resize burst to pause (pictures wait for it)."""
        return self._timer.isActive()

    def predict(self, labels: Sequence[str]) -> AxisFit:
        """The fit a chart about to be built for `labels` will have (its axis starts with it)."""
        self._labels = tuple(labels)
        # From the view, not the plot area of the chart shown now: a pie's (its legend beside
        # it) predicted rotated labels for a bar chart, whose refit then laid it out again
        # (13-21 ms cold).
        return self._fit_for(QGuiApplication.font(), plotted=False)  # new labels: the app font

    def track(self, qchart: Any, labels: Sequence[str], shown: AxisFit | None = None, *,
              now: bool = True) -> None:
        """Keep `qchart`'s category axis (if any) fitted for `labels`; it shows `shown` already.

        With `now` False the first refit waits for the next loop turn: a refit that sets new
        labels lays the chart out again (~10 ms), too much for the turn that set the chart.
        """
        axes = [axis for axis in qchart.axes(Qt.Orientation.Horizontal)
                if hasattr(axis, "setCategories")]
        self._qchart, self._axis = qchart, (axes[0] if axes else None)
        self._labels, self._shown = tuple(labels), (shown if axes else None)
        if self._axis is not None:
            if now:
                self.refit()
            else:
                next_turn(self, self.refit)
            self._timer.start()  # the plot area is known once the chart is laid out

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        """A resize or font change of the view: refit once the burst pauses."""
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange) and self._axis is not None:
            self._timer.start()
        return False

    def _slot(self, plotted: bool = True) -> float:
        """The width each category has: the plot area's, or before layout an estimate."""
        plot = self._qchart.plotArea().width() if self._qchart is not None and plotted else 0.0
        view = self._view.width() - 64.0  # the value axis' labels and the margins
        width = plot if 1 < plot <= self._view.width() else view
        return max(width, 1.0) / max(len(self._labels), 1)

    def _fit_for(self, font: QFont, *, plotted: bool = True) -> AxisFit:
        """The fit for the labels in the room they have now, from the cache when it was made."""
        key = (self._labels, round(self._slot(plotted)), round(self._view.height() * BAND),
               font.key())
        fit = self._cache.get(key)
        if fit is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            fit = self._cache[key] = fit_axis(self._labels, key[1], QFontMetricsF(font), key[2])
        return fit

    def refit(self) -> None:
        """Set the labels for the room the categories have now (unchanged ones are not set)."""
        if self._axis is None:
            return
        fit = self._fit_for(self._axis.labelsFont())
        if fit != self._shown:
            self._shown = fit
            self._axis.setCategories(self._unique(list(fit.labels)))
            self._axis.setLabelsAngle(fit.angle)

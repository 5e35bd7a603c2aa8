"""Charts drawn by `show_chart`: QtCharts (imported on first use), animated, in palette colours."""

from __future__ import annotations

import html
import importlib
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, QMargins, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QStackedLayout, QWidget

from presto_desktop.ui.common.turns import next_turn
from presto_desktop.ui.common.viewport import own_viewport
from presto_desktop.ui.dashboard.axis_fit import (
    MAX_LABEL,
    AxisFit,
    AxisFitter,
    distinct_labels,
    truncate,
)
from presto_desktop.ui.theme.colors import ThemeColors

if TYPE_CHECKING:
    from presto_desktop.core.models import Chart

MAX_POINTS = 500
CURRENCY_SYMBOLS = ("$", "€", "£", "¥")
# How often a chart drawn in steps checks whether QtCharts has been imported (worker thread).
IMPORT_POLL_MS = 4
# Steps are chained by a timer, not a posted call, like a mode change's (and for the same
# reasons, ui/common/mode_change.py): what fell due during a step runs before the next one.
STEP_DELAY_MS = 1
ANIMATION_SLACK_MS = 100  # after the series animation, before animations are turned off
PLACEHOLDER = "Charts the assistant draws appear here."  # the chart area without a chart


def chart_text(text: str, limit: int = MAX_LABEL) -> str:
    """Untrusted text for QtCharts, which renders titles and labels as rich text.

    Escaping makes `<img src=file:///...>` show literally instead of loading a local file.
    """
    return html.escape(truncate(text, limit), quote=False)


def series_colors(colors: ThemeColors, count: int) -> list[QColor]:
    """Distinct colours derived from the palette roles (primary, secondary and their shades)."""
    base = [colors["primary"], colors["secondary"], colors["text_muted"], colors["border"]]
    out: list[QColor] = []
    for index in range(max(count, 1)):
        color = QColor(base[index % len(base)])
        step = index // len(base)
        if step:
            color = color.lighter(100 + 25 * step) if colors.dark else color.darker(100 + 25 * step)
        out.append(color)
    return out


class ChartArea(QWidget):
    """Shows one chart at a time, or a muted placeholder line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stack = QStackedLayout(self)
        self.placeholder = QLabel(PLACEHOLDER, self)
        self.placeholder.setObjectName("chartPlaceholder")
        self.placeholder.setTextFormat(Qt.TextFormat.PlainText)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self._stack.addWidget(self.placeholder)
        self._view: Any = None
        self._colors: ThemeColors | None = None
        self._chart: Chart | None = None
        self._drawn_with: ThemeColors | None = None
        self._soon: tuple[Chart, Callable[[], None]] | None = None
        self._built: _Draft | None = None  # the chart the steps are building
        self._animate_soon = True  # whether the chart being drawn in steps grows in
        self._imported: threading.Event | None = None
        self.animate = True  # False: charts appear drawn at once (offscreen replay pictures)
        self._fitter: AxisFitter | None = None  # with the view
        self.setAccessibleName("Chart area")

    @property
    def view(self) -> QWidget | None:
        """The QChartView, once the first chart was drawn."""
        return self._view

    @property
    def axis_fit(self) -> AxisFit | None:
        """How the category labels are fitted now (None before a chart with categories)."""
        return None if self._fitter is None else self._fitter.fit

    @property
    def chart(self) -> Chart | None:
        """The chart shown, if any."""
        return self._chart

    @property
    def drawing(self) -> bool:
        """Whether a `show_chart_soon`, or the labels' refit after a draw or resize, is under way."""
        refitting = self._fitter is not None and self._fitter.pending and self._chart is not None
        return self._soon is not None or refitting

    def clear(self, message: str | None = None) -> None:
        """Drop the chart and show the placeholder."""
        self._chart = None
        self._soon = self._built = None
        if message:
            self.placeholder.setText(message)
        self._stack.setCurrentWidget(self.placeholder)

    def set_colors(self, colors: ThemeColors, *, redraw: bool = True) -> None:
        """Use the new palette; redraw the current chart in it over the next loop turns
        (without animating again: in one turn the rebuild was 10-15 ms)."""
        self._colors = colors
        if redraw and self._chart is not None and self._drawn_with is not colors:
            if self._soon is None:
                self.show_chart_soon(self._chart, lambda: None, animate=False)

    def show_chart(self, chart: Chart, *, animate: bool = True) -> None:
        """Draw `chart` (points capped, labels truncated), replacing the previous one."""
        from PySide6 import QtCharts  # ~40 ms: only when the first chart is drawn

        self._soon = None
        self._make_view(QtCharts)
        fit = self._predict(chart)
        self._put(QtCharts, chart, _build(QtCharts, chart, self._colors, fit), animate=animate,
                  fit=fit)

    def show_chart_soon(self, chart: Chart, done: Callable[[], None], *,
                        animate: bool = True) -> None:
        """Draw `chart` over several loop turns, then call `done`; `clear` or a chart drawn
        at once meanwhile cancels it.

        The first chart cold took 40-80 ms in one turn (QtCharts import, view, build, set):
        the import runs on a worker thread, the view, the QChart and its setting on separate
        turns, so no turn blocks the loop for more than a frame.
        """
        self._soon, self._built, self._animate_soon = (chart, done), None, animate
        # Start-up imports QtCharts already (ui/app.py): then no thread. Starting one waits
        # for it to take the GIL, 28-53 ms while start-up's workers ran (measured).
        imported = "PySide6.QtCharts" in sys.modules
        if self._view is None and self._imported is None and not imported:
            self._imported = threading.Event()
            threading.Thread(target=_import_charts, args=(self._imported,), daemon=True,
                             name="presto-qtcharts").start()
        next_turn(self, self._step, STEP_DELAY_MS)

    def _step(self) -> None:
        """One step of `show_chart_soon`; schedules the next."""
        if self._soon is None:
            return
        chart, done = self._soon
        if self._view is None and self._imported is not None and not self._imported.is_set():
            QTimer.singleShot(IMPORT_POLL_MS, self, self._step)
            return
        from PySide6 import QtCharts

        if self._view is None:
            self._make_view(QtCharts)
        elif self._built is None or self._built.colors is not self._colors:  # new, recoloured
            # The chart and its series, then its axes on the next turn (cold, in one turn:
            # 15-22 ms, Qt's and PySide's first use of each chart class).
            self._built = _begin(QtCharts, chart, self._colors)
        elif not self._built.finished:
            _finish(QtCharts, self._built, chart, self._predict(chart))
        else:
            built, self._soon, self._built = self._built, None, None
            self._put(QtCharts, chart, built.qchart, animate=self._animate_soon, fit=built.fit,
                      refit_now=False)
            done()
            return
        next_turn(self, self._step, STEP_DELAY_MS)

    def _make_view(self, qc: Any) -> None:
        """The QChartView, once (~10-20 ms cold)."""
        if self._view is not None:
            return
        self._view = qc.QChartView(self)
        # Before anything asks for it (ui/common/viewport.py); QChartView's own has no name
        # and the window role.
        own_viewport(self._view, role=QPalette.ColorRole.Window, name="")
        self._view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._view.setObjectName("chartView")
        # Drawn on its card: no frame or background of its own (built after the window's
        # parts were dressed by the look, which does not watch this widget for new parts).
        self._view.setFrameShape(QFrame.Shape.NoFrame)
        self._view.setBackgroundBrush(Qt.BrushStyle.NoBrush)
        self._view.viewport().setAutoFillBackground(False)
        self._view.setAccessibleName("Chart")
        self._view.viewport().setAccessibleName("Chart drawing")
        self._fitter = AxisFitter(self._view, _unique)
        self._stack.addWidget(self._view)

    def _predict(self, chart: Chart) -> AxisFit | None:
        """The category labels' fit for `chart` in the view as it is (built in, not set after)."""
        if self._fitter is None or chart.type == "pie":
            return None
        return self._fitter.predict([point.label for point in chart.points[:MAX_POINTS]])

    def _put(self, qc: Any, chart: Chart, qchart: Any, *, animate: bool,
             fit: AxisFit | None = None, refit_now: bool = True) -> None:
        """Show `qchart`, built for `chart`, in the view (its labels refitted now or next turn)."""
        self._chart = chart
        self._drawn_with = self._colors
        qchart.setAnimationOptions(
            qc.QChart.AnimationOption.SeriesAnimations if animate and self.animate
            else qc.QChart.AnimationOption.NoAnimation)
        if animate and self.animate:  # grow in once: a resize or refitted labels later would regrow every bar
            still = qc.QChart.AnimationOption.NoAnimation
            QTimer.singleShot(qchart.animationDuration() + ANIMATION_SLACK_MS, qchart,
                              lambda: qchart.setAnimationOptions(still))
        old = self._view.chart()
        self._view.setChart(qchart)
        self._view.setAccessibleDescription(f"{chart.type} chart: {chart.title}")
        if old is not None:
            old.deleteLater()
        self._stack.setCurrentWidget(self._view)
        if self._fitter is not None:  # once the view is shown at its size
            self._fitter.track(qchart, [point.label for point in chart.points[:MAX_POINTS]], fit,
                               now=refit_now)


def _import_charts(done: threading.Event) -> None:
    """Import QtCharts (a worker thread); `done` is set even if it fails (the loop retries)."""
    try:
        # Only the import: PySide's Python types of the chart classes (made on first use,
        # ~1 ms each, with their enums' pure-Python set-up) made here held the GIL from the
        # loop's first frames (stalls of 44-52 ms, measured); the build steps make them.
        importlib.import_module("PySide6.QtCharts")
    except Exception:  # noqa: BLE001, S110 - the loop thread imports it again and reports
        pass
    finally:
        done.set()


@dataclass
class _Draft:
    """A chart being built: the QChart with its series, then (finished) its axes."""

    qchart: Any
    series: Any
    short: list[str]  # the category labels, shortened and distinct
    values: list[float]
    colors: ThemeColors | None
    fit: AxisFit | None = None  # the category labels' fit, once finished
    finished: bool = False


def _build(qc: Any, chart: Chart, colors: ThemeColors | None, fit: AxisFit | None = None) -> Any:
    """A QChart for `chart` in palette colours."""
    draft = _begin(qc, chart, colors)
    _finish(qc, draft, chart, fit)
    return draft.qchart


def _begin(qc: Any, chart: Chart, colors: ThemeColors | None) -> _Draft:
    """The QChart and its series (a pie is then complete but for its colours)."""
    points = chart.points[:MAX_POINTS]
    short = distinct_labels([p.label for p in points], MAX_LABEL)
    values = [p.value for p in points]
    qchart = _new_chart(qc, chart)
    if chart.type == "pie":
        labels = [html.escape(label, quote=False) for label in short]
        series = _pie_series(qc, labels, values, colors)
    else:
        series = _xy_series(qc, chart, values, colors)
    qchart.addSeries(series)
    return _Draft(qchart, series, short, values, colors)


def _finish(qc: Any, draft: _Draft, chart: Chart, fit: AxisFit | None) -> None:
    """The axes (not for a pie) and the text colours."""
    qchart, colors = draft.qchart, draft.colors
    if chart.type != "pie":
        _add_axes(qc, qchart, draft.series, chart, draft.short, draft.values, colors, fit)
    if colors:
        qchart.setTitleBrush(colors["text"])
        qchart.legend().setLabelColor(colors["text"])
    draft.fit, draft.finished = fit, True


def _new_chart(qc: Any, chart: Chart) -> Any:
    """An empty QChart with the title, legend and margins every chart type shares."""
    qchart = qc.QChart()
    qchart.setTitle(chart_text(chart.title, 80))
    qchart.legend().setVisible(chart.type == "pie")
    qchart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    qchart.setBackgroundRoundness(0)
    qchart.setBackgroundVisible(False)  # the chart card behind it is the background
    qchart.setMargins(QMargins(4, 4, 4, 4))
    title_font = QFont(qchart.titleFont())
    title_font.setBold(True)
    title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
    qchart.setTitleFont(title_font)
    return qchart


def _pie_series(qc: Any, labels: list[str], values: list[float], colors: ThemeColors | None) -> Any:
    """A donut: one slice per point, negative values shown as empty slices."""
    palette = series_colors(colors, len(values)) if colors else []
    series = qc.QPieSeries()
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        piece = series.append(label, max(value, 0.0))
        if palette and colors:
            piece.setBrush(palette[index])
            piece.setBorderColor(colors["surface"])
    series.setHoleSize(0.35)
    return series


def _xy_series(qc: Any, chart: Chart, values: list[float], colors: ThemeColors | None) -> Any:
    """A bar, area or line series over the points, in the primary colour."""
    if chart.type == "bar":
        series = qc.QBarSeries()
        bar_set = qc.QBarSet(chart_text(chart.unit or chart.title, 30))
        bar_set.append(values)
        if colors:
            bar_set.setColor(colors["primary"])
            bar_set.setBorderColor(colors["primary"])
        series.append(bar_set)
        return series
    line = qc.QLineSeries()
    for index, value in enumerate(values):
        line.append(float(index), value)
    if chart.type == "area":
        series = qc.QAreaSeries(line)
        line.setParent(series)
        if colors:
            fill = QColor(colors["primary"])
            fill.setAlphaF(0.35)
            series.setBrush(fill)
            series.setBorderColor(colors["primary"])
        return series
    if colors:
        pen = line.pen()
        pen.setColor(colors["primary"])
        pen.setWidthF(2.5)
        line.setPen(pen)
    return line


def _add_axes(
    qc: Any, qchart: Any, series: Any, chart: Chart, short: list[str], values: list[float],
    colors: ThemeColors | None, fit: AxisFit | None,
) -> None:
    """Category axis below, value axis (with the unit) on the left."""
    axis_x = qc.QBarCategoryAxis()
    # Fitted to the view's room (axis_fit); escaped as they are without a view.
    axis_x.append(_unique(list(fit.labels) if fit else [html.escape(x, quote=False) for x in short]))
    axis_x.setLabelsAngle(fit.angle if fit else 0)
    # Our labels are already short and distinct: Qt's own eliding cut them to "Feb…".
    axis_x.setTruncateLabels(False)
    axis_y = qc.QValueAxis()
    low, high = min(values + [0.0]), max(values + [0.0])
    axis_y.setRange(low, high * 1.1 if high > 0 else 1.0)
    axis_y.applyNiceNumbers()
    span = max(abs(low), abs(high))
    number_format = "%.0f" if span >= 100 else "%.4g"
    # Localised numbers in an English locale give thousands separators ("$40,000").
    qchart.setLocalizeNumbers(True)
    qchart.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    if chart.unit in CURRENCY_SYMBOLS:
        # "$4,000" reads better than a lone "$" as a rotated axis title.
        axis_y.setLabelFormat(chart.unit + number_format)
    else:
        axis_y.setLabelFormat(number_format)
        if chart.unit:
            axis_y.setTitleText(chart_text(chart.unit, 16))
    qchart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    qchart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    if colors:
        for axis in (axis_x, axis_y):
            axis.setLabelsColor(colors["text_muted"])
            axis.setLinePenColor(colors["border"])
            axis.setGridLineColor(colors["border"])
            axis.setTitleBrush(colors["text_muted"])


def _unique(labels: list[str]) -> list[str]:
    """Category axes need distinct labels: repeat labels get a zero-width suffix."""
    seen: dict[str, int] = {}
    out = []
    for label in labels or [""]:
        count = seen.get(label, 0)
        seen[label] = count + 1
        out.append(label + "\u200b" * count)
    return out

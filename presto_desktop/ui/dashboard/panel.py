"""The dashboard: persona card, KPI cards, chart area and the mode's tabs along the bottom.

The cards live in dashboard_cards.py, their plain-text formatting in dashboard_views.py (names
re-exported here for the first frame).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from presto_desktop.core.chat import ToolCall
from presto_desktop.session.dashboard_text import (
    MetricView,
    PersonaView,
    TabView,
    metric_view,
    persona_view,
    tab_view,
)
from presto_desktop.ui.common.safe_text import button_text, tooltip
from presto_desktop.ui.dashboard.cards import KpiCard, PersonaCard, card_frame
from presto_desktop.ui.dashboard.charts import PLACEHOLDER, ChartArea
from presto_desktop.ui.theme.colors import ThemeColors
from presto_desktop.ui.theme.icons import icon_size, tinted_icon

if TYPE_CHECKING:
    from presto_desktop.core.models import Chart, Metric, Mode
    from presto_desktop.core.persona import Persona

# The first frame imports these from here.
__all__ = ["MAX_KPIS", "Dashboard", "metric_view", "persona_view", "tab_view"]

log = logging.getLogger(__name__)
MAX_KPIS = 4
CHART_MIN_HEIGHT = 160  # px: below this a pie is a ring of a few pixels
class Dashboard(QWidget):
    """Right-hand side: renders the mode, emits tab intents, shows tool calls."""

    tab_requested = Signal(str)  # the prompt to ask the assistant
    focus_chain_changed = Signal()  # tabs were added or the chart view was created

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        # Its parts have the look, not the dashboard (ui/theme/restyle.py): it paints the
        # palette's background itself, around its cards while a restyle repaints them.
        self.setAutoFillBackground(True)
        self.setAccessibleName("Dashboard")
        self._colors: ThemeColors | None = None
        self._tabs: list[TabView] = []
        self._pending_chart: Chart | None = None
        self._painted = False
        self._backdrop: Callable[[QPainter], None] | None = None  # ui/theme/hero.py
        self.persona = PersonaCard(self)
        self.kpi_box = QWidget(self)
        self.kpi_box.setObjectName("kpiBox")
        self.kpi_grid = QGridLayout(self.kpi_box)
        self.kpi_grid.setContentsMargins(0, 0, 0, 0)
        self.kpi_grid.setSpacing(10)
        for column in (0, 1):
            self.kpi_grid.setColumnStretch(column, 1)  # two equal columns
        self.kpi_cards: list[KpiCard] = []
        self._kpi_pool: list[KpiCard] = []
        self.chart_frame = card_frame("chartArea", self)
        self.chart = ChartArea(self.chart_frame)
        chart_layout = QVBoxLayout(self.chart_frame)
        chart_layout.setContentsMargins(8, 8, 8, 8)
        chart_layout.addWidget(self.chart)
        self.chart_frame.setMinimumHeight(CHART_MIN_HEIGHT)
        self.tab_bar = QWidget(self)
        self.tab_bar.setObjectName("tabBar")
        self.tab_layout = QHBoxLayout(self.tab_bar)
        self.tab_layout.setContentsMargins(0, 0, 0, 0)
        self.tab_layout.setSpacing(10)
        self.tab_buttons: list[QToolButton] = []
        self._tab_pool: list[QToolButton] = []

        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.persona, 5)
        top.addWidget(self.kpi_box, 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.setSpacing(12)
        layout.addLayout(top, 0)
        layout.addWidget(self.chart_frame, 1)
        layout.addWidget(self.tab_bar, 0)

    def paint_units(self) -> list[QWidget]:
        """The cards a restyle repaints one at a time (ui/theme/restyle.py), top to bottom."""
        return [self.persona, self.kpi_box, self.chart_frame, self.tab_bar]

    # -- rendering ---------------------------------------------------------------------------
    def set_persona(self, persona: Persona) -> None:
        """Show the seeded customer."""
        self.persona.set_persona(persona)

    def set_tabs_and_chart(self, mode: Mode,
                           later: Callable[[Callable[[], None]], None] | None = None) -> None:
        """The mode's tabs, and its first offline chart on a later loop turn (`later` runs it:
        e.g. after the mode change's other steps)."""
        first = next((a.chart for a in mode.offline_content if a.chart is not None), None)
        self.chart.clear(PLACEHOLDER)
        self._set_tabs([tab_view(tab) for tab in mode.tabs])
        self._pending_chart = first
        if first is not None and self._painted:
            # Drawn on a later turn of the loop (after the dashboard's first paint at start-up):
            # neither the restyle nor the first frame waits for QtCharts.
            if later is None:
                QTimer.singleShot(0, self, self._draw_pending_chart)
            else:
                later(self._draw_pending_chart)

    def event(self, event: QEvent) -> bool:
        """After the first paint, draw the chart that waited for it."""
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            QTimer.singleShot(0, self, self._draw_pending_chart)
        return super().event(event)

    def set_backdrop(self, paint: Callable[[QPainter], None] | None) -> None:
        """Paint with `paint` over the background, under the cards (None: plain background)."""
        self._backdrop = paint
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """The palette background (filled by Qt), then the backdrop (the cards paint over both)."""
        super().paintEvent(event)
        if self._backdrop is not None:
            painter = QPainter(self)
            self._backdrop(painter)
            painter.end()

    def _draw_pending_chart(self) -> None:
        chart, self._pending_chart = self._pending_chart, None
        if chart is not None and self.chart.chart is None and not self.chart.drawing:
            # In steps over a few loop turns: the first chart cold is 40-80 ms of work.
            self._show_chart(chart, soon=True)

    def _show_chart(self, chart: Chart, *, soon: bool = False) -> None:
        had_view = self.chart.view is not None

        def done() -> None:
            if not had_view:
                self.focus_chain_changed.emit()

        if soon:
            self.chart.show_chart_soon(chart, done=done)
        else:
            self.chart.show_chart(chart)
            done()

    def focus_chain(self) -> list[QWidget]:
        """Focusable widgets in Tab order: the tabs left to right, then the chart."""
        chain: list[QWidget] = list(self._tab_pool)
        if self.chart.view is not None:
            chain.append(self.chart.view)
        return chain

    def start_frame_steps(self, persona: PersonaView, metrics: Sequence[MetricView],
                          tabs: Sequence[TabView]) -> list[Callable[[], None]]:
        """Showing formatted cards and tabs (the first frame, before the mode itself is
        loaded), in pieces of ~2 ms that a start can run on loop turns of their own."""

        def show_tabs() -> None:
            self.chart.clear(PLACEHOLDER)
            self._set_tabs(list(tabs))

        return [lambda: self.persona.show_view(persona),
                lambda: self.show_metric_views(metrics), show_tabs]

    def set_metrics(self, metrics: Iterable[Metric]) -> None:
        """Show up to four KPI cards, two per row."""
        self.show_metric_views([metric_view(m) for m in list(metrics)[:MAX_KPIS]])

    def show_metric_views(self, views: Sequence[MetricView]) -> None:
        """Show up to four formatted KPI cards, two per row (reused, not rebuilt)."""
        metrics = list(views)[:MAX_KPIS]
        for index, metric in enumerate(metrics):
            if index < len(self._kpi_pool):
                self._kpi_pool[index].show_view(metric)
            else:
                self._kpi_pool.append(KpiCard(metric, self.kpi_box))
        for index, card in enumerate(self._kpi_pool[:len(metrics)]):
            # An odd last card spans both columns instead of leaving a hole in the grid.
            span = 2 if index == len(metrics) - 1 and index % 2 == 0 else 1
            at = self.kpi_grid.indexOf(card)
            if at < 0 or self.kpi_grid.getItemPosition(at) != (index // 2, index % 2, 1, span):
                self.kpi_grid.addWidget(card, index // 2, index % 2, 1, span)
        for index, card in enumerate(self._kpi_pool):
            card.setVisible(index < len(metrics))
        self.kpi_cards = self._kpi_pool[:len(metrics)]

    def _set_tabs(self, tabs: list[TabView]) -> None:
        self._tabs = list(tabs)
        grown = len(self._tab_pool) < len(self._tabs)
        while len(self._tab_pool) < len(self._tabs):
            self._tab_pool.append(self._tab_button(len(self._tab_pool)))
        for index, button in enumerate(self._tab_pool):
            shown = index < len(self._tabs)
            if shown:
                label, prompt, icon = self._tabs[index]
                button.setText(button_text(label))
                button.setAccessibleName(f"{label} tab")
                button.setToolTip(tooltip(prompt or label))
                button.setProperty("icon_name", icon)
            button.setVisible(shown)
        # A new mode starts on its first tab, shown selected (QSS :checked) until another is
        # clicked: there is always one selected tab.
        for index, button in enumerate(self._tab_pool):
            button.setChecked(index == 0 and bool(self._tabs))
        self.tab_buttons = self._tab_pool[:len(self._tabs)]
        self._tint_tabs()
        if grown:
            self.focus_chain_changed.emit()

    def _tab_button(self, index: int) -> QToolButton:
        button = QToolButton(self.tab_bar)
        button.setObjectName("tabButton")
        button.setCheckable(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        button.setIconSize(icon_size(30))
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setMinimumHeight(84)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda _=False, i=index: self._on_tab(i))
        self.tab_layout.addWidget(button)
        return button

    def _on_tab(self, index: int) -> None:
        # One checked tab at a time, kept here: Qt leaves only one Tab stop to the buttons of
        # a QButtonGroup (the others by arrow keys), and every tab should be a Tab stop.
        for at, button in enumerate(self._tab_pool):
            button.setChecked(at == index)
        label, prompt, _icon = self._tabs[index]
        self.tab_requested.emit(prompt or f"Show me {label}")

    def set_colors(self, colors: ThemeColors, *, tint_tabs: bool = True) -> None:
        """Tint icons now (unless the tabs are about to be rebuilt); recolour the chart on the
        next loop turn, so the restyle itself stays short."""
        self._colors = colors
        self.chart.set_colors(colors, redraw=False)
        if tint_tabs:
            self._tint_tabs()
        QTimer.singleShot(0, self, self._recolor_chart)

    def _recolor_chart(self) -> None:
        if self._colors is not None:
            self.chart.set_colors(self._colors)

    def _tint_tabs(self) -> None:
        if self._colors is None:
            return
        for button in self.tab_buttons:
            button.setIcon(tinted_icon(str(button.property("icon_name")), self._colors["primary"],
                                       30))

    # -- tool calls ----------------------------------------------------------------------------
    def show_tool_call(self, call: ToolCall, *, soon: bool = False) -> bool:
        """Draw a show_chart or update KPIs from show_metrics; invalid arguments are ignored.

        With `soon`, a chart is drawn over the next loop turns (a replayed conversation's: a
        chart built and set in one turn is ~10-30 ms), and a chart drawn at once cancels it.
        """
        from pydantic import ValidationError

        from presto_desktop.core.models import Chart, Metric

        try:
            if call.name == "show_chart":
                self._show_chart(Chart.model_validate(call.arguments, strict=False), soon=soon)
                return True
            if call.name == "show_metrics":
                raw = call.arguments.get("metrics", [])
                metrics = [Metric.model_validate(m, strict=False) for m in raw[:MAX_KPIS]]
                if metrics:
                    self.set_metrics(metrics)
                return bool(metrics)
        except (ValidationError, TypeError, AttributeError) as exc:
            log.warning("ignored %s with bad arguments: %s", call.name, str(exc).splitlines()[0])
        return False

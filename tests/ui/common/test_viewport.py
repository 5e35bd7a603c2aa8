"""A Python-made viewport is set up as Qt's own, and the window never makes PySide look up a
Qt-made widget's type (which creates every QWidget subclass's Python type, ~10 ms)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QListView, QListWidget

from presto_desktop.ui.common.viewport import own_viewport

ROOT = Path(__file__).resolve().parents[3]


def _described(area: QAbstractScrollArea) -> tuple[object, ...]:
    viewport = area.viewport()
    attributes = sorted(name for name, value in Qt.WidgetAttribute.__members__.items()
                        if viewport.testAttribute(value))
    return (viewport.objectName(), viewport.backgroundRole(), viewport.autoFillBackground(),
            viewport.focusPolicy(), viewport.hasMouseTracking(), viewport.acceptDrops(),
            viewport.parent() is area, viewport.focusProxy() is area, viewport.isHidden(),
            viewport.palette() == area.palette(), attributes)


def test_the_viewports_are_set_up_as_qts_own(qapp):
    """The chat's and the dialogs' lists and the chart's view: every property and attribute
    as before."""
    for kind in (QListView, QListWidget):
        ours, theirs = kind(), kind()
        own_viewport(ours)
        for view in (ours, theirs):
            view.setMouseTracking(True)  # as the chat's view sets it
        assert _described(ours) == _described(theirs)
    ours_chart, their_chart = QChartView(), QChartView()
    own_viewport(ours_chart, role=QPalette.ColorRole.Window, name="")
    assert _described(ours_chart) == _described(their_chart)


_FRESH = """
import sys
from PySide6 import QtWidgets
from PySide6.QtWidgets import QApplication
from presto_desktop.core.models import Chart, ChartPoint
from presto_desktop.ui.shell.first_frame import build_window

app = QApplication(sys.argv[:1])
parts = build_window(app)
parts.window.show()
for _ in range(20):
    app.processEvents()
chart = Chart(type="bar", title="t", points=[ChartPoint(label="a", value=1.0)])
parts.window.dashboard.chart.show_chart(chart, animate=False)
for _ in range(20):
    app.processEvents()
# A QWidget subclass the window never uses: its type exists only if a lookup walked them all.
print("WALKED" if isinstance(vars(QtWidgets).get("QCalendarWidget"), type) else "NOT WALKED")
"""


def test_the_window_and_its_chart_make_pyside_walk_no_widget_types(tmp_path):
    """In a fresh process: the first frame (its chat history) and the first chart."""
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", _FRESH], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[-2] == "NOT WALKED"

"""Charts show untrusted titles and labels literally: markup never loads a local image."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from presto_desktop.core.models import Chart, ChartPoint
from presto_desktop.ui.charts import ChartArea, chart_text

# A colour no palette or anti-aliasing produces by chance.
MARKER = QColor(3, 251, 7)


@pytest.fixture
def marker_png():
    # A short path, so an <img> tag fits a chart point's 40-character label.
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(MARKER)
    path = Path(f"/tmp/pc{os.getpid()}.png")
    assert image.save(str(path))
    yield path
    path.unlink(missing_ok=True)


def _marker_pixels(image: QImage) -> int:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    hits = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if image.pixelColor(x, y) == MARKER:
                hits += 1
    return hits


@pytest.mark.parametrize("kind", ["bar", "line", "pie", "area"])
def test_markup_in_chart_text_is_literal(qtbot, marker_png: Path, kind: str) -> None:
    tag = f'<img src="file://{marker_png}" width="64" height="64">'
    short = f"<img src={marker_png}>"
    assert len(short) <= 40
    chart = Chart(type=kind, title=f"Popular {tag}", unit="<b>u</b>",
                  points=[ChartPoint(label=short, value=3.0), ChartPoint(label="<b>b</b>", value=5.0)])
    area = ChartArea()
    qtbot.addWidget(area)
    area.resize(700, 500)
    area.show()
    area.show_chart(chart, animate=False)
    qtbot.wait(50)
    assert _marker_pixels(area.grab().toImage()) == 0
    title = area._view.chart().title()
    assert "&lt;img" in title and "<img" not in title


def test_the_check_would_catch_rich_text(qtbot, marker_png: Path) -> None:
    """Unescaped, the same title does draw the image: the test above can fail."""
    from PySide6 import QtCharts

    view = QtCharts.QChartView()
    qtbot.addWidget(view)
    chart = QtCharts.QChart()
    chart.setTitle(f'<img src="file://{marker_png}" width="64" height="64">')
    view.setChart(chart)
    view.resize(700, 500)
    view.show()
    qtbot.wait(50)
    assert _marker_pixels(view.grab().toImage()) > 0


def test_chart_text_escapes_and_truncates() -> None:
    assert chart_text("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert chart_text("a" * 40, 10) == "a" * 9 + "…"

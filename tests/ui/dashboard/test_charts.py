"""Charts show untrusted titles and labels literally: markup never loads a local image."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from presto_desktop.core.models import Chart, ChartPoint
from presto_desktop.ui.dashboard.charts import ChartArea, chart_text

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


def test_labels_stay_readable_and_distinct() -> None:
    from presto_desktop.ui.dashboard.charts import distinct_labels

    assert distinct_labels(["Feb 2025", "Peony arrangement 03-26"]) == [
        "Feb 2025", "Peony arrangement 03-26"]
    twins = distinct_labels(["Dozen red roses and lilies 09-09",
                             "Dozen red roses and lilies 09-29"])
    assert twins[0] != twins[1] and all(len(t) <= 24 for t in twins)
    assert twins[0].endswith("09-09") and twins[1].endswith("09-29")


def test_axis_labels_wrap_or_slant_and_values_group_thousands(qtbot) -> None:
    area = ChartArea()
    qtbot.addWidget(area)
    area.resize(800, 400)
    area.show()
    few = Chart(type="bar", title="Orders", unit="$", points=[
        ChartPoint(label="Dozen red roses 09-09", value=40000.0),
        ChartPoint(label="Dozen red roses 09-29", value=120.0)])
    area.show_chart(few, animate=False)
    qchart = area.view.chart()
    axis_x, axis_y = qchart.axes()
    categories = axis_x.categories()
    assert [c.replace("<br>", " ") for c in categories] == [
        '<div align="center">Dozen red roses 09-09</div>',
        '<div align="center">Dozen red roses 09-29</div>']
    assert not axis_x.truncateLabels()
    # Value labels are localised in English: "$40,000", not "$40000".
    assert qchart.localizeNumbers()
    assert qchart.locale().toString(40000.0, "f", 0) == "40,000"
    assert axis_y.labelFormat().startswith("$")
    months = Chart(type="line", title="Balance", points=[
        ChartPoint(label=f"Month {i:02d} 2025", value=float(i)) for i in range(12)])
    # Slanting depends on the room (axis_fit): at 800 px twelve of these wrap onto two lines.
    area.resize(600, 400)
    area.show_chart(months, animate=False)
    axis_x = area.view.chart().axes()[0]
    assert axis_x.labelsAngle() != 0
    assert axis_x.categories()[1] == "Month 01 2025"


def test_new_colours_redraw_the_chart_over_later_turns_without_growing_in(qtbot) -> None:
    """A restyle's recolour is built and set on later loop turns (not in the restyle's)."""
    from presto_desktop.core.palette import derive_palette
    from tests.ui.helpers import colors_from_roles

    area = ChartArea()
    qtbot.addWidget(area)
    area.resize(600, 400)
    area.show()
    area.set_colors(colors_from_roles(derive_palette("#1a237e").light, dark=False))
    area.show_chart(Chart(type="bar", title="Orders", points=[
        ChartPoint(label="Roses", value=4.0), ChartPoint(label="Tulips", value=2.0)]),
        animate=False)
    first = area.view.chart()
    blue_bars = first.series()[0].barSets()[0].color()
    red = colors_from_roles(derive_palette("#b71c1c").light, dark=False)
    area.set_colors(red)
    assert area.view.chart() is first and area.drawing  # not rebuilt in this turn
    qtbot.waitUntil(lambda: not area.drawing)
    again = area.view.chart()
    assert again is not first
    assert again.titleBrush().color() == red["text"]
    assert again.series()[0].barSets()[0].color() != blue_bars
    assert again.animationOptions() == again.AnimationOption.NoAnimation

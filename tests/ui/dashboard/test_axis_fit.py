"""Category labels never overlap: wrapped, shortened, slanted or thinned by the room they have."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QPolygonF
from PySide6.QtWidgets import QApplication, QGraphicsTextItem, QWidget

from presto_desktop.core.models import Chart, ChartPoint
from presto_desktop.ui.dashboard.axis_fit import GAP, PAD, SLANT_ANGLE, AxisFitter, fit_axis
from presto_desktop.ui.dashboard.charts import ChartArea

FLORIST = [f"2026-{month:02d}-{day:02d}: {item}" for month, day, item in [
    (3, 3, "Potted orchid + 2 more"), (5, 10, "Potted orchid + 2 more"),
    (7, 2, "Potted orchid"), (7, 6, "Bud vase + 2 more"),
    (7, 29, "Seasonal hand-tied + 1 more"), (10, 9, "Bud vase + 2 more"),
    (11, 27, "Bud vase"), (12, 1, "Dozen red roses")]]


@pytest.fixture
def font_size(request: pytest.FixtureRequest):
    """The application font at the normal (11 pt) or presenter (16 pt) size, restored after."""
    app = QApplication.instance()
    before = QFont(app.font())
    font = QFont(before)
    font.setPointSize(request.param)
    app.setFont(font)
    yield request.param
    app.setFont(before)


def _label_shapes(area: ChartArea) -> list[tuple[str, QPolygonF]]:
    """The category labels as drawn: their text and their outline in scene coordinates."""
    qchart = area.view.chart()
    bottom = qchart.plotArea().bottom()
    shapes = []
    for item in area.view.scene().items():
        text = item.toGraphicsObject()
        if not isinstance(text, QGraphicsTextItem) or not item.isVisible():
            continue
        plain = text.toPlainText().strip("\u200b ")
        if not plain or item.sceneBoundingRect().top() < bottom:
            continue  # the title, the value axis, blank (thinned-out) categories
        margin = text.document().documentMargin()
        inner = item.boundingRect().adjusted(margin, margin, -margin, -margin)
        shapes.append((plain, item.mapToScene(inner)))
    return shapes


def _settle(qtbot, area: ChartArea) -> None:
    """Let the debounced refit and the chart's layout run."""
    qtbot.waitUntil(lambda: not area.drawing)
    qtbot.wait(1)


@pytest.mark.parametrize("font_size", [11, 16], indirect=True)
@pytest.mark.parametrize("width", [1400, 900, 620, 420, 260])
@pytest.mark.parametrize("height", [200, 320])
def test_florist_orders_labels_never_overlap(qtbot, font_size: int, width: int,
                                             height: int) -> None:
    area = ChartArea()
    qtbot.addWidget(area)
    area.resize(width, height)
    area.show()
    chart = Chart(type="bar", title="Your recent orders", unit="$", points=[
        ChartPoint(label=label, value=50.0 + 40 * index) for index, label in enumerate(FLORIST)])
    area.show_chart(chart, animate=False)
    _settle(qtbot, area)
    assert area.view.chart().axes()[0].labelsFont().pointSize() == font_size
    shapes = _label_shapes(area)
    assert shapes, "some categories are labelled"
    inside = QRectF(area.view.rect()).adjusted(-1, -1, 1, 1)
    for index, (text, shape) in enumerate(shapes):
        assert inside.contains(shape.boundingRect()), (width, height, font_size, text)  # no clip
        for other_text, other in shapes[index + 1:]:
            assert not shape.intersects(other), (width, height, font_size, text, other_text)


PRICE_LIST = ["Wildflower honey jar", "Raw comb honey slab", "Beeswax candle pair",
              "Pollen granules pouch", "Propolis tincture", "Queen bee starter kit",
              "Hive inspection visit", "Honey tasting flight"]


@pytest.mark.parametrize("font_size", [11, 16], indirect=True)
@pytest.mark.parametrize("width", [470, 560, 650])
def test_slanted_labels_label_every_category_the_first_and_last_too(qtbot, font_size: int,
                                                                   width: int) -> None:
    # QtCharts hides an edge category's label whose turned box is wider than the category:
    # a beekeeper's price list showed 6 labels under 8 bars.
    area = ChartArea()
    qtbot.addWidget(area)
    area.resize(width, 300)
    area.show()
    area.show_chart(Chart(type="bar", title="Price list", unit="$", points=[
        ChartPoint(label=label, value=10.0 + index) for index, label in enumerate(PRICE_LIST)]),
        animate=False)
    _settle(qtbot, area)
    fit = area.axis_fit
    assert fit is not None
    if font_size == 11:  # at 16 pt a 300 px chart is too low to slant into: every n-th, flat
        assert fit.angle == SLANT_ANGLE and all(fit.labels), fit
    shapes = _label_shapes(area)  # every label the fit chose is drawn
    assert len(shapes) == len([label for label in fit.labels if label]), (width, fit, shapes)


def test_resizing_refits_without_rebuilding(qtbot) -> None:
    area = ChartArea()
    qtbot.addWidget(area)
    area.resize(1400, 300)
    area.show()
    chart = Chart(type="bar", title="Orders", points=[
        ChartPoint(label=label, value=10.0) for label in FLORIST])
    area.show_chart(chart, animate=False)
    _settle(qtbot, area)
    qchart = area.view.chart()
    wide = area.axis_fit
    assert wide is not None and wide.angle == 0
    for width in range(1400, 300, -50):  # a drag: one refit when it pauses
        area.resize(width, 300)
    _settle(qtbot, area)
    assert area.view.chart() is qchart  # the same chart, only its labels changed
    narrow = area.axis_fit
    assert narrow is not None and narrow != wide
    axis_x = qchart.axes()[0]
    assert axis_x.labelsAngle() == narrow.angle


def test_fit_prefers_wrapping_then_shortening_then_slanting_then_thinning() -> None:
    metrics = QFontMetricsF(QFont("Sans Serif", 11))
    labels = ["Seasonal hand-tied roses", "Bud vase + 2 more", "Orchid"]
    roomy = fit_axis(labels, 400, metrics)
    assert roomy.angle == 0 and "<br>" in roomy.labels[0] and "…" not in roomy.labels[0]
    words = ["Dozen", "roses", "white", "lilies", "Orchid"]
    slot = max(metrics.horizontalAdvance(word) for word in words) + PAD + GAP * metrics.height()
    tight = fit_axis(["Dozen red roses and white lilies", "Orchid"], slot + 1, metrics)
    assert tight.angle == 0 and "…" in tight.labels[0]  # five lines were too many
    slanted = fit_axis(["2026-03-03: Potted orchid"] * 3, 60, metrics)
    assert slanted.angle == SLANT_ANGLE and all(slanted.labels)
    dates = [f"2026-03-{day:02d}" for day in range(30)]
    thinned = fit_axis(dates, 8, metrics)  # even slanted, neighbours 8 px apart would touch
    assert thinned.angle == 0 and "" in thinned.labels and any(thinned.labels)
    low = fit_axis(dates, 40, metrics, band=metrics.height() * 1.5)  # too low to slant into
    assert low.angle == 0 and "" in low.labels and "2026-03-01" in low.labels


def test_fitted_labels_stay_escaped() -> None:
    metrics = QFontMetricsF(QFont("Sans Serif", 11))
    hostile = ["<img src=file:///etc/passwd> and more words here", "<b>bold</b>"]
    for slot in (400, 90, 40, 8):
        fit = fit_axis(hostile, slot, metrics)
        text = "".join(fit.labels)
        assert "<img" not in text and "<b>" not in text
        assert "&lt;" in text or not text  # 8 px: no room for any label


def test_a_pie_has_no_axis_to_fit(qtbot) -> None:
    area = ChartArea()
    qtbot.addWidget(area)
    area.resize(400, 300)
    area.show()
    area.show_chart(Chart(type="pie", title="Mix", points=[
        ChartPoint(label="A", value=1.0), ChartPoint(label="B", value=2.0)]), animate=False)
    assert area.axis_fit is None


def test_a_new_charts_fit_is_predicted_from_the_view_not_the_chart_shown_before(qtbot) -> None:
    """From a pie's plot area (its legend beside it), a bar chart's labels were predicted
    slanted; the refit then laid the new chart out again (13-21 ms in a cold process)."""
    view = QWidget()
    qtbot.addWidget(view)
    view.resize(793, 343)
    labels = ["Seasonal hand-tied", "Dozen long-stem roses", "Peony arrangement",
              "Potted orchid", "Sympathy wreath", "Bridal bouquet", "Bud vase"]
    fresh = AxisFitter(view, list).predict(labels)

    class PieShown:
        def plotArea(self) -> QRectF:  # noqa: N802 - Qt's name
            return QRectF(0, 0, 300, 300)  # a pie's, narrowed by its legend

        def axes(self, _orientation: object) -> list[object]:
            return []

    fitter = AxisFitter(view, list)
    fitter.track(PieShown(), [])
    assert fitter.predict(labels) == fresh


def test_bars_grow_in_once_not_again_on_resize(qtbot) -> None:
    from PySide6.QtCharts import QChart

    area = ChartArea()
    qtbot.addWidget(area)
    area.resize(1400, 300)
    area.show()
    area.show_chart(Chart(type="bar", title="Orders", points=[
        ChartPoint(label=label, value=10.0) for label in FLORIST]), animate=True)
    qchart = area.view.chart()
    assert qchart.animationOptions() == QChart.AnimationOption.SeriesAnimations
    # Once grown in, a resize (and the labels refitted for it) moves the bars, never regrows them.
    qtbot.waitUntil(lambda: qchart.animationOptions() == QChart.AnimationOption.NoAnimation,
                    timeout=10_000)


def test_a_500_category_chart_is_fitted_with_few_wraps_and_labels_every_nth(qapp, monkeypatch):
    # Trying every step wrapped all 500 labels ~2,000 times (1.1 M wraps, 30 s on the loop).
    from presto_desktop.ui.dashboard import axis_fit

    calls = [0]
    real = axis_fit.wrap_lines

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(axis_fit, "wrap_lines", counting)
    labels = [f"Month {i} with a very long label" for i in range(500)]
    fit = fit_axis(labels, 1000 / 500, QFontMetricsF(QFont()), 200)
    assert calls[0] < 5_000
    shown = [index for index, label in enumerate(fit.labels) if label]
    assert 2 <= len(shown) < 100 and fit.angle == 0
    steps = {b - a for a, b in zip(shown, shown[1:], strict=False)}
    assert len(steps) == 1  # evenly spaced: every n-th

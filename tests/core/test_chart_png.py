"""Charts drawn without Qt for exports: every type, deterministic, palette colours, PNG."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from presto_desktop.core.chart_png import nice_range, render_chart_png, series_colors
from presto_desktop.core.models import Chart
from tests.factories import make_mode

POINTS = [{"label": "Jan <img src=file:///etc/passwd>", "value": 1200.0},
          {"label": "Feb", "value": -300.0}, {"label": "Mar", "value": 2500.5}]


@pytest.mark.parametrize("kind", ["bar", "line", "area", "pie"])
def test_every_chart_type_draws_the_same_png_twice(kind: str) -> None:
    roles = make_mode("florist").palette.light.model_dump()
    chart = Chart(type=kind, title="Sales <b>by</b> month", points=POINTS, unit="$")
    first = render_chart_png(chart, roles, size=(400, 225), scale=1)
    assert first == render_chart_png(chart, roles, size=(400, 225), scale=1)
    image = Image.open(io.BytesIO(first))
    assert image.format == "PNG" and image.size == (400, 225)
    colours = {f"#{r:02x}{g:02x}{b:02x}" for _count, (r, g, b) in image.getcolors(1 << 20)}
    assert roles["surface"] in colours and roles["primary"] in colours


def test_many_points_and_one_point_draw() -> None:
    roles = make_mode("florist").palette.light.model_dump()
    many = [{"label": f"Day {i}", "value": float(i % 7)} for i in range(500)]
    for points in (many, [{"label": "Only", "value": 0.0}]):
        for kind in ("bar", "line", "pie"):
            png = render_chart_png(Chart(type=kind, title="t", points=points), roles, scale=1)
            assert png.startswith(b"\x89PNG")


def test_axis_range_and_colours() -> None:
    assert nice_range([3.0, 7.0]) == (0.0, 8.0, 2.0)
    low, high, _step = nice_range([-300.0, 2500.5])
    assert low <= -300 and high >= 2500.5
    roles = make_mode("florist").palette.light.model_dump()
    colours = series_colors(roles, 6)
    assert colours[0] == roles["primary"] and len(set(colours)) == 6

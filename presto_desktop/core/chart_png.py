"""A `show_chart` chart drawn as PNG bytes without Qt (exports; Pillow, imported when drawing).

The same chart types as the dashboard (line, bar, area, a pie as a donut with a legend), in
the mode's palette roles. Labels are drawn as pixels: untrusted text never becomes markup.
The output is deterministic: the same chart and roles give the same bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import Any

from presto_desktop.core.models import Chart

SIZE = (800, 450)  # logical pixels; drawn at SCALE for sharp text in print
SCALE = 2
MAX_POINTS = 500
LABEL_CHARS = 14


def shade(hex_color: str, factor: float) -> str:
    """`hex_color` scaled towards black (factor < 1) or white (factor > 1)."""
    rgb = [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]
    if factor < 1:
        out = [round(c * factor) for c in rgb]
    else:
        out = [round(c + (255 - c) * min(factor - 1, 1.0)) for c in rgb]
    return "#" + "".join(f"{max(0, min(255, c)):02x}" for c in out)


def series_colors(roles: Mapping[str, str], count: int) -> list[str]:
    """Distinct colours from the palette roles, as the dashboard's pie picks them."""
    base = [roles["primary"], roles["secondary"], roles["text_muted"], roles["border"]]
    return [shade(base[i % len(base)], 1 / (1 + 0.25 * (i // len(base))))
            for i in range(max(count, 1))]


def short(text: str, limit: int) -> str:
    """One line, at most `limit` characters (with an ellipsis)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def number(value: float) -> str:
    """A value as an axis or legend shows it: 1,250 or 3.5."""
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"


def nice_range(values: list[float]) -> tuple[float, float, float]:
    """Axis bottom, top and tick step covering `values` (and zero) in round numbers."""
    low, high = min(0.0, *values), max(0.0, *values)
    if high == low:
        high = low + 1.0
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def render_chart_png(chart: Chart, roles: Mapping[str, str], *,
                     size: tuple[int, int] = SIZE, scale: int = SCALE) -> bytes:
    """`chart` as PNG bytes, `size` logical pixels drawn at `scale`."""
    from PIL import Image, ImageDraw  # ~0.1 s; only exports draw charts without Qt

    width, height = size[0] * scale, size[1] * scale
    image = Image.new("RGB", (width, height), roles["surface"])
    pen = _Pen(ImageDraw.Draw(image), roles, scale)
    pen.text((width // 2, 14 * scale), short(chart.title, 70), size=17, fill="text",
             anchor="mt", bold=True)
    points = chart.points[:MAX_POINTS]
    box = (16 * scale, 48 * scale, width - 16 * scale, height - 16 * scale)
    if chart.type == "pie":
        _pie(pen, points, box)
    else:
        _xy(pen, chart, points, box, image)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class _Pen:
    """Drawing helpers over one ImageDraw: fonts by size, colours by palette role."""

    def __init__(self, draw: Any, roles: Mapping[str, str], scale: int) -> None:
        self.draw, self.roles, self.scale = draw, roles, scale
        self._fonts: dict[int, Any] = {}

    def font(self, size: int) -> Any:
        from PIL import ImageFont

        px = size * self.scale
        if px not in self._fonts:
            try:
                self._fonts[px] = ImageFont.load_default(size=px)
            except (TypeError, OSError):  # a Pillow without FreeType: the small bitmap font
                self._fonts[px] = ImageFont.load_default()
        return self._fonts[px]

    def color(self, role_or_hex: str) -> str:
        return role_or_hex if role_or_hex.startswith("#") else self.roles[role_or_hex]

    def text(self, xy: tuple[float, float], text: str, *, size: int = 12, fill: str = "text",
             anchor: str = "la", bold: bool = False) -> None:
        font = self.font(size)
        self.draw.text(xy, text, font=font, fill=self.color(fill), anchor=anchor,
                       stroke_width=1 if bold else 0, stroke_fill=self.color(fill))

    def line(self, xy: list[tuple[float, float]], fill: str, width: float = 1) -> None:
        self.draw.line(xy, fill=self.color(fill), width=max(1, round(width * self.scale)),
                       joint="curve")


def _pie(pen: _Pen, points: list[Any], box: tuple[int, int, int, int]) -> None:
    """A donut on the left, a legend with each slice's label, value and share on the right."""
    left, top, right, bottom = box
    values = [max(p.value, 0.0) for p in points]
    total = sum(values) or 1.0
    colors = series_colors(pen.roles, len(points))
    diameter = min(bottom - top, (right - left) // 2)
    disc = (left, top, left + diameter, top + diameter)
    angle = -90.0
    for value, color in zip(values, colors, strict=True):
        sweep = 360.0 * value / total
        if sweep > 0:
            pen.draw.pieslice(disc, angle, angle + sweep, fill=color,
                              outline=pen.roles["surface"], width=2 * pen.scale)
        angle += sweep
    hole = diameter * 0.35 / 2
    cx, cy = left + diameter / 2, top + diameter / 2
    pen.draw.ellipse((cx - hole, cy - hole, cx + hole, cy + hole), fill=pen.roles["surface"])
    row = 20 * pen.scale
    x = left + diameter + 24 * pen.scale
    shown = max(1, (bottom - top) // row)
    for index, (point, color) in enumerate(zip(points[:shown], colors, strict=False)):
        y = top + index * row
        pen.draw.rectangle((x, y + 3 * pen.scale, x + 12 * pen.scale, y + 15 * pen.scale), fill=color)
        share = 100 * max(point.value, 0.0) / total
        label = f"{short(point.label, 28)}  {number(point.value)} ({share:.0f}%)"
        pen.text((x + 18 * pen.scale, y + 1 * pen.scale), label, size=12)
    if len(points) > shown:
        pen.text((x, top + shown * row), f"… and {len(points) - shown} more", size=12,
                 fill="text_muted")


def _xy(pen: _Pen, chart: Chart, points: list[Any], box: tuple[int, int, int, int],
        image: Any) -> None:
    """Value axis with grid lines on the left, category labels below, then the series."""
    left, top, right, bottom = box
    values = [p.value for p in points]
    low, high, step = nice_range(values)
    left += 64 * pen.scale
    bottom -= 28 * pen.scale
    if chart.unit:
        pen.text((box[0], top - 4 * pen.scale), short(chart.unit, 16), size=11,
                 fill="text_muted", anchor="lb")

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    ticks = int(round((high - low) / step))
    for index in range(ticks + 1):
        value = low + index * step
        pen.line([(left, y_of(value)), (right, y_of(value))], "border")
        pen.text((left - 8 * pen.scale, y_of(value)), number(value), size=11,
                 fill="text_muted", anchor="rm")
    slot = (right - left) / len(points)
    every = max(1, math.ceil(len(points) * 60 * pen.scale / (right - left)))
    for index, point in enumerate(points):
        if index % every == 0:
            pen.text((left + slot * (index + 0.5), bottom + 6 * pen.scale),
                     short(point.label, LABEL_CHARS), size=11, fill="text_muted", anchor="ma")
    zero = y_of(max(low, min(0.0, high)))
    centres = [(left + slot * (i + 0.5), y_of(v)) for i, v in enumerate(values)]
    if chart.type == "bar":
        gap = slot * 0.18
        for index, (_x, y) in enumerate(centres):
            x0 = left + slot * index + gap
            pen.draw.rectangle((x0, min(y, zero), x0 + slot - 2 * gap, max(y, zero)),
                               fill=pen.roles["primary"])
        return
    if chart.type == "area":
        _fill_area(image, centres, zero, pen.roles["primary"])
    pen.line(centres, "primary", 2.5)
    if len(centres) <= 40:
        radius = 3 * pen.scale
        for x, y in centres:
            pen.draw.ellipse((x - radius, y - radius, x + radius, y + radius),
                             fill=pen.roles["primary"])


def _fill_area(image: Any, centres: list[tuple[float, float]], zero: float, color: str) -> None:
    """The area under the line in the primary colour at 35 % over the background."""
    from PIL import Image, ImageDraw

    mask = Image.new("L", image.size, 0)
    polygon = [(centres[0][0], zero), *centres, (centres[-1][0], zero)]
    ImageDraw.Draw(mask).polygon(polygon, fill=round(255 * 0.35))
    image.paste(Image.new("RGB", image.size, color), (0, 0), mask)

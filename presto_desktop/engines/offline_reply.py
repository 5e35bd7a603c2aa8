"""An offline reply (text plus tool calls) and the small builders every answer uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from presto_desktop.core.chat import ToolCall
from presto_desktop.core.models import Chart, ChartPoint


@dataclass(frozen=True)
class Reply:
    """An offline reply: Markdown-free text and the tool calls that go with it."""

    text: str
    tool_calls: tuple[ToolCall, ...] = field(default_factory=tuple)
    chart: Chart | None = None


def money(value: float) -> str:
    """Format an amount like $1,234.56 (or -$45.10)."""
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def chart_reply(text: str, chart: Chart) -> Reply:
    """A reply that draws `chart`."""
    return Reply(text, (ToolCall("show_chart", chart.model_dump()),), chart)


def metrics_reply(text: str, metrics: list[tuple[str, float, str]]) -> Reply:
    """A reply that updates the KPI cards."""
    args = {"metrics": [{"label": label, "value": round(float(value), 2), "unit": unit}
                        for label, value, unit in metrics]}
    return Reply(text, (ToolCall("show_metrics", args),))


def bar(title: str, points: Sequence[tuple[str, float]], unit: str = "$",
        kind: Literal["line", "bar", "pie", "area"] = "bar") -> Chart:
    """A chart of labelled values (bar unless `kind` says line, pie or area)."""
    return Chart(type=kind, title=title[:120], unit=unit,
                 points=[ChartPoint(label=label[:40], value=round(float(value), 2))
                         for label, value in points])

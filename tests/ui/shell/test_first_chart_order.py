"""A switched-to mode's first chart is drawn after the mode change's restyle, not between its turns."""

from __future__ import annotations

import time
from pathlib import Path

from presto_desktop.core.models import Chart, ChartPoint, OfflineAnswer
from tests.factories import assistant_mode, bank_mode, builtin_folder
from tests.ui.shell.test_window import build


def _charted_bank() -> object:
    """The test bank mode with an offline answer that carries a chart."""
    chart = Chart(type="bar", title="Balance", points=[
        ChartPoint(label=month, value=value) for month, value in (("Jan", 1.0), ("Feb", 2.0))])
    answer = OfflineAnswer(question="How is my balance?", keywords=["balance"],
                           answer="Growing.", chart=chart)
    return bank_mode().model_copy(update={"offline_content": [answer]})


def test_the_first_chart_waits_for_the_restyle(qapp, qloop, tmp_path: Path) -> None:
    """Its steps (view, series, axes; ~3 ms each) came between the restyle's turns before,
    lengthening them and putting off the restyle's end."""
    builtin = builtin_folder(tmp_path / "builtin", assistant_mode(), _charted_bank())
    comp = build(qapp, tmp_path, builtin)
    comp.start(None)
    window, chart_area = comp.window, comp.window.dashboard.chart
    deadline = time.monotonic() + 5
    while not window.shows_in_steps and time.monotonic() < deadline:
        qapp.processEvents()  # the first paint: from then on a switch is shown in steps
    restyling_at_start: list[bool] = []
    draw = chart_area.show_chart_soon

    def recorded(*args: object, **kwargs: object) -> None:
        restyling_at_start.append(window.mode_change.pending("restyle"))
        draw(*args, **kwargs)  # type: ignore[arg-type]

    chart_area.show_chart_soon = recorded  # type: ignore[method-assign]
    window.route("Presto-Change-O, you're a bank")
    assert comp.modes.current.id == "banking"
    assert window.mode_change.pending("restyle")  # the switch is shown in steps
    while ((chart_area.chart is None or chart_area.drawing)
           and time.monotonic() < deadline + 5):
        qapp.processEvents()
    assert restyling_at_start == [False]  # started once, after the restyle's last step
    assert chart_area.chart is not None and chart_area.chart.title == "Balance"
    qloop.run_until_complete(comp.shutdown())

"""A mode's content on the main window: title and header now; persona, KPIs, tabs, conversation,
tab order and the first chart as steps of the window's mode change (or at once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from presto_desktop.ui.common.mode_change import Step
from presto_desktop.ui.dashboard.charts import PLACEHOLDER

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode
    from presto_desktop.ui.shell.window import MainWindow


def show_mode_content(window: MainWindow, mode: Mode, show_chat: Callable[[], None], *,
                      in_steps: bool) -> None:
    """Show `mode`'s texts on `window`; the rest in steps (`in_steps`) or in this call."""
    window.setWindowTitle(f"{mode.company_name} — Presto-Change-O")
    window.header.set_mode(mode)
    dashboard = window.dashboard
    steps = [Step("content:persona", lambda: dashboard.set_persona(mode.persona)),
             Step("content:metrics", lambda: dashboard.set_metrics(mode.metrics)),
             # The chart's own steps come after the restyle's (`call_soon`): in between, they
             # lengthened its turns (~3 ms each) and put off the restyle's end.
             Step("content:tabs", lambda: dashboard.set_tabs_and_chart(
                 mode, later=window.call_soon)),
             Step("content:chat", show_chat),
             Step("content:tab-order", window.apply_tab_order)]
    if in_steps:
        # The old mode's chart goes now: the restyle's repaint then draws the light
        # placeholder instead of re-rendering (and re-colouring) a chart about to be replaced.
        dashboard.chart.clear(PLACEHOLDER)
        window.mode_change.replace("content", steps)  # an older mode's content is superseded
    else:
        window.mode_change.replace("content", [])
        for step in steps:
            step.run()

"""A generated mode restyles the window while it is being saved (its repaint held for the apply).

Measured (session benchmark): the save's two fsyncs take ~20 ms and the restyle's style roots
~10-15 ms of the loop, one after the other. The mode controller hands the generated mode over
before the save (ui/shell/mode_controller.py): its stylesheet is derived in a worker thread,
the roots are restyled with the window's updates off while the save runs, and the one repaint
waits until the applied mode's content is queued. A failed or cancelled save restyles back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from presto_desktop.ui.shell.mode_controller import ModeController

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode
    from presto_desktop.core.store import ModeStore
    from presto_desktop.engines.base import Engine
    from presto_desktop.ui.theme.manager import ThemeManager


def mode_controller(store: ModeStore, engine: Engine, theme: ThemeManager, *,
                    remember: Callable[[str], None]) -> ModeController:
    """The window's mode controller, its generated modes previewed on `theme`."""
    modes = ModeController(store, engine, remember=remember)
    wire_preview(modes, theme)
    return modes


def wire_preview(modes: ModeController, theme: ThemeManager) -> None:
    """Let `modes` prepare (off the loop), preview and settle its generated modes on `theme`.

    Both keep the theme's scheme (the settings' choice, which the theme was last given).
    """

    def preview(mode: Mode) -> None:
        theme.apply(mode.palette, hold=True)

    def settle() -> None:
        # The current mode's palette: the previewed one once applied (its held repaint then
        # runs), the old one after a failure or cancel (a restyle back, in steps).
        theme.apply(modes.current.palette, in_steps=True)

    modes.prepare = lambda mode: theme.prepare(mode.palette)  # a worker thread
    modes.preview = preview
    modes.end_preview = settle

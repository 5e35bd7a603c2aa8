"""Running the composed window: build the composition around it, run until it closes."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from presto_desktop.core.paths import AppPaths
from presto_desktop.ui.common.signals import closing_on_signals
from presto_desktop.ui.composition import Composition
from presto_desktop.ui.shell.first_frame import WindowParts

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from presto_desktop.core.logs import RedactingFilter

log = logging.getLogger(__name__)
SCREENSHOT_SIZE = (1280, 800)


async def run_window(app: QApplication, paths: AppPaths, *, offline: bool,
                     mode_id: str | None, screenshot: Path | None, self_test: bool,
                     redactor: RedactingFilter | None, parts: WindowParts | None = None,
                     demo: Path | None = None) -> int:
    """Build everything around the window (or `parts`, already painted), run until it closes;
    `demo`: a demo script or `.presto` recording to open (one refused: in the notice bar)."""
    headless = screenshot is not None or self_test
    comp = Composition(app, paths, offline=offline or self_test, persist=not headless,
                       redactor=redactor, parts=parts, defer_features=parts is not None)
    if parts is not None:  # a painted window: the rest is built over loop turns
        await comp.add_features()
    closed = asyncio.Event()
    comp.window.closing.connect(closed.set)
    app.aboutToQuit.connect(closed.set)
    app.aboutToQuit.connect(comp.save_state)
    code = 0
    try:
        # The theme is set before show(), so the first frame is already styled.
        comp.start(mode_id, restore_geometry=not headless and parts is None, defer=not headless)
        comp.window.after_first_paint(lambda: comp.replay.open_path(demo))  # if any
        if self_test:
            from presto_desktop.ui.shell.selftest import run_self_test

            code, line = await run_self_test(comp)
            print(line, flush=True)
        elif screenshot is not None:
            from presto_desktop.ui.shell.selftest import take_screenshot

            code, line = await take_screenshot(comp, screenshot, SCREENSHOT_SIZE)
            if code:
                print(line, file=sys.stderr, flush=True)
        elif parts is None or parts.window.isVisible():  # not closed while painting first
            comp.window.show()
            with closing_on_signals(comp.window):
                log.info("window open")
                await closed.wait()
    finally:
        app.aboutToQuit.disconnect(closed.set)
        app.aboutToQuit.disconnect(comp.save_state)
        comp.window.hide()
        await comp.shutdown()
        comp.window.deleteLater()
    return code

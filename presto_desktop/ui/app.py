"""The one composition root: QApplication, the window's first frame, then the qasync loop.

Start-up order is what makes the window appear fast. This module imports only Qt and the
window's own widgets: with a remembered start frame the window paints the last mode before
the mode models (pydantic), asyncio, qasync and the controllers are imported
(ui/composition.py builds those around the painted window). Everything the first frame does
not show (engine, lexicon, key store, conversation, QtCharts, dialogs) waits even longer.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from presto_desktop.core.paths import AppPaths

if TYPE_CHECKING:
    from presto_desktop.core.logs import RedactingFilter

log = logging.getLogger(__name__)
APP_TITLE = "Presto-Change-O"


class _HeldRecords(logging.Handler):
    """Keeps log records until the log file is open (it opens after the first frame)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep `record` for later."""
        self.records.append(record)


def _logging(paths: AppPaths, held: _HeldRecords) -> RedactingFilter | None:
    """Open the log file with key redaction and write the held records to it.

    None if the folder is unwritable (the held records then go to the terminal as warnings).
    """
    from presto_desktop.core.logs import setup_logging

    root = logging.getLogger()
    root.removeHandler(held)
    try:
        redactor = setup_logging(paths)
    except OSError as exc:
        log.warning("no log file: %s", exc)
        redactor = None
    for record in held.records:
        if record.levelno >= root.level:
            root.handle(record)
    return redactor


def _route_qt_messages() -> None:
    """Send Qt's own warnings to the log file, not the terminal (e.g. offscreen plugin notes)."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def run_gui(*, paths: AppPaths, offline: bool, mode_id: str | None, screenshot: Path | None,
            self_test: bool) -> int:
    """Open the window (or take a screenshot / run the self-test); returns the exit code."""
    from PySide6.QtWidgets import QApplication

    headless = screenshot is not None or self_test
    if headless and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # The log file (logging.handlers and friends, ~10 ms) opens after the first frame.
    held = _HeldRecords()
    logging.getLogger().addHandler(held)
    _route_qt_messages()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("presto-desktop")
    app.setApplicationDisplayName(APP_TITLE)
    # Closing the window ends our coroutine, which then shuts down; Qt must not quit first.
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    parts = None
    if not headless:
        from presto_desktop.ui.first_frame import show_first_frame

        try:
            parts = show_first_frame(app, paths, offline=offline, mode_id=mode_id)
        except Exception:  # noqa: BLE001 - the remembered frame is only a head start
            log.exception("first frame not shown; starting without it")
    redactor = _logging(paths, held)
    # Only now the models, asyncio and the controllers (the first frame did not need them).
    import asyncio

    import qasync

    from presto_desktop.ui.composition import run_window

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return loop.run_until_complete(
                run_window(app, paths, offline=offline, mode_id=mode_id, screenshot=screenshot,
                           self_test=self_test, redactor=redactor, parts=parts))
    except RuntimeError as exc:
        # app.quit() from outside (e.g. the session ending) stops the loop early.
        log.warning("event loop ended early: %s", exc)
        return 0
    finally:
        app.setQuitOnLastWindowClosed(quit_on_close)
        asyncio.set_event_loop(None)

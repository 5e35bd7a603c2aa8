"""The one composition root: QApplication, the window's first frame, then the qasync loop.

Start-up order is what makes the window appear fast. This module imports only Qt and the
window's own widgets: with a remembered start frame the window paints the last mode before
the mode models (pydantic), asyncio, qasync and the controllers are imported
(ui/composition.py builds those around the painted window). Everything the first frame does
not show (engine, lexicon, key store, conversation, QtCharts, dialogs) waits even longer.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from presto_desktop.core.paths import AppPaths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from presto_desktop.core.logs import RedactingFilter
    from presto_desktop.ui.replay.wiring import HeadlessTask
    from presto_desktop.ui.shell.first_frame import WindowParts
    from presto_desktop.ui.shell.frame_picture import PictureShell
    from presto_desktop.ui.shell.single_instance import WindowLock

log = logging.getLogger(__name__)
APP_TITLE = "Presto-Change-O"
# How long a worker thread (generation, warm-ups, saves) may hold the GIL before the loop
# thread gets it: Python's default 5 ms, paid once per Python callback the loop runs, let
# timers and input wait 20-40 ms while a thread worked. Measured by the session benchmark.
GIL_SWITCH_S = 0.0005
# How often the loop checks whether the composition root's imports (in a thread) are done.
IMPORT_POLL_MS = 2


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


def _window_lock(paths: AppPaths, forward: Path | None = None) -> WindowLock | Literal[False] | None:
    """This data dir's window lock; False (said on stderr) if another window holds it.

    None when no lock can be taken (e.g. a read-only data dir): the window opens all the same.
    `forward`: a file the open window is asked to open instead (a double-clicked recording).
    """
    from presto_desktop.ui.shell.single_instance import WindowLock, ping_running

    lock = WindowLock(paths.data_dir)
    taken = lock.acquire()
    if taken is None:
        return None
    if taken:
        return lock
    if ping_running(paths.data_dir, open_path=forward):
        opened = "" if forward is None else f" and asked it to open {forward.name}"
        print(f"presto-desktop: already open for {paths.data_dir}; brought that window to "
              f"the front{opened}.", file=sys.stderr)
    else:
        print(f"presto-desktop: another Presto-Change-O window uses {paths.data_dir} and does "
              "not answer; close it first.", file=sys.stderr)
    return False


def _listen_later(lock: WindowLock, app: QApplication, *, now: bool) -> None:
    """Answer later starts: now if the first frame is painted, else once the loop runs.

    QtNetwork costs ~15 ms to import; a later start keeps asking for a few seconds meanwhile.
    """
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtGui import QFileOpenEvent

    from presto_desktop.ui.shell.single_instance import raise_main_window

    def open_file(path: Path) -> None:
        # Qt's own "open this file" event, posted to the main window: whoever opens files
        # there (the recordings' wiring) filters it, and nothing here needs to know.
        for widget in app.topLevelWidgets():
            if widget.objectName() == "mainWindow":
                QCoreApplication.postEvent(widget, QFileOpenEvent(str(path)))

    def listen() -> None:
        lock.listen(lambda: raise_main_window(app), open_file)

    if now:
        listen()
    else:
        QTimer.singleShot(0, listen)


def _import_heavy() -> None:
    """The composition root's imports: the models (pydantic), asyncio, qasync, controllers.

    Also what the loop would import in its first turns after them (each a 15-40 ms stall
    there, measured): the log file's handlers, the window's late imports, QtNetwork (the
    window lock's server), QtCharts (the first chart), QStyle (its enums, for the first message).
    """
    import asyncio  # noqa: F401
    import logging.handlers  # noqa: F401

    import qasync  # noqa: F401
    from PySide6 import QtCharts, QtNetwork  # noqa: F401
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem  # noqa: F401 - the chat's rows

    # The brand kit's wiring (hero backdrop, generated marks), built with the composition;
    # the window's presenter and the rows' markdown, left out of its first frame.
    import presto_desktop.core.generated_images  # noqa: F401
    import presto_desktop.core.logs  # noqa: F401
    import presto_desktop.session.presenter  # noqa: F401
    import presto_desktop.ui.chat.markdown  # noqa: F401
    import presto_desktop.ui.chat.notice  # noqa: F401
    import presto_desktop.ui.composition  # noqa: F401
    import presto_desktop.ui.dialogs.spare  # noqa: F401
    import presto_desktop.ui.run_window  # noqa: F401
    import presto_desktop.ui.shell.app_menu  # noqa: F401
    import presto_desktop.ui.shell.first_frame  # noqa: F401 - after a picture: the parts
    import presto_desktop.ui.shell.generated_wiring  # noqa: F401
    import presto_desktop.ui.shell.imagery_wiring  # noqa: F401
    import presto_desktop.ui.shell.mark_wiring  # noqa: F401
    import presto_desktop.ui.shell.mode_content  # noqa: F401 - the window's, at its first mode
    import presto_desktop.ui.shell.shortcuts  # noqa: F401

    # Voice's controller, devices and audio modules: the composition builds the mic button's
    # controller at once (~70 ms of imports on the loop, measured after voice grew).
    import presto_desktop.ui.shell.voice_wiring  # noqa: F401
    import presto_desktop.ui.voice.controller  # noqa: F401


def _import_while_painting() -> None:
    """Import the composition root in a worker thread while Qt's loop runs (no user input).

    Measured: these imports held the painted window still for 150-260 ms. Input waits for
    the controllers (it is queued, not lost); repaints, resizes and timers go on. A failed
    import is left for the loop thread to repeat, so its error surfaces as before.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    worker = threading.Thread(target=_quiet(_import_heavy), name="presto-imports", daemon=True)
    waiter = QEventLoop()
    poll = QTimer()
    poll.setInterval(IMPORT_POLL_MS)
    poll.timeout.connect(lambda: None if worker.is_alive() else waiter.quit())
    worker.start()
    poll.start()
    if worker.is_alive():
        waiter.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    poll.stop()
    worker.join()


def _keep_imports() -> None:
    """Garbage collection back on, the start-up's objects (modules, classes) left out of it.

    They live as long as the process: frozen, later collections do not walk them again.
    """
    gc.freeze()
    gc.enable()


def _quiet(work: Callable[[], None]) -> Callable[[], None]:
    """`work` with its exception dropped (the loop thread repeats the import and sees it)."""
    def run() -> None:
        try:
            work()
        except Exception:  # noqa: BLE001, S110 - repeated on the loop thread, which reports
            pass
    return run


def run_gui(*, paths: AppPaths, offline: bool, mode_id: str | None, screenshot: Path | None,
            self_test: bool, demo: Path | None = None, task: HeadlessTask | None = None) -> int:
    """Open the window (or take a screenshot / run the self-test or `task` headless); returns
    the exit code. `demo`: a demo script or a `.presto` recording to open once painted."""
    headless = screenshot is not None or self_test or task is not None
    refused = _cannot_open(headless)
    if refused is not None:
        return refused
    lock = None if headless else _window_lock(paths, forward=demo)
    if lock is False:
        return 0  # another window has this data dir: it was asked to come to the front
    # No cyclic garbage collection while start-up imports: a full collection then walks
    # every module's objects holding the GIL (measured: 22-31 ms stalls of the painted
    # window's loop while the import thread ran). `_keep_imports` turns it back on.
    gc.disable()
    # The log file (logging.handlers and friends, ~10 ms) opens after the first frame.
    held = _HeldRecords()
    logging.getLogger().addHandler(held)
    app = _application()
    # Closing the window ends our coroutine, which then shuts down; Qt must not quit first.
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    parts = None if headless else _first_frame(app, paths, offline=offline, mode_id=mode_id)
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(GIL_SWITCH_S)
    try:
        return _run_loop(app, paths, offline=offline, mode_id=mode_id, screenshot=screenshot,
                         self_test=self_test, held=held, parts=parts, lock=lock, demo=demo,
                         task=task)
    finally:
        sys.setswitchinterval(switch_interval)
        app.setQuitOnLastWindowClosed(quit_on_close)
        if lock is not None:
            lock.release()


def _cannot_open(headless: bool) -> int | None:
    """Exit code 1 with Qt's reason and the fix when no window can open, else None."""
    from PySide6.QtWidgets import QApplication

    from presto_desktop.ui.common.qt_messages import FIX, display_problem

    if headless and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    problem = None if headless else display_problem(os.environ)
    if problem is not None and QApplication.instance() is None:
        print(f"presto-desktop: the window cannot open: {problem}.\n{FIX}", file=sys.stderr)
        return 1
    return None


def _application() -> QApplication:
    """The QApplication (an existing one in tests), with Qt's messages routed to the log."""
    from PySide6.QtWidgets import QApplication

    from presto_desktop.ui.common.qt_messages import route_qt_messages

    router = route_qt_messages()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    router.app_ready = True
    app.setApplicationName("presto-desktop")
    app.setApplicationDisplayName(APP_TITLE)
    # Wayland matches a window to its menu entry (and icon) by this name: the .deb's
    # presto-desktop.desktop.
    app.setDesktopFileName("presto-desktop")
    return app


def _first_frame(app: QApplication, paths: AppPaths, *, offline: bool,
                 mode_id: str | None) -> WindowParts | PictureShell | None:
    """Paint the remembered frame's picture, else the remembered (or shipped) first frame
    built from its widgets; None when there is none to show."""
    from presto_desktop.ui.shell.frame_picture import remembered_frame, show_picture_frame

    try:
        frame = remembered_frame(paths, offline=offline, mode_id=mode_id)
        shell = None if frame is None else show_picture_frame(app, paths, frame)
        if shell is not None:
            return shell
        from presto_desktop.ui.shell.first_frame import show_frame

        return show_frame(app, paths, frame, offline=offline, mode_id=mode_id)  # read once
    except Exception:  # noqa: BLE001 - the remembered frame is only a head start
        log.exception("first frame not shown; starting without it")
        return None


def _finish_picture(app: QApplication, shell: PictureShell) -> WindowParts | None:
    """The parts of the window that shows a picture, built (None, the window gone: failed)."""
    from presto_desktop.ui.shell.first_frame import finish_picture

    try:
        return finish_picture(app, shell)
    except Exception:  # noqa: BLE001 - the composition then builds a window as without one
        log.exception("first frame not built after its picture; starting without it")
        shell.window.hide()
        shell.window.deleteLater()
        return None


def _run_loop(app: QApplication, paths: AppPaths, *, offline: bool, mode_id: str | None,
              screenshot: Path | None, self_test: bool, held: _HeldRecords,
              parts: WindowParts | PictureShell | None, lock: WindowLock | None,
              demo: Path | None = None, task: HeadlessTask | None = None) -> int:
    """Load the models and controllers, then run the window on a qasync loop until it ends."""
    headless = screenshot is not None or self_test or task is not None
    # Only now the models, asyncio and the controllers (the first frame did not need them);
    # off the loop once a frame is painted, so the window keeps repainting meanwhile.
    if parts is not None:
        _import_while_painting()
    from presto_desktop.ui.shell.frame_picture import PictureShell

    if isinstance(parts, PictureShell):
        parts = _finish_picture(app, parts)
    _keep_imports()
    # The log file and the window lock's server after those imports (QtNetwork and the log
    # handlers were imported with them).
    redactor = _logging(paths, held)
    if lock is not None:
        _listen_later(lock, app, now=parts is not None)
    import asyncio

    import qasync

    from presto_desktop.ui.run_window import run_window

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    warmup = None
    if not headless:
        from presto_desktop.ui.dialogs.warmup import DialogWarmup

        warmup = DialogWarmup(app)  # Library and Settings then open within a frame
    try:
        with loop:
            if task is not None:
                return loop.run_until_complete(_run_task(app, paths, task, redactor))
            return loop.run_until_complete(
                run_window(app, paths, offline=offline, mode_id=mode_id, screenshot=screenshot,
                           self_test=self_test, redactor=redactor, parts=parts, demo=demo))
    except RuntimeError as exc:
        # app.quit() from outside (e.g. the session ending) stops the loop early.
        log.warning("event loop ended early: %s", exc)
        return 0
    finally:
        if warmup is not None:
            warmup.deleteLater()
        asyncio.set_event_loop(None)


async def _run_task(app: QApplication, paths: AppPaths, task: HeadlessTask,
                    redactor: RedactingFilter | None) -> int:
    """The composed window, offline and saving nothing, handed to `task` instead of a person
    (offscreen replay pictures); the task's exit code."""
    from presto_desktop.ui.composition import Composition

    comp = Composition(app, paths, offline=True, persist=False, redactor=redactor)
    try:
        comp.start(None, restore_geometry=False)
        return await task(comp)
    finally:
        comp.window.hide()
        await comp.shutdown()
        comp.window.deleteLater()

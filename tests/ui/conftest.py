"""Qt UI test setup: offscreen platform before any Qt import, a qasync loop fixture."""

from __future__ import annotations

import asyncio
import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def no_os_keyring(monkeypatch):
    """Tests never touch the OS keyring: the key store uses its 0600 file."""
    monkeypatch.setattr("presto_desktop.core.secrets._usable_keyring", lambda: None)


@pytest.fixture(autouse=True)
def collect_leftover_widgets(qapp):
    """Delete the windows a test left open and collect what it left behind, between tests.

    Leftover windows take part in every later test: each application palette change (a
    restyle) reaches all of them, which made a later test's loop stall ~0.3 s under load, and
    one of them may hold the focus a later window expects. Widgets in reference cycles
    otherwise wait for a random garbage collection, which can fall inside a later test while
    Qt dispatches events to them (a rare crash in the UI suite).
    """
    yield
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture(autouse=True)
def restore_application_look(qapp):
    """Put back the application's sheet, palette and font if a test changed them.

    A later test then draws with what it set up itself: one comparing a live bubble with its
    committed row failed (run after a theme test) with the theme's 15 pt sheet still applied.
    """
    sheet, palette, font = qapp.styleSheet(), qapp.palette(), qapp.font()
    yield
    if qapp.styleSheet() != sheet:
        qapp.setStyleSheet(sheet)
    if qapp.palette() != palette:
        qapp.setPalette(palette)
    if qapp.font() != font:
        qapp.setFont(font)


def pytest_runtest_logfinish() -> None:
    """After each UI test and its fixtures: collect what it let go of, then freeze the rest.

    Frozen objects (imported modules, caches, the QApplication) are skipped by every later
    collection; without this each UI test's full gc.collect() walked them all again (~150 ms of
    CPU a test, a quarter of the suite). Runs after the test's fixture values are released, so
    nothing the test made is frozen while it is garbage.
    """
    gc.collect()
    gc.freeze()


@pytest.fixture
def qloop(qapp):
    """A qasync event loop on the test's QApplication, closed afterwards."""
    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        for task in asyncio.all_tasks(loop):
            task.cancel()
        loop.run_until_complete(asyncio.sleep(0))
        asyncio.set_event_loop(None)
        loop.close()

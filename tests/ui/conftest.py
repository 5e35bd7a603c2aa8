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
def collect_leftover_widgets():
    """Collect what a test left behind now, between tests.

    Widgets in reference cycles otherwise wait for a random garbage collection, which can fall
    inside a later test while Qt dispatches events to them (a rare crash in the UI suite).
    """
    yield
    gc.collect()


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

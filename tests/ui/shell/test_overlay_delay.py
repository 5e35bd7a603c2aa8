"""The generation overlay shows only for a generation that takes a while (no flash for a quick one)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject

from presto_desktop.ui.composition import Composition
from presto_desktop.ui.shell.overlay import SHOW_AFTER_MS
from tests.factories import assistant_mode, bank_mode, builtin_folder
from tests.ui.fakes import FakeEngine
from tests.ui.shell.test_window import build


def _window(qapp, tmp_path: Path, delay: float) -> Composition:
    builtin = builtin_folder(tmp_path / "builtin", assistant_mode(), bank_mode())
    comp = build(qapp, tmp_path, builtin, engine=FakeEngine(delay=delay), persist=False)
    comp.start(None)
    return comp


class _Shows(QObject):
    """Counts a widget's Show events."""

    count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Show:
            self.count += 1
        return False


def test_a_quick_generation_shows_no_overlay(qapp, qloop, tmp_path: Path) -> None:
    """Offline generations take 20-60 ms: the overlay only flashed, and its show and hide
    repainted the dashboard under it."""
    comp = _window(qapp, tmp_path, delay=0.02)
    window = comp.window
    shows = _Shows()
    window.overlay.installEventFilter(shows)
    window.route("Presto-Change-O, you're a beekeeper")
    assert comp.modes.busy and window.progress.due
    mode = qloop.run_until_complete(comp.modes.task)
    assert mode is not None and comp.modes.current.id == mode.id
    assert not window.progress.due
    qloop.run_until_complete(asyncio.sleep(SHOW_AFTER_MS / 1000 + 0.1))
    assert shows.count == 0 and not window.overlay.isVisible()
    qloop.run_until_complete(comp.shutdown())


@pytest.mark.parametrize("ends", ["done", "cancelled"])
def test_a_slow_generation_shows_the_overlay_after_a_moment(qapp, qloop, tmp_path: Path,
                                                             ends: str) -> None:
    """Shown SHOW_AFTER_MS after the trigger, with what is made and by whom; gone at the end."""
    comp = _window(qapp, tmp_path, delay=SHOW_AFTER_MS / 1000 + 0.4)
    window = comp.window
    window.set_engine_label("Model X")
    window.route("Presto-Change-O, you're a beekeeper")
    qloop.run_until_complete(asyncio.sleep(SHOW_AFTER_MS / 1000 / 2))
    assert window.progress.due and not window.overlay.isVisible()
    qloop.run_until_complete(asyncio.sleep(SHOW_AFTER_MS / 1000 / 2 + 0.1))
    overlay = window.overlay
    assert overlay.isVisible() and not window.progress.due
    assert "beekeeper" in overlay.title.text() and "Model X" in overlay.detail.text()
    task = comp.modes.task
    if ends == "cancelled":
        overlay.cancel_button.click()
        with pytest.raises(asyncio.CancelledError):
            qloop.run_until_complete(task)
    else:
        qloop.run_until_complete(task)
    assert not overlay.isVisible()
    qloop.run_until_complete(comp.shutdown())

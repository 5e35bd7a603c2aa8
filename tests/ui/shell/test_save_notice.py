"""A conversation that cannot be saved shows a bar with Retry; a broken last mode still starts."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.settings import Settings, SettingsStore
from presto_desktop.core.store import ModeStore
from presto_desktop.ui.chat.controller import ChatController
from presto_desktop.ui.composition import Composition
from presto_desktop.ui.theme.look import DRESSED
from tests.factories import assistant_mode, builtin_folder, make_mode
from tests.ui.fake_engine import FakeEngine as ChatEngine
from tests.ui.fakes import FakeChat, FakeEngine, FakePanel


@pytest.fixture
def builtin_dir(tmp_path: Path) -> Path:
    return builtin_folder(tmp_path / "builtin", assistant_mode())


def _block(paths: AppPaths) -> None:
    """Make conversation saves fail as on a full or read-only disk (root ignores chmod)."""
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.conversations_dir.write_text("not a folder")


def _unblock(paths: AppPaths) -> None:
    paths.conversations_dir.unlink()


def _window(qapp, paths: AppPaths, builtin_dir: Path) -> Composition:
    comp = Composition(qapp, paths, offline=True, persist=False,
                       store=ModeStore(paths, builtin_dir=builtin_dir), engine=FakeEngine())
    comp.settings.theme = "light"
    comp.window.resize(1280, 800)
    comp.window.show()
    return comp


def test_a_failed_save_shows_a_bar_with_retry_until_a_save_succeeds(qapp, qloop, qtbot,
                                                                      tmp_path, builtin_dir):
    paths = AppPaths.resolve(tmp_path / "data")
    _block(paths)
    comp = _window(qapp, paths, builtin_dir)
    comp.start(None)  # the welcome is added to the conversation and saved: that fails
    qtbot.waitUntil(lambda: comp.window.notice_bar.isVisible())
    bar = comp.window.notice_bar
    assert "could not be saved" in bar.text.text()
    assert bar.button.isVisible() and bar.button.text() == "Retry"
    # Themed as the window's other parts: painted by the look (ui/theme/look.py), no sheet.
    assert bar in comp.window.style_roots() and bar.property(DRESSED) and not bar.styleSheet()
    comp.window.grab().save(str(tmp_path / "save_failed.png"))
    bar.button.click()  # still failing: the bar stays
    qloop.run_until_complete(asyncio.sleep(0.05))
    assert bar.isVisible()
    _unblock(paths)
    bar.button.click()
    qtbot.waitUntil(lambda: not bar.isVisible())
    saved = ConversationStore(paths).load("default")
    assert [m.content for m in saved] == [comp.modes.current.welcome_message]
    qloop.run_until_complete(comp.shutdown())


def test_the_next_change_retries_the_save(qapp, qloop, qtbot, tmp_path):
    paths = AppPaths.resolve(tmp_path / "data")
    _block(paths)
    controller = ChatController(ChatEngine(["Hi there."]), ConversationStore(paths))
    problems: list[str] = []
    controller.save_problem.connect(problems.append)
    controller.set_mode(make_mode("florist"))
    qloop.run_until_complete(controller.send("hello"))
    assert problems and "could not be saved" in problems[-1]
    # Another mode and back: the unsaved turn is still there, not the (missing) file.
    controller.set_mode(make_mode("bakery", industry="bakery"))
    controller.set_mode(make_mode("florist"))
    assert [m.content for m in controller.messages] == ["hello", "Hi there."]
    _unblock(paths)
    qloop.run_until_complete(controller.send("again"))
    assert problems[-1] == ""
    saved = ConversationStore(paths).load("florist")
    assert [m.content for m in saved] == ["hello", "Hi there.", "again", "Hi there."]


def _broken_last_mode(tmp_path: Path, kind: str) -> AppPaths:
    paths = AppPaths.resolve(tmp_path / "data")
    SettingsStore(paths).save(Settings(last_mode="florist"))
    paths.modes_dir.mkdir(parents=True, exist_ok=True)
    target = paths.modes_dir / "florist.json"
    if kind == "folder":
        target.mkdir()  # unreadable as a file: an OSError, not a validation error
    elif kind == "truncated":
        target.write_text('{"id": "florist", "palette": {"primary": "#2e7d32"')
    return paths


@pytest.mark.parametrize("kind", ["folder", "truncated", "missing"])
def test_a_broken_last_mode_starts_the_default_with_a_notice(qapp, qloop, tmp_path, builtin_dir,
                                                             kind, capsys):
    paths = _broken_last_mode(tmp_path, kind)
    comp = Composition(qapp, paths, offline=True, persist=False,
                       store=ModeStore(paths, builtin_dir=builtin_dir), engine=FakeEngine(),
                       chat=FakeChat(), panel=FakePanel())
    comp.start(None)
    assert comp.modes.current.id == "default"
    bar = comp.window.notice_bar
    assert bar.isVisibleTo(comp.window) and comp.panel.errors == []  # a notice, not a failed reply
    assert "florist" in bar.text.text() and "default mode" in bar.text.text()
    assert capsys.readouterr().err == ""  # not asked for on the command line: the window says it
    bar.button.click()  # Dismiss
    assert not bar.isVisibleTo(comp.window)


def test_a_broken_last_mode_after_a_remembered_first_frame_still_opens(qapp, tmp_path):
    """Real start path (ui/app.py): remembered frame of a mode whose file then broke."""
    from PySide6.QtCore import QTimer

    from presto_desktop.ui.app import run_gui

    paths = AppPaths.resolve(tmp_path / "data")
    store = ModeStore(paths)
    store.save(make_mode("florist", industry="florist", company="Petal & Stem"))
    SettingsStore(paths).save(Settings(last_mode="florist"))
    earlier = {id(widget) for widget in QApplication.topLevelWidgets()}
    seen: list[str] = []

    def close_soon() -> None:
        for widget in QApplication.topLevelWidgets():
            if (id(widget) not in earlier and widget.objectName() == "mainWindow"
                    and widget.isVisible() and getattr(widget, "painted", False)):
                seen.append(widget.windowTitle())
                widget.close()
                return
        QTimer.singleShot(20, close_soon)

    QTimer.singleShot(50, close_soon)
    assert run_gui(paths=paths, offline=True, mode_id=None, screenshot=None,
                   self_test=False) == 0
    assert paths.start_frame_file.is_file() and "Petal & Stem" in seen[-1]
    (paths.modes_dir / "florist.json").unlink()
    (paths.modes_dir / "florist.json").mkdir()
    QTimer.singleShot(50, close_soon)
    assert run_gui(paths=paths, offline=True, mode_id=None, screenshot=None,
                   self_test=False) == 0
    assert "Petal & Stem" not in seen[-1]
    assert SettingsStore(paths).load().last_mode == "default"

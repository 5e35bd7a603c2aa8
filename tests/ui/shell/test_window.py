"""The window with fakes: trigger -> restyle, slow generation, cancel, failure, library, restart."""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.modefile import dump_mode
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeStore
from presto_desktop.core.triggers import parse_trigger
from presto_desktop.ui.composition import Composition
from presto_desktop.ui.shell.overlay import SHOW_AFTER_MS
from tests.factories import assistant_mode, bank_mode, builtin_folder, make_mode
from tests.ui.fakes import FakeChat, FakeEngine, FakePanel
from tests.ui.helpers import run_loop_until

OVERLAY_SHOWN_S = SHOW_AFTER_MS / 1000 + 0.1  # the generation overlay is shown by then


@pytest.fixture
def builtin_dir(tmp_path: Path) -> Path:
    return builtin_folder(tmp_path / "builtin", assistant_mode(), bank_mode())


def build(qapp, tmp_path: Path, builtin_dir: Path, engine: FakeEngine | None = None,
          chat: FakeChat | None = None, persist: bool = True) -> Composition:
    paths = AppPaths.resolve(tmp_path / "data")
    comp = Composition(qapp, paths, offline=True, persist=persist,
                       store=ModeStore(paths, builtin_dir=builtin_dir),
                       engine=engine or FakeEngine(), chat=chat or FakeChat(), panel=FakePanel())
    comp.settings.theme = "light"
    comp.window.show()
    return comp


def window_bg(comp: Composition) -> str:
    return comp.window.palette().color(QPalette.ColorRole.Window).name()


def fill(widget: QWidget) -> QColor:
    """The colour the look paints `widget`'s panel in (a pixel inside its border)."""
    return widget.grab().toImage().pixelColor(4, widget.height() // 2)


def test_start_applies_default_and_title(qapp, qloop, tmp_path, builtin_dir):
    comp = build(qapp, tmp_path, builtin_dir)
    comp.start(None)
    mode = comp.modes.current
    assert mode.id == "default"
    assert "Presto Assistant" in comp.window.windowTitle()
    assert window_bg(comp) == mode.palette.light.background
    # The welcome message shows for an empty conversation.
    assert comp.panel.messages[-1].content == mode.welcome_message


def test_trigger_for_builtin_restyles_at_once(qapp, qloop, tmp_path, builtin_dir):
    comp = build(qapp, tmp_path, builtin_dir)
    comp.start(None)
    comp.window.route("Presto-Change-O, you're a bank")
    mode = comp.modes.current
    assert mode.id == "banking"
    assert not comp.modes.busy
    assert window_bg(comp) == mode.palette.light.background
    assert fill(comp.window.header) == QColor(mode.palette.light.surface)
    assert [m.content for m in comp.panel.messages[-2:]] == [
        "Presto-Change-O, you're a bank", mode.welcome_message]
    assert comp.settings.last_mode == "banking"


def test_plain_text_goes_to_chat(qapp, qloop, tmp_path, builtin_dir):
    chat = FakeChat()
    comp = build(qapp, tmp_path, builtin_dir, chat=chat)
    comp.start(None)
    comp.window.route("What are your hours?")
    assert ("submit", "What are your hours?") in chat.calls


def test_slow_generation_keeps_heartbeat_and_shows_overlay(qapp, qloop, tmp_path, builtin_dir):
    comp = build(qapp, tmp_path, builtin_dir, engine=FakeEngine(delay=0.4))
    comp.start(None)
    comp.window.show()
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    heartbeat.start()
    comp.window.route("Presto-Change-O, you're a beekeeper")
    assert comp.modes.busy
    qloop.run_until_complete(asyncio.sleep(OVERLAY_SHOWN_S))
    assert comp.window.overlay.isVisible()
    assert comp.window.splitter.widget(0).isEnabled()  # the chat stays usable
    mode = qloop.run_until_complete(comp.modes.task)
    heartbeat.stop()
    assert mode is not None and comp.modes.current.id == mode.id
    assert not comp.window.overlay.isVisible()
    assert len(ticks) > 20
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.25  # generous: the point is that the loop never froze
    assert comp.store.path_of(mode.id).is_file()
    assert window_bg(comp) == mode.palette.light.background
    comp.window.close()


def test_the_windows_offline_modes_come_from_a_worker_that_closes_with_it(qapp, qloop, tmp_path,
                                                                            builtin_dir):
    """The window's own engine (no fake): its modes are built in a worker process, which the
    window's shutdown ends; headless runs (persist=False) build them in-process."""
    import os

    from presto_desktop.engines.offline import OfflineEngine
    from presto_desktop.engines.offline_process import ProcessOfflineEngine

    paths = AppPaths.resolve(tmp_path / "data")
    comp = Composition(qapp, paths, offline=True, persist=True,
                       store=ModeStore(paths, builtin_dir=builtin_dir), chat=FakeChat(),
                       panel=FakePanel())
    comp.start(None)
    engine = comp.engine
    assert isinstance(engine, ProcessOfflineEngine)
    comp.window.route("Presto-Change-O, you're a beekeeper")
    mode = qloop.run_until_complete(comp.modes.task)
    pid = engine.worker.pid
    assert mode is not None and mode.industry == "Honey Farm" and pid is not None
    assert not engine.worker.broken
    qloop.run_until_complete(comp.shutdown())
    with pytest.raises(ProcessLookupError):  # exited, and reaped by the shutdown
        os.kill(pid, 0)
    headless = Composition(qapp, AppPaths.resolve(tmp_path / "other"), offline=True,
                           persist=False, store=ModeStore(paths, builtin_dir=builtin_dir),
                           chat=FakeChat(), panel=FakePanel())
    headless.start(None)
    assert isinstance(headless.engine, OfflineEngine)
    qloop.run_until_complete(headless.shutdown())


def test_cancel_keeps_previous_mode(qapp, qloop, tmp_path, builtin_dir):
    comp = build(qapp, tmp_path, builtin_dir, engine=FakeEngine(delay=5))
    comp.start(None)
    comp.window.show()
    before = comp.modes.current
    comp.window.route("Presto-Change-O, you're a beekeeper")
    task = comp.modes.task

    async def cancel_soon() -> None:
        await asyncio.sleep(OVERLAY_SHOWN_S)
        assert comp.window.overlay.cancel_button.isVisible()
        comp.window.overlay.cancel_button.click()

    qloop.run_until_complete(cancel_soon())
    with pytest.raises(asyncio.CancelledError):
        qloop.run_until_complete(task)
    assert comp.modes.current is before
    assert not comp.window.overlay.isVisible()
    assert window_bg(comp) == before.palette.light.background
    assert not list((tmp_path / "data" / "modes").glob("bee*.json"))
    comp.window.close()


def test_failure_keeps_previous_mode_and_offers_retry(qapp, qloop, tmp_path, builtin_dir):
    engine = FakeEngine(fail="server said no")
    comp = build(qapp, tmp_path, builtin_dir, engine=engine)
    comp.start(None)
    before = comp.modes.current
    comp.window.route("Presto-Change-O, you're a beekeeper")
    assert qloop.run_until_complete(comp.modes.task) is None
    assert comp.modes.current is before
    assert window_bg(comp) == before.palette.light.background
    message, retryable = comp.panel.errors[-1]
    assert "server said no" in message and retryable
    engine.fail = None
    comp.panel.retry_requested.emit()
    mode = qloop.run_until_complete(comp.modes.task)
    assert mode is not None and comp.modes.current.id == mode.id
    assert len(engine.requests) == 2


def test_saved_mode_is_reused_not_regenerated(qapp, qloop, tmp_path, builtin_dir):
    engine = FakeEngine()
    comp = build(qapp, tmp_path, builtin_dir, engine=engine)
    comp.start(None)
    comp.window.route("Presto-Change-O, you're a beekeeper")
    qloop.run_until_complete(comp.modes.task)
    comp.window.route("presto changeo, back to normal")
    assert comp.modes.current.id == "default"
    comp.window.route("PRESTO! you are a beekeeper.")
    assert not comp.modes.busy and comp.modes.current.industry == "beekeeper"
    assert len(engine.requests) == 1


def test_html_company_name_is_shown_literally(qapp, qloop, tmp_path, builtin_dir):
    comp = build(qapp, tmp_path, builtin_dir)
    comp.start(None)
    evil = make_mode("evil", company="<b>Bold</b> <img src=x>", primary="#6a1b9a")
    comp.modes.apply(evil)
    label = comp.window.header.company
    assert label.text() == "<b>Bold</b> <img src=x>"
    assert label.textFormat().name == "PlainText"
    assert "<b>Bold</b>" in comp.window.windowTitle()
    assert comp.window.header.emblem.text() == "B"


def test_tool_calls_update_dashboard(qapp, qloop, tmp_path, builtin_dir):
    chat = FakeChat()
    comp = build(qapp, tmp_path, builtin_dir, chat=chat)
    comp.start(None)
    dash = comp.window.dashboard
    chat.tool_called.emit(ToolCall("show_metrics", {"metrics": [
        {"label": "Hives", "value": 42, "unit": ""}, {"label": "Honey", "value": 12.5,
                                                      "unit": "kg"}]}))
    assert [c.label.text() for c in dash.kpi_cards] == ["Hives", "Honey"]
    points = [{"label": f"Month {i} with a very long label", "value": i} for i in range(600)]
    chat.tool_called.emit(ToolCall("show_chart", {"type": "bar", "title": "x", "points":
                                                  points[:500]}))
    assert dash.chart.drawing  # over the next loop turns: building and setting a chart is ~10-30 ms
    deadline = time.monotonic() + 10
    while dash.chart.drawing and time.monotonic() < deadline:
        qapp.processEvents()
    assert dash.chart.chart is not None and dash.chart.chart.type == "bar"
    # Bad arguments are ignored, nothing crashes.
    chat.tool_called.emit(ToolCall("show_chart", {"type": "radar", "points": []}))
    assert dash.chart.chart.type == "bar"


def test_tab_click_asks_the_assistant(qapp, qloop, tmp_path, builtin_dir):
    chat = FakeChat()
    comp = build(qapp, tmp_path, builtin_dir, chat=chat)
    comp.start(None)
    comp.window.dashboard.tab_buttons[0].click()
    assert ("submit", "Show my orders") in chat.calls


def test_restart_restores_mode_geometry_and_conversation(qapp, qloop, tmp_path, builtin_dir):
    comp = build(qapp, tmp_path, builtin_dir)
    comp.start(None)
    comp.window.route("Presto-Change-O, you're a bank")
    comp.window.resize(760, 560)
    qloop.run_until_complete(comp.shutdown())
    comp.window.deleteLater()
    history = [ChatMessage("user", "hi"), ChatMessage("assistant", "hello")]
    again = build(qapp, tmp_path, builtin_dir, chat=FakeChat({"banking": history}))
    again.start(None)
    assert again.modes.current.id == "banking"
    assert [m.content for m in again.panel.messages] == ["hi", "hello"]
    assert again.window.size().width() == 760


def test_start_with_unknown_or_bad_mode_falls_back(qapp, qloop, tmp_path, builtin_dir):
    comp = build(qapp, tmp_path, builtin_dir)
    comp.start("../etc/passwd")
    assert comp.modes.current.id == "default"


def test_settings_change_applies_theme_and_swaps_engine(qapp, qloop, tmp_path, builtin_dir,
                                                        monkeypatch):
    engine = FakeEngine()
    monkeypatch.setattr("presto_desktop.ui.composition.make_engine", lambda s, **kw: FakeEngine())
    comp = build(qapp, tmp_path, builtin_dir, engine=engine)
    comp.start(None)
    new = comp.settings.model_copy(update={"theme": "dark", "font_size": 14,
                                           "engine": "offline"})
    comp.update_settings(new)
    mode = comp.modes.current
    assert window_bg(comp) == mode.palette.dark.background
    assert comp.theme.colors.dark
    qloop.run_until_complete(asyncio.sleep(0.01))
    assert engine.closed
    assert comp.window.header.engine.text() == comp.engine.label
    assert comp.settings_store.load().font_size == 14


def test_every_control_has_an_accessible_name(qapp, qloop, tmp_path, builtin_dir):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit

    comp = build(qapp, tmp_path, builtin_dir)
    comp.start(None)
    controls = [w for kind in (QAbstractButton, QLineEdit, QComboBox)
                for w in comp.window.findChildren(kind)]
    assert controls
    missing = [w.objectName() or w.text() for w in controls
               if not w.accessibleName() and not getattr(w, "text", lambda: "")()]
    assert missing == []


def test_trigger_parsing_is_what_routes():
    assert parse_trigger("Presto-Change-O, you're a beekeeper").industry == "beekeeper"
    assert parse_trigger("what is presto?") is None


def test_initials_ignore_markup():
    from presto_desktop.ui.shell.header import initials

    assert initials("Petal & <b>Stem</b>") == "PS"
    assert initials("  ") == "?"
    assert initials("acme") == "A"


def test_deferred_start_waits_for_the_first_paint(qapp, qloop, tmp_path, builtin_dir):
    """start(defer=True): styled at once; the conversation and the first chart follow the paint."""
    chat = FakeChat()
    comp = build(qapp, tmp_path, builtin_dir, chat=chat)
    comp.window.hide()
    comp.start("banking", defer=True)
    mode = comp.modes.current
    assert window_bg(comp) == mode.palette.light.background  # styled before the first frame
    assert comp.window.header.company.text() == mode.company_name
    assert ("set_mode", "banking") not in chat.calls
    assert comp.window.dashboard.chart.chart is None
    comp.window.show()
    deadline = time.monotonic() + 5
    while ("set_mode", "banking") not in chat.calls and time.monotonic() < deadline:
        qapp.processEvents()
    assert comp.window.painted
    assert ("set_mode", "banking") in chat.calls
    assert comp.panel.messages[-1].content == mode.welcome_message
    qapp.processEvents()
    first = next((a.chart for a in mode.offline_content if a.chart is not None), None)
    if first is not None:
        assert comp.window.dashboard.chart.chart == first


def test_deferred_engine_is_built_after_the_first_paint(qapp, qloop, tmp_path, builtin_dir,
                                                        monkeypatch):
    from presto_desktop.ui.composition import DeferredEngine

    built: list[FakeEngine] = []

    def make(settings, **kwargs):
        built.append(FakeEngine())
        return built[-1]

    monkeypatch.setattr("presto_desktop.ui.composition.make_engine", make)
    paths = AppPaths.resolve(tmp_path / "data")
    chat = FakeChat()
    comp = Composition(qapp, paths, offline=True, persist=False,
                       store=ModeStore(paths, builtin_dir=builtin_dir), chat=chat,
                       panel=FakePanel())
    assert isinstance(comp.engine, DeferredEngine) and not built
    assert comp.window.header.engine.text() == "Offline"
    comp.start(None, defer=True)
    assert not built
    comp.window.show()
    # The engine is built in a worker thread once the window has painted: run the loop.
    run_loop_until(qloop, lambda: bool(built) and comp.engine is built[0])
    assert len(built) == 1 and comp.engine is built[0]
    assert ("set_engine", built[0]) in chat.calls
    assert comp.window.header.engine.text() == "Fake"
    qloop.run_until_complete(comp.shutdown())
    assert built[0].closed


@pytest.mark.parametrize("library_fails", [False, True])
def test_start_up_work_runs_one_job_after_the_other(qapp, qloop, tmp_path, builtin_dir,
                                                    monkeypatch, library_fails):
    """Engine, library list, then the engine's warm-up (never two workers at once); the
    warm-up runs even when reading the library failed."""
    done: list[str] = []

    class WarmedEngine(FakeEngine):
        async def prepare(self) -> None:
            done.append("warm-up")

    def read_library(_comp) -> None:
        time.sleep(0.5)  # longer than the warm-up's own delay (PREPARE_DELAY_S) after the engine
        done.append("library")
        if library_fails:
            raise ValueError("a hostile mode file")

    monkeypatch.setattr("presto_desktop.ui.composition.make_engine",
                        lambda settings, **kwargs: done.append("engine") or WarmedEngine())
    monkeypatch.setattr(Composition, "_read_library", read_library)
    paths = AppPaths.resolve(tmp_path / "data")
    comp = Composition(qapp, paths, offline=True, persist=False,
                       store=ModeStore(paths, builtin_dir=builtin_dir), chat=FakeChat(),
                       panel=FakePanel())
    comp.start(None, defer=True)
    comp.window.show()
    run_loop_until(qloop, lambda: "warm-up" in done)
    assert done == ["engine", "library", "warm-up"]
    qloop.run_until_complete(comp.shutdown())


def test_a_new_modes_library_read_ahead_starts_no_thread(qapp, qloop, tmp_path, builtin_dir,
                                                         monkeypatch):
    """It runs in the loop's worker threads: a new thread's start() waits for the GIL (the
    loop waited 28-53 ms there while other workers ran)."""
    import threading

    monkeypatch.setattr("presto_desktop.ui.composition.LIBRARY_AFTER_S", 0.01)
    read = threading.Event()
    monkeypatch.setattr(Composition, "_read_library", lambda _comp: read.set())
    comp = build(qapp, tmp_path, builtin_dir)
    comp.start(None)
    real_start = threading.Thread.start

    async def run() -> list[str]:
        await asyncio.to_thread(lambda: None)  # the loop's executor has an idle thread now
        started: list[str] = []
        monkeypatch.setattr(threading.Thread, "start",
                            lambda thread: (started.append(thread.name), real_start(thread))[1])
        comp._read_library_later()
        deadline = time.monotonic() + 5
        while not read.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        monkeypatch.setattr(threading.Thread, "start", real_start)
        return started

    assert qloop.run_until_complete(run()) == [] and read.is_set()
    qloop.run_until_complete(comp.shutdown())


def test_generated_mode_restyles_at_once_then_fills_in_steps(qapp, qloop, tmp_path, builtin_dir):
    """After a generation: palette and header in the applying turn, the QSS (one style root a
    turn) and the rest just after, with the header's and columns' updates off until the
    restyle is done."""
    comp = build(qapp, tmp_path, builtin_dir, engine=FakeEngine(delay=0.05, primary="#ad1457"))
    comp.start(None)
    dash = comp.window.dashboard
    cards, tabs = list(dash.kpi_cards), list(dash.tab_buttons)
    seen: dict[str, object] = {}

    def at_apply(mode) -> None:
        seen["header"] = comp.window.header.company.text() == mode.company_name
        seen["persona"] = dash.persona.name.text()
        seen["frozen"] = comp.theme.repaint_pending

    comp.modes.mode_changed.connect(at_apply)  # runs after the window's and the theme's slots
    comp.window.route("Presto-Change-O, you're a beekeeper")
    mode = qloop.run_until_complete(comp.modes.task)
    assert window_bg(comp) == mode.palette.light.background
    assert seen["header"] is True
    assert seen["persona"] != mode.persona.name  # not yet: a later loop turn
    assert seen["frozen"] is True
    deadline = time.monotonic() + 5
    while ((dash.persona.name.text() != mode.persona.name or comp.theme.repaint_pending
            or comp.window.mode_change.pending("content")) and time.monotonic() < deadline):
        qapp.processEvents()
    for _ in range(10):
        qapp.processEvents()
    assert not comp.theme.repaint_pending
    surface = QColor(mode.palette.light.surface)
    assert fill(comp.window.header) == surface
    assert fill(dash.persona) == surface
    assert [b.text() for b in dash.tab_buttons] == [t.label for t in mode.tabs]
    assert ("set_mode", mode.id) in comp.chat.calls
    # Cards and tab buttons are reused, not rebuilt (new widgets cost a full polish).
    assert dash.kpi_cards[:len(cards)] == cards[:len(dash.kpi_cards)]
    assert dash.tab_buttons[:len(tabs)] == tabs[:len(dash.tab_buttons)]


def test_generated_mode_is_painted_once_fully_restyled(qapp, qloop, tmp_path, builtin_dir):
    """No part of the header or a column is painted with the look's colours and the palette
    from different modes, and each is painted when its updates come back on (Qt does not
    repaint it by itself then)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QWidget

    comp = build(qapp, tmp_path, builtin_dir, engine=FakeEngine(delay=0.05, primary="#ad1457"))
    comp.start(None)
    window = comp.window
    sheets_seen: list[int] = []

    class PaintSpy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                    and any(unit is watched or unit.isAncestorOf(watched)
                            for unit in window.paint_units())
                    and comp.modes.current.industry == "beekeeper"):
                look = comp.theme.look.colors
                sheets_seen.append(look is not None and look["primary"].name()
                                   == qapp.palette().color(QPalette.ColorRole.Highlight).name())
            return False

    spy = PaintSpy()
    qapp.installEventFilter(spy)
    try:
        window.route("Presto-Change-O, you're a beekeeper")
        qloop.run_until_complete(comp.modes.task)
        qloop.run_until_complete(asyncio.sleep(0.2))
        # The restyle goes in steps on the loop: on a loaded machine it can outlast the pause.
        deadline = time.monotonic() + 10
        while ((comp.theme.repaint_pending or not sheets_seen)
               and time.monotonic() < deadline):
            qloop.run_until_complete(asyncio.sleep(0.05))
    finally:
        qapp.removeEventFilter(spy)
    assert not comp.theme.repaint_pending
    assert sheets_seen and set(sheets_seen) == {True}
    window.close()


def test_a_started_window_wires_its_features_over_loop_turns(qapp, qloop, tmp_path, builtin_dir):
    """After the first frame the features around the chat are wired a loop turn each (built at
    once they were one ~15-25 ms turn); until then the More menu has none of their actions."""
    paths = AppPaths.resolve(tmp_path / "data")
    comp = Composition(qapp, paths, offline=True, store=ModeStore(paths, builtin_dir=builtin_dir),
                       engine=FakeEngine(), chat=FakeChat(), panel=FakePanel(),
                       defer_features=True)
    assert not hasattr(comp, "voice") and not hasattr(comp, "presenter_mode")
    menu = comp.window.app_menu

    def names() -> set[str]:
        return {a.objectName() for section in ("conversation", "demo", "brand", "export")
                for a in menu.actions(section)}

    assert "presenterModeAction" not in names()
    turns = 0

    async def count_turns() -> None:
        nonlocal turns
        while not hasattr(comp, "presenter_mode"):
            turns += 1
            await asyncio.sleep(0)

    async def start() -> None:
        counting = asyncio.ensure_future(count_turns())
        await comp.add_features()
        await counting

    qloop.run_until_complete(start())
    assert turns >= 5  # the loop ran between the features
    assert comp.voice is not None and comp.demo is not None and comp.replay is not None
    assert "presenterModeAction" in names()


def test_instant_switch_is_complete_in_one_call(qapp, qloop, tmp_path, builtin_dir):
    comp = build(qapp, tmp_path, builtin_dir)
    comp.start(None)
    comp.window.route("Presto-Change-O, you're a bank")
    mode = comp.modes.current
    dash = comp.window.dashboard
    assert dash.persona.name.text() == mode.persona.name
    assert [c.label.text() for c in dash.kpi_cards] == [m.label for m in mode.metrics][:4]
    assert [b.text() for b in dash.tab_buttons] == [t.label for t in mode.tabs]
    assert all(b.isVisibleTo(dash) for b in dash.tab_buttons)


def _real_panel_window(qapp, tmp_path, builtin_dir) -> Composition:
    """The window with the real chat panel and controller (fake engine)."""
    paths = AppPaths.resolve(tmp_path / "data")
    comp = Composition(qapp, paths, offline=True, persist=False,
                       store=ModeStore(paths, builtin_dir=builtin_dir), engine=FakeEngine())
    comp.settings.theme = "light"
    comp.start("banking")
    comp.window.show()
    comp.window.activateWindow()
    qapp.processEvents()
    return comp


def test_tab_key_reaches_header_composer_chips_and_dashboard_tabs(qapp, qloop, tmp_path,
                                                                  builtin_dir):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    comp = _real_panel_window(qapp, tmp_path, builtin_dir)
    window = comp.window
    window.header.library_button.setFocus(Qt.FocusReason.TabFocusReason)
    reached = []
    for _ in range(80):
        widget = qapp.focusWidget()
        if widget is None:
            break
        reached.append(widget)
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    names = {w.objectName() for w in reached}
    assert window.header.library_button in reached
    assert window.header.settings_button in reached
    assert "composer" in names
    assert "chip" in names
    assert set(window.dashboard.tab_buttons) <= set(reached)
    # Every focus stop says what it is to assistive technology.
    unnamed = [w.objectName() or type(w).__name__ for w in reached
               if not (w.accessibleName() or getattr(w, "text", lambda: "")())]
    assert unnamed == []


def test_every_visible_control_of_the_real_window_has_a_name(qapp, qloop, tmp_path,
                                                            builtin_dir):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
    )

    comp = _real_panel_window(qapp, tmp_path, builtin_dir)
    kinds = (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit, QTextEdit,
             QAbstractItemView, QAbstractSpinBox)
    controls = [w for kind in kinds for w in comp.window.findChildren(kind)]
    assert len(controls) > 10
    assert [w.objectName() or type(w).__name__ for w in controls if not w.accessibleName()] == []
    assert "First Harbor Bank" in comp.window.windowTitle()
    settings = comp.window.open_settings()
    # qt_* children are the internal editors of a named spin box or combo box.
    dialog_controls = [w for kind in kinds for w in settings.findChildren(kind)
                       if w.isVisibleTo(settings) and not w.objectName().startswith("qt_")]
    assert [w.objectName() or type(w).__name__ for w in dialog_controls
            if not w.accessibleName()] == []
    settings.reject()
    qloop.run_until_complete(comp.shutdown())


def test_odd_kpi_count_fills_the_grid_and_composer_has_focus(qapp, qloop, tmp_path, builtin_dir):
    from presto_desktop.core.models import Metric

    comp = _real_panel_window(qapp, tmp_path, builtin_dir)
    dash = comp.window.dashboard
    dash.set_metrics([Metric(label=f"M{i}", value=i, unit="") for i in range(3)])
    grid = dash.kpi_grid
    last = grid.indexOf(dash.kpi_cards[-1])
    assert grid.getItemPosition(last)[3] == 2  # the lone last card spans both columns
    assert qapp.focusWidget() is comp.panel.composer
    qloop.run_until_complete(comp.shutdown())


def test_first_frame_uses_the_configured_font_size(qapp, qloop, tmp_path, builtin_dir):
    from presto_desktop.core.settings import Settings, SettingsStore

    paths = AppPaths.resolve(tmp_path / "data")
    SettingsStore(paths).save(Settings(font_size=15, theme="light"))
    comp = Composition(qapp, paths, offline=True, persist=False,
                       store=ModeStore(paths, builtin_dir=builtin_dir), engine=FakeEngine())
    comp.start("banking")
    comp.window.show()
    qapp.processEvents()
    panel = comp.panel
    assert panel.composer.font().pointSize() == 15
    assert comp.window.header.tagline.font().pointSize() == 15
    assert panel.chips and all(chip.font().pointSize() == 15 for chip in panel.chips)
    qloop.run_until_complete(comp.shutdown())


def test_overlay_text_is_not_clipped(qapp, qloop, tmp_path, builtin_dir):
    comp = build(qapp, tmp_path, builtin_dir, engine=FakeEngine(delay=5))
    comp.theme.apply(font_size=16)
    comp.start(None)
    comp.window.route("Presto-Change-O, you're a beekeeper called Honeycomb Hollow Apiaries")
    overlay = comp.window.overlay
    qloop.run_until_complete(asyncio.sleep(OVERLAY_SHOWN_S))
    assert overlay.isVisible()
    for label in (overlay.title, overlay.detail):
        assert label.width() > 0
        assert label.height() >= label.heightForWidth(label.width()), label.text()
    assert overlay.card.width() <= comp.window.dashboard.width()
    comp.modes.cancel()
    qloop.run_until_complete(asyncio.sleep(0.01))
    comp.theme.apply(font_size=11)


def test_tab_order_follows_the_screen(qapp, qloop, tmp_path, builtin_dir):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    comp = _real_panel_window(qapp, tmp_path, builtin_dir)
    window, panel = comp.window, comp.panel
    chart = ToolCall("show_chart", {"type": "bar", "title": "Spend",
                                    "points": [{"label": "Jan", "value": 1.0}]})
    window.dashboard.show_tool_call(chart)  # the chart view exists before the new tabs
    wide = make_mode("wide", company="Wide Co", primary="#00838f")
    wide = wide.model_copy(update={"tabs": wide.tabs * 4,
                                   "suggested_prompts": ["One?", "Two?", "Three?"]})
    comp.modes.apply(wide)  # more tabs and chips than before: new widgets join the chain
    window.dashboard.show_tool_call(chart)
    qloop.run_until_complete(asyncio.sleep(0.05))
    dash = window.dashboard
    assert dash.chart.view is not None
    assert dash.chart.view.viewport().accessibleName()
    window.header.library_button.setFocus(Qt.FocusReason.TabFocusReason)
    reached = []
    for _ in range(60):
        widget = qapp.focusWidget()
        if widget is None or widget in reached:
            break
        reached.append(widget)
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    expected = [window.header.library_button, window.header.settings_button, panel.view,
                *panel.chips, panel.composer, *[w for w in panel.focus_chain()[-4:]
                                                 if w.isVisible() and w.isEnabled()],
                *dash.tab_buttons, dash.chart.view]
    assert [w for w in reached if w in expected] == expected
    dash.tab_buttons[2].click()  # still one selected tab at a time
    dash.tab_buttons[1].click()
    assert [b.isChecked() for b in dash.tab_buttons] == [False, True, False, False]
    qloop.run_until_complete(comp.shutdown())


def test_cancel_says_the_mode_stays(qapp, qloop, tmp_path, builtin_dir):
    chat = FakeChat()
    comp = build(qapp, tmp_path, builtin_dir, engine=FakeEngine(delay=5), chat=chat)
    comp.start(None)
    comp.window.route("Presto-Change-O, you're a beekeeper")
    task = comp.modes.task
    qloop.run_until_complete(asyncio.sleep(0.02))
    comp.window.overlay.cancel_button.click()
    with pytest.raises(asyncio.CancelledError):
        qloop.run_until_complete(task)
    qloop.run_until_complete(asyncio.sleep(0))
    assert comp.panel.messages[-1].content == "Cancelled — still Presto Assistant."
    # The trigger and the note are kept in the saved conversation too.
    assert [c for _, c in chat.calls[-2:]] == ["Presto-Change-O, you're a beekeeper",
                                               "Cancelled — still Presto Assistant."]


def test_a_newer_trigger_is_no_cancel_and_shutdown_says_nothing(qapp, qloop, tmp_path,
                                                                 builtin_dir, qtbot):
    comp = build(qapp, tmp_path, builtin_dir, engine=FakeEngine(delay=OVERLAY_SHOWN_S + 0.2))
    comp.start(None)
    comp.window.route("Presto-Change-O, you're a beekeeper")
    comp.window.route("Presto-Change-O, you're a florist")
    qloop.run_until_complete(asyncio.sleep(OVERLAY_SHOWN_S))
    assert comp.window.overlay.isVisible()  # the florist is still being made
    mode = qloop.run_until_complete(comp.modes.task)
    assert mode.industry == "florist"
    # The generated mode is shown in loop-turn steps after the task ends: wait for them (a
    # fixed sleep was too short under load).
    qtbot.waitUntil(lambda: comp.panel.messages[-1:] != []
                    and comp.panel.messages[-1].content == mode.welcome_message)
    assert [m.content for m in comp.panel.messages[-2:]] == [
        "Presto-Change-O, you're a florist", mode.welcome_message]
    comp.window.route("Presto-Change-O, you're a baker")
    count = len(comp.panel.messages)
    qloop.run_until_complete(comp.shutdown())
    assert len(comp.panel.messages) == count


def test_regenerating_an_identical_mode_says_so(qapp, qloop, tmp_path, builtin_dir):
    comp = build(qapp, tmp_path, builtin_dir)
    comp.start(None)
    comp.window.route("Presto-Change-O, you're a beekeeper")
    mode = qloop.run_until_complete(comp.modes.task)
    comp.window.regenerate_mode(mode.id)
    qloop.run_until_complete(comp.modes.task)
    from presto_desktop.ui.replay.runner import settle

    qloop.run_until_complete(settle(comp.window))  # the mode change's steps have all run
    from presto_desktop.session.presenter import SAME_MODE_NOTE

    assert comp.panel.messages[-1].content == SAME_MODE_NOTE


def test_back_to_normal_greets_once(qapp, qloop, tmp_path, builtin_dir):
    chat = FakeChat()
    comp = build(qapp, tmp_path, builtin_dir, chat=chat)
    comp.start(None)
    welcome = comp.modes.current.welcome_message
    comp.window.route("Presto-Change-O, you're a bank")
    comp.window.route("Presto-Change-O, back to normal")
    contents = [m.content for m in comp.panel.messages]
    assert contents.count(welcome) == 1
    assert contents[-2:] == ["Presto-Change-O, back to normal",
                             "Welcome back to Presto Assistant."]
    comp.window.route("Presto-Change-O, back to normal")  # already there
    assert [m.content for m in comp.panel.messages].count(welcome) == 1


def test_mode_flag_for_a_missing_or_broken_file_says_why(qapp, qloop, tmp_path, builtin_dir,
                                                          capsys):
    comp = build(qapp, tmp_path, builtin_dir)
    comp.start("no-such-mode")
    assert comp.modes.current.id == "default"
    message, retryable = comp.panel.errors[-1]
    assert "no-such-mode" in message and "no mode with id" in message and not retryable
    assert "no-such-mode" in capsys.readouterr().err
    modes = tmp_path / "data2" / "modes"
    modes.mkdir(parents=True)
    (modes / "broken.json").write_text('{"id": "broken", "palette": 3')
    chat = FakeChat()
    paths = AppPaths.resolve(tmp_path / "data2")
    again = Composition(qapp, paths, offline=True, persist=False,
                        store=ModeStore(paths, builtin_dir=builtin_dir), engine=FakeEngine(),
                        chat=chat, panel=FakePanel())
    again.start("broken", defer=True)  # the conversation waits for the first paint
    assert again.panel.errors == []
    again.window.show()
    qloop.run_until_complete(asyncio.sleep(0.1))
    assert again.modes.current.id == "default"
    message, _ = again.panel.errors[-1]
    assert "broken" in message and "not valid JSON" in message
    err = capsys.readouterr().err
    assert err.count("presto-desktop:") == 1 and "broken" in err


def test_kpi_cards_share_width_evenly_and_units_stay_by_their_values(qapp, qloop, tmp_path,
                                                                     builtin_dir):
    from PySide6.QtGui import QFontMetrics

    from presto_desktop.core.models import Metric

    comp = _real_panel_window(qapp, tmp_path, builtin_dir)
    dash = comp.window.dashboard
    dash.set_metrics([Metric(label="Built-in modes", value=4, unit=""),
                      Metric(label="Industries offline and a long label", value=214, unit=""),
                      Metric(label="Time to transform", value=1, unit="s")])
    qapp.processEvents()
    first, second, last = dash.kpi_cards
    assert abs(first.width() - second.width()) <= 1
    assert last.width() >= first.width() + second.width()
    value = last.value
    text_width = QFontMetrics(value.font()).horizontalAdvance(value.text())
    gap = last.unit.x() - (value.x() + text_width)
    assert 0 <= gap <= 12, gap
    qloop.run_until_complete(comp.shutdown())


def test_ctrl_q_closes_the_window(qapp, qloop, tmp_path, builtin_dir, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    comp = build(qapp, tmp_path, builtin_dir)
    comp.start(None)
    with qtbot.waitActive(comp.window):
        comp.window.activateWindow()
    comp.panel.composer.setFocus()
    action = comp.window.quit_action
    assert action.text() and action.shortcut().toString() == "Ctrl+Q"
    with qtbot.waitSignal(comp.window.closing, timeout=1000):
        QTest.keyClick(comp.panel.composer, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not comp.window.isVisible()


def test_an_import_replacing_the_current_mode_shows_its_new_content(qapp, qloop, tmp_path,
                                                                    builtin_dir):
    comp = build(qapp, tmp_path, builtin_dir)
    comp.store.save(make_mode("florist", company="Petal & Stem"))
    comp.start("florist")
    shared = tmp_path / "florist.json"
    shared.write_bytes(dump_mode(make_mode("florist", company="Fern Ltd", primary="#ad1457")))
    dialog = comp.window.open_library()
    assert dialog.import_file(shared, on_conflict="replace") == "florist"
    assert comp.modes.current.company_name == "Fern Ltd"
    assert "Fern Ltd" in comp.window.windowTitle()
    dialog.close()


def test_the_chat_follows_the_current_mode_in_the_same_call(qapp, qloop, tmp_path, builtin_dir):
    """One source of the current mode: the chat is told when the mode changes, not steps later."""
    comp = _real_panel_window(qapp, tmp_path, builtin_dir)
    seen: list[bool] = []
    comp.modes.mode_changed.connect(lambda mode: seen.append(comp.chat.mode is mode))
    # Whether the chat's content waits for a later loop turn, asked as the change is announced
    # (after the window's handler): once the task is done, the loop that ran it may already
    # have run those turns (qasync processes due timers one last time), more so now that a
    # generated mode's restyle runs during its save and leaves only the cheap content steps.
    later: list[bool] = []
    comp.modes.mode_changed.connect(
        lambda _mode: later.append(comp.window.mode_change.pending("content:chat")))
    comp.window.route("Presto-Change-O, you're a beekeeper")
    mode = qloop.run_until_complete(comp.modes.task)
    assert seen == [True] and comp.chat.mode is mode is comp.modes.current
    assert later == [True]  # shown a few loop turns later
    qloop.run_until_complete(comp.shutdown())


def test_overlay_names_the_engine_the_window_was_told(qapp, qloop, tmp_path, builtin_dir):
    comp = build(qapp, tmp_path, builtin_dir, engine=FakeEngine(delay=OVERLAY_SHOWN_S + 0.2))
    comp.start(None)
    comp.window.set_engine_label("Model X · example.test")
    comp.window.route("Presto-Change-O, you're a beekeeper")
    qloop.run_until_complete(asyncio.sleep(OVERLAY_SHOWN_S))
    assert "Engine: Model X · example.test." in comp.window.overlay.detail.text()
    qloop.run_until_complete(comp.modes.task)
    qloop.run_until_complete(comp.shutdown())

"""Papercuts a new user hits: Ctrl+N keeps the old conversation and can be undone, long names elide, narrow windows,
the selected dashboard tab, a compact Settings dialog, the library's message, live lists."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.modefile import dump_mode
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.settings import OpenAISettings, Settings
from presto_desktop.core.store import ModeStore
from presto_desktop.ui.composition import Composition
from presto_desktop.ui.shell.overlay import SHOW_AFTER_MS
from tests.factories import make_mode
from tests.ui.fake_engine import FakeEngine as ChatEngine
from tests.ui.fakes import FakeEngine
from tests.ui.helpers import dashboard_collapsed

LONG_COMPANY = "Meridian Trust Bank of the Greater Northwestern Territories & <b>Islands</b>"
LONG_TAGLINE = ("Banking that keeps pace with your life, your family, your business and more " * 2).strip()


@pytest.fixture
def builtin_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "builtin"
    folder.mkdir()
    banking = make_mode("banking", industry="banking", company="First Harbor Bank",
                        primary="#0d47a1", kind="banking")
    tab = banking.tabs[0]
    banking = banking.model_copy(update={"tabs": [tab.model_copy(update={"id": f"t{n}",
                                                                         "label": f"Tab {n}"})
                                                  for n in range(4)]})
    for mode in (make_mode("default", company="Presto Assistant", primary="#3f51b5"), banking):
        (folder / f"{mode.id}.json").write_bytes(dump_mode(mode))
    return folder


def _window(qapp, tmp_path: Path, builtin_dir: Path, engine: object | None = None) -> Composition:
    """The real window (real chat panel and controller), on the banking mode."""
    paths = AppPaths.resolve(tmp_path / "data")
    comp = Composition(qapp, paths, offline=True, persist=False,
                       store=ModeStore(paths, builtin_dir=builtin_dir),
                       engine=engine or FakeEngine())
    comp.settings.theme = "light"
    comp.start("banking")
    comp.window.show()
    qapp.processEvents()
    return comp


def _settle(qloop, seconds: float = 0.05) -> None:
    qloop.run_until_complete(asyncio.sleep(seconds))


def _plain_tooltip(tip: str) -> str:
    doc = QTextDocument()
    doc.setHtml(tip)
    return doc.toPlainText()


# -- 1. Ctrl+N keeps the old conversation and can be undone -----------------------------------------
def test_ctrl_n_keeps_the_old_conversation_and_offers_undo_that_reopens_it(qapp, qloop, tmp_path,
                                                                            builtin_dir):
    comp = _window(qapp, tmp_path, builtin_dir)
    window, panel, chat = comp.window, comp.panel, comp.chat
    qloop.run_until_complete(chat.send("What is my balance?"))
    _settle(qloop)
    before = chat.messages
    assert [m.role for m in before][-2:] == ["user", "assistant"]

    # No question any more (nothing is lost): a new conversation at once, Undo for ten seconds.
    assert window.new_chat.request() is None
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()]
    _settle(qloop)
    assert [m.role for m in chat.messages] == ["assistant"]  # the welcome only
    assert panel.model.rowCount() == 1
    assert panel.undo_bar.isVisible() and panel.undo_bar.timer.isActive()
    assert panel.undo_bar.timer.interval() == 10_000
    assert "New conversation" in panel.undo_bar.label.text()
    assert panel.undo_bar.label.textFormat() == Qt.TextFormat.PlainText
    window.grab().save(str(tmp_path / "undo_bar.png"))
    kept = chat.history.rows("banking")
    assert [row.current for row in kept] == [False]  # the welcome-only new one is not listed
    assert chat.history.messages("banking", kept[0].conversation_id) == before

    panel.undo_bar.undo_button.click()
    _settle(qloop)
    assert chat.messages == before
    assert [panel.model.message(r) for r in range(panel.model.rowCount())] == before
    assert not panel.undo_bar.isVisible()
    qloop.run_until_complete(comp.shutdown())
    saved = ConversationStore(AppPaths.resolve(tmp_path / "data")).load("banking")
    assert saved == before  # the reopened conversation is the current one on disk
    rows = chat.history.rows("banking")
    assert [row.current for row in rows] == [True]  # the welcome-only one went, nothing else


def test_undo_bar_goes_away_after_its_time_and_on_a_mode_switch(qapp, qloop, tmp_path,
                                                                 builtin_dir):
    comp = _window(qapp, tmp_path, builtin_dir)
    panel, chat = comp.panel, comp.chat
    qloop.run_until_complete(chat.send("hello"))
    comp.window.new_chat.clear()
    assert panel.undo_bar.isVisible()
    panel.undo_bar.timer.timeout.emit()  # the ten seconds are up
    assert not panel.undo_bar.isVisible()
    qloop.run_until_complete(chat.send("again"))
    comp.window.new_chat.clear()
    assert panel.undo_bar.isVisible()
    comp.modes.switch_to("default")
    _settle(qloop)
    assert not panel.undo_bar.isVisible()
    comp.window.new_chat.undo()  # too late: nothing is restored into another mode
    assert all(m.content != "again" for m in chat.messages)
    qloop.run_until_complete(comp.shutdown())


def test_nothing_to_lose_clears_without_asking(qapp, qloop, tmp_path, builtin_dir):
    comp = _window(qapp, tmp_path, builtin_dir)
    _settle(qloop)
    assert comp.window.new_chat.request() is None  # only the welcome: no question
    assert not comp.panel.undo_bar.isVisible()
    qloop.run_until_complete(comp.shutdown())


def test_a_save_in_flight_does_not_undo_the_restore(qtbot, qloop, tmp_path):
    from presto_desktop.ui.chat.controller import ChatController

    store = ConversationStore(AppPaths.resolve(tmp_path))
    controller = ChatController(ChatEngine(["ok"]), store)
    controller.set_mode(make_mode("florist"))
    qloop.run_until_complete(controller.send("q"))
    before = controller.messages

    async def scenario() -> None:
        async with controller._save_lock:  # a save is being written
            controller.new_conversation()  # its clear waits for that save
            controller.restore_conversation(before)  # and Undo comes right after
        await controller.shutdown()  # waits for every save and clear

    qloop.run_until_complete(scenario())
    assert store.load("florist") == before


# -- 2. long company name and tagline elide --------------------------------------------------------
def test_long_company_name_and_tagline_elide_with_the_full_text_in_a_tooltip(qtbot, tmp_path):
    from presto_desktop.ui.shell.header import Header

    header = Header()
    qtbot.addWidget(header)
    header.set_engine_label("Offline")
    header.show_identity(LONG_COMPANY, LONG_TAGLINE)
    header.resize(700, 70)
    header.show()
    qtbot.waitExposed(header)
    for label, full in ((header.company, LONG_COMPANY), (header.tagline, LONG_TAGLINE)):
        assert label.text() == full  # the model's text stays whole
        assert label.is_elided() and label.shown_text().endswith("…")
        assert label.fontMetrics().horizontalAdvance(label.shown_text()) <= label.width()
        assert _plain_tooltip(label.toolTip()) == " ".join(full.split())
        assert label.textFormat() == Qt.TextFormat.PlainText
    header.grab().save(str(tmp_path / "header_narrow.png"))
    header.resize(4000, 70)  # wide enough again: whole, no tooltip
    qtbot.waitUntil(lambda: not header.company.is_elided())
    assert header.company.toolTip() == "" and header.company.shown_text() == LONG_COMPANY


# -- 3. a narrow window keeps the chat readable ----------------------------------------------------
def test_narrow_window_hides_the_dashboard_and_keeps_the_chat_readable(qapp, qloop, tmp_path,
                                                                        builtin_dir):
    from presto_desktop.ui.shell.window import CHAT_MIN_WIDTH

    comp = _window(qapp, tmp_path, builtin_dir)
    window, dash = comp.window, comp.window.dashboard
    window.resize(100, 100)  # as small as it goes
    _settle(qloop)
    assert window.width() <= 760
    assert dash.isHidden() and dashboard_collapsed(window)
    assert window.chat_panel.width() >= CHAT_MIN_WIDTH
    window.grab().save(str(tmp_path / "narrow.png"))

    window.resize(1280, 800)
    _settle(qloop)
    assert dash.isVisible() and not dashboard_collapsed(window)
    # The smallest width that still shows both columns: both stay usable.
    window.resize(window.minimumWidth(), 100)
    _settle(qloop)
    for width in range(window.width(), 1300, 40):
        window.resize(width, 100)
        _settle(qloop, 0.01)
        assert window.chat_panel.width() >= CHAT_MIN_WIDTH, width
        if dash.isVisible():
            assert dash.chart_frame.height() >= 160, width
            assert dash.width() >= dash.minimumSizeHint().width(), width
    assert dash.isVisible()
    qloop.run_until_complete(comp.shutdown())


def test_generation_overlay_follows_a_collapsing_dashboard(qapp, qloop, tmp_path, builtin_dir):
    comp = _window(qapp, tmp_path, builtin_dir, engine=FakeEngine(delay=5))
    window = comp.window
    window.route("Presto-Change-O, you're a beekeeper")
    qloop.run_until_complete(asyncio.sleep(SHOW_AFTER_MS / 1000 + 0.1))
    overlay = window.overlay
    assert comp.modes.busy
    assert overlay.isVisible() and overlay.parentWidget() is window.dashboard
    window.resize(100, 100)
    _settle(qloop)
    assert overlay.isVisible() and overlay.parentWidget() is comp.panel.view
    assert overlay.cancel_button.isVisible()
    window.grab().save(str(tmp_path / "narrow_overlay.png"))
    window.resize(1280, 800)
    _settle(qloop)
    assert overlay.isVisible() and overlay.parentWidget() is window.dashboard
    assert overlay.styleSheet() == window.header.styleSheet()  # a style root again
    comp.modes.cancel()
    qloop.run_until_complete(comp.shutdown())


# -- 4. one dashboard tab is always shown selected -------------------------------------------------
def test_first_tab_is_selected_and_the_selection_is_drawn(qapp, qloop, tmp_path, builtin_dir):
    comp = _window(qapp, tmp_path, builtin_dir)
    dash = comp.window.dashboard
    _settle(qloop)
    assert [b.isChecked() for b in dash.tab_buttons] == [True] + [False] * (
        len(dash.tab_buttons) - 1)
    first, second = dash.tab_buttons[0], dash.tab_buttons[1]

    def fill(button) -> str:
        return button.grab().toImage().pixelColor(button.width() // 2, 6).name()

    assert fill(first) != fill(second)  # :checked has its own look (QSS, from the palette)
    second.click()
    assert [b.isChecked() for b in dash.tab_buttons[:2]] == [False, True]
    second.click()  # clicking the selected tab keeps it selected
    assert second.isChecked()
    comp.modes.switch_to("default")
    _settle(qloop)
    assert dash.tab_buttons[0].isChecked()
    assert sum(b.isChecked() for b in dash.tab_buttons) == 1
    qloop.run_until_complete(comp.shutdown())


# -- 5. Settings: Azure fields for Azure only, no empty page, no stock icons ------------------------
def test_settings_shows_azure_fields_only_for_azure_and_is_compact(qtbot, tmp_path):
    from presto_desktop.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(Settings(engine="auto", openai=OpenAISettings(preset="openai")))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    form = dialog.openai
    azure = (form.azure_endpoint, form.azure_api_version, form.azure_deployment)
    assert not any(w.isVisible() for w in azure) and form.base_url.isVisible()
    dialog.grab().save(str(tmp_path / "settings_openai.png"))
    form.preset.setCurrentIndex(form.preset.findData("azure"))
    assert all(w.isVisible() for w in azure) and not form.base_url.isVisible()
    form.preset.setCurrentIndex(form.preset.findData("ollama"))
    assert not any(w.isVisible() for w in azure)
    # One page with the fields at the top: no tab of its own that is mostly empty.
    from PySide6.QtWidgets import QTabWidget

    assert dialog.findChildren(QTabWidget) == []
    qtbot.waitUntil(lambda: dialog.height() <= dialog.sizeHint().height() + 1)
    dialog.engine.setCurrentIndex(dialog.engine.findData("offline"))
    assert not dialog.server.isVisible()
    qtbot.waitUntil(lambda: dialog.height() < 400)  # shrinks to the General fields
    dialog.grab().save(str(tmp_path / "settings_offline.png"))
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons.buttons() and all(b.icon().isNull() for b in buttons.buttons())


# -- 6. the library's message is padded, styled and plain ------------------------------------------
def test_library_import_error_is_a_padded_plain_message(qtbot, tmp_path):
    from presto_desktop.core.palette import derive_palette
    from presto_desktop.ui.dialogs.library import LibraryDialog
    from presto_desktop.ui.theme.manager import build_stylesheet
    from tests.ui.helpers import colors_from_roles

    builtin = tmp_path / "builtin"
    builtin.mkdir()
    (builtin / "default.json").write_bytes(dump_mode(make_mode("default", company="Presto")))
    store = ModeStore(AppPaths.resolve(tmp_path / "data"), builtin_dir=builtin)
    dlg = LibraryDialog(store, "default", confirm_delete=False)
    qtbot.addWidget(dlg)
    qss = build_stylesheet(colors_from_roles(derive_palette("#00695c").light, dark=False), 11)
    dlg.setStyleSheet(qss)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert not dlg.message.isVisible()
    bad = tmp_path / '<img src=x>.json'
    bad.write_text('{"id": "../../etc", "palette": "<b>x</b>"')
    assert dlg.import_file(bad) is None
    assert dlg.message.isVisible() and dlg.message.property("kind") == "error"
    assert dlg.error.text().startswith("Import failed") and "<img" in dlg.error.text()
    assert dlg.error.textFormat() == Qt.TextFormat.PlainText and dlg.error.wordWrap()
    inset = dlg.error.geometry()
    assert inset.left() >= 10 and inset.top() >= 8  # padded inside its frame
    assert dlg.message.width() - inset.right() >= 10
    assert re.search(r"#libraryMessage\[kind=\"error\"\]", qss)
    dlg.grab().save(str(tmp_path / "library_error.png"))
    dlg.show_message("")
    assert not dlg.message.isVisible()


# -- 7. a streamed list is a list while it streams -------------------------------------------------
LIST_REPLY = ("Here are your recent transactions:\n"
              "- 2025-01-03 Coffee at Bean There: $4.50\n"
              "- 2025-01-04 Grocery run: $82.10\n"
              "- 2025-01-05 Salary deposit: $3,200.00\n"
              "- 2025-01-06 Rent: $1,450.00\n"
              "\nAnything else?")


def _blocks(doc: QTextDocument) -> list[tuple[str, bool]]:
    rows, block = [], doc.begin()
    while block.isValid():
        rows.append((block.text(), block.textList() is not None))
        block = block.next()
    return rows


@pytest.mark.parametrize("size", [1, 3, 7, 16])
def test_streamed_list_items_are_bullets_while_streaming(qtbot, monkeypatch, size):
    import presto_desktop.ui.chat.live as chat_live
    from presto_desktop.ui.chat.panel import ChatPanel

    monkeypatch.setattr(chat_live, "LIVE_FRAME", 0.0)  # every chunk is drawn at once
    monkeypatch.setattr(chat_live, "LIVE_MARKDOWN_EVERY", 3600.0)  # no timed re-render helps
    panel = ChatPanel()
    qtbot.addWidget(panel)
    panel.resize(520, 700)
    panel.show()
    panel.begin_reply()
    received = ""
    for start in range(0, len(LIST_REPLY), size):
        chunk = LIST_REPLY[start:start + size]
        panel.append_reply_text(chunk)
        received += chunk
        rows = _blocks(panel.live.safe_document)
        # No raw marker line, ever: a started item is a bullet from its first characters.
        assert not [text for text, _ in rows if text.lstrip().startswith("- ")], (received, rows)
        lines = received.split("\n")
        complete_items = [ln for ln in lines[:-1] if ln.startswith("- ")]
        items = [text for text, listed in rows if listed]
        assert len(items) >= len(complete_items), (received, rows)
        for line, item in zip(complete_items, items, strict=False):
            assert item.rstrip() == line[2:].rstrip()  # each item its own bullet (none merged)
        if lines[-1].startswith("- 2"):
            assert items and items[-1].rstrip() == lines[-1][2:].rstrip(), (received, rows)
    QApplication.processEvents()
    shown = panel.live.safe_document.toPlainText()
    assert "Anything else?" in shown and "2025-01-06 Rent" in shown

"""The History dialog (Ctrl+H) and the window's export actions, on the real window: plain text
for hostile titles, rename, delete with Undo, search across modes, keyboard, model/view."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QListView

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.conversation_history import ConversationHistory
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
from presto_desktop.ui.composition import Composition
from tests.ui.fake_engine import FakeEngine

HOSTILE = '<img src=file:///etc/passwd> <b>bold</b> ![x](file:///etc/hosts)'
CHART = {"type": "bar", "title": "Spend <b>by</b> month", "unit": "$",
         "points": [{"label": "Jan", "value": 120.5}, {"label": "Feb", "value": 80.0}]}


def _seed(data: Path) -> None:
    """banking: two past conversations (one titled with markup) and a current one with a chart;
    insurance: a current conversation."""
    store = ConversationStore(AppPaths.resolve(data))
    history = ConversationHistory(store)
    at = time.time() - 7200
    store.save("banking", [ChatMessage("user", "What did I spend on coffee?", at=at),
                           ChatMessage("assistant", "About $42.", at=at + 1)])
    history.start_new("banking")
    store.save("banking", [ChatMessage("user", HOSTILE, at=at + 10),
                           ChatMessage("assistant", "Noted.", at=at + 11)])
    history.rename("banking", history.list_conversations("banking")[0].id, HOSTILE)
    history.start_new("banking")
    store.save("banking", [ChatMessage("user", "Show my spending", at=at + 20),
                           ChatMessage("assistant", "Here.", (ToolCall("show_chart", CHART),),
                                       at=at + 21)])
    store.save("insurance", [ChatMessage("user", "Is hail damage spending covered?", at=at + 30),
                             ChatMessage("assistant", "Yes.", at=at + 31)])


def _settle(qloop, seconds: float = 0.05, dialog=None) -> None:
    """Run the loop a while (and, given `dialog`, until its rows are read: a worker reads them)."""
    qloop.run_until_complete(asyncio.sleep(seconds))
    while dialog is not None and dialog.loading:
        qloop.run_until_complete(asyncio.sleep(0.01))


@pytest.fixture
def comp(qapp, qloop, tmp_path):
    data = tmp_path / "data"
    _seed(data)
    comp = Composition(qapp, AppPaths.resolve(data), offline=True, persist=False,
                       engine=FakeEngine(["ok"]))
    comp.settings.theme = "light"
    comp.start("banking")
    comp.window.show()
    qapp.processEvents()
    _settle(qloop, 0.2)
    yield comp
    qloop.run_until_complete(comp.shutdown())


def _focused(qtbot, dialog, widget) -> None:
    """Give `widget` the keyboard focus (the dialog's window made active first)."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def _titles(dialog) -> list[str]:
    return [dialog.model.row_at(n).title for n in range(dialog.model.rowCount())]


def test_the_dialog_lists_the_modes_conversations_as_plain_text(comp, qloop, tmp_path):
    assert comp.window.findChild(type(comp.history_tools.history_action), "historyAction")
    assert comp.history_tools.history_action.shortcut().toString() == "Ctrl+H"
    dialog = comp.history_tools.open_history()
    _settle(qloop)
    assert _titles(dialog) == ["Show my spending", HOSTILE, "What did I spend on coffee?"]
    assert "open now" in dialog.model.row_at(0).detail
    assert "2 messages" in dialog.model.row_at(1).detail
    # Model/view: one list view, no widget per row; nothing there guesses rich text.
    assert isinstance(dialog.list, QListView)
    assert all(dialog.list.indexWidget(dialog.model.index(n)) is None for n in range(3))
    assert dialog.model.index(1).data(Qt.ItemDataRole.ToolTipRole) is None
    assert all(label.textFormat() == Qt.TextFormat.PlainText
               for label in dialog.findChildren(QLabel))
    assert dialog.windowTitle() == "Conversation history — Meridian Trust Bank"
    dialog.grab().save(str(tmp_path / "history_dialog.png"))


def test_rename_in_place_and_delete_with_undo(comp, qloop):
    dialog = comp.history_tools.open_history()
    model = dialog.model
    assert model.setData(model.index(2), "Coffee <i>money</i>\nsecond line")
    _settle(qloop, dialog=dialog)
    assert "Coffee <i>money</i> second line" in _titles(dialog)  # one line, still plain text
    dialog.list.setCurrentIndex(model.index(_titles(dialog).index(HOSTILE)))
    dialog.delete_selected()
    assert HOSTILE not in _titles(dialog)
    assert dialog.note.isVisible() and dialog.undo_button.isVisible()
    assert dialog.note_text.text() == f"Deleted “{HOSTILE}”."
    assert dialog.note_timer.interval() == 10_000
    dialog.undo_button.click()
    _settle(qloop, dialog=dialog)
    assert HOSTILE in _titles(dialog) and not dialog.note.isVisible()
    assert dialog.model.row_at(dialog.list.currentIndex().row()).title == HOSTILE


def test_deleting_the_conversation_on_screen_and_undoing_it(comp, qloop):
    chat = comp.chat
    before = chat.messages
    dialog = comp.history_tools.open_history()
    dialog.list.setCurrentIndex(dialog.model.index(0))  # the one open now
    dialog.delete_selected()
    _settle(qloop)
    assert [m.role for m in chat.messages] == ["assistant"]  # the welcome of a fresh one
    assert "Show my spending" not in _titles(dialog)
    dialog.undo_delete()
    _settle(qloop)
    assert chat.messages == before  # back on screen, not just in the list
    shown = [comp.panel.model.message(r) for r in range(comp.panel.model.rowCount())]
    assert shown[0].content == "Show my spending"
    assert _titles(dialog)[0] == "Show my spending"


def test_open_a_past_conversation_keeps_the_current_one(comp, qloop):
    chat = comp.chat
    dialog = comp.history_tools.open_history()
    dialog.list.setCurrentIndex(dialog.model.index(2))
    dialog.open_selected()
    _settle(qloop)
    assert [m.content for m in chat.messages] == ["What did I spend on coffee?", "About $42."]
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()  # closed (deleted on close)
    rows = chat.history.rows("banking")
    assert rows[0].title == "What did I spend on coffee?" and rows[0].current
    assert "Show my spending" in [row.title for row in rows]


def test_opening_on_the_running_loop_reads_the_files_on_a_worker(comp, qloop):
    """The open's parsing and writing run off the GUI thread; meanwhile the chat is busy."""
    chat, tools = comp.chat, comp.history_tools
    rows = chat.history.rows("banking")
    past = next(row for row in rows if row.title == "What did I spend on coffee?")
    history, threads = chat.history.history, []
    opened = history.open

    def spy(mode_id, conv_id):  # noqa: ANN001, ANN202
        threads.append(threading.get_ident())
        return opened(mode_id, conv_id)

    history.open = spy
    busy: list[bool] = []
    chat.busy_changed.connect(busy.append)

    async def go() -> None:
        tools.open_conversation("banking", past.conversation_id)
        assert chat.busy  # a message typed now waits (it would land in the old conversation)
        assert tools.opening is not None
        await tools.opening

    qloop.run_until_complete(go())
    assert threads and threading.get_ident() not in threads
    assert [m.content for m in chat.messages] == ["What did I spend on coffee?", "About $42."]
    assert [m.content for m in comp.panel.model.messages()][:1] == ["What did I spend on coffee?"]
    assert busy[:1] == [True] and busy[-1] is False and not chat.busy
    assert chat.history.rows("banking")[0].current
    assert "Show my spending" in [row.title for row in chat.history.rows("banking")]


def test_search_across_modes_opens_the_hit_in_its_mode(comp, qloop, qtbot, tmp_path):
    dialog = comp.history_tools.open_history()
    _focused(qtbot, dialog, dialog.search)
    QTest.keyClicks(dialog.search, "spend")
    dialog.reload()  # what the typing pause would do
    rows = [dialog.model.row_at(n) for n in range(dialog.model.rowCount())]
    assert {row.mode_id for row in rows} == {"banking", "insurance"}
    hit = next(row for row in rows if row.mode_id == "insurance")
    assert hit.title.startswith("Evergreen Mutual Insurance · ") or "·" in hit.title
    assert hit.detail == "You: Is hail damage spending covered?"
    assert not any(row.editable for row in rows)  # hits only open
    dialog.grab().save(str(tmp_path / "history_search.png"))
    QTest.keyClick(dialog.search, Qt.Key.Key_Down)  # into the list
    assert dialog.list.hasFocus()
    dialog.list.setCurrentIndex(dialog.model.index(rows.index(hit)))
    QTest.keyClick(dialog.list, Qt.Key.Key_Return)  # Enter opens
    _settle(qloop, 0.3)
    assert comp.modes.current.id == "insurance"
    assert [m.content for m in comp.chat.messages][:1] == ["Is hail damage spending covered?"]


def test_search_runs_off_the_gui_thread_and_the_newest_query_wins(comp, qloop):
    """A slow older search (held on its worker) never replaces a newer one's hits."""
    dialog = comp.history_tools.open_history()
    service, gui = comp.chat.history, threading.get_ident()
    search, release, threads = service.search, threading.Event(), []

    def held(query, mode_name):  # noqa: ANN001, ANN202
        threads.append(threading.get_ident())
        if query == "coffee":
            release.wait(10)
        return search(query, mode_name)

    service.search = held

    async def two_queries() -> None:
        dialog.search.setText("coffee")
        dialog.reload()
        assert dialog.loading and dialog.empty.text() == "Searching…" and dialog.empty.isVisible()
        await asyncio.sleep(0.05)
        dialog.search.setText("hail")
        dialog.reload()
        while dialog.loading:
            await asyncio.sleep(0.01)
        release.set()  # the older search ends now: its hits must not arrive
        await asyncio.sleep(0.2)

    qloop.run_until_complete(two_queries())
    assert threads and gui not in threads
    rows = [dialog.model.row_at(n) for n in range(dialog.model.rowCount())]
    assert [row.detail for row in rows] == ["You: Is hail damage spending covered?"]
    assert not dialog.empty.isVisible()


def test_delete_and_undo_keys(comp, qloop, qtbot):
    dialog = comp.history_tools.open_history()
    _focused(qtbot, dialog, dialog.list)
    dialog.list.setCurrentIndex(dialog.model.index(2))
    QTest.keyClick(dialog.list, Qt.Key.Key_Delete)
    assert "What did I spend on coffee?" not in _titles(dialog)
    QTest.keyClick(dialog.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "What did I spend on coffee?" in _titles(dialog)


def test_export_and_chart_actions_in_the_window(comp, qloop, tmp_path):
    tools = comp.history_tools
    names = [a.objectName() for a in comp.window.app_menu.actions("export")]
    assert names == ["exportConversationAction", "copyChartAction", "saveChartAction"]
    area = comp.window.dashboard.chart
    assert area.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert tools.copy_action in area.actions() and tools.save_action in area.actions()
    for _ in range(40):  # the loaded conversation's chart is drawn over a few loop turns
        if area.chart is not None and area.view is not None:
            break
        _settle(qloop)
    assert area.chart is not None and area.chart.title == CHART["title"]
    assert tools.copy_chart()
    assert not QGuiApplication.clipboard().image().isNull()
    png = tools.save_chart(tmp_path / "chart.png")
    assert png is not None and png.read_bytes().startswith(b"\x89PNG")
    for suffix in ("md", "html", "pdf"):
        out = tools.export_conversation(tmp_path / f"conversation.{suffix}")
        assert out is not None and out.stat().st_size > 0
    page = (tmp_path / "conversation.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "Spend &lt;b&gt;by&lt;/b&gt; month" in page
    assert (tmp_path / "conversation.pdf").read_bytes().startswith(b"%PDF")
    assert comp.window.notice_bar.isVisible()
    assert tools.export_conversation(tmp_path / "conversation.txt") is None  # unknown type

"""The window's seams: the real chat column and controller, and the tests' stand-ins, fit them."""

from __future__ import annotations

from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
from presto_desktop.ui.chat.controller import ChatController
from presto_desktop.ui.chat.panel import ChatPanel
from presto_desktop.ui.shell.notice_bar import SaveReporter
from presto_desktop.ui.shell.seams import ChatColumn, WindowChat
from tests.ui.fakes import FakeChat, FakeEngine, FakePanel


def test_real_and_fake_chat_columns_fit(qtbot) -> None:
    for panel in (ChatPanel(), FakePanel()):
        qtbot.addWidget(panel)
        assert isinstance(panel, ChatColumn), type(panel).__name__


def test_real_and_fake_chat_controllers_fit(qapp, tmp_path) -> None:
    real = ChatController(FakeEngine(), ConversationStore(AppPaths.resolve(tmp_path)))
    for chat in (real, FakeChat()):
        assert isinstance(chat, WindowChat), type(chat).__name__
        assert isinstance(chat, SaveReporter), type(chat).__name__

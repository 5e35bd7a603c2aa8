"""Fakes for window tests: a slow/failing engine, a chat controller and a chat panel."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.errors import EngineError
from presto_desktop.core.models import Mode
from presto_desktop.core.triggers import ModeRequest
from presto_desktop.engines.base import ChatEvent, Done, TextDelta
from tests.factories import make_mode

_COLOURS = ("#2e7d32", "#ad1457", "#1565c0", "#ef6c00", "#6a1b9a", "#00838f")


def _colour_for(industry: str) -> str:
    """A stable primary colour per industry."""
    return _COLOURS[sum(map(ord, industry)) % len(_COLOURS)]


class FakeEngine:
    """Generates a mode after `delay` seconds (awaiting, never blocking), or fails."""

    kind = "offline"

    def __init__(self, delay: float = 0.0, fail: str | None = None,
                 primary: str | None = "#2e7d32") -> None:
        """`primary=None` gives each industry its own colour (so switches really restyle)."""
        self.delay, self.fail, self.primary = delay, fail, primary
        self.requests: list[ModeRequest] = []
        self.closed = False

    @property
    def label(self) -> str:
        return "Fake"

    async def generate_mode(self, request: ModeRequest) -> Mode:
        self.requests.append(request)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail:
            raise EngineError(self.fail, retryable=True)
        return make_mode(request.slug, industry=request.industry,
                         company=request.company or f"{request.industry.title()} Co",
                         primary=self.primary or _colour_for(request.industry),
                         request_key=request.key)

    async def stream_chat(self, mode: Mode, history: list[ChatMessage],
                          message: str) -> AsyncIterator[ChatEvent]:
        yield TextDelta("Hello from the fake engine.")
        yield Done()

    async def aclose(self) -> None:
        self.closed = True


class FakeChat(QObject):
    """Stands in for ChatController: records calls, emits the same signals."""

    reply_started = Signal()
    reply_delta = Signal(str)
    reply_finished = Signal(object)
    last_reply_removed = Signal()
    tool_called = Signal(object)
    failed = Signal(str, bool)
    busy_changed = Signal(bool)
    conversation_loaded = Signal(list)
    reply_origin = Signal(object)
    save_problem = Signal(str)  # never emitted: the fake saves nothing

    def __init__(self, conversations: dict[str, list[ChatMessage]] | None = None) -> None:
        super().__init__()
        self.calls: list[tuple[str, Any]] = []
        self.conversations = conversations or {}
        self.past: dict[str, list[ChatMessage]] = {}  # what start_new put away, by id
        self.mode: Mode | None = None

    def set_engine(self, engine: Any) -> None:
        self.calls.append(("set_engine", engine))

    def set_prefetch(self, enabled: bool) -> None:
        self.calls.append(("set_prefetch", enabled))

    def clear_cache(self, mode_id: str) -> None:
        self.calls.append(("clear_cache", mode_id))

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self.calls.append(("set_mode", mode.id))
        self.conversation_loaded.emit(list(self.conversations.get(mode.id, [])))

    def add_message(self, message: ChatMessage) -> None:
        self.calls.append(("add_message", message.content))
        if self.mode is not None:
            self.conversations.setdefault(self.mode.id, []).append(message)

    def submit(self, text: str) -> None:
        self.calls.append(("submit", text))
        self.reply_started.emit()
        self.reply_delta.emit("Sure.")
        self.reply_finished.emit(ChatMessage(role="assistant", content="Sure."))

    def stop(self) -> None:
        self.calls.append(("stop", None))

    def regenerate(self) -> None:
        self.calls.append(("regenerate", None))

    def retry(self) -> None:
        self.calls.append(("retry", None))

    @property
    def messages(self) -> list[ChatMessage]:
        return list(self.conversations.get(self.mode.id, [])) if self.mode is not None else []

    def new_conversation(self) -> None:
        self.calls.append(("new_conversation", None))
        if self.mode is not None:
            self.conversations[self.mode.id] = []
        self.conversation_loaded.emit([])

    def restore_conversation(self, messages: list[ChatMessage]) -> None:
        self.calls.append(("restore_conversation", len(messages)))
        if self.mode is not None:
            self.conversations[self.mode.id] = list(messages)
        self.conversation_loaded.emit(list(messages))

    def start_new(self) -> str | None:
        """Ctrl+N: the conversation is put away under a made-up id (None when empty)."""
        self.calls.append(("start_new", None))
        if self.mode is None:
            return None
        old = self.conversations.get(self.mode.id, [])
        kept = f"kept-{len(self.past)}" if any(m.role == "user" for m in old) else None
        if kept is not None:
            self.past[kept] = old
        self.conversations[self.mode.id] = []
        self.conversation_loaded.emit([])
        return kept

    def reopen(self, conversation_id: str) -> None:
        self.calls.append(("reopen", conversation_id))
        if self.mode is not None and conversation_id in self.past:
            self.conversations[self.mode.id] = self.past.pop(conversation_id)
            self.conversation_loaded.emit(list(self.conversations[self.mode.id]))

    def retry_save(self) -> None:
        self.calls.append(("retry_save", None))

    async def shutdown(self) -> None:
        self.calls.append(("shutdown", None))


class FakePanel(QWidget):
    """Stands in for ChatPanel: has a #composer, records what it was asked to show."""

    submitted = Signal(str)
    stop_requested = Signal()
    regenerate_requested = Signal()
    retry_requested = Signal()
    new_conversation_requested = Signal()
    undo_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.undo_offers: list[str] = []
        self.view = QWidget(self)  # the history's place (the overlay's host when narrow)
        self.composer = QPlainTextEdit(self)
        self.composer.setObjectName("composer")
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.composer)
        self.prepared = False
        self.messages: list[ChatMessage] = []
        self.errors: list[tuple[str, bool]] = []
        self.suggestions: list[str] = []
        self.colors: Any = None
        self.busy = False

    def prepare_live(self) -> None:
        self.prepared = True

    def focus_chain(self) -> list[QWidget]:
        return [self.composer]

    def set_colors(self, colors: Any) -> None:
        self.colors = colors

    def set_suggestions(self, prompts: list[str]) -> None:
        self.suggestions = list(prompts)

    def offer_undo(self, text: str) -> None:
        self.undo_offers.append(text)

    def dismiss_undo(self) -> None:
        self.undo_offers.clear()

    def set_messages(self, messages: list[ChatMessage]) -> None:
        self.messages = list(messages)

    def append_message(self, message: ChatMessage) -> None:
        self.messages.append(message)

    def begin_reply(self) -> None:
        pass

    def append_reply_text(self, text: str) -> None:
        pass

    def remove_last_reply(self) -> None:
        if self.messages and self.messages[-1].role == "assistant":
            self.messages.pop()

    def end_reply(self, message: ChatMessage) -> None:
        self.messages.append(message)

    def show_error(self, message: str, retryable: bool, *, reply: bool = True) -> None:
        self.errors.append((message, retryable))

    def set_busy(self, busy: bool) -> None:
        self.busy = busy

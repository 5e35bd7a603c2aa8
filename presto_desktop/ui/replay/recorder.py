"""WindowRecorder: what the window does, fed to a session.recording.Recorder as demo events.

Whole messages as they appear in the chat history (typed turns, chips, tab prompts, scripted
and spoken turns, finished replies, the window's own welcomes and questions), the streamed
chunks and tool calls from the chat controller, modes applied and failures, on any engine.
Recording starts with the mode and the conversation on screen, so a replay starts from the
same picture.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.session.recording import Recorder
from presto_desktop.ui.chat.panel import ChatPanel

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode
    from presto_desktop.core.recording import Recording
    from presto_desktop.ui.shell.mode_controller import ModeController
    from presto_desktop.ui.shell.seams import WindowChat
    from presto_desktop.ui.shell.window import MainWindow

EngineInfo = Callable[[], "tuple[str, str]"]  # (kind, label) of the engine in use


class WindowRecorder(QObject):
    """Listens to the window while on; `recording()` gives what was recorded so far.

    Whole messages are taken from the chat history's rows as they appear (typed, chips, tab
    prompts, scripted and spoken turns, finished replies, the window's own welcomes), in the
    order the window shows them; the streamed chunks and tool calls from the chat controller.
    """

    def __init__(self, window: MainWindow, modes: ModeController, chat: WindowChat,
                 engine: EngineInfo) -> None:
        super().__init__(window)
        self._window, self._modes, self._chat, self._engine = window, modes, chat, engine
        self._recorder: Recorder | None = None
        self._generated: str | None = None  # id of the mode a generation just made
        self._last_user: str | None = None
        self._switched = False  # a mode change since the last user turn (its trigger)
        self._reset = False  # the history was replaced since (the new mode's conversation)
        self.paused = False  # a replay on screen is not recorded
        self.active = False
        modes.generation_finished.connect(self._on_generated)
        modes.mode_changed.connect(self._on_mode)
        chat.reply_delta.connect(self._delta)
        chat.tool_called.connect(self._tool)
        chat.failed.connect(self._failed)
        panel = window.chat_panel
        self._rows = panel.model if isinstance(panel, ChatPanel) else None
        if self._rows is not None:
            self._rows.rowsInserted.connect(self._rows_added)
            self._rows.modelReset.connect(self._on_reset)

    @property
    def has_events(self) -> bool:
        """Whether anything was recorded (since the last start)."""
        return self._recorder is not None and bool(self._recorder.events)

    def start(self) -> None:
        """Begin a new recording with the mode and conversation on screen."""
        kind, label = self._engine()
        self._recorder = Recorder(kind, label)
        self.active = True
        self._last_user, self._switched, self._reset = None, False, False
        self._recorder.mode_applied(self._modes.current, "applied")
        from presto_desktop.ui.chat.controller import ChatController  # loaded by the window

        # The conversation on screen (a stand-in chat in tests has none to tell).
        chat = self._chat
        for message in chat.messages if isinstance(chat, ChatController) else []:
            self._message(self._recorder, message)

    def stop(self) -> None:
        """Stop listening; what was recorded stays for `recording()`."""
        self.active = False

    def recording(self, title: str = "") -> Recording | None:
        """What was recorded so far (None if nothing was)."""
        if self._recorder is None or not self._recorder.events:
            return None
        return self._recorder.recording(title)

    # -- what the window does ----------------------------------------------------------------
    def _on(self) -> Recorder | None:
        return self._recorder if self.active and not self.paused else None

    @staticmethod
    def _message(recorder: Recorder, message: ChatMessage) -> None:
        """A whole message on screen."""
        if message.role == "user":
            recorder.user_message(message.content)
            return
        for call in message.tool_calls:
            recorder.tool_call(call)
        recorder.reply_done(message.content, message.status)

    def _on_generated(self, mode: Mode) -> None:
        self._generated = mode.id

    def _on_mode(self, mode: Mode) -> None:
        how = "generated" if self._generated == mode.id else "applied"
        self._generated = None
        self._switched, self._reset = True, False
        if (recorder := self._on()) is not None:
            recorder.mode_applied(mode, how)

    def _on_reset(self) -> None:
        self._reset = self._switched

    def _delta(self, text: str) -> None:
        if (recorder := self._on()) is not None:
            recorder.reply_chunk(text)

    def _tool(self, call: ToolCall) -> None:
        if (recorder := self._on()) is not None:
            recorder.tool_call(call)

    def _failed(self, message: str, _retryable: bool = False) -> None:
        if (recorder := self._on()) is not None:
            recorder.failure(message)

    def _rows_added(self, _parent: QModelIndex, first: int, last: int) -> None:
        """Messages as they appear in the history (an error bubble is recorded as a failure)."""
        rows, recorder = self._rows, self._on()
        if rows is None or recorder is None:
            return
        for row in range(first, last + 1):
            if rows.is_transient(row):
                continue
            message = rows.message(row)
            if message.role == "user":
                if self._reset and message.content == self._last_user:
                    # The trigger, shown again in the new mode's conversation: the replay
                    # moves it there itself.
                    self._switched = self._reset = False
                    continue
                self._last_user, self._switched, self._reset = message.content, False, False
                recorder.user_message(message.content)
            else:
                # A streamed reply's chunks and tool calls are recorded already.
                recorder.reply_done(message.content, message.status)


__all__ = ["WindowRecorder"]

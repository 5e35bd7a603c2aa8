"""ReplayStage: a recording's demo events shown in the window the way the live window shows them.

The same widgets and paths as a live session: a mode restyles the window in loop-turn steps
(ThemeManager.apply in steps, the content as steps of the window's ModeChange), user turns and
finished messages are bubbles, a reply streams into the live bubble, tool calls draw charts and
KPIs or offer chips. Nothing reaches the controllers: no engine, no saved conversation, no
last mode. Each mode keeps the conversation the recording gave it, as the window keeps one per
mode; a trigger (a user turn answered by a mode change) moves into the new mode's conversation,
as the window posts it there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.demo_events import (
    DemoEvent,
    ModeApplied,
    ReplyDelta,
    ReplyDone,
    ToolCalled,
    UserSaid,
)
from presto_desktop.session.presenter import MAX_CHIP_CHARS, MAX_CHIPS
from presto_desktop.ui.shell.mode_content import show_mode_content

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode
    from presto_desktop.core.patterns import ThemeScheme
    from presto_desktop.ui.shell.window import MainWindow
    from presto_desktop.ui.theme.manager import ThemeManager

STEP_POLL_S = 0.001  # how often a mode's content steps are checked for being done


class ReplayStage:
    """Renders demo events into `window` (its chat column, dashboard, header and theme)."""

    def __init__(self, window: MainWindow, theme: ThemeManager,
                 scheme: Callable[[], ThemeScheme],
                 on_mode: Callable[[Mode], object] | None = None) -> None:
        """`on_mode` hears each mode shown (the dashboard's backdrop follows the mode)."""
        self._window, self._theme, self._scheme = window, theme, scheme
        self._on_mode = on_mode
        self._mode: Mode | None = None
        self._conversations: dict[str, list[ChatMessage]] = {}
        self._waiting_user = False  # the last event was a user turn nothing has answered yet
        self._streaming = False
        self._calls: list[ToolCall] = []

    @property
    def mode(self) -> Mode | None:
        """The mode the replay shows (None before its first mode)."""
        return self._mode

    def reset(self) -> None:
        """Forget what was shown (a new replay starts from nothing)."""
        self._mode, self._conversations = None, {}
        self._waiting_user = self._streaming = False
        self._calls = []

    async def show(self, event: DemoEvent) -> None:
        """Show one event; a mode returns once its content is in the window."""
        if isinstance(event, ModeApplied):
            await self._show_mode(event.mode)
        elif isinstance(event, UserSaid):
            self._user(event.text)
        elif isinstance(event, ReplyDelta):
            self._delta(event.text)
        elif isinstance(event, ToolCalled):
            self._tool(event.call)
        elif isinstance(event, ReplyDone):
            self._done(event.text, event.status)
        # StepStarted and StepFailed are the presenter console's, not the window's.

    # -- modes -----------------------------------------------------------------------------
    async def _show_mode(self, mode: Mode) -> None:
        """Restyle to `mode` and show its conversation, as the window's mode change does."""
        if self._mode is not None and self._mode == mode:
            return  # the same mode again: the window does not change either
        moved = self._take_trigger()
        self._end_stream()
        self._mode = mode
        conversation = self._conversations.setdefault(mode.id, [])
        if moved is not None:
            conversation.append(moved)
        if self._on_mode is not None:
            self._on_mode(mode)
        show_mode(self._window, self._theme, mode, self._scheme(),
                  lambda: self._show_chat(mode))
        while self._window.mode_change.pending("content"):
            await asyncio.sleep(STEP_POLL_S)

    def _take_trigger(self) -> ChatMessage | None:
        """The user turn a mode change answers: it belongs to the new mode's conversation."""
        if not self._waiting_user or self._mode is None:
            return None
        conversation = self._conversations.get(self._mode.id, [])
        self._waiting_user = False
        if conversation and conversation[-1].role == "user":
            return conversation.pop()
        return None

    def _show_chat(self, mode: Mode) -> None:
        panel = self._window.chat_panel
        panel.set_suggestions(list(mode.suggested_prompts))
        panel.set_messages(list(self._conversations.get(mode.id, [])))

    # -- turns -----------------------------------------------------------------------------
    def _conversation(self) -> list[ChatMessage]:
        key = self._mode.id if self._mode is not None else ""
        return self._conversations.setdefault(key, [])

    def _user(self, text: str) -> None:
        self._end_stream()
        message = ChatMessage("user", text)
        self._conversation().append(message)
        self._window.chat_panel.append_message(message)
        self._waiting_user = True

    def _begin_reply(self) -> None:
        """A reply starts: typing dots, Send becomes Stop (as while a live reply streams)."""
        self._waiting_user = False
        if self._streaming:
            return
        self._streaming, self._calls = True, []
        panel = self._window.chat_panel
        panel.begin_reply()
        panel.set_busy(True)

    def _delta(self, text: str) -> None:
        self._begin_reply()
        self._window.chat_panel.append_reply_text(text)

    def _tool(self, call: ToolCall) -> None:
        self._begin_reply()
        self._calls.append(call)
        if call.name == "suggest_prompts":
            prompts = call.arguments.get("prompts")
            if isinstance(prompts, list):
                self._window.chat_panel.set_suggestions(
                    [str(p)[:MAX_CHIP_CHARS] for p in prompts[:MAX_CHIPS]])
            return
        # Drawn over the next loop turns (a chart built in one turn is 10-30 ms).
        self._window.replay_tool_call(call)

    def _done(self, text: str, status: str) -> None:
        """A finished message: the streamed reply moves into the history, else a new bubble."""
        self._waiting_user = False
        message = ChatMessage("assistant", text, tuple(self._calls), status)
        panel = self._window.chat_panel
        if self._streaming:
            self._streaming = False
            panel.end_reply(message)
            panel.set_busy(False)
        elif text or self._calls:
            panel.append_message(message)
        self._calls = []
        if text or message.tool_calls:
            self._conversation().append(message)

    def _end_stream(self) -> None:
        """A reply left streaming (a mode change stopped it): closed, as the window stops it."""
        if self._streaming:
            self._done("", "stopped")


def show_mode(window: MainWindow, theme: ThemeManager, mode: Mode, scheme: ThemeScheme,
              show_chat: Callable[[], None]) -> None:
    """Restyle `window` to `mode` as its own mode change does: header and palette now; persona,
    KPIs, tabs, `show_chat` and the tab order as steps of the window's mode change."""
    show_mode_content(window, mode, show_chat, in_steps=True)
    theme.apply(mode.palette, scheme, in_steps=True)


__all__ = ["ReplayStage", "show_mode"]

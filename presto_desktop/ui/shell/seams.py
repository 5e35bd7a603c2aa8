"""What the window needs of its chat column and chat controller, as protocols.

The real ChatPanel and ChatController satisfy them, and so do the tests' stand-ins
(tests/ui/fakes.py): the window never probes for a member with getattr.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from presto_desktop.session.presenter import ChatSession
from presto_desktop.ui.chat.notice import ClearableChat, UndoOffer

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from presto_desktop.core.chat import ChatMessage
    from presto_desktop.ui.theme.colors import ThemeColors


@runtime_checkable
class ChatColumn(UndoOffer, Protocol):
    """The chat column (a QWidget) as the window lays it out, wires and shows messages in."""

    @property
    def submitted(self) -> SignalInstance:
        """Text the user sent (str)."""

    @property
    def stop_requested(self) -> SignalInstance:
        """Stop the reply in flight."""

    @property
    def regenerate_requested(self) -> SignalInstance:
        """Replace the last reply."""

    @property
    def retry_requested(self) -> SignalInstance:
        """Retry after a failure."""

    @property
    def new_conversation_requested(self) -> SignalInstance:
        """Ctrl+N."""

    @property
    def undo_requested(self) -> SignalInstance:
        """Undo after "New conversation"."""

    @property
    def view(self) -> QWidget:
        """The conversation's history (hosts the overlay while the dashboard is collapsed)."""

    @property
    def composer(self) -> QWidget:
        """Where people type (focused at start)."""

    def prepare_live(self) -> None:
        """Build the live reply bubble ahead of the first reply."""

    def focus_chain(self) -> list[QWidget]:
        """The column's focus stops in screen order."""

    def set_colors(self, colors: ThemeColors) -> None:
        """Repaint what paints itself in `colors`."""

    def set_messages(self, messages: list[ChatMessage]) -> None:
        """Show `messages` as the whole chat."""

    def append_message(self, message: ChatMessage) -> None:
        """Show one message at the end."""

    def set_suggestions(self, prompts: list[str]) -> None:
        """Offer `prompts` as chips."""

    def show_error(self, message: str, retryable: bool, *, reply: bool = True) -> None:
        """Show an error bubble (with Retry when `retryable`; `reply`: a failed reply)."""

    def begin_reply(self) -> None:
        """A reply starts streaming."""

    def append_reply_text(self, text: str) -> None:
        """More of the streaming reply."""

    def end_reply(self, message: ChatMessage) -> None:
        """The reply is complete: `message` joins the history."""

    def remove_last_reply(self) -> None:
        """Drop the last assistant reply (Regenerate, Retry)."""

    def set_busy(self, busy: bool) -> None:
        """Whether a reply is in flight (Send becomes Stop)."""


@runtime_checkable
class WindowChat(ChatSession, ClearableChat, Protocol):
    """The chat controller as the window wires it (and hands it to presenter and Ctrl+N)."""

    @property
    def reply_started(self) -> SignalInstance:
        """A reply starts."""

    @property
    def reply_delta(self) -> SignalInstance:
        """More reply text (str), at most once per frame."""

    @property
    def reply_finished(self) -> SignalInstance:
        """The reply's ChatMessage."""

    @property
    def last_reply_removed(self) -> SignalInstance:
        """Regenerate or Retry dropped the last reply."""

    @property
    def tool_called(self) -> SignalInstance:
        """A ToolCall to draw."""

    @property
    def failed(self) -> SignalInstance:
        """(message, retryable)."""

    @property
    def busy_changed(self) -> SignalInstance:
        """(busy)."""

    @property
    def conversation_loaded(self) -> SignalInstance:
        """The mode's conversation (list of ChatMessage)."""

    def stop(self) -> None:
        """Stop the reply in flight."""

    def regenerate(self) -> object:
        """Replace the last reply."""

    def clear_cache(self, mode_id: str) -> None:
        """Forget `mode_id`'s cached answers (the library's Forget answers)."""

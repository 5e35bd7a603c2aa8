"""The chat column's reply as it streams (the live bubble) and its move into the history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from presto_desktop.core.chat import ChatMessage
from presto_desktop.ui.chat.commit import COMMIT_DEFER_CHARS, SlicedCommit
from presto_desktop.ui.chat.composer import TypingIndicator
from presto_desktop.ui.chat.delegate import ChatDelegate
from presto_desktop.ui.chat.model import ChatModel
from presto_desktop.ui.chat.view import ChatHistoryView
from presto_desktop.ui.theme.colors import ThemeColors

if TYPE_CHECKING:
    from presto_desktop.ui.chat.live import LiveBubble, LiveReply
    from presto_desktop.ui.chat.markdown import SafeTextDocument


class ReplyArea:
    """ChatPanel's part for the streaming reply (a mixin: the panel builds these widgets)."""

    model: ChatModel
    view: ChatHistoryView
    delegate: ChatDelegate
    typing: TypingIndicator
    _commit: SlicedCommit
    _live_bubble: LiveBubble | None
    _colors: ThemeColors | None
    _retryable: bool

    def _update_actions(self) -> None:
        raise NotImplementedError  # the panel's

    @property
    def live_bubble(self) -> LiveBubble:
        """The streaming reply's bubble (built on first use)."""
        if self._live_bubble is None:
            from presto_desktop.ui.chat.live import LiveBubble

            self._live_bubble = LiveBubble(self.view, self.delegate)
            if self._colors is not None:
                self._live_bubble.set_colors(self._colors)
        return self._live_bubble

    @property
    def live(self) -> LiveReply:
        """The streaming reply's text view (built on first use)."""
        return self.live_bubble.reply

    def prepare_live(self) -> None:
        """Build the live bubble now (after the first paint), not in the first reply's turn."""
        _ = self.live_bubble

    def _close_live(self) -> None:
        if self._live_bubble is not None:
            self._live_bubble.close_reply()

    def begin_reply(self) -> None:
        """A reply is on its way: typing dots until the first text."""
        self.flush_commit()
        self.model.drop_transient()
        self._retryable = False
        self._close_live()
        self.typing.start()
        self._update_actions()

    def append_reply_text(self, text: str) -> None:
        """More reply text (already batched to at most one call per frame)."""
        if not text:
            return
        if self.typing.isVisible():
            self.typing.stop()
        if self.live_bubble.isHidden():
            self.live_bubble.open()
        self.live.append_text(text)

    def end_reply(self, message: ChatMessage) -> None:
        """The reply is complete (or stopped): move it into the history.

        A long reply is laid out a slice per loop turn (the live view keeps showing it
        meanwhile), so committing ~17 KB of Markdown never blocks the loop for one long turn.
        """
        self.typing.stop()
        self.flush_commit()
        width = self.view.viewport().width()
        if not (message.content or message.tool_calls):
            self._finish_reply(None)
        elif (len(message.content) >= COMMIT_DEFER_CHARS and self._live_bubble is not None
              and self.live.isVisible() and width > 0):
            doc = self.delegate.new_document(message, width, self.view.font())
            self._commit.start(message, width, doc)
        else:
            self._finish_reply(message)
        self._update_actions()

    def flush_commit(self) -> None:
        """Finish a pending commit now (before anything else changes the history)."""
        self._commit.flush()

    def _finish_reply(
        self, message: ChatMessage | None, doc: SafeTextDocument | None = None, width: int = 0
    ) -> None:
        if message is None:
            self._close_live()
            return
        row = self.model.append(message)
        if doc is not None:
            self.delegate.adopt(self.model.key(row), message, width, self.view.font(), doc)
        # Measured now: the paint that follows in the next turn only draws.
        self.view.measure_row(row)
        # The row takes the live bubble's place in the same turn: no frame shows neither.
        self._close_live()
        self.view.scroll_to_bottom()


__all__ = ["ReplyArea"]

"""The user's spoken words as a live chat bubble: it grows as the transcript arrives, then
becomes the saved message (voice mode; ui/shell/voice_wiring.py drives it).

The row is a normal history row, not the assistant's live tail, so a reply that starts
streaming before the transcription is final (realtime servers do that) stays below it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from presto_desktop.core.chat import ChatMessage

if TYPE_CHECKING:
    from presto_desktop.ui.chat.panel import ChatPanel

LIVE_MARK = " …"  # the words so far: more may come


class LiveUserTurn:
    """One utterance's row in the history, from the first partial transcript to the final."""

    def __init__(self, panel: ChatPanel) -> None:
        self._panel = panel
        self._key: int | None = None  # the live row's content key while one is shown

    @property
    def active(self) -> bool:
        """True while a partial transcript is shown."""
        return self._row() is not None

    def partial(self, text: str) -> None:
        """What the user has said so far (the whole utterance, not a delta)."""
        words = " ".join(text.split())
        if not words:
            return
        self._put(ChatMessage("user", words + LIVE_MARK))

    def final(self, message: ChatMessage) -> None:
        """The finished utterance takes the live row's place (or is appended)."""
        self._put(message)
        self._key = None

    def drop(self) -> None:
        """Voice ended mid-utterance: the words never became a turn, so they go."""
        row = self._row()
        self._key = None
        model = self._panel.model
        if row is not None and row == model.rowCount() - 1:
            model.remove_last()
        elif row is not None:  # not the last row (a reply came after): say it was cut
            text = model.message(row).content.removesuffix(LIVE_MARK)
            model.replace(row, ChatMessage("user", text, status="incomplete"))

    def _put(self, message: ChatMessage) -> None:
        panel, row = self._panel, self._row()
        if row is None:
            panel.append_message(message)
            self._key = panel.model.key(panel.model.rowCount() - 1)
        else:
            self._key = panel.model.replace(row, message)
        panel.view.scroll_to_bottom()

    def _row(self) -> int | None:
        return None if self._key is None else self._panel.model.row_of(self._key)

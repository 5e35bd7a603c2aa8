"""Conversation history as the window uses it: Ctrl+N, its Undo, the History dialog's rows.

Decisions only (no Qt): what Ctrl+N keeps, what Undo reopens, how a row reads, what a delete
and its Undo do to the conversation on screen. Every change that touches a mode's *current*
conversation goes through `run_change`, which the chat controller provides: it saves the
conversation on screen first, fences off older snapshots still queued for saving (else they
would write the old conversation over the new one) and then shows the new current one.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.conversation_history import (
    ConversationHistory,
    ConversationInfo,
    Deleted,
    SearchHit,
)
from presto_desktop.core.conversations import ConversationStore

T = TypeVar("T")
# run_change(mode_id, change): run `change` (which rewrites mode_id's files) and return its result.
ChangeRunner = Callable[[str, Callable[[], T]], T]
# The same with the files' work on a worker thread (the chat controller's run_change_off_loop).
AsyncChangeRunner = Callable[[str, Callable[[], T]], Awaitable[T]]
ROLE_NAMES = {"user": "You", "assistant": "Assistant", "title": "Title"}
TITLE_CHARS = 90


@dataclass(frozen=True)
class HistoryRow:
    """One line of the History dialog: a conversation of the mode, or a search hit."""

    mode_id: str
    conversation_id: str
    title: str  # one line of plain (untrusted) text
    detail: str  # date and size, or where the hit is and its snippet
    current: bool
    editable: bool  # a conversation row (rename, delete); search hits only open


def has_user_turn(messages: list[ChatMessage]) -> bool:
    """Whether a conversation holds anything the user said (else it is not worth keeping)."""
    return any(message.role == "user" for message in messages)


def when(stamp: float, now: float) -> str:
    """A timestamp as a row shows it: "Today 14:05", "Yesterday 09:12" or "3 Dec 2026 18:40"."""
    if stamp <= 0:
        return "Undated"
    moment, today = datetime.fromtimestamp(stamp), datetime.fromtimestamp(now).date()
    days = (today - moment.date()).days
    if days == 0:
        return f"Today {moment:%H:%M}"
    if days == 1:
        return f"Yesterday {moment:%H:%M}"
    return f"{moment.day} {moment:%b %Y %H:%M}"


def one_line(text: str, limit: int = TITLE_CHARS) -> str:
    """Untrusted text on one line, shortened with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def conversation_row(info: ConversationInfo, now: float) -> HistoryRow:
    """How a conversation of the current mode reads in the list."""
    count = f"{info.message_count} message{'' if info.message_count == 1 else 's'}"
    parts = [when(info.updated_at, now), count] + (["open now"] if info.current else [])
    return HistoryRow(info.mode_id, info.id, one_line(info.display_title), " · ".join(parts),
                      info.current, editable=True)


def hit_row(hit: SearchHit, mode_name: str) -> HistoryRow:
    """How a search hit reads: the mode and conversation, then who said it and the snippet."""
    title = hit.title or ("Current conversation" if hit.current else "Earlier conversation")
    where = ROLE_NAMES.get(hit.role, hit.role)
    return HistoryRow(hit.mode_id, hit.conversation_id, one_line(f"{mode_name} · {title}"),
                      one_line(f"{where}: {hit.snippet}", 160), hit.current, editable=False)


async def _nothing() -> None:
    return None


def _run_now(_mode_id: str, change: Callable[[], T]) -> T:
    return change()


class HistoryService:
    """Ctrl+N, Undo and the History dialog's actions on one ConversationStore."""

    def __init__(self, store: ConversationStore, *, run_change: ChangeRunner | None = None,
                 run_change_off_loop: AsyncChangeRunner | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        """`run_change` is the chat controller's (see the module doc); without one, changes run
        now. `run_change_off_loop` is its twin for `open_off_loop`."""
        self._store, self._clock = store, clock
        self.history = ConversationHistory(store, clock=clock)
        self._run: ChangeRunner = run_change or _run_now
        self._run_off_loop = run_change_off_loop
        self.last_deleted: Deleted | None = None

    def set_runner(self, run_change: ChangeRunner) -> None:
        """Route changes of a current conversation through `run_change` from now on."""
        self._run = run_change

    # -- Ctrl+N and its Undo ----------------------------------------------------------------
    def start_new(self, mode_id: str) -> str | None:
        """Keep the current conversation and start an empty one; the kept one's id.

        A conversation without a word from the user (the welcome only) is not kept: None.
        """
        return self._run(mode_id, lambda: self._start_new(mode_id))

    def _start_new(self, mode_id: str) -> str | None:
        with self._store.transaction():
            messages, meta = self._store.current(mode_id)
            if not has_user_turn(messages):
                self._store.replace_current(mode_id, [], meta)
            kept = self.history.start_new(mode_id)
        return None if kept is None else kept.id

    def open(self, mode_id: str, conversation_id: str) -> None:
        """Make `conversation_id` the current conversation of `mode_id`: the current one is
        kept if the user said anything in it (a welcome-only one goes). Also Ctrl+N's Undo."""
        self._run(mode_id, lambda: self._open(mode_id, conversation_id))

    reopen = open

    def open_off_loop(self, mode_id: str, conversation_id: str) -> Awaitable[None]:
        """`open`, with the files read and written on a worker thread (a big conversation's
        parsing must not hold up the loop): started now, done when the result is awaited.
        Without an async runner, `open` now."""
        if self._run_off_loop is None:
            self.open(mode_id, conversation_id)
            return _nothing()
        return self._run_off_loop(mode_id, lambda: self._open(mode_id, conversation_id))

    def _open(self, mode_id: str, conversation_id: str) -> None:
        with self._store.transaction():
            messages, meta = self._store.current(mode_id)
            if messages and not has_user_turn(messages):
                self._store.replace_current(mode_id, [], meta)
            self.history.open(mode_id, conversation_id)

    # -- the History dialog -----------------------------------------------------------------
    def rows(self, mode_id: str) -> list[HistoryRow]:
        """`mode_id`'s conversations, the current one first (if it has a word from the user)."""
        now = self._clock()
        infos = self.history.list_conversations(mode_id)
        # The conversation on screen is listed once the user said something in it.
        worth = has_user_turn(self._store.current(mode_id)[0])
        return [conversation_row(info, now) for info in infos if worth or not info.current]

    def search(self, query: str, mode_name: Callable[[str], str]) -> list[HistoryRow]:
        """Hits for `query` across every mode's conversations, one row per hit."""
        return [hit_row(hit, mode_name(hit.mode_id)) for hit in self.history.search(query)]

    def rename(self, row: HistoryRow, title: str) -> str:
        """Give `row`'s conversation a title; the title stored ("" = back to its first question)."""
        return self.history.rename(row.mode_id, row.conversation_id, title)

    def delete(self, row: HistoryRow) -> Deleted:
        """Delete `row`'s conversation (the one on screen too); `undo_delete` brings it back."""
        if row.current:
            deleted = self._run(row.mode_id, lambda: self.history.delete(row.mode_id,
                                                                          row.conversation_id))
        else:
            deleted = self.history.delete(row.mode_id, row.conversation_id)
        self.last_deleted = deleted
        return deleted

    def undo_delete(self) -> Deleted | None:
        """Bring the last deleted conversation back (StoreError when too late); which one."""
        deleted, self.last_deleted = self.last_deleted, None
        if deleted is None:
            return None
        if deleted.was_current:
            self._run(deleted.mode_id, lambda: self._undo_current(deleted))
        else:
            self.history.undo_delete(deleted)
        return deleted

    def _undo_current(self, deleted: Deleted) -> None:
        """The deleted conversation was on screen: it is again, unless the user said more since."""
        with self._store.transaction():
            messages, meta = self._store.current(deleted.mode_id)
            if messages and not has_user_turn(messages):
                self._store.replace_current(deleted.mode_id, [], meta)
            self.history.undo_delete(deleted)

    def messages(self, mode_id: str, conversation_id: str) -> list[ChatMessage]:
        """One conversation's messages (StoreError when it is gone)."""
        return self.history.messages(mode_id, conversation_id)


__all__ = ["AsyncChangeRunner", "ChangeRunner", "HistoryRow", "HistoryService", "conversation_row", "has_user_turn",
           "hit_row", "when"]

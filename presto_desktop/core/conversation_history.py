"""Conversation history: per mode, the current conversation and the past ones kept beside it.

Layout under `conversations/`: `<mode>.json` is the current conversation (ConversationStore's
file, unchanged, so files written before history existed keep loading; they gain a
`conversation` object — id, title, created_at — on their next write or first listing),
`<mode>/<id>.json` are past conversations, `<mode>/trash/<id>.<ms>.json` deleted ones that can
still be brought back within the undo window. Every change holds the store's guard and the data
dir's lock (ConversationStore.transaction) and writes atomically.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presto_desktop.core.atomic import atomic_write_bytes
from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.conversation_json import (
    _SLUG_RE,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    MAX_MESSAGES,
    MAX_TITLE_CHARS,
    conversation_id,
    dump_document,
    is_conversation_id,
    legacy_meta,
    message_from_json,
    message_to_json,
    meta_from_json,
)
from presto_desktop.core.conversations import ConversationStore, remove_file
from presto_desktop.core.errors import StoreError
from presto_desktop.core.safe_read import UnreadableFileError, read_limited

log = logging.getLogger(__name__)
UNDO_S = 10.0  # as long as the window offers Undo (ui/chat/notice.py UNDO_SECONDS)
MAX_PAST = 1_000  # past conversations kept per mode (the oldest go first)
MAX_HITS = 200
PREVIEW_CHARS = 80
TRASH = "trash"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ConversationInfo:
    """One conversation of a mode, as a history list shows it."""

    mode_id: str
    id: str
    title: str
    created_at: float
    updated_at: float
    message_count: int
    current: bool
    preview: str  # the first user message, shortened

    @property
    def display_title(self) -> str:
        """The title, else the first question, else "New conversation"."""
        return self.title or self.preview or "New conversation"


@dataclass(frozen=True)
class SearchHit:
    """A message (index >= 0) or a title (index -1) that matched a search."""

    mode_id: str
    conversation_id: str
    title: str
    current: bool
    index: int
    role: str
    snippet: str


@dataclass(frozen=True)
class Deleted:
    """A deleted conversation, restorable with `undo_delete` until `deleted_at` + the window."""

    mode_id: str
    conversation_id: str
    deleted_at: float
    was_current: bool


@dataclass(frozen=True)
class _Conversation:
    meta: dict[str, Any]
    messages: list[ChatMessage]
    current: bool


def _info(mode_id: str, conv: _Conversation) -> ConversationInfo:
    messages = conv.messages
    first = next((m.content for m in messages if m.role == "user"), "")
    preview = " ".join(first.split())[:PREVIEW_CHARS]
    updated = max((m.at for m in messages), default=conv.meta["created_at"])
    return ConversationInfo(mode_id, conv.meta["id"], conv.meta["title"], conv.meta["created_at"],
                            updated, len(messages), conv.current, preview)


def clean_title(title: str) -> str:
    """A title as stored: one line, no control characters, at most 200 characters."""
    return " ".join(_CONTROL.sub(" ", title).split())[:MAX_TITLE_CHARS]


class ConversationHistory:
    """Lists, starts, opens, renames, deletes (with undo) and searches a mode's conversations."""

    def __init__(self, store: ConversationStore, *, clock: Callable[[], float] = time.time,
                 undo_s: float = UNDO_S) -> None:
        self._store, self._clock, self._undo_s = store, clock, undo_s

    # -- where things are -------------------------------------------------------------------
    def folder(self, mode_id: str) -> Path:
        """The folder of `mode_id`'s past conversations (a bad id raises StoreError)."""
        current = self._store.path_for(mode_id)
        return current.with_name(mode_id)

    def _past_path(self, mode_id: str, conv_id: str) -> Path:
        if not is_conversation_id(conv_id):
            raise StoreError(f"not a conversation id: {conv_id!r:.80}")
        return self.folder(mode_id) / f"{conv_id}.json"

    # -- reading ----------------------------------------------------------------------------
    def list_conversations(self, mode_id: str) -> list[ConversationInfo]:
        """The current conversation (if it has messages), then past ones, newest first."""
        with self._store.transaction():
            self.purge(mode_id)
            self._migrate(mode_id)
            return [_info(mode_id, conv) for conv in self._conversations(mode_id)]

    def messages(self, mode_id: str, conv_id: str) -> list[ChatMessage]:
        """The messages of one conversation (current or past); StoreError when it is gone."""
        return self._find(mode_id, conv_id).messages

    def _conversations(self, mode_id: str) -> Iterator[_Conversation]:
        messages, meta = self._store.current(mode_id)
        if messages:
            yield _Conversation(meta or legacy_meta(mode_id, messages, self._clock()), messages, True)
        for path in self._past_files(mode_id):
            conv = self._read_past(path)
            if conv is not None:
                yield conv

    def _past_files(self, mode_id: str) -> list[Path]:
        folder = self.folder(mode_id)
        try:
            names = [p for p in folder.iterdir() if p.suffix == ".json" and is_conversation_id(p.stem)]
        except OSError:
            return []
        return sorted(names, key=lambda p: p.stem, reverse=True)[:MAX_PAST]

    def _read_past(self, path: Path) -> _Conversation | None:
        """A past conversation's file; a bad one is set aside and skipped."""
        conv = _read_file(path)
        if isinstance(conv, str):
            _set_aside(path, conv)
            return None
        if conv is not None and conv.meta["id"] != path.stem:
            _set_aside(path, "its conversation id is not its file name")
            return None
        return conv

    def _find(self, mode_id: str, conv_id: str) -> _Conversation:
        messages, meta = self._store.current(mode_id)
        if messages and (meta or legacy_meta(mode_id, messages, 0.0))["id"] == conv_id:
            return _Conversation(meta or legacy_meta(mode_id, messages, 0.0), messages, True)
        conv = self._read_past(self._past_path(mode_id, conv_id))
        if conv is None:
            raise StoreError(f"no conversation {conv_id!r} in {mode_id}")
        return conv

    def _migrate(self, mode_id: str) -> None:
        """Give a current conversation written before history existed its `conversation` object."""
        messages, meta = self._store.current(mode_id)
        if messages and meta is None:
            self._store.replace_current(mode_id, messages, legacy_meta(mode_id, messages, 0.0))

    # -- changing ---------------------------------------------------------------------------
    def start_new(self, mode_id: str) -> ConversationInfo | None:
        """Keep the current conversation as a past one and start an empty one (Ctrl+N).

        Returns the kept conversation, or None when the current one was empty.
        """
        with self._store.transaction():
            messages, meta = self._store.current(mode_id)
            fresh = {"id": conversation_id(self._clock()), "title": "", "created_at": self._clock()}
            if not messages:
                self._store.replace_current(mode_id, [], fresh)
                return None
            kept = _Conversation(meta or legacy_meta(mode_id, messages, 0.0), messages, False)
            self._write_past(self._past_path(mode_id, kept.meta["id"]), mode_id, kept)
            self._store.replace_current(mode_id, [], fresh)
            self._prune(mode_id)
            return _info(mode_id, kept)

    def open(self, mode_id: str, conv_id: str) -> list[ChatMessage]:
        """Make past conversation `conv_id` the current one (the current one is kept); its messages."""
        with self._store.transaction():
            chosen = self._find(mode_id, conv_id)
            if chosen.current:
                return chosen.messages
            messages, meta = self._store.current(mode_id)
            if messages:
                now = _Conversation(meta or legacy_meta(mode_id, messages, 0.0), messages, False)
                self._write_past(self._past_path(mode_id, now.meta["id"]), mode_id, now)
            self._store.replace_current(mode_id, chosen.messages, chosen.meta)
            remove_file(self._past_path(mode_id, conv_id))
            return chosen.messages

    def rename(self, mode_id: str, conv_id: str, title: str) -> str:
        """Give a conversation a title ("" goes back to its first question); the stored title."""
        title = clean_title(title)
        with self._store.transaction():
            conv = self._find(mode_id, conv_id)
            meta = {**conv.meta, "title": title}
            if conv.current:
                self._store.replace_current(mode_id, conv.messages, meta)
            else:
                path = self._past_path(mode_id, conv_id)
                self._write_past(path, mode_id, _Conversation(meta, conv.messages, False))
        return title

    def delete(self, mode_id: str, conv_id: str) -> Deleted:
        """Move a conversation to the trash; `undo_delete` brings it back within the window."""
        with self._store.transaction():
            conv = self._find(mode_id, conv_id)
            now = self._clock()
            trash = self.folder(mode_id) / TRASH / f"{conv_id}.{int(now * 1000)}.json"
            self._write_past(trash, mode_id, conv)
            if conv.current:
                fresh = {"id": conversation_id(now), "title": "", "created_at": now}
                self._store.replace_current(mode_id, [], fresh)
            else:
                remove_file(self._past_path(mode_id, conv_id))
            return Deleted(mode_id, conv_id, now, conv.current)

    def undo_delete(self, deleted: Deleted) -> None:
        """Bring a deleted conversation back (as current if it was and the current is empty)."""
        if self._clock() - deleted.deleted_at > self._undo_s:
            raise StoreError("too late to undo: the conversation is deleted")
        mode_id = deleted.mode_id
        trash = self.folder(mode_id) / TRASH / f"{deleted.conversation_id}.{int(deleted.deleted_at * 1000)}.json"
        with self._store.transaction():
            conv = _read_file(trash)
            if not isinstance(conv, _Conversation):
                raise StoreError("the deleted conversation is gone")
            current, _meta = self._store.current(mode_id)
            if deleted.was_current and not current:
                self._store.replace_current(mode_id, conv.messages, conv.meta)
            else:
                self._write_past(self._past_path(mode_id, conv.meta["id"]), mode_id, conv)
            remove_file(trash)

    def purge(self, mode_id: str) -> int:
        """Delete for good what was deleted longer ago than the undo window; how many."""
        folder = self.folder(mode_id) / TRASH
        limit = (self._clock() - self._undo_s) * 1000
        gone = 0
        with contextlib.suppress(OSError):
            for path in folder.iterdir():
                stamp = path.name.split(".")[1] if path.name.count(".") == 2 else ""
                if not stamp.isdigit() or int(stamp) < limit:
                    remove_file(path)
                    gone += 1
        return gone

    def _write_past(self, path: Path, mode_id: str, conv: _Conversation) -> None:
        doc = {"format_version": FORMAT_VERSION, "mode_id": mode_id, "conversation": conv.meta,
               "messages": [message_to_json(m) for m in conv.messages[-MAX_MESSAGES:]]}
        try:
            data = dump_document(doc)
        except (TypeError, ValueError, RecursionError) as exc:
            raise StoreError(f"conversation {conv.meta['id']} is not serialisable: {exc}") from exc
        atomic_write_bytes(path, data)

    def _prune(self, mode_id: str) -> None:
        """Past conversations beyond MAX_PAST go, oldest first."""
        folder = self.folder(mode_id)
        with contextlib.suppress(OSError):
            names = sorted(p for p in folder.iterdir() if p.suffix == ".json" and is_conversation_id(p.stem))
            for path in names[:-MAX_PAST]:
                remove_file(path)

    # -- search -----------------------------------------------------------------------------
    def mode_ids(self) -> list[str]:
        """Every mode with a current or past conversation."""
        folder = self._store.path_for("default").parent
        try:
            entries = list(folder.iterdir())
        except OSError:
            return []
        ids = {p.stem if p.suffix == ".json" else p.name for p in entries}
        return sorted(i for i in ids if _SLUG_RE.fullmatch(i))

    def search(self, query: str, *, mode_id: str | None = None, limit: int = MAX_HITS) -> list[SearchHit]:
        """Messages and titles holding every word of `query` (any case), across all conversations."""
        words = [w.casefold() for w in query.split()]
        if not words:
            return []
        hits: list[SearchHit] = []
        for mode in [mode_id] if mode_id else self.mode_ids():
            for conv in self._conversations(mode):
                hits.extend(_matches(mode, conv, words))
                if len(hits) >= limit:
                    return hits[:limit]
        return hits


def _matches(mode_id: str, conv: _Conversation, words: list[str]) -> Iterator[SearchHit]:
    title = conv.meta["title"]
    if title and all(w in title.casefold() for w in words):
        yield SearchHit(mode_id, conv.meta["id"], title, conv.current, -1, "title", title)
    for index, message in enumerate(conv.messages):
        folded = message.content.casefold()
        if all(w in folded for w in words):
            yield SearchHit(mode_id, conv.meta["id"], title, conv.current, index, message.role,
                            _snippet(message.content, folded.find(words[0])))


def _snippet(text: str, at: int, width: int = 40) -> str:
    """About `width` characters either side of position `at`, on one line."""
    start, end = max(0, at - width), at + width * 2
    core = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + core + ("…" if end < len(text) else "")


def _read_file(path: Path) -> _Conversation | str | None:
    """A conversation file with its `conversation` object; None if missing, else why it is bad."""
    try:
        doc = json.loads(read_limited(path, MAX_FILE_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnreadableFileError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        return str(exc) or type(exc).__name__
    meta = meta_from_json(doc.get("conversation")) if isinstance(doc, dict) else None
    if meta is None or not isinstance(doc.get("messages"), list):
        return "not a conversation file with an id"
    raw = doc["messages"][-MAX_MESSAGES:]
    parsed = (message_from_json(item, i) for i, item in enumerate(raw))
    return _Conversation(meta, [m for m in parsed if m is not None], False)


def _set_aside(path: Path, reason: str) -> None:
    target = path.with_name(f"{path.name}.corrupt-{int(time.time() * 1000)}")
    log.warning("past conversation %s is unusable (%s); moved to %s", path, reason, target.name)
    with contextlib.suppress(OSError):
        os.replace(path, target)


__all__ = ["UNDO_S", "ConversationHistory", "ConversationInfo", "Deleted", "SearchHit", "clean_title"]

"""Per-mode conversation files: atomic writes, merged across processes, failures kept for retry.

Two windows (or a window and a crash-restarted one) may chat in the same mode at once. A save
therefore re-reads the file under the data dir's lock and keeps every message another
process wrote (messages are identified by id), then replaces the file. Messages this process
has seen and dropped (a regenerated reply) stay dropped.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
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
    MAX_MESSAGE_BYTES,
    MAX_MESSAGES,
    dump_document,
    legacy_meta,
    message_from_json,
    message_to_json,
    meta_from_json,
)
from presto_desktop.core.errors import StoreError
from presto_desktop.core.filelock import data_lock
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.safe_read import FileTooLargeError, UnreadableFileError, read_limited

log = logging.getLogger(__name__)
__all__ = ["MAX_MESSAGES", "MAX_MESSAGE_BYTES", "ConversationStore", "SaveFailure",
           "message_from_json", "message_to_json", "remove_file"]


@dataclass(frozen=True)
class SaveFailure:
    """A conversation that could not be saved: `message` says why, `messages` is what to retry."""

    mode_id: str
    message: str
    messages: tuple[ChatMessage, ...]


SaveListener = Callable[[str, "SaveFailure | None"], None]


def merge_messages(ours: list[ChatMessage], theirs: list[ChatMessage]) -> list[ChatMessage]:
    """Both lists interleaved by time of writing; each keeps its own order (ties: ours first)."""
    merged: list[ChatMessage] = []
    i = j = 0
    while i < len(ours) and j < len(theirs):
        if theirs[j].at < ours[i].at:
            merged.append(theirs[j])
            j += 1
        else:
            merged.append(ours[i])
            i += 1
    return merged + ours[i:] + theirs[j:]


def _meta(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    """The `conversation` object of a file's JSON, if it has a valid one."""
    return None if doc is None else meta_from_json(doc.get("conversation"))


class ConversationStore:
    """Loads and saves one conversation per mode under `paths.conversations_dir`.

    A failed save raises StoreError and is remembered: `failed_saves()` lists them,
    `retry_failed_saves()` tries again, and the listener set with `set_save_listener` hears
    the outcome of every save (from the thread that saved: a window must hand it to its
    own thread, e.g. with a queued signal).
    """

    def __init__(self, paths: AppPaths) -> None:
        self._dir = paths.conversations_dir
        self._lock = data_lock(paths.data_dir)
        self._mutex = threading.RLock()  # in-process guard for the fields below
        self._known: dict[str, set[str]] = {}  # per mode: ids this process has loaded or saved
        self._failures: dict[str, SaveFailure] = {}
        self._listener: SaveListener | None = None
        self._caches: dict[str, dict[str, Any]] = {}  # per mode: the reply cache last saved

    def path_for(self, mode_id: str) -> Path:
        """The conversation file of `mode_id`; an id that is not a slug raises StoreError."""
        if not isinstance(mode_id, str) or not _SLUG_RE.fullmatch(mode_id):
            raise StoreError(f"not a valid mode id: {mode_id!r:.80}")
        return self._dir / f"{mode_id}.json"

    def set_save_listener(self, listener: SaveListener | None) -> None:
        """Call `listener(mode_id, failure_or_None)` after every save attempt."""
        self._listener = listener

    def failed_saves(self) -> list[SaveFailure]:
        """Conversations whose latest save failed (a later successful save clears it)."""
        with self._mutex:
            return list(self._failures.values())

    def retry_failed_saves(self) -> list[SaveFailure]:
        """Try every failed save again; returns those still failing."""
        for failure in self.failed_saves():
            with contextlib.suppress(StoreError):
                self.save(failure.mode_id, list(failure.messages))
        return self.failed_saves()

    def load(self, mode_id: str) -> list[ChatMessage]:
        """The saved messages of `mode_id`; missing gives [], corrupt is moved aside and gives []."""
        try:
            path = self.path_for(mode_id)
        except StoreError as exc:
            log.warning("%s", exc)
            return []
        messages = self._read(path)
        with self._mutex:
            self._known.setdefault(mode_id, set()).update(m.id for m in messages)
        return messages

    def _read(self, path: Path) -> list[ChatMessage]:
        return self._parse(path, self._read_doc(path))

    def _read_doc(self, path: Path) -> dict[str, Any] | None:
        """The file's JSON object, None when missing; a bad file is set aside (gives None)."""
        try:
            data = read_limited(path, MAX_FILE_BYTES)
        except FileNotFoundError:
            return None
        except FileTooLargeError:
            self._set_aside(path, "file too large")
            return None
        except (OSError, UnreadableFileError) as exc:
            log.warning("could not read conversation %s: %s", path, exc)
            return None
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            self._set_aside(path, f"not valid JSON: {exc}")
            return None
        if not isinstance(doc, dict) or not isinstance(doc.get("messages"), list):
            self._set_aside(path, "not a conversation file (no 'messages' list)")
            return None
        return doc

    def _parse(self, path: Path, doc: dict[str, Any] | None) -> list[ChatMessage]:
        if doc is None:
            return []
        raw_messages = doc["messages"][-MAX_MESSAGES:]
        parsed = (message_from_json(raw, i) for i, raw in enumerate(raw_messages))
        messages = [m for m in parsed if m is not None]
        if len(messages) != len(raw_messages):
            log.warning("conversation %s: skipped %d invalid messages", path,
                        len(raw_messages) - len(messages))
        return messages

    def load_cache(self, mode_id: str) -> Any:
        """The reply cache saved with `mode_id`'s conversation (untrusted JSON), or None."""
        try:
            doc = self._read_doc(self.path_for(mode_id))
        except StoreError as exc:
            log.warning("%s", exc)
            return None
        return None if doc is None else doc.get("reply_cache")

    def save_cache(self, mode_id: str, cache: dict[str, Any]) -> None:
        """Write `cache` (JSON) into `mode_id`'s file, keeping its messages (raises StoreError)."""
        path = self.path_for(mode_id)
        with self._mutex, self._lock:
            self._caches[mode_id] = cache
            doc = self._read_doc(path)
            messages = self._parse(path, doc)
            self._write(path, mode_id, messages[-MAX_MESSAGES:], cache, _meta(doc))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold this store's in-process guard, then the data dir's lock (always in that order)."""
        with self._mutex, self._lock:
            yield

    def current(self, mode_id: str) -> tuple[list[ChatMessage], dict[str, Any] | None]:
        """The current conversation of `mode_id` and its `conversation` meta (None: none yet)."""
        path = self.path_for(mode_id)
        doc = self._read_doc(path)
        return self._parse(path, doc), _meta(doc)

    def replace_current(self, mode_id: str, messages: list[ChatMessage],
                        meta: dict[str, Any] | None) -> None:
        """Make `messages` (with `meta`) `mode_id`'s current conversation; the reply cache stays."""
        path = self.path_for(mode_id)
        with self.transaction():
            doc = self._read_doc(path)
            cache = self._caches.get(mode_id, None if doc is None else doc.get("reply_cache"))
            self._write(path, mode_id, messages[-MAX_MESSAGES:], cache, meta)
            self._known.setdefault(mode_id, set()).update(m.id for m in messages)

    def save(self, mode_id: str, messages: list[ChatMessage]) -> None:
        """Atomically write the conversation of `mode_id` (raises StoreError).

        Messages in the file that another process added are kept; the last MAX_MESSAGES
        are written.
        """
        path = self.path_for(mode_id)
        ours = list(messages)
        try:
            with self._mutex, self._lock:
                known = self._known.setdefault(mode_id, set())
                mine = {m.id for m in ours}
                doc = self._read_doc(path)
                theirs = [m for m in self._parse(path, doc) if m.id not in mine and m.id not in known]
                # The reply cache rides along: ours if this process set one, else the file's.
                cache = self._caches.get(mode_id, None if doc is None else doc.get("reply_cache"))
                self._write(path, mode_id, merge_messages(ours, theirs)[-MAX_MESSAGES:], cache,
                            _meta(doc))
                known.update(mine)
        except StoreError as exc:
            self._record(mode_id, SaveFailure(mode_id, str(exc), tuple(ours)))
            raise
        self._record(mode_id, None)

    def _write(self, path: Path, mode_id: str, messages: list[ChatMessage],
               cache: Any = None, meta: dict[str, Any] | None = None) -> None:
        # Which conversation this is (conversation history): kept, or made for a new file.
        doc: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "mode_id": mode_id,
            "conversation": meta or legacy_meta(mode_id, messages, time.time()),
            "messages": [message_to_json(m) for m in messages],
        }
        if isinstance(cache, dict):
            doc["reply_cache"] = cache
        try:
            data = dump_document(doc)
        except (TypeError, ValueError, RecursionError) as exc:
            raise StoreError(f"conversation for {mode_id} is not serialisable: {exc}") from exc
        atomic_write_bytes(path, data)

    def _record(self, mode_id: str, failure: SaveFailure | None) -> None:
        with self._mutex:
            if failure is None:
                self._failures.pop(mode_id, None)
            else:
                self._failures[mode_id] = failure
        listener = self._listener
        if listener is not None:
            try:
                listener(mode_id, failure)
            except Exception:  # noqa: BLE001 - a listener's bug must not fail the save
                log.exception("conversation save listener failed")

    def clear(self, mode_id: str) -> None:
        """Forget the conversation of `mode_id`."""
        path = self.path_for(mode_id)
        with self._mutex, self._lock:
            remove_file(path)
        if mode_id in self._failures:
            self._record(mode_id, None)  # nothing left to retry

    def _set_aside(self, path: Path, reason: str) -> None:
        """Move a bad file next to itself with a `.corrupt-<time>` suffix and log why."""
        target = path.with_name(f"{path.name}.corrupt-{int(time.time() * 1000)}")
        log.warning("conversation %s is unusable (%s); moved to %s", path, reason, target.name)
        with contextlib.suppress(OSError):
            os.replace(path, target)


def remove_file(path: Path) -> None:
    """Delete `path` if it is there; StoreError with one line if it cannot be deleted."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StoreError(f"could not delete {path}: {exc.strerror or exc}") from exc

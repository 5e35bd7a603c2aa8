"""Conversation saves off the UI thread, in order: an older snapshot never overwrites a newer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.errors import PrestoError

log = logging.getLogger(__name__)
T = TypeVar("T")


class ChatSaves:
    """Numbers snapshots when taken and writes them (and clears) under one lock."""

    def __init__(self, store: ConversationStore, lock: asyncio.Lock) -> None:
        self._store = store
        self.lock = lock  # held while a save is written
        # Saves started outside a reply (add_message, clears): shutdown waits for them.
        self._pending: set[asyncio.Future[Any]] = set()
        self._seq = 0
        self._saved_seq: dict[str, int] = {}
        # Per mode: snapshots numbered below this belong to a conversation switched away from
        # (read by the worker under the store's lock: a write already past the first check
        # must not put the old conversation back over the new one).
        self._fence: dict[str, int] = {}

    def next_seq(self) -> int:
        """A number for a snapshot taken now."""
        self._seq += 1
        return self._seq

    def save_soon(self, mode_id: str, snapshot: list[ChatMessage]) -> None:
        """Save `snapshot` off the UI thread (now, without a running loop)."""
        seq = self.next_seq()
        loop = _running_loop()
        if loop is None:
            if seq >= self._saved_seq.get(mode_id, 0):
                self._saved_seq[mode_id] = seq
                try:
                    self._store.save(mode_id, snapshot)
                except PrestoError as exc:
                    log.warning("could not save the conversation: %s", exc)
            return
        self._track(loop.create_task(self.save(mode_id, snapshot, seq)))

    def clear(self, mode_id: str, on_error: Callable[[str], None]) -> None:
        """Clear `mode_id`'s saved conversation, after a save being written if there is one."""
        seq = self.next_seq()  # numbered now: a later save (Undo) wins over this clear
        if self.lock.locked():
            # A save is being written: clear after it, or it would bring the file back.
            self._track(asyncio.get_event_loop().create_task(
                self._clear_after_save(mode_id, seq, on_error)))
        else:
            self._clear(mode_id, seq, on_error)

    async def _clear_after_save(self, mode_id: str, seq: int,
                                on_error: Callable[[str], None]) -> None:
        async with self.lock:
            self._clear(mode_id, seq, on_error)

    def _clear(self, mode_id: str, seq: int, on_error: Callable[[str], None]) -> None:
        # Snapshots taken before the clear must not bring the old conversation back; one
        # taken after it (Undo) must not be wiped by it.
        if seq < self._saved_seq.get(mode_id, 0):
            return
        self._saved_seq[mode_id] = seq
        try:
            self._store.clear(mode_id)
        except PrestoError as exc:
            on_error(str(exc))

    async def save(self, mode_id: str, conversation: list[ChatMessage], seq: int) -> None:
        """Write snapshot number `seq` on a worker thread, unless a newer one is on disk."""
        async with self.lock:
            if seq < self._saved_seq.get(mode_id, 0):
                return  # a newer snapshot of this conversation is already on disk
            self._saved_seq[mode_id] = seq
            try:
                loop = _running_loop()
                if loop is None:  # a step run outside the loop (qasync's last pass): write now
                    self._write(mode_id, conversation, seq)
                else:
                    await loop.run_in_executor(None, self._write, mode_id, conversation, seq)
            except asyncio.CancelledError:
                # Shutting down: finish the write here rather than lose the turn.
                try:
                    self._write(mode_id, conversation, seq)
                except PrestoError as exc:
                    log.warning("could not save the conversation: %s", exc)
            except PrestoError as exc:
                log.warning("could not save the conversation: %s", exc)
            except Exception:  # noqa: BLE001
                log.exception("could not save the conversation")

    def _write(self, mode_id: str, conversation: list[ChatMessage], seq: int) -> None:
        """Write a snapshot unless a conversation switch fenced it off (any thread)."""
        with self._store.transaction():
            if seq >= self._fence.get(mode_id, 0):
                self._store.save(mode_id, conversation)

    def switch(self, mode_id: str, snapshot: list[ChatMessage], change: Callable[[], T],
               seq: int | None = None) -> tuple[T, list[ChatMessage]]:
        """Save `snapshot` (the conversation on screen), then run `change` on the mode's files;
        snapshots taken before are never written. Its result and the new current conversation.

        On a worker thread, `seq` is the snapshot's number taken on the loop (`next_seq`).
        Raises StoreError (nothing changed) when the snapshot cannot be saved.
        """
        with self._store.transaction():
            seq = self.next_seq() if seq is None else seq
            self._saved_seq[mode_id] = self._fence[mode_id] = seq
            if snapshot:
                self._store.save(mode_id, snapshot)
            result = change()
            return result, self._store.load(mode_id)

    def retry_failed(self, retry: Callable[[], object]) -> None:
        """Run the store's `retry` of failed saves off the UI thread (now, without a loop)."""
        loop = _running_loop()
        if loop is None:
            retry()
            return
        self._track(loop.create_task(self._retry_off_loop(retry)))

    async def _retry_off_loop(self, retry: Callable[[], object]) -> None:
        async with self.lock:
            loop = _running_loop()
            if loop is None:
                retry()
            else:
                await loop.run_in_executor(None, retry)

    def in_flight(self) -> set[asyncio.Future[Any]]:
        """The saves and clears started outside a reply and not yet done."""
        return {task for task in self._pending if not task.done()}

    async def wait(self) -> None:
        """Wait for every save and clear started outside a reply."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    def _track(self, task: asyncio.Future[Any]) -> None:
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The running loop, or None when a task step runs outside it.

    qasync runs callbacks still queued when run_until_complete ends with no running loop
    set; a save stepped then lost its turn ("no running event loop").
    """
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None

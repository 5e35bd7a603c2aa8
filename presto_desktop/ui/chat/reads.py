"""Reads the current mode's conversation on a worker thread, after every write queued before it.

A mode switch used to read and parse the conversation file on the loop thread (20-25 ms for a
long one). `ConversationReads` starts the read when the mode changes and hands the messages
back on the loop. It never returns a file older than a write already asked for: it waits for
the reply winding down (its save), history changes running off the loop, the saves and clears
queued (ChatSaves), and reads holding the saves' lock and the store's guard, so no save of
this process can be half-way through meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import SignalInstance

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.models import Mode
from presto_desktop.ui.chat.saves import ChatSaves

log = logging.getLogger(__name__)
F = TypeVar("F", bound="asyncio.Future[Any]")
ReadDone = Callable[[Mode, "list[ChatMessage] | None"], None]  # None: read it on the loop


class ConversationReads:
    """One read at a time, of the mode followed last; `owe` marks it to be shown once read."""

    def __init__(self, store: ConversationStore, saves: ChatSaves, done: ReadDone, *,
                 shown: SignalInstance) -> None:
        """`done(mode, messages)` gets each read's result; `shown` is emitted with every
        conversation shown (conversation_loaded): nothing is owed after it."""
        self._store, self._saves, self._done = store, saves, done
        shown.connect(self.shown)
        self._barriers: set[asyncio.Future[Any]] = set()  # file changes running off the loop
        self._task: asyncio.Task[None] | None = None
        self._mode: Mode | None = None  # the mode being read
        self._started = 0  # reads started: a read's number says whether it is still wanted
        self.owed = False  # set_mode came before the read ended: its end shows the conversation

    def after(self, future: F) -> F:
        """Reads started from now on wait for `future` (a change of conversation files)."""
        self._barriers.add(future)
        future.add_done_callback(self._barriers.discard)
        return future

    def start(self, mode: Mode, reply: asyncio.Task[None] | None) -> None:
        """Read `mode`'s conversation off the loop (after `reply`, which may still save); an
        older read is dropped. Without a running loop nothing starts (read when needed)."""
        self.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        waits = {f for f in self._barriers if not f.done()}
        # The reply being stopped saves its conversation as it ends (never wait for ourselves).
        if reply is not None and not reply.done() and reply is not asyncio.current_task():
            waits.add(reply)
        self._mode = mode
        self._started += 1
        self._task = loop.create_task(self._read(mode, waits, self._started))

    def owe(self, mode: Mode) -> bool:
        """set_mode(`mode`) with its conversation not read yet: True if a read of it is under
        way (its end emits the conversation), False if it must be read now."""
        self.owed = self.reading(mode)
        return self.owed

    def reading(self, mode: Mode) -> bool:
        """Whether a worker is reading `mode`'s conversation."""
        return self._mode is mode and self._task is not None and not self._task.done()

    def shown(self, _messages: object = None) -> None:
        """A conversation was emitted (conversation_loaded): nothing is owed any more."""
        self.owed = False

    async def wait(self) -> None:
        """Wait for the read under way, if any, to end (tests)."""
        task = self._task
        if task is not None:
            await asyncio.wait({task})

    def cancel(self) -> None:
        """Drop the read under way (the worker ends on its own; its result is not used)."""
        task, self._task, self._mode, self.owed = self._task, None, None, False
        if task is not None and not task.done():
            task.cancel()

    async def _read(self, mode: Mode, waits: set[asyncio.Future[Any]], number: int) -> None:
        # asyncio.wait, not gather: cancelling this read must never cancel a save.
        if waits:
            await asyncio.wait(waits)
        pending = self._saves.in_flight()
        if pending:
            await asyncio.wait(pending)
        async with self._saves.lock:  # held: no save of ours is written while the file is read
            try:
                messages: list[ChatMessage] | None = await asyncio.to_thread(self._load, mode.id)
            except Exception:  # noqa: BLE001 - the conversation must still show
                log.exception("could not read the conversation off the loop; reading it on it")
                messages = None
            # Not current_task(): it raises when a harness turns Qt's loop with asyncio's
            # stopped (benchmarks), and this result must still reach the conversation.
            if number == self._started and self._task is not None:
                # Still under the lock: a save queued meanwhile cannot land before this shows.
                self._task = self._mode = None
                self._done(mode, messages)

    def _load(self, mode_id: str) -> list[ChatMessage]:
        """The saved conversation (a worker thread): under the store's guard, like its saves."""
        with self._store.transaction():
            return self._store.load(mode_id)


__all__ = ["ConversationReads"]

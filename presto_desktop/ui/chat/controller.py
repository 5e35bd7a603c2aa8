"""Runs chat turns on the qasync loop: streams the engine, batches text per frame, persists."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Collection, Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.errors import EngineError, StoreError
from presto_desktop.core.models import Mode
from presto_desktop.engines.base import ChatEvent, ChatStopper, Engine
from presto_desktop.engines.deferred import DeferredEngine
from presto_desktop.session.history import HistoryService
from presto_desktop.session.prefetch import Prefetcher
from presto_desktop.session.replies import Origin, ReplyService, ReplyStream
from presto_desktop.session.reply_cache import ReplyCache
from presto_desktop.ui.chat.frames import FrameBatcher
from presto_desktop.ui.chat.reads import ConversationReads
from presto_desktop.ui.chat.save_problems import SaveProblems
from presto_desktop.ui.chat.saves import ChatSaves
from presto_desktop.ui.chat.turn import Turn, close_stream, read_stream

log = logging.getLogger(__name__)
T = TypeVar("T")

STOP_GRACE = 0.5  # seconds an engine's stop_chat() gets before the reply task is cancelled
PREFETCH_DELAY_S = 0.5  # a mode switch's restyle steps run first; then the tabs are fetched


class ChatController(QObject):
    """Owns the conversation of the current mode and the one reply in flight."""

    conversation_loaded = Signal(list)  # list[ChatMessage]
    reply_started = Signal()
    reply_delta = Signal(str)
    reply_finished = Signal(object)  # ChatMessage (status stop/stopped/incomplete/error)
    last_reply_removed = Signal()  # Regenerate/Retry dropped the last assistant reply
    tool_called = Signal(object)  # ToolCall
    failed = Signal(str, bool)  # message for people, retryable
    busy_changed = Signal(bool)
    save_problem = Signal(str)  # why a conversation is not saved; "" once all are saved again
    reply_origin = Signal(object)  # session.replies.Origin of the reply starting (live/cache)
    # The store reports every save from the thread that saved: this hands it to ours.
    _save_outcome = Signal(str, object)  # mode id, SaveFailure or None

    def __init__(self, engine: Engine, conversations: ConversationStore, parent: Any = None,
                 *, replies: ReplyService | None = None, prefetch: bool = False) -> None:
        super().__init__(parent)
        self._engine, self._store = engine, conversations
        # Cached and prefetched answers (session layer); the tabs are fetched ahead if asked.
        self.replies = replies or ReplyService(ReplyCache())
        self.prefetcher = Prefetcher(self.replies, enabled=prefetch)
        self._reply_stream: ReplyStream | None = None
        self._mode: Mode | None = None
        self._loaded: list[ChatMessage] | None = None  # the mode's conversation, once read
        self._followed = False  # `follow` switched to the mode the next set_mode shows
        self._discarded: list[ChatMessage] | None = None  # the list New conversation dropped
        self._cleared: set[str] = set()  # modes Reset demo cleared, until next read
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._frames = FrameBatcher(self.reply_delta.emit, self)  # at most once per frame
        self._save_lock = asyncio.Lock()
        self._saves = ChatSaves(conversations, self._save_lock)
        self._reads = ConversationReads(conversations, self._saves, self._read_done,
                                        shown=self.conversation_loaded)
        # Past conversations (Ctrl+N, History): changes to the one on screen run through us.
        self.history = HistoryService(conversations, run_change=self.run_change,
                                      run_change_off_loop=self.run_change_off_loop)
        self._switching: str | None = None  # the mode whose conversation a worker is changing
        self._save_problems = SaveProblems(conversations, self.save_problem.emit, self)
        self._save_outcome.connect(self._save_problems.outcome)
        conversations.set_save_listener(self._save_outcome.emit)

    # -- state ------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """Whether a reply is streaming (or a worker is opening a conversation of the mode)."""
        return self._switching is not None or (self._task is not None and not self._task.done())

    @property
    def messages(self) -> list[ChatMessage]:
        """A copy of the current conversation."""
        return list(self._messages)

    @property
    def mode(self) -> Mode | None:
        """The mode being chatted in: the mode controller's current one (see `follow`)."""
        return self._mode

    @property
    def _messages(self) -> list[ChatMessage]:
        """The current mode's conversation, read from the store when first needed."""
        if self._loaded is None:
            self._loaded = [] if self._mode is None else self._load(self._mode)
        return self._loaded

    @_messages.setter
    def _messages(self, messages: list[ChatMessage]) -> None:
        self._loaded = messages

    def _load(self, mode: Mode, read: list[ChatMessage] | None = None) -> list[ChatMessage]:
        if mode.id in self._cleared:  # its clear may still wait behind a save being written
            self._cleared.discard(mode.id)
            return []
        # A conversation whose save failed is still here: its file would lose the end.
        failure = next((f for f in self._save_problems.failed() if f.mode_id == mode.id), None)
        messages = failure.messages if failure is not None else read
        return list(messages) if messages is not None else self._store.load(mode.id)

    def _read_done(self, mode: Mode, read: list[ChatMessage] | None) -> None:
        """A worker read `mode`'s conversation: the current one, unless one was set since."""
        if mode is self._mode and self._loaded is None:  # a send or a clear may have set it
            self._loaded = self._load(mode, read)
        if mode is self._mode and self._reads.owed:
            self.conversation_loaded.emit(list(self._messages))

    def set_engine(self, engine: Engine) -> None:
        """Use `engine` from the next reply on (and prefetch the current mode's tabs with it)."""
        self._engine = engine
        self._prefetch()

    def set_prefetch(self, enabled: bool) -> None:
        """Settings' prefetch_tabs: fetch tab answers ahead on LLM engines, or not."""
        self.prefetcher.set_enabled(enabled)
        self._prefetch()

    def clear_cache(self, mode_id: str) -> None:
        """Forget `mode_id`'s cached answers (the library)."""
        self.replies.clear(mode_id)

    def _prefetch(self) -> None:
        """Fetch the current mode's tab answers in the background (LLM engines only)."""
        engine, mode = self._engine, self._mode
        # A deferred engine is still being built off the loop; adopting it comes back here.
        if mode is None or isinstance(engine, DeferredEngine) or not self.prefetcher.enabled:
            self.prefetcher.cancel()
            return
        try:
            self.prefetcher.start(engine, mode, delay_s=PREFETCH_DELAY_S)
        except RuntimeError:  # no running loop (a synchronous test): nothing in the background
            log.debug("no event loop; tabs not prefetched")

    def follow(self, mode: Mode) -> None:
        """The current mode changed (told synchronously by ModeController.mode_changed): chat
        in `mode` from now on; a worker starts reading its conversation, `set_mode` shows it."""
        self.stop()
        self._mode, self._loaded, self._followed = mode, None, True
        self._reads.start(mode, self._task)
        self.reply_origin.emit(Origin())
        self._prefetch()

    def set_mode(self, mode: Mode) -> None:
        """Switch to `mode`'s conversation (stops a reply in flight) and emit it (once read)."""
        if not (self._followed and mode is self._mode):
            self.follow(mode)  # not told before (tests, a fake-free caller): switch now
        self._followed = False
        if self._loaded is None and self._reads.owe(mode):
            return  # a worker is reading it: `_read_done` emits it
        self.conversation_loaded.emit(list(self._messages))

    # -- intents ----------------------------------------------------------------------------
    def submit(self, text: str) -> asyncio.Task[None] | None:
        """Schedule `send(text)` on the running loop; ignored while busy or without a mode."""
        return self._schedule(self.send(text))

    def regenerate(self) -> asyncio.Task[None] | None:
        """Replace the last reply with a new one."""
        return self._schedule(self._replay())

    def retry(self) -> asyncio.Task[None] | None:
        """After a failure: ask again for the last user turn."""
        return self._schedule(self._replay())

    def stop(self) -> None:
        """Stop the reply in flight; its text so far is kept, marked 'stopped'. An engine's
        `stop_chat()` (OpenAI) ends it, else (or after STOP_GRACE s) the task is cancelled."""
        task = self._task
        if not self.busy or task is None:
            return
        self._stopping = True
        if self._reply_stream is not None:
            self._reply_stream.stop()  # a replayed answer ends at its next chunk
        if isinstance(self._engine, ChatStopper):
            try:
                self._engine.stop_chat()
            except Exception:  # noqa: BLE001 - fall back to cancelling
                log.warning("engine stop_chat failed; cancelling the reply", exc_info=True)
            else:
                try:
                    task.get_loop().call_later(STOP_GRACE, lambda: task.done() or task.cancel())
                    return
                except RuntimeError:
                    pass
        task.cancel()

    def add_message(self, message: ChatMessage) -> None:
        """Record a message the window showed itself (the trigger typed, the mode's welcome):
        it joins the current mode's conversation and is saved, not emitted; none without a mode."""
        mode = self._mode
        # While a worker opens another conversation, this one is on its way out: not saved.
        if mode is None or not isinstance(message, ChatMessage) or self._switching == mode.id:
            return
        self._messages.append(message)
        self._saves.save_soon(mode.id, list(self._messages))

    def restore_conversation(self, messages: list[ChatMessage]) -> None:
        """Bring back a cleared conversation (Undo after New conversation): shown and saved."""
        mode = self._mode
        if mode is None:
            return
        self.stop()
        self._messages = list(messages)
        self._saves.save_soon(mode.id, list(self._messages))
        self.conversation_loaded.emit(list(self._messages))

    def new_conversation(self) -> None:
        """Forget the current mode's conversation."""
        self.stop()
        # A reply still winding down belongs to the old conversation: it is neither shown
        # nor saved over the cleared one.
        self._discarded = self._messages
        self._messages = []
        if self._mode is not None:
            self._saves.clear(self._mode.id, lambda why: self.failed.emit(why, False))
        self.conversation_loaded.emit([])

    def forget_conversations(self, mode_ids: Collection[str]) -> None:
        """Reset demo: the conversations of `mode_ids` start afresh (nothing is kept)."""
        self.stop()
        for mode_id in mode_ids:
            self._saves.clear(mode_id, lambda why: self.failed.emit(why, False))
            self._cleared.add(mode_id)
        if self._mode is not None and self._mode.id in mode_ids:
            self._discarded, self._loaded = self._loaded, None  # a reply winding down is dropped

    def run_change(self, mode_id: str, change: Callable[[], T]) -> T:
        """Run a history `change` of `mode_id`'s files (docs/CONVERSATIONS.md: saved first,
        older snapshots fenced off, the new current one shown; StoreError: nothing changed)."""
        mode = self._mode
        if self._switching is not None:
            raise StoreError("a conversation is still being opened")
        if mode is None or mode.id != mode_id:
            return change()
        self.stop()
        old = self._messages
        result, messages = self._saves.switch(mode_id, list(old), change)
        self._discarded, self._messages = old, messages  # a reply winding down is dropped
        self.conversation_loaded.emit(list(messages))
        return result

    def run_change_off_loop(self, mode_id: str, change: Callable[[], T]) -> asyncio.Future[T]:
        """`run_change` with the files' work (parsing, writing) on a worker thread; from this
        call until it ends the chat is busy (nothing is sent) and other changes are refused."""
        mode = self._mode
        if self._switching is not None:
            raise StoreError("a conversation is still being opened")
        if mode is None or mode.id != mode_id:
            return self._reads.after(asyncio.ensure_future(asyncio.to_thread(change)))
        self.stop()
        old, seq = self._messages, self._saves.next_seq()
        self._discarded, self._switching = old, mode_id  # a reply winding down is dropped
        self.busy_changed.emit(True)
        return self._reads.after(asyncio.ensure_future(self._switch_off_loop(mode, old, seq,
                                                                             change)))

    async def _switch_off_loop(self, mode: Mode, old: list[ChatMessage], seq: int,
                               change: Callable[[], T]) -> T:
        try:
            result, messages = await asyncio.to_thread(self._saves.switch, mode.id, list(old),
                                                       change, seq)
        except BaseException:
            if self._discarded is old:
                self._discarded = None
            raise
        finally:
            self._switching = None
            self.busy_changed.emit(self.busy)
        if self._mode is mode and self._loaded is old:  # nothing showed another one meanwhile
            self._discarded, self._messages = old, messages
            self.conversation_loaded.emit(list(messages))
        return result

    def start_new(self) -> str | None:
        """Ctrl+N: keep this conversation in the history, start an empty one; the kept id."""
        return None if self._mode is None else self.history.start_new(self._mode.id)

    def reopen(self, conversation_id: str) -> None:
        """Undo of Ctrl+N: the current mode's past conversation `conversation_id` again."""
        if self._mode is not None:
            self.history.reopen(self._mode.id, conversation_id)

    async def shutdown(self) -> None:
        """Cancel the reply in flight and wait for it to wind down."""
        task = self._task
        if task is not None and not task.done():
            self._stopping = True
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        self.prefetcher.cancel()
        self._reads.cancel()
        await self.replies.wait_saved()
        await self._saves.wait()
        self._frames.stop()

    def _schedule(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None] | None:
        if self.busy or self._mode is None:
            coro.close()
            return None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = asyncio.get_event_loop()
        self._task = loop.create_task(coro)
        return self._task

    # -- the turn ---------------------------------------------------------------------------
    async def send(self, text: str) -> None:
        """Add the user's turn and stream the reply (never raises; failures emit `failed`)."""
        if self._mode is None or not text.strip():
            return
        history = list(self._messages)
        self._messages.append(ChatMessage("user", text))
        await self._reply(history, text)

    async def _replay(self) -> None:
        """Drop the last reply (if any) and answer the last user turn again."""
        if self._messages and self._messages[-1].role == "assistant":
            self._messages.pop()
            self.last_reply_removed.emit()
        if not self._messages or self._messages[-1].role != "user":
            return
        text = self._messages[-1].content
        await self._reply(self._messages[:-1], text, fresh=True)  # never from the cache

    async def _reply(self, history: list[ChatMessage], text: str, *, fresh: bool = False) -> None:
        mode, conversation = self._mode, self._messages
        assert mode is not None
        self._adopt_current_task()
        self._stopping = False
        self.busy_changed.emit(True)
        self.reply_started.emit()
        turn = Turn()
        stream: AsyncIterator[ChatEvent] | None = None
        self._frames.start()
        try:
            context = [m for m in history if m.status != "error"]  # not history for the engine
            self._reply_stream = await self.replies.open(self._engine, mode, context, text,
                                                         fresh=fresh)
            self.reply_origin.emit(self._reply_stream.origin)
            stream = self._reply_stream.events()
            await read_stream(stream, turn, on_text=self._frames.add, on_tool=self._tool_called)
        except asyncio.CancelledError:
            turn.status = "stopped"
        except EngineError as exc:
            turn.error = (str(exc), exc.retryable)
        except Exception as exc:  # noqa: BLE001 - nothing may escape into sys.excepthook
            log.exception("chat stream failed")
            turn.error = (f"The reply failed: {type(exc).__name__}: {exc}"[:300], True)
        finally:
            self._reply_stream = None
            await close_stream(stream)
            self._frames.flush()
        reply = turn.reply(stopped=self._stopping)
        if reply.content or reply.tool_calls:
            conversation.append(reply)
        discarded = conversation is self._discarded
        if not discarded:
            # The user's turn is kept even with no reply; the fsync runs off the UI thread.
            await self._saves.save(mode.id, list(conversation), self._saves.next_seq())
        if self._mode is mode and not discarded:
            self.reply_finished.emit(reply)
            if turn.error is not None:
                self.failed.emit(*turn.error)
        else:
            # The mode changed mid-reply (saved with its own conversation), or it was cleared.
            self.reply_finished.emit(ChatMessage("assistant", "", status="stopped"))
        self._stopping = False
        self.busy_changed.emit(False)

    def _tool_called(self, call: ToolCall) -> None:
        self._frames.flush()  # the text before the call reaches the chat first
        self.tool_called.emit(call)

    def _adopt_current_task(self) -> None:
        """Remember the task running this coroutine, so stop() can cancel a direct await too."""
        task = asyncio.current_task()
        if task is not None and (self._task is None or self._task.done()):
            self._task = task

    def retry_save(self) -> None:
        """Save again every conversation whose last save failed (the window's Retry): off the
        UI thread like every save; the outcome arrives through the listener (a bar shows it)."""
        self._saves.retry_failed(self._store.retry_failed_saves)

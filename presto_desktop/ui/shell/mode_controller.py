"""ModeController: the one owner of the current mode; switches at once or generates as a task."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from presto_desktop.core.errors import EngineError, ModeNotFoundError, PrestoError
from presto_desktop.core.models import Mode
from presto_desktop.core.store import ModeStore
from presto_desktop.core.triggers import ModeRequest
from presto_desktop.engines.base import Engine
from presto_desktop.session.modes import ModeResult, ModeService, request_from_mode

log = logging.getLogger(__name__)


class ModeController(QObject):
    """Holds the current mode, applies triggers, runs generation as a cancellable task."""

    mode_changed = Signal(object)  # Mode
    generation_started = Signal(object)  # ModeRequest
    generation_finished = Signal(object)  # the saved Mode
    generation_failed = Signal(str, bool)  # message, retryable
    generation_cancelled = Signal()

    def __init__(self, store: ModeStore, engine: Engine, *,
                 remember: Callable[[str], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._modes = ModeService(store, engine)
        self._remember = remember
        self._current: Mode | None = None
        self._task: asyncio.Task[Mode | None] | None = None
        self._last_request: ModeRequest | None = None
        self._closing = False
        # A generated mode, before it is saved: `prepare` runs in a worker thread (the
        # composition root derives its stylesheet there), then `preview` on the loop (the
        # restyle starts, its repaint held for the apply) while the save's fsyncs run.
        # `end_preview` runs when the task ends: it shows the applied mode, or restyles back.
        self.prepare: Callable[[Mode], object] | None = None
        self.preview: Callable[[Mode], object] | None = None
        self.end_preview: Callable[[], object] | None = None
        self._previewing: asyncio.Task[Mode | None] | None = None

    # -- state ---------------------------------------------------------------------------------
    @property
    def current(self) -> Mode:
        """THE current mode (the store's default until something is applied)."""
        if self._current is None:
            self._current = self._store.default_mode()
        return self._current

    @property
    def busy(self) -> bool:
        """True while a mode is being generated."""
        return self._task is not None and not self._task.done()

    @property
    def task(self) -> asyncio.Task[Mode | None] | None:
        """The running generation task, if any (tests and shutdown await it)."""
        return self._task

    def set_engine(self, engine: Engine) -> None:
        """Use another engine for future generations."""
        self._modes = ModeService(self._store, engine)

    # -- switching -----------------------------------------------------------------------------
    def apply(self, mode: Mode) -> None:
        """Make `mode` current, remember it, and announce it (no-op signal if already current)."""
        changed = self._current is None or self._current != mode
        self._current = mode
        if self._remember is not None:
            try:
                self._remember(mode.id)
            except PrestoError as exc:
                log.warning("last mode not remembered: %s", exc)
        if changed:
            self._previewing = None  # the theme follows mode_changed: the preview is settled
            self.mode_changed.emit(mode)

    def announce(self) -> None:
        """Emit mode_changed for the current mode again (Reset demo shows it afresh)."""
        self.mode_changed.emit(self.current)

    def switch_to(self, mode_id: str) -> Mode:
        """Apply a built-in or saved mode by id (raises ModeNotFoundError/ModeValidationError)."""
        mode = self._store.get(mode_id)
        self.apply(mode)
        return mode

    def restore(self, mode_id: str | None) -> Mode:
        """Apply `mode_id` if it loads, else the default mode; never raises for a bad id."""
        if mode_id:
            try:
                return self.switch_to(mode_id)
            except PrestoError as exc:
                log.warning("mode %r not restored: %s", mode_id, exc)
        mode = self._store.default_mode()
        self.apply(mode)
        return mode

    def handle_trigger(self, request: ModeRequest) -> asyncio.Task[Mode | None] | None:
        """Reset, reuse a known mode at once, or start generating; returns the task if any."""
        found = self._modes.lookup(request)
        if isinstance(found, ModeResult):
            self.apply(found.mode)
            return None
        if found is not None:
            return None  # an answer, not a mode: the window asks which business
        return self.generate(request)

    def generate(self, request: ModeRequest, *,
                 replace_id: str | None = None) -> asyncio.Task[Mode | None]:
        """Generate, save and apply a mode for `request` as a task (cancels one in flight).

        With `replace_id` (Regenerate), the new mode is saved in place of that one.
        """
        self.cancel()
        self._last_request = request
        # Announce at once so the overlay shows before the loop even runs the task.
        self.generation_started.emit(request)
        task = asyncio.ensure_future(self._generate(request, replace_id))
        task.add_done_callback(self._on_task_done)
        self._task = task
        return task

    def _preview(self, mode: Mode) -> None:
        """The generating task's mode, before its save (see `preview`)."""
        if self.preview is not None and self.end_preview is not None:
            self._previewing = asyncio.current_task()
            self.preview(mode)

    def _on_task_done(self, task: asyncio.Task[Mode | None]) -> None:
        if self._previewing is task:
            self._previewing = None
            if not self._closing and self.end_preview is not None:
                # Failed or cancelled after the preview: restyle back (after an apply of
                # an unchanged mode, this lets the held repaint run).
                self.end_preview()
        # A task cancelled before its first step never sees CancelledError: report it here.
        # Shutting down is no user's cancel: nothing to announce.
        if task.cancelled() and not self._closing:
            self.generation_cancelled.emit()

    def regenerate(self, mode_id: str) -> asyncio.Task[Mode | None] | None:
        """Generate a fresh mode for the request that made `mode_id` (saved in its place)."""
        try:
            mode = self._store.get(mode_id)
        except PrestoError as exc:
            self.generation_failed.emit(str(exc), False)
            return None
        return self.generate(request_from_mode(mode), replace_id=mode.id)

    def retry(self) -> asyncio.Task[Mode | None] | None:
        """Try the last failed generation again."""
        if self._last_request is None:
            return None
        return self.generate(self._last_request)

    def cancel(self) -> bool:
        """Cancel the generation in flight; the current mode stays applied."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            return True
        return False

    def forget(self, mode_id: str) -> None:
        """A mode was deleted: fall back to the default if it was current."""
        if self._current is not None and self._current.id == mode_id:
            self.apply(self._store.default_mode())

    async def _generate(self, request: ModeRequest, replace_id: str | None = None) -> Mode | None:
        try:
            result = await self._modes.create(request, replace_id=replace_id,
                                              prepare=self.prepare, preview=self._preview)
        except EngineError as exc:
            self.generation_failed.emit(str(exc), exc.retryable)
            return None
        except PrestoError as exc:
            self.generation_failed.emit(str(exc), True)
            return None
        except Exception as exc:
            log.exception("mode generation crashed")
            self.generation_failed.emit(f"Mode generation failed: {exc}", True)
            return None
        self._last_request = None
        self.generation_finished.emit(result.mode)
        self.apply(result.mode)
        return result.mode

    async def shutdown(self) -> None:
        """Cancel generation and wait for the task to unwind."""
        self._closing = True
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            # Shutting down: whatever the task ends with no longer matters.
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


__all__ = ["ModeController", "ModeNotFoundError", "request_from_mode"]

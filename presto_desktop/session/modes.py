"""ModeService: the one mode pipeline (reset, reuse, refine, generate, save) for window and CLI."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from presto_desktop.core.errors import PrestoError
from presto_desktop.core.models import Mode
from presto_desktop.core.store import ModeStore
from presto_desktop.core.triggers import ASK_EXAMPLES, ASK_REPLY, ModeRequest, split_request_key
from presto_desktop.engines.base import Engine, RequestRefiner

log = logging.getLogger(__name__)

How = Literal["reset", "saved", "generated", "refined-known"]
INDEX_REFRESH_DELAY_S = 0.5  # after a generation: the new mode has shown by then


@dataclass(frozen=True)
class ModeResult:
    """A request resolved to a mode, and how: reset, saved (reused), generated, refined-known."""

    mode: Mode
    how: How


@dataclass(frozen=True)
class Answer:
    """A trigger that names no business resolves to a question back, with example triggers."""

    text: str = ASK_REPLY
    examples: tuple[str, ...] = ASK_EXAMPLES


def request_from_mode(mode: Mode) -> ModeRequest:
    """The request that made `mode` (from its request key), for Regenerate."""
    industry, company = split_request_key(mode.request_key or mode.industry)
    # The key is normalised (lower case); the saved company name keeps its spelling.
    return ModeRequest(kind="switch", industry=industry or mode.industry,
                       company=mode.company_name if company else None, raw=f"regenerate {mode.id}")


class ModeService:
    """Resolves mode requests against the store, asking the engine only for what is new."""

    def __init__(self, store: ModeStore, engine: Engine) -> None:
        self._store = store
        self._engine = engine
        # The library index refresh after a save runs on, unawaited: kept so it is not lost.
        self._indexing: asyncio.Future[None] | None = None

    @property
    def engine(self) -> Engine:
        """The engine that refines and generates."""
        return self._engine

    def lookup(self, request: ModeRequest) -> ModeResult | Answer | None:
        """What resolves without the engine: ask, reset or a saved mode; None means generate."""
        if request.kind == "ask":
            return Answer()
        if request.kind == "reset":
            return ModeResult(self._store.default_mode(), "reset")
        known = self._store.find_by_request(request.key)
        if known is None and request.company is None:
            # "you're a florist" also finds the mode saved as `florist` for another request.
            try:
                known = self._store.get(request.slug)
            except PrestoError:
                known = None
        return None if known is None else ModeResult(known, "saved")

    async def resolve(self, request: ModeRequest) -> ModeResult | Answer:
        """Resolve `request` fully: `lookup`, else `create` (raises EngineError/PrestoError)."""
        found = self.lookup(request)
        return found if found is not None else await self.create(request)

    async def refine(self, request: ModeRequest) -> tuple[ModeRequest, Mode | None]:
        """Let an engine that can refine decide industry and company ("you're Wells Fargo").

        Returns the request to generate and, if the refined request names a mode that is
        already saved, that mode.
        """
        if not isinstance(self._engine, RequestRefiner):
            return request, None
        refined = await self._engine.refine_request(request)
        if refined.key == request.key:
            return request, None
        return refined, self._store.find_by_request(refined.key)

    async def create(self, request: ModeRequest, *, replace_id: str | None = None,
                     prepare: Callable[[Mode], object] | None = None,
                     preview: Callable[[Mode], object] | None = None) -> ModeResult:
        """Refine, then reuse a known mode or generate, stamp and save a new one.

        With `replace_id` (Regenerate), nothing is refined and the new mode is saved in place
        of that one. A generated mode goes to `prepare` in a worker thread, then to `preview`
        on the loop, then is saved: the window derives the new stylesheet off the loop and
        restyles while the save's fsyncs run. Raises EngineError or PrestoError.
        """
        if replace_id is None:
            request, known = await self.refine(request)
            if known is not None:
                return ModeResult(known, "refined-known")
        mode = await self._engine.generate_mode(request)
        if not mode.request_key:
            mode = mode.model_copy(update={"request_key": request.key})
        if prepare is not None:
            await asyncio.to_thread(_head_start, prepare, mode)
        if preview is not None:
            _head_start(preview, mode)
        # The atomic write fsyncs; in a worker thread the window keeps painting meanwhile.
        if replace_id is None:
            saved = await asyncio.to_thread(self._store.save, mode)
        else:
            saved = await asyncio.to_thread(self._store.replace, replace_id, mode)
        # Listing refreshes the library's index (another fsynced write, ~20 ms): in a worker
        # thread, so the next saved switch's lookup only reads it (it stalled that switch
        # 20-40 ms); not awaited, so the new mode shows without waiting for it, and started
        # once it has shown, so its thread does not compete with the restyle for the GIL.
        asyncio.get_running_loop().call_later(INDEX_REFRESH_DELAY_S, self._start_indexing)
        return ModeResult(saved, "generated")

    def _start_indexing(self) -> None:
        """Refresh the library index in a worker thread (kept, so the future is not lost)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called back outside the loop (qasync's last pass): skip it,
            return  # the index is a cache and the next listing refreshes it
        self._indexing = loop.run_in_executor(None, self._refresh_index)

    def _refresh_index(self) -> None:
        """List the library once so its index is current (a cache: failures are harmless)."""
        try:
            self._store.list_modes()
        except (PrestoError, OSError) as exc:
            log.warning("mode index not refreshed: %s", exc)


def _head_start(work: Callable[[Mode], object], mode: Mode) -> None:
    """Run `work(mode)`, a head start only: a failure is logged (the apply does it anyway)."""
    try:
        work(mode)
    except Exception:  # noqa: BLE001 - never fails the generation
        log.exception("preparing the new mode failed")


__all__ = ["Answer", "ModeResult", "ModeService", "request_from_mode"]

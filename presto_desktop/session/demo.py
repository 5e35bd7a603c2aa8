"""DemoRunner: steps through a demo script against the session layer, emitting demo events.

Qt-free: `presto-desktop demo run` drives it from a terminal; the window can drive it step by
step (`run_step`) from a clicker. Typed text is routed as the window routes it
(core.triggers.parse_trigger: a trigger resolves through ModeService, anything else asks the
engine), the welcome follows a mode change as in WindowPresenter.greet, and every mode starts
a fresh in-memory conversation (a demo never touches saved conversations).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Protocol

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.demo_events import (
    DemoEvent,
    ModeApplied,
    ReplyDelta,
    ReplyDone,
    StepFailed,
    StepStarted,
    ToolCalled,
    UserSaid,
)
from presto_desktop.core.demo_script import (
    DemoScript,
    ModeStep,
    PauseStep,
    SayStep,
    Step,
    TabStep,
    WaitStep,
    describe,
    kind_of,
)
from presto_desktop.core.errors import PrestoError
from presto_desktop.core.models import Mode
from presto_desktop.core.triggers import parse_trigger
from presto_desktop.engines.base import Done, ErrorEvent, TextDelta, ToolCall
from presto_desktop.session.modes import Answer, ModeService

Sink = Callable[[DemoEvent], None]
Sleep = Callable[[float], Awaitable[None]]


class ModeLookup(Protocol):
    """The mode store, for `mode` steps."""

    def get(self, mode_id: str) -> Mode:
        """The saved or built-in mode `mode_id` (raises PrestoError)."""
        ...


class StepError(PrestoError):
    """A step that cannot go on (engine error, unknown tab, no reply in time)."""


def find_tab(mode: Mode, wanted: str) -> int:
    """The index of `mode`'s tab `wanted` (its id or label, any case); StepError if none."""
    key = wanted.casefold()
    tabs = mode.tabs
    exact = [i for i, t in enumerate(tabs) if key in (t.id.casefold(), t.label.casefold())]
    # Else a word of one label only ("orders" for "My orders"); two matches are ambiguous.
    found = exact or [i for i, t in enumerate(tabs) if key in t.label.casefold()]
    if len(found) == 1 or exact:
        return found[0]
    labels = ", ".join(tab.label for tab in tabs)
    raise StepError(f"{mode.company_name} has no tab {wanted!r} (tabs: {labels})")


class DemoRunner:
    """Runs a script's steps in order against a ModeService and its engine."""

    def __init__(self, script: DemoScript, modes: ModeService, store: ModeLookup, start: Mode,
                 sink: Sink, *, sleep: Sleep = asyncio.sleep) -> None:
        self._script, self._modes, self._store = script, modes, store
        self._sink, self._sleep = sink, sleep
        self._current = start
        self._histories: dict[str, list[ChatMessage]] = {}
        self._pending: asyncio.Task[None] | None = None
        self._next = 0

    @property
    def current(self) -> Mode:
        """The mode the demo is in."""
        return self._current

    @property
    def position(self) -> int:
        """How many steps have run (the next step's 0-based index)."""
        return self._next

    @property
    def done(self) -> bool:
        """True when every step has run."""
        return self._next >= len(self._script.steps)

    async def run(self) -> bool:
        """Run the remaining steps; False (after a StepFailed event) when one failed."""
        while not self.done:
            if not await self.run_step():
                return False
        return await self._settle()

    async def run_step(self) -> bool:
        """Run the next step; False (after a StepFailed event) when it failed."""
        index = self._next
        step = self._script.steps[index]
        self._next += 1
        self._sink(StepStarted(index + 1, len(self._script.steps), kind_of(step), describe(step),
                               step.note))
        try:
            await self._perform(step)
        except StepError as exc:
            self._sink(StepFailed(str(exc)))
            return False
        except PrestoError as exc:  # EngineError, a missing mode: the script pauses
            self._sink(StepFailed(str(exc)))
            return False
        return True

    async def aclose(self) -> None:
        """Cancel a reply still streaming."""
        if self._pending is not None and not self._pending.done():
            self._pending.cancel()
            await asyncio.gather(self._pending, return_exceptions=True)

    async def _perform(self, step: Step) -> None:
        if isinstance(step, PauseStep):
            await self._sleep(step.pause)
        elif isinstance(step, WaitStep):
            await self._wait(step.timeout)
        elif isinstance(step, ModeStep):
            await self._wait(None)
            self._apply(self._store.get(step.mode), "picked", greet_empty=True)
        elif isinstance(step, TabStep):
            await self._wait(None)
            await self._ask(self._tab_prompt(step.tab), wait=True)
        elif isinstance(step, SayStep):
            await self._wait(None)
            await self._say(step.say, wait=step.wait)

    async def _settle(self) -> bool:
        """Wait for a reply left streaming by the last step."""
        try:
            await self._wait(None)
        except PrestoError as exc:
            self._sink(StepFailed(str(exc)))
            return False
        return True

    async def _wait(self, timeout: float | None) -> None:
        """Wait for the reply in progress (if any); its failure fails this step."""
        task, self._pending = self._pending, None
        if task is None:
            return
        try:
            await asyncio.wait_for(task, timeout)
        except TimeoutError:
            raise StepError(f"no reply within {timeout:g} s") from None

    async def _say(self, text: str, *, wait: bool) -> None:
        """Route `text` as the window does: a trigger switches, anything else is asked."""
        request = parse_trigger(text)
        if request is None:
            await self._ask(text, wait=wait)
            return
        self._sink(UserSaid(text))
        result = await self._modes.resolve(request)
        if isinstance(result, Answer):  # "you're a" and nothing more: ask which business
            self._history().append(ChatMessage("user", text))
            self._post(result.text)
            return
        self._apply(result.mode, result.how, greet_empty=False)
        self._history().append(ChatMessage("user", text))
        self._greet()

    def _apply(self, mode: Mode, how: str, *, greet_empty: bool) -> None:
        """Make `mode` current; a picked mode with a fresh conversation is welcomed."""
        self._current = mode
        self._sink(ModeApplied(mode, how))
        if greet_empty and not self._history():
            self._greet()

    def _greet(self) -> None:
        """The welcome once per conversation; a mode met again says it is back."""
        mode = self._current
        welcomed = any(m.role == "assistant" and m.content == mode.welcome_message
                       for m in self._history())
        self._post(f"Welcome back to {mode.company_name}." if welcomed else mode.welcome_message)

    def _post(self, text: str) -> None:
        self._history().append(ChatMessage("assistant", text))
        self._sink(ReplyDone(text))

    def _history(self) -> list[ChatMessage]:
        return self._histories.setdefault(self._current.id, [])

    def _tab_prompt(self, wanted: str) -> str:
        """The prompt of the current mode's tab `wanted` (its id or label, any case)."""
        tab = self._current.tabs[find_tab(self._current, wanted)]
        return tab.prompt or f"Show me {tab.label}"

    async def _ask(self, text: str, *, wait: bool) -> None:
        """Send `text` as the user's turn; stream the reply now or in the background."""
        self._sink(UserSaid(text))
        mode, history = self._current, self._history()
        context = [m for m in history if m.status != "error"]
        history.append(ChatMessage("user", text))
        reply = self._reply(mode, history, context, text)
        if wait:
            await reply
        else:
            self._pending = asyncio.ensure_future(reply)

    async def _reply(self, mode: Mode, history: list[ChatMessage], context: list[ChatMessage],
                     text: str) -> None:
        """Stream the engine's reply as events; keep it in the mode's conversation."""
        parts: list[str] = []
        calls: list[ToolCall] = []
        stream = self._modes.engine.stream_chat(mode, context, text)
        try:
            async for event in stream:
                if isinstance(event, TextDelta):
                    parts.append(event.text)
                    self._sink(ReplyDelta(event.text))
                elif isinstance(event, ToolCall):
                    calls.append(event)
                    self._sink(ToolCalled(event))
                elif isinstance(event, ErrorEvent):
                    self._finish(history, parts, calls, "error")
                    raise StepError(event.message)
                elif isinstance(event, Done):
                    self._finish(history, parts, calls, event.finish_reason)
                    if event.finish_reason == "incomplete":
                        raise StepError("the reply was cut off (incomplete)")
                    return
        finally:
            await _close(stream)
        self._finish(history, parts, calls, "incomplete")
        raise StepError("the reply ended without finishing")

    def _finish(self, history: list[ChatMessage], parts: list[str], calls: list[ToolCall],
                status: str) -> None:
        text = "".join(parts)
        history.append(ChatMessage("assistant", text, tuple(calls), status))
        self._sink(ReplyDone(text, status))


async def _close(stream: object) -> None:
    """Close an async generator stream (the HTTP stream of an LLM engine) if it is one."""
    if isinstance(stream, AsyncGenerator):
        await stream.aclose()

__all__ = ["DemoRunner", "ModeLookup", "Sink", "StepError", "find_tab"]

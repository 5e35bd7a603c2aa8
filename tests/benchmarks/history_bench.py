"""Conversation history figures over a big history built here (200 conversations x 50 messages).

The project's rule: parsing never runs on the GUI thread in slices longer than a few ms. Kept
here and not in the output: history.*_loop_cpu is the main thread's CPU time (time.thread_time)
per action, so work on a worker thread does not count; history.search_max_gap is the longest
gap between 5 ms heartbeats on the qasync loop while a search runs (goal <= 16.7 ms).
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
from pathlib import Path

Row = tuple[str, float, str]
MODE = "banking"


def build_history(data: Path, conversations: int, messages: int) -> None:
    """`conversations` past conversations of `messages` messages each in MODE, plus a current one."""
    from presto_desktop.core.chat import ChatMessage
    from presto_desktop.core.conversation_history import ConversationHistory
    from presto_desktop.core.conversations import ConversationStore
    from presto_desktop.core.paths import AppPaths

    store = ConversationStore(AppPaths.resolve(data))
    history = ConversationHistory(store)
    at = time.time() - 86_400
    for number in range(conversations + 1):
        turns = [ChatMessage("user" if i % 2 == 0 else "assistant",
                             f"Question {number}.{i} about spending on coffee and rent " * 4,
                             at=at + number * 60 + i) for i in range(messages)]
        store.save(MODE, turns)
        if number < conversations:
            history.start_new(MODE)


async def _until_idle(dialog) -> None:  # noqa: ANN001
    while getattr(dialog, "loading", False):
        await asyncio.sleep(0.01)


async def _heartbeat(ticks: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        ticks.append(time.perf_counter())
        await asyncio.sleep(0.005)


async def _timed(action, dialog, *, beat: bool) -> float:  # noqa: ANN001
    """Main-thread CPU ms of `action` until the dialog has its rows, or (`beat`) the longest
    gap between 5 ms heartbeats meanwhile (the heartbeat's own CPU would blur the first)."""
    ticks: list[float] = []
    stop = asyncio.Event()
    task = asyncio.ensure_future(_heartbeat(ticks, stop)) if beat else None
    await asyncio.sleep(0.02)
    cpu = time.thread_time()
    action()
    await _until_idle(dialog)
    cpu = (time.thread_time() - cpu) * 1000
    await asyncio.sleep(0.01)
    stop.set()
    if task is None:
        return cpu
    await task
    return max((b - a) * 1000 for a, b in itertools.pairwise(ticks))


def run(quick: bool = False) -> list[Row]:
    """Open the History dialog, search, open a conversation: loop CPU and the loop's gaps."""
    from tests.benchmarks.demo_bench import _composition

    conversations = 40 if quick else 200
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        build_history(data, conversations, 50)
        _app, loop, comp = _composition(data)
        comp.window.presenter.apply_saved(MODE)
        loop.run_until_complete(asyncio.sleep(0.2))
        tools = comp.history_tools
        for beat in (False, True):
            holder: list = []
            figure = loop.run_until_complete(_timed(lambda h=holder: h.append(tools.open_history()),
                                                    _Lazy(holder), beat=beat))
            rows.append(("history.list_max_gap" if beat else "history.list_loop_cpu",
                         round(figure, 1), "ms"))
            dialog = holder[0]
            dialog.search.setText("coffee rent 17.3")
            figure = loop.run_until_complete(_timed(dialog.reload, dialog, beat=beat))
            rows.append(("history.search_max_gap" if beat else "history.search_loop_cpu",
                         round(figure, 1), "ms"))
            dialog.search.setText("")
            dialog.reload()
            loop.run_until_complete(_until_idle(dialog))
            dialog.list.setCurrentIndex(dialog.model.index(dialog.model.rowCount() // 2))
            figure = loop.run_until_complete(_timed(dialog.open_selected, _Opening(tools),
                                                    beat=beat))
            rows.append(("history.open_max_gap" if beat else "history.open_loop_cpu",
                         round(figure, 1), "ms"))
        rows.sort()
        loop.run_until_complete(comp.shutdown())
        comp.window.close()
        loop.close()
    return rows


class _Lazy:
    """The dialog once it exists (the action that makes it runs inside the timing)."""

    def __init__(self, holder: list) -> None:
        self._holder = holder

    @property
    def loading(self) -> bool:
        """Whether the dialog in `holder` (if any) is still reading."""
        return bool(self._holder) and getattr(self._holder[0], "loading", False)


class _Opening:
    """The window's open of a conversation, until its worker is done."""

    def __init__(self, tools) -> None:  # noqa: ANN001
        self._tools = tools

    @property
    def loading(self) -> bool:
        """Whether the conversation is still being opened."""
        opening = getattr(self._tools, "opening", None)
        return opening is not None and not opening.done()

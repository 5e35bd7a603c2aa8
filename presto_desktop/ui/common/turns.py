"""Chaining work over loop turns so that coroutines woken meanwhile run in between.

On qasync a coroutine wakes in two timer passes: its sleep's timer resolves a future, and the
task's step is a `call_soon` (a zero timer) run on a later pass. A Qt timer that falls due in
between runs first, so a chain of Qt timers (a mode change's steps, a chart's build) with
repaints between its steps kept a waiting coroutine (a streamed reply, a replay, the
benchmarks' heartbeat) out for two or three steps (measured: 13-20 ms, with one step 6 ms).
Putting the next step's timer behind a `call_soon` queues it after the wake-ups already due;
a coroutine that yields (`yield_turn`) waits two passes for the same reason.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from shiboken6 import isValid


def next_turn(owner: QObject, callback: Callable[[], None], delay_ms: int = 1) -> None:
    """Call `callback` (while `owner` lives) `delay_ms` after the coroutines ready now ran."""
    # Not imported here: the first frame is painted before asyncio is imported (ui/app.py),
    # and without asyncio no loop of it can run.
    asyncio = sys.modules.get("asyncio")
    try:
        loop = asyncio.get_running_loop() if asyncio is not None else None
    except RuntimeError:
        loop = None
    if loop is None:  # no asyncio loop runs (start-up, a plain Qt loop, tests): a timer alone
        QTimer.singleShot(delay_ms, owner, callback)
        return
    loop.call_soon(_start_timer, delay_ms, owner, callback)


async def yield_turn() -> None:
    """Let Qt paint and run timers, and the coroutines woken meanwhile run, then go on."""
    import asyncio  # imported by the caller's loop already; not at start-up (see next_turn)

    await asyncio.sleep(0)
    await asyncio.sleep(0)  # a coroutine woken during the first pass steps in the second


def _start_timer(delay_ms: int, owner: QObject, callback: Callable[[], None]) -> None:
    if isValid(owner):
        QTimer.singleShot(delay_ms, owner, callback)

"""next_turn: a chain of steps lets the coroutines woken during a step run before the next."""

from __future__ import annotations

import asyncio
import time

from PySide6.QtCore import QObject, QTimer

from presto_desktop.ui.common.turns import next_turn


def _busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def _chain(owner: QObject, order: list[str], schedule) -> None:
    """Three 6 ms steps, each followed by a 3 ms posted call (a repaint's stand-in)."""

    def step(number: int) -> None:
        order.append(f"step {number}")
        _busy(0.006)
        QTimer.singleShot(0, owner, lambda: _busy(0.003))
        if number < 3:
            schedule(owner, lambda: step(number + 1))

    step(1)


async def _run(schedule) -> list[str]:
    order: list[str] = []
    owner = QObject()

    async def sleeper() -> None:
        await asyncio.sleep(0.002)  # falls due during step 1
        order.append("coroutine")

    task = asyncio.ensure_future(sleeper())
    await asyncio.sleep(0)  # the coroutine sleeps
    _chain(owner, order, schedule)
    await task
    await asyncio.sleep(0.05)
    return order


def test_a_woken_coroutine_runs_between_steps(qloop):
    order = qloop.run_until_complete(_run(lambda owner, call: next_turn(owner, call)))
    assert order == ["step 1", "coroutine", "step 2", "step 3"]


def test_a_plain_timer_chain_kept_it_waiting(qloop):
    """What next_turn is for: with a 1 ms timer alone, step 2 ran first (qasync, Qt 6)."""
    order = qloop.run_until_complete(
        _run(lambda owner, call: QTimer.singleShot(1, owner, call)))
    assert order.index("coroutine") > order.index("step 2")


def test_without_an_asyncio_loop_it_is_a_timer(qtbot):
    owner, calls = QObject(), []
    next_turn(owner, lambda: calls.append(1))
    qtbot.waitUntil(lambda: calls == [1])

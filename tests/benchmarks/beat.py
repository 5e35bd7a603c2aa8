"""The benchmarks' asyncio heartbeat: how late a 5 ms tick comes is a loop gap."""

from __future__ import annotations

import asyncio
import time

TICK_S = 0.005


async def heartbeat(gaps: list[float]) -> None:
    """Tick every 5 ms until cancelled; append each tick's lateness beyond 5 ms (ms) to `gaps`."""
    last = time.perf_counter()
    while True:
        await asyncio.sleep(TICK_S)
        now = time.perf_counter()
        gaps.append(max(0.0, (now - last - TICK_S) * 1000))
        last = now

"""Recorded-demo figures (issue 15). Goals, kept here and not in the output:

- replay_loop_gap_max <= 16.7 ms: the longest a 5 ms heartbeat on the qasync loop was held up
  beyond its 5 ms while a 50-step recording played into the real window (modes restyling,
  streamed replies, charts, chips), at 4x the recorded pace; replay_loop_gap_bare_max is the
  same heartbeat for as long with the window idle (this machine's floor under its load)
- demo_play_pictures_50_steps <= 20 s: `presto-desktop demo play FILE --screenshot-dir DIR
  --instant` for a 50-step recording, wall time of the whole command (start-up included);
  demo_play_pictures_50_steps_cpu is its CPU time (less sensitive to a loaded machine)
"""

from __future__ import annotations

import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.beat import heartbeat

Row = tuple[str, float, str]
STEPS = 50
SPEED = 4.0


def run(quick: bool = False) -> list[Row]:
    """The in-window replay's heartbeat, then the offscreen pictures command."""
    steps = 20 if quick else STEPS
    gaps, bare = _replay_gaps(steps)
    wall, cpu, count = _pictures(steps)
    suffix = "" if steps == STEPS else f"_{steps}_steps_quick"
    return [(f"replay_loop_gap_max{suffix}", round(max(gaps), 2), "ms"),
            (f"replay_loop_gap_bare_max{suffix}", round(max(bare), 2), "ms"),
            (f"replay_loop_gap_p99{suffix}", round(sorted(gaps)[int(len(gaps) * 0.99)], 2), "ms"),
            (f"demo_play_pictures_{steps}_steps", round(wall, 2), "s"),
            (f"demo_play_pictures_{steps}_steps_cpu", round(cpu, 2), "s"),
            (f"demo_play_pictures_{steps}_steps_written", count, "png")]


def _replay_gaps(steps: int) -> tuple[list[float], list[float]]:
    """Play a recording into the composed window with a 5 ms heartbeat; its lateness per tick."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from presto_desktop.ui.app import GIL_SWITCH_S

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(GIL_SWITCH_S)
    try:
        with tempfile.TemporaryDirectory(prefix="presto-replay-bench-") as data:
            return loop.run_until_complete(_play(app, Path(data), steps))
    finally:
        sys.setswitchinterval(switch_interval)
        asyncio.set_event_loop(None)
        loop.close()


async def _play(app: Any, data: Path, steps: int) -> tuple[list[float], list[float]]:
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.ui.composition import Composition
    from presto_desktop.ui.replay.runner import settle
    from tests.replay_factory import demo_recording

    comp = Composition(app, AppPaths.resolve(data), offline=True, persist=False)
    comp.start(None, restore_geometry=False)
    comp.window.resize(1280, 800)
    comp.window.show()
    await asyncio.sleep(1.5)  # the engine, its warm-up and the first chart come first
    await settle(comp.window)
    gaps: list[float] = []
    bare: list[float] = []
    beat = asyncio.ensure_future(heartbeat(gaps))
    try:
        started = time.perf_counter()
        await comp.replay.play(demo_recording(steps), speed=SPEED)
        beat.cancel()
        beat = asyncio.ensure_future(heartbeat(bare))
        await asyncio.sleep(time.perf_counter() - started)
    finally:
        beat.cancel()
        comp.window.hide()
        await comp.shutdown()
        comp.window.deleteLater()
    return gaps or [0.0], bare or [0.0]




def _pictures(steps: int) -> tuple[float, float, int]:
    """`demo play --screenshot-dir --instant` in a subprocess: (wall s, CPU s, PNGs written)."""
    from tests.replay_factory import write_demo

    with tempfile.TemporaryDirectory(prefix="presto-pictures-bench-") as tmp:
        recording = write_demo(Path(tmp) / "demo.presto", steps)
        out = Path(tmp) / "pictures"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "presto_desktop", "demo", "play", str(recording),
                        "--screenshot-dir", str(out), "--instant"], check=True, env=env,
                       capture_output=True, timeout=600)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu, len(list(out.glob("step-*.png")))

"""Cold paths, outside in: a scripted session in a fresh process with a fresh data dir.

Each run spawns tests/benchmarks/session_driver.py on a new temp data dir (nothing remembered,
nothing saved, no import cached in the process; bytecode cached, as an installed app has it)
and reports the event loop's gaps per phase: start-up after the first paint, the first
generation of a never-seen industry (offline), streaming a chart reply, more messages, a switch
to a saved mode, the library, Settings.
The first paint (until it is over: the whole frame drawn) is compared with a bare PySide6
window measured the same way in the same run, cold (the session's own start) and warm (a
second start on the same data dir, remembered first frame). The warm start's own start-up
after its paint (the picture of the remembered frame, then its parts built under it) is
another run of the driver on that data dir: session.startup_after_paint_warm.
What a frame built from widgets cannot go under is reported too: the bare window after making
the Python types of every Qt class the cold frame had used by its paint (PySide makes a class's
type with all its enums on first use: Qt's namespace alone ~13 ms), session.first_paint_types.

Goals (issue 12), kept here and not in the output:
- session.<phase>.max_gap <= 16.7 ms and session.<phase>.p99_gap <= 8 ms, every phase
- session.trigger_to_restyled_new <= 100 ms (offline), session.trigger_to_restyled_saved <= 30 ms
- session.first_paint_cold_ratio <= 1.5, session.first_paint_warm_ratio <= 1.3 (x)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from tests.benchmarks.window_bench import (
    _APP,
    _BARE,
    _PAINT_FILTER,
    BARE_WINDOW,
    _first_paint,
    bench_env,
    first_paint_and_types,
)

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("session_driver.py")
Row = tuple[str, float, str]
# The bare window, after making the types of the Qt classes named in argv[2] ("QtGui.QFont,...").
_BARE_TYPES = _PAINT_FILTER + textwrap.dedent("""
    import importlib
    for spec in sys.argv[2].split(","):
        module, name = spec.split(".")
        getattr(importlib.import_module(f"PySide6.{module}"), name)
""") + BARE_WINDOW
PHASES = ("startup_after_paint", "generate_new", "stream_chart", "messages", "switch_saved",
          "library", "settings")


def _session(data: str, messages: int, *only: str) -> dict:
    """One scripted session in a fresh process on `data`; the driver's figures."""
    env = bench_env()  # the offline engine, bytecode cached as in an installed app
    started = time.time()
    result = subprocess.run([sys.executable, str(DRIVER), str(started), data, str(messages),
                             *only],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                            check=False)
    for line in result.stdout.splitlines():
        if line.startswith("SESSION "):
            return json.loads(line.split(" ", 1)[1])
    raise RuntimeError(f"session failed (exit {result.returncode}): "
                       f"{result.stdout[-400:]} {result.stderr[-1200:]}")


def run(quick: bool = False) -> list[Row]:
    """Per-phase gaps (worst over the runs), trigger times and first paints (medians)."""
    runs, messages = (1, 12) if quick else (3, 40)
    sessions, warm, warm_starts = [], [], []
    with tempfile.TemporaryDirectory() as data:  # unmeasured: caches every phase's bytecode
        _session(data, 2)
    with tempfile.TemporaryDirectory() as data:  # unmeasured: what a cold frame makes
        made = ",".join(first_paint_and_types(_APP, data)[1])
    bare, bare_types = [_first_paint(_BARE)], [_first_paint(_BARE_TYPES, made)]
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as data:
            sessions.append(_session(data, messages))
            warm_starts.append(_session(data, 0, "startup"))
            warm.append(_first_paint(_APP, data) * 1000)
        bare.append(_first_paint(_BARE))
        bare_types.append(_first_paint(_BARE_TYPES, made))
    bare_ms = statistics.median(bare) * 1000
    types_ms = statistics.median(bare_types) * 1000
    rows: list[Row] = []
    for phase in PHASES:
        figures = [s["phases"].get(phase, {"max": 0.0, "p99": 0.0}) for s in sessions]
        rows.append((f"session.{phase}.max_gap", round(max(f["max"] for f in figures), 1), "ms"))
        rows.append((f"session.{phase}.p99_gap", round(max(f["p99"] for f in figures), 1), "ms"))
    figures = [s["phases"]["startup_after_paint"] for s in warm_starts]
    rows.append(("session.startup_after_paint_warm.max_gap",
                 round(max(f["max"] for f in figures), 1), "ms"))
    rows.append(("session.startup_after_paint_warm.p99_gap",
                 round(max(f["p99"] for f in figures), 1), "ms"))
    for key in ("trigger_to_restyled_new", "trigger_to_restyled_saved"):
        rows.append((f"session.{key}", round(statistics.median(s[key] for s in sessions), 1),
                     "ms"))
    cold = statistics.median(s["first_paint_ms"] for s in sessions)
    warm_ms = statistics.median(warm)
    rows += [("session.first_paint_bare", round(bare_ms, 1), "ms"),
             ("session.first_paint_cold", round(cold, 1), "ms"),
             ("session.first_paint_warm", round(warm_ms, 1), "ms"),
             ("session.first_paint_types", round(types_ms, 1), "ms"),
             ("session.first_paint_cold_ratio", round(cold / bare_ms, 2), "x"),
             ("session.first_paint_types_ratio", round(types_ms / bare_ms, 2), "x"),
             ("session.first_paint_warm_ratio", round(warm_ms / bare_ms, 2), "x")]
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for name, value, unit in run(quick="--quick" in sys.argv):
        print(name, value, unit)

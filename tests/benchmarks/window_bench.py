"""Window figures: start to first paint vs a bare PySide6 window, trigger to restyled, heartbeat.

Each function returns (name, value, unit) rows; run.py prints them as `name value unit`, nothing
more on the line. Goals (issue 3), kept here and not in the output:
- window.first_paint_ratio <= 2 (x): the usual start (the frame the last run remembered);
  window.first_paint_first_run(_ratio) is the start without one, reported for honesty
- window.trigger_to_restyled_max <= 50 (ms)
- window.generate_heartbeat_max_gap <= 10 (ms), window.generate_heartbeat_p99_gap <= 6 (ms)
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
Row = tuple[str, float, str]
# The heartbeat runs on this long after the generation task: the new mode is shown in loop
# turns after it (restyle ~40 ms, content, the one repaint).
SHOWN_AFTER_S = 0.25

_PAINT_FILTER = textwrap.dedent("""
    import sys, time
    from PySide6.QtWidgets import QApplication
    from tests.benchmarks.paint_probe import made_types, watch_first_paint

    T0 = float(sys.argv[1])
    app = QApplication.instance() or QApplication(sys.argv[:1])

    def painted(window):
        print(f"PAINT {time.time() - T0:.6f}", flush=True)
        print("TYPES " + ",".join(made_types()), flush=True)  # timed already
        window.close()

    first_paint = watch_first_paint(painted)
""")

BARE_WINDOW = textwrap.dedent("""
    from PySide6.QtWidgets import QLabel, QMainWindow
    window = QMainWindow()
    window.setObjectName("mainWindow")
    window.setCentralWidget(QLabel("hello"))
    window.resize(1280, 800)
    window.show()
    app.exec()
""")
_BARE = _PAINT_FILTER + BARE_WINDOW

# The real entry point (`presto-desktop --data-dir DIR`, no --offline: the default engine
# choice) imports the cli and ui.app before anything creates the QApplication; the harness does
# the same, sets its paint probe to watch the main window when it shows, and runs cli.main.
_APP = "import presto_desktop.cli, presto_desktop.ui.app\n" + _PAINT_FILTER + textwrap.dedent("""
    from presto_desktop.cli import main
    sys.exit(main(["--data-dir", sys.argv[2]]))
""")


# Bytecode as an installed app has it (the PyInstaller bundle ships .pyc; pip compiles at
# install): without it (PYTHONDONTWRITEBYTECODE in some shells) every start compiled ~65 of
# the app's modules, ~120 ms a bare window never pays. Kept out of the tree; warmed by each
# suite's first, unmeasured, spawn.
_PYCACHE = tempfile.TemporaryDirectory(prefix="presto-bench-pyc-")


def bench_env() -> dict[str, str]:
    """A benchmark child's environment: offscreen, the offline engine, bytecode cached."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=_PYCACHE.name)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRESTO_MODEL"):
        env.pop(name, None)  # no server configured: the offline engine, as on a fresh laptop
    return env


def _first_paint(script: str, *extra: str) -> float:
    """Seconds from spawning a Python process to its main window's first paint, complete."""
    return first_paint_and_types(script, *extra)[0]


def first_paint_and_types(script: str, *extra: str) -> tuple[float, list[str]]:
    """`_first_paint`, and the Qt classes the child had made types of by then (paint_probe)."""
    env = bench_env()
    started = time.time()
    result = subprocess.run([sys.executable, "-c", script, str(started), *extra], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    if "PAINT" not in lines:
        raise RuntimeError(f"no first paint (exit {result.returncode}): {result.stderr[-800:]}")
    return float(lines["PAINT"]), [name for name in lines.get("TYPES", "").split(",") if name]


def _first_run(data: str) -> float:
    """A start with no remembered first frame (as right after installing, or a changed file)."""
    frame = Path(data) / "start_frame.json"
    frame.unlink(missing_ok=True)
    return _first_paint(_APP, data)


def first_paint(quick: bool = False) -> list[Row]:
    """Start to first paint of the app and of a bare PySide6 window, same run, medians.

    The app's usual start paints the frame its last run remembered; the first start after
    installing (or after the settings or the mode's file changed) has none and is reported too.
    """
    runs = 2 if quick else 5
    with tempfile.TemporaryDirectory() as data:
        _first_paint(_APP, data)  # warm the file cache and write the data dir once
        app = statistics.median(_first_paint(_APP, data) for _ in range(runs))
        first_run = statistics.median(_first_run(data) for _ in range(runs))
        _first_paint(_APP, data)
    _first_paint(_BARE)  # its bytecode cached, as the app's was by the first start above
    bare = statistics.median(_first_paint(_BARE) for _ in range(runs))
    return [("window.first_paint_app", round(app * 1000, 1), "ms"),
            ("window.first_paint_bare", round(bare * 1000, 1), "ms"),
            ("window.first_paint_ratio", round(app / bare, 2), "x"),
            ("window.first_paint_first_run", round(first_run * 1000, 1), "ms"),
            ("window.first_paint_first_run_ratio", round(first_run / bare, 2), "x")]


def _composition(data: Path, delay: float = 0.0):
    """A Composition on the offscreen QApplication with a fake engine of `delay` seconds.

    The fake gives each industry its own primary colour, so every switch really restyles.
    """
    import qasync
    from PySide6.QtWidgets import QApplication

    from presto_desktop.core.paths import AppPaths
    from presto_desktop.ui.composition import Composition
    from tests.ui.fakes import FakeEngine

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    comp = Composition(app, AppPaths.resolve(data), offline=True, persist=False,
                       engine=FakeEngine(delay=delay, primary=None))
    comp.settings.theme = "light"
    comp.start(None, restore_geometry=False)
    comp.window.resize(1280, 800)
    comp.window.show()
    app.processEvents()
    return app, loop, comp


def trigger_to_restyled(quick: bool = False) -> list[Row]:
    """ms from a typed trigger for a saved mode until the window is restyled and laid out."""
    rounds = 10 if quick else 40
    with tempfile.TemporaryDirectory() as tmp:
        app, loop, comp = _composition(Path(tmp))
        for text in ("you're a beekeeper", "you're a florist"):
            comp.window.route(f"Presto-Change-O, {text}")
            if comp.modes.task is not None:
                loop.run_until_complete(comp.modes.task)
        bee, florist = (comp.store.find_by_request(k) for k in ("beekeeper|", "florist|"))
        assert bee is not None and florist is not None and bee.palette != florist.palette
        times = []
        for index in range(rounds):
            text = "you're a beekeeper" if index % 2 else "you're a florist"
            started = time.perf_counter()
            comp.window.route(f"Presto-Change-O, {text}")
            app.processEvents()
            while comp.theme.repaint_pending or comp.window.mode_change.pending("restyle"):
                app.processEvents()
            times.append((time.perf_counter() - started) * 1000)
            assert not comp.modes.busy
        loop.run_until_complete(comp.shutdown())
        comp.window.close()
        loop.close()
    return [("window.trigger_to_restyled_median", round(statistics.median(times), 2), "ms"),
            ("window.trigger_to_restyled_max", round(max(times), 2), "ms")]


def heartbeat_while_generating(quick: bool = False) -> list[Row]:
    """Gaps of a 5 ms QTimer while a slow fake engine generates a mode (overlay showing),
    and while the window then shows it: the restyle and the content follow the generation
    task over a few loop turns, and those turns count too."""
    from PySide6.QtCore import QTimer

    from tests.factories import make_mode

    delay = 0.6 if quick else 2.0
    make_mode("warm-up")  # the fake engine's own first-call imports are not the window's cost
    with tempfile.TemporaryDirectory() as tmp:
        _app, loop, comp = _composition(Path(tmp), delay=delay)
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        comp.window.route("Presto-Change-O, you're a beekeeper")
        loop.run_until_complete(comp.modes.task)
        loop.run_until_complete(asyncio.sleep(SHOWN_AFTER_S))
        timer.stop()
        loop.run_until_complete(comp.shutdown())
        comp.window.close()
        loop.close()
    gaps = sorted((b - a) * 1000 for a, b in itertools.pairwise(ticks))
    p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
    return [("window.generate_heartbeat_max_gap", round(gaps[-1], 2), "ms"),
            ("window.generate_heartbeat_p99_gap", round(p99, 2), "ms")]


def hero_render(quick: bool = False) -> list[Row]:
    """CPU ms to make a new mode's backdrop (colours + 840 x 730 pixels), as its worker does.

    Goal (issue 16): emblem and hero for a new mode <= 20 ms off the GUI thread.
    """
    from PySide6.QtWidgets import QApplication

    from presto_desktop.core.hero import hero_for
    from presto_desktop.ui.theme.hero import render_hero
    from tests.factories import make_mode

    _app = QApplication.instance() or QApplication([])
    samples = []
    for index in range(5 if quick else 20):
        mode = make_mode(f"hero-{index}", company=f"Backdrop {index} Co",
                         primary=f"#{(index * 2654435761) % 0xffffff:06x}")
        started = time.thread_time()
        render_hero(hero_for(mode.company_name, mode.palette.light.model_dump()), 840, 730, 1.0)
        samples.append((time.thread_time() - started) * 1000)
    return [("window.hero_render_cpu_median", round(statistics.median(samples), 2), "ms")]


def run(quick: bool = False) -> list[Row]:
    """All window figures."""
    return (first_paint(quick) + trigger_to_restyled(quick) + heartbeat_while_generating(quick)
            + hero_render(quick))


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    for name, value, unit in run(quick="--quick" in sys.argv):
        print(name, value, unit)

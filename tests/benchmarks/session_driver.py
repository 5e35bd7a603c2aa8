"""The scripted session session_bench.py runs in a fresh process with a fresh data dir.

Usage (by session_bench.py only): python session_driver.py T0 DATA_DIR MESSAGES [startup]
(with `startup`, only the start-up phase: a warm start on a data dir a session left behind)
It starts the real entry point (`presto-desktop --data-dir DATA_DIR`), and from the end of the
window's first paint on drives it as a user would, phase by phase, while two heartbeats watch the loop:
a 3 ms precise QTimer (gaps between its ticks) and a watchdog thread that samples how long ago
the timer last ticked (a loop blocked in one C call, or a timer that coalesced, still shows).
At the end it prints one line, `SESSION {json}`, and the window closes as a user closes it.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

import presto_desktop.cli
import presto_desktop.ui.app  # noqa: F401 - imported before the QApplication, as the real start
from tests.benchmarks.paint_probe import watch_first_paint

T0 = float(sys.argv[1])
DATA = sys.argv[2]
MESSAGES = int(sys.argv[3])
STARTUP_ONLY = sys.argv[4:] == ["startup"]
TICK_MS = 3
POLL_MS = 4
STARTUP_S = 2.0  # the phase after the first paint: start-up steps and warm-ups
SETTLE_S = 0.3
# PRESTO_SESSION_STACKS=1: the watchdog prints the loop thread's stack (to stderr) whenever the
# loop has not ticked for this long, to find what stalls it.
STACKS_AFTER_MS = 10.0 if os.environ.get("PRESTO_SESSION_STACKS") else None
MAIN_THREAD = threading.get_ident()  # after each action, the loop turns that follow it count to its phase
app = QApplication.instance() or QApplication(sys.argv[:1])


class Heartbeat:
    """Loop gaps per phase from a QTimer and from a watchdog thread."""

    def __init__(self) -> None:
        self.phase = "startup_after_paint"
        self.gaps: dict[str, list[float]] = {}
        self.stale: dict[str, float] = {}
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.tick)
        self.running = True
        self.thread = threading.Thread(target=self.watch, daemon=True)

    def start(self) -> None:
        """Start both heartbeats (when the first paint is over)."""
        self.last = time.perf_counter()
        self.timer.start(TICK_MS)
        self.thread.start()

    def tick(self) -> None:
        """The loop ran: record the gap since the last tick under the current phase."""
        now = time.perf_counter()
        self.gaps.setdefault(self.phase, []).append((now - self.last) * 1000)
        self.last = now

    def watch(self) -> None:
        """Sample how stale the last tick is, every millisecond, from another thread."""
        # tick, length, stack, (loop CPU, process CPU) in ms
        stalled: tuple[float, float, str, tuple[float, float]] | None = None
        # The loop thread's CPU clock: a stall's own work vs. time it waited (GIL, scheduler).
        loop_clock = time.pthread_getcpuclockid(MAIN_THREAD)
        cpu_at_tick = (0.0, 0.0, 0.0)  # (tick, loop CPU time then, process CPU time then)
        while self.running:
            time.sleep(0.001)
            last = self.last
            stale = (time.perf_counter() - last) * 1000
            if stale > self.stale.get(self.phase, 0.0):
                self.stale[self.phase] = stale
            if STACKS_AFTER_MS is None:
                continue
            if cpu_at_tick[0] != last:
                cpu_at_tick = (last, time.clock_gettime(loop_clock), time.process_time())
            if stalled is not None and stalled[0] != last:
                # The loop ticked again: the stall's whole length, with where it first stood.
                print(f"--- {self.phase} stalled {stalled[1]:.0f} ms (loop CPU "
                      f"{stalled[3][0]:.0f} ms, process CPU {stalled[3][1]:.0f} ms):\n"
                      f"{stalled[2]}", file=sys.stderr)
                stalled = None
            elif stale > STACKS_AFTER_MS:
                cpu = ((time.clock_gettime(loop_clock) - cpu_at_tick[1]) * 1000,
                       (time.process_time() - cpu_at_tick[2]) * 1000)
                if stalled is None:
                    frame = sys._current_frames().get(MAIN_THREAD)
                    stalled = (last, stale, "".join(traceback.format_stack(frame)[-14:])
                               if frame else "?", cpu)
                stalled = (last, stale, stalled[2], cpu)

    def stop(self) -> None:
        """Stop both heartbeats."""
        self.running = False
        self.timer.stop()

    def figures(self) -> dict[str, dict[str, float]]:
        """Per phase: the max gap (either heartbeat) and the p99 gap of the timer."""
        out = {}
        for phase, gaps in self.gaps.items():
            ordered = sorted(gaps)
            p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
            out[phase] = {"max": max(ordered[-1], self.stale.get(phase, 0.0)), "p99": p99,
                          "ticks": len(ordered)}
        return out


beat = Heartbeat()
result: dict[str, Any] = {}


def main_window() -> Any:
    """The app's main window."""
    return next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")


def restyled(window: Any, company_before: str) -> Callable[[], bool]:
    """True once a new mode is applied, generation is over and the restyle's repaint is done."""
    return lambda: (not window.modes.busy and window.modes.current.company_name != company_before
                    and not window.mode_change.pending("restyle"))


def chat_idle(window: Any) -> Callable[[], bool]:
    """True when no reply is streaming."""
    return lambda: not window.chat.busy


def wait_for(condition: Callable[[], bool], limit_s: float = 30.0) -> Iterator[Any]:
    """Yield until `condition` holds (polled every few ms on the loop)."""
    ends = time.perf_counter() + limit_s
    while not condition():
        if time.perf_counter() > ends:
            raise TimeoutError("session step timed out")
        yield None


def pause(seconds: float) -> Iterator[Any]:
    """Yield for `seconds`."""
    ends = time.perf_counter() + seconds
    yield from wait_for(lambda: time.perf_counter() >= ends)


def questions(window: Any) -> tuple[str, list[str]]:
    """A question the current mode answers with a chart, and ordinary ones to ask after."""
    mode = window.modes.current
    charted = [a.question for a in mode.offline_content if a.chart is not None]
    plain = [a.question for a in mode.offline_content] + list(mode.suggested_prompts)
    plain += [tab.prompt for tab in mode.tabs if tab.prompt] + ["Thanks, what else can you tell me?"]
    return (charted[0] if charted else plain[0]), plain


def _profiled(action: Callable[[], Any]) -> Any:
    """Run `action`; with PRESTO_SESSION_STACKS=1 its profile goes to stderr."""
    if STACKS_AFTER_MS is None:
        return action()
    import cProfile
    import pstats

    profile = cProfile.Profile()
    value = profile.runcall(action)
    pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    return value


def switch(window: Any, text: str, key: str) -> Iterator[Any]:
    """Route a trigger and time it until restyled."""
    before = window.modes.current.company_name
    started = time.perf_counter()
    _profiled(lambda: window.route(f"Presto-Change-O, {text}"))
    yield from wait_for(restyled(window, before))
    result[key] = (time.perf_counter() - started) * 1000
    yield from wait_for(chat_idle(window))
    yield from pause(SETTLE_S)


def dialog(window: Any, opener: str) -> Iterator[Any]:
    """Open a dialog, let it show, close it."""
    shown = _profiled(getattr(window, opener))
    yield from pause(0.5)
    shown.close()
    yield from pause(SETTLE_S)


def session() -> Iterator[Any]:
    """The scripted session, phase by phase."""
    window = main_window()
    yield from pause(STARTUP_S)
    # A loaded machine can take longer than STARTUP_S to wire the window (seen: no `modes`
    # yet, and the run failed): the start-up phase then lasts until it is wired.
    yield from wait_for(lambda: hasattr(window, "modes") and hasattr(window, "chat"))
    if STARTUP_ONLY:
        beat.stop()
        return
    beat.phase = "generate_new"
    yield from switch(window, "you're a florist", "trigger_to_restyled_new")
    chart, plain = questions(window)
    beat.phase = "stream_chart"
    window.route(chart)
    yield from wait_for(lambda: window.chat.busy, 5.0)
    yield from wait_for(chat_idle(window))
    yield from pause(SETTLE_S)
    beat.phase = "messages"
    for index in range(MESSAGES):
        window.route(plain[index % len(plain)])
        yield from wait_for(lambda: window.chat.busy, 5.0)
        yield from wait_for(chat_idle(window))
    yield from pause(SETTLE_S)
    beat.phase = "switch_saved"
    yield from switch(window, "back to normal", "trigger_to_restyled_default")
    yield from switch(window, "you're a florist", "trigger_to_restyled_saved")
    beat.phase = "library"
    yield from dialog(window, "open_library")
    beat.phase = "settings"
    yield from dialog(window, "open_settings")
    beat.stop()


def drive(steps: Iterator[Any]) -> None:
    """Run the session generator, one step per poll, then report and close the window."""
    try:
        next(steps)
    except StopIteration:
        result["phases"] = beat.figures()
        print("SESSION " + json.dumps(result), flush=True)
        main_window().close()
        return
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the run
        print(f"SESSION_ERROR {type(exc).__name__}: {exc}", flush=True)
        beat.stop()
        main_window().close()
        return
    QTimer.singleShot(POLL_MS, lambda: drive(steps))


def painted(_window: object) -> None:
    """The first paint is over: time it, start the heartbeats and the session."""
    result["first_paint_ms"] = (time.time() - T0) * 1000
    beat.start()
    QTimer.singleShot(0, lambda: drive(session()))


first_paint = watch_first_paint(painted)
sys.exit(presto_desktop.cli.main(["--data-dir", DATA]))

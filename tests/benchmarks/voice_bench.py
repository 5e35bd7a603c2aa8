"""Voice figures: VoiceController + the real realtime client against the loopback fake server.

- voice_warmup_step_max: the longest loop gap while voice warms up (the mic button hovered:
  the first turn's imports, one per loop turn)
- voice_loop_gap_first_turn: the same as voice_loop_gap_max on the first turn (after the
  chat engine's start-up warm-up and the hover warm-up, as in the window)
- voice_loop_gap_max: the longest a 5 ms heartbeat on the qasync loop was held up beyond its
  5 ms during voice turns (microphone chunks in, transcripts, reply audio out; goal <= 16.7 ms)
- voice_first_audio_out: from the server writing the first audio delta to the output's first
  write (median and max over turns; goal <= 300 ms)

The fake server runs in its own process (in-process, its thread would compete for the GIL and
the figures would measure the test rig); perf_counter is the system's monotonic clock.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import statistics
import sys
import time
from multiprocessing.connection import Connection
from typing import Any

from tests.benchmarks.beat import heartbeat
from tests.engines.fake_realtime_server import FakeRealtime, RealtimeScript

Row = tuple[str, float, str]


class _TimedRealtime(FakeRealtime):
    """The fake server, noting when each reply's first audio delta goes out."""

    def __init__(self, script: RealtimeScript, sent: list[float]) -> None:
        super().__init__(script)
        self._sent = sent

    def _reply(self, send: Any, ws: Any, number: int, parts: list[str], item: str) -> bool:
        def timed(event: dict[str, Any]) -> None:
            if event.get("type") == "response.output_audio.delta" and not stamped:
                stamped.append(time.perf_counter())
                self._sent.append(stamped[0])
            send(event)
        stamped: list[float] = []
        return super()._reply(timed, ws, number, parts, item)


def _serve(conn: Connection) -> None:
    sent: list[float] = []
    with _TimedRealtime(RealtimeScript(), sent) as server:
        conn.send(server.base_url)
        conn.recv()  # "done"
    conn.send(sent)


class _StepClock:
    """The longest CPU time one asyncio callback took on the loop thread since `reset` (CPU
    time, not wall time: on a loaded machine the wall clock also counts other processes)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._run = asyncio.events.Handle._run
        clock = self

        def timed(handle: asyncio.events.Handle) -> None:
            began = time.thread_time()
            try:
                clock._run(handle)
            finally:
                clock.longest = max(clock.longest, (time.thread_time() - began) * 1000)

        asyncio.events.Handle._run = timed  # type: ignore[method-assign]

    def reset(self) -> float:
        """The longest so far (ms); starts again."""
        longest, self.longest = self.longest, 0.0
        return longest

    def close(self) -> None:
        """Stop timing."""
        asyncio.events.Handle._run = self._run  # type: ignore[method-assign]


def run(quick: bool = False) -> list[Row]:
    """Several voice turns, one per session, on a qasync loop with a heartbeat."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(target=_serve, args=(theirs,))
    process.start()
    try:
        base_url = ours.recv()
        gaps, outs, cpu = _turns(app, base_url, 3 if quick else 8)
        ours.send("done")
        sent = ours.recv()
    finally:
        process.join(10)
    latencies = [(out - first) * 1000 for first, out in zip(sent, outs, strict=False)]
    # gaps[0]: the warm-up's longest step (mic hovered); gaps[1]: the first turn.
    return [("voice_warmup_step_max", round(gaps[0], 2), "ms"),
            ("voice_loop_gap_first_turn", round(gaps[1], 2), "ms"),
            ("voice_loop_gap_max", round(max(gaps[2:]), 2), "ms"),
            ("voice_loop_gap_median_of_turns", round(statistics.median(gaps[2:]), 2), "ms"),
            # The same in CPU time of the longest single loop step (robust on a busy machine).
            ("voice_warmup_step_cpu_max", round(cpu[0], 2), "ms"),
            ("voice_step_cpu_first_turn", round(cpu[1], 2), "ms"),
            ("voice_step_cpu_max", round(max(cpu[2:]), 2), "ms"),
            ("voice_first_audio_out_median", round(statistics.median(latencies), 1), "ms"),
            ("voice_first_audio_out_max", round(max(latencies), 1), "ms")]


def _turns(app: Any, base_url: str, turns: int) -> tuple[list[float], list[float], list[float]]:
    import qasync

    from presto_desktop.ui.app import GIL_SWITCH_S

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    # As in the window (ui/app.py): worker threads hand the GIL back every 0.5 ms.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(GIL_SWITCH_S)
    try:
        return loop.run_until_complete(_run_turns(base_url, turns))
    finally:
        sys.setswitchinterval(switch_interval)
        asyncio.set_event_loop(None)
        loop.close()


async def _run_turns(base_url: str, turns: int) -> tuple[list[float], list[float], list[float]]:
    from presto_desktop.core.audio.pcm import REALTIME_FORMAT
    from presto_desktop.engines.voice_realtime import RealtimeVoiceEngine
    from presto_desktop.ui.voice.controller import VoiceCallbacks, VoiceController
    from tests.core.test_audio import tone
    from tests.engines.test_openai_engine import MODE, config
    from tests.ui.voice.fake_voice import MemoryDevices

    class Timed(MemoryDevices):
        def output(self, voice: Any, fmt: Any) -> Any:
            out = super().output(voice, fmt)
            write = out.write

            def timed(pcm: bytes) -> None:
                if len(outs) < len(self.outputs):
                    outs.append(time.perf_counter())
                write(pcm)
            out.write = timed  # type: ignore[method-assign]
            return out

    async def opener(voice: Any, chat: Any, mode: Any, history: Any, **_: Any) -> Any:
        engine = RealtimeVoiceEngine(config(None, base_url=base_url), model="gpt-realtime",
                                     voice="marin")
        await engine.start(mode, history)
        return engine

    from presto_desktop.core.settings import VoiceSettings
    from presto_desktop.engines.openai_engine import OpenAIEngine

    outs: list[float] = []
    devices = Timed()
    voice = VoiceSettings(path="realtime")
    chat = OpenAIEngine(config(None, base_url=base_url))
    context = VoiceCallbacks(settings=lambda: voice, engine=lambda: chat, mode=lambda: MODE,
                             messages=list)
    controller = VoiceController(context, devices, opener=opener)
    gaps: list[float] = []
    speech = tone(1.0, REALTIME_FORMAT)
    # As the window does after its first frames (composition._prepare): the chat engine's
    # warm-up imports openai and friends in a worker thread before anyone speaks.
    await chat.prepare()
    # Then the mic button is hovered (ui/shell/voice_wiring.py): voice's own warm-up, one
    # import per loop turn; its longest step is a figure of its own.
    warm_gaps: list[float] = []
    beat = asyncio.get_running_loop().create_task(heartbeat(warm_gaps))
    await asyncio.sleep(0)
    controller.warm_up()
    assert controller.warmup is not None
    while controller.warmup.busy:
        await asyncio.sleep(0.005)
    beat.cancel()
    gaps.append(max(warm_gaps))
    cpu = [controller.warmup.longest_step_cpu_ms]
    clock = _StepClock()
    for _ in range(turns):
        done = asyncio.Event()
        controller.message.connect(lambda m, d=done: d.set() if m.role == "assistant" else None)
        # The heartbeat runs before the session's first step: connecting (the realtime
        # client's imports and construction) happens on the loop too.
        beat = asyncio.get_running_loop().create_task(heartbeat(gaps_now := []))
        await asyncio.sleep(0)
        task = controller.start()
        assert task is not None, controller.problem
        while not devices.microphones or not devices.microphones[-1].is_open:
            await asyncio.sleep(0.005)
        for start in range(0, len(speech), 2400):
            devices.microphones[-1].chunks.put_nowait(speech[start:start + 2400])
        await asyncio.wait_for(done.wait(), 30)
        controller.stop()
        await task
        beat.cancel()
        gaps.append(max(gaps_now))
        cpu.append(clock.reset())
    clock.close()
    await chat.aclose()
    return gaps, outs, cpu



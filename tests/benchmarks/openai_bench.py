"""OpenAI-compatible engine figures against the loopback fake server (real SDK, real sockets).

- openai_generation_client_overhead: generate_mode wall time minus the server's own time
  (median, warm client; goal <= 20 ms)
- openai_loop_gap_generating / openai_loop_gap_streaming: the longest a 5 ms asyncio heartbeat
  was held up beyond its 5 ms while generating against a slow server / streaming 2,000 chunks
  (goal <= 10 ms; streaming: median over repeats of each run's worst gap, and the max).
  `_first_use` includes the one-off imports (openai ~0.8 s, run in a worker thread; the
  composition root can hide it by awaiting `engine.prepare()` at start-up).
- openai_first_token_after_first_byte: from the server writing the first SSE event to the
  consumer holding the first TextDelta (goal <= one frame, 16 ms)
"""

from __future__ import annotations

import asyncio
import multiprocessing
import statistics
import time
from multiprocessing.connection import Connection
from typing import Self

from presto_desktop.core.triggers import parse_trigger
from presto_desktop.engines.base import TextDelta
from presto_desktop.engines.generated_mode import build_mode
from presto_desktop.engines.generation_schema import GeneratedMode
from presto_desktop.engines.openai_config import OpenAIConfig
from presto_desktop.engines.openai_engine import OpenAIEngine
from tests.engines.fake_openai_server import (
    MODEL,
    SAMPLE_GENERATION,
    FakeOpenAI,
    Script,
    chunk,
    text_chunks,
)

Row = tuple[str, float, str]
# The fake server runs in its own process: in-process, its thread would compete with the
# event loop for the GIL and the figures would measure the test rig, not the client.


def _serve(script: Script, conn: Connection) -> None:
    """Child process: serve `script` until told to stop (bounded by the server's lifetime)."""
    with FakeOpenAI(script, lifetime_s=120) as server:
        conn.send(server.base_url)
        while conn.poll(120):
            command = conn.recv()
            if command == "stats":
                conn.send((list(server.handled_s), server.first_event_at))
                server.first_event_at = None
            else:
                break


class RemoteServer:
    """A FakeOpenAI in a child process: `with RemoteServer(script) as server: ...`."""

    def __init__(self, script: Script | None = None) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(script or Script(), child),
                                        daemon=True)

    def __enter__(self) -> Self:
        self._process.start()
        if not self._conn.poll(30):
            raise RuntimeError("fake server process did not start")
        self.base_url = self._conn.recv()
        return self

    def stats(self) -> tuple[list[float], float | None]:
        """(server seconds per POST so far, perf_counter of the last first SSE event)."""
        self._conn.send("stats")
        return self._conn.recv()

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self._process.join(5)
        if self._process.is_alive():
            self._process.terminate()
REQUEST = parse_trigger("Presto-Change-O, you're a florist")


def _config(server: RemoteServer) -> OpenAIConfig:
    return OpenAIConfig(base_url=server.base_url, model=MODEL, api_key="sk-bench-000000000")


class Heartbeat:
    """A 5 ms asyncio ticker recording how late it wakes up."""

    def __init__(self, period_s: float = 0.005) -> None:
        self.period_s = period_s
        self.worst_s = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.period_s)
            self.worst_s = max(self.worst_s, time.perf_counter() - before - self.period_s)

    def __enter__(self) -> Self:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


def client_overhead(quick: bool) -> list[Row]:
    """Median generate_mode time minus server time, warm client."""
    runs = 5 if quick else 20

    async def go(server: RemoteServer) -> tuple[list[float], float]:
        engine = OpenAIEngine(_config(server))
        await engine.generate_mode(REQUEST)  # warm: imports, client, connection pool
        overheads = []
        for _ in range(runs):
            before = len(server.stats()[0])
            started = time.perf_counter()
            await engine.generate_mode(REQUEST)
            total = time.perf_counter() - started
            overheads.append(total - sum(server.stats()[0][before:]))
        local = []
        generated = GeneratedMode.model_validate(SAMPLE_GENERATION)
        for _ in range(runs):
            started = time.perf_counter()
            build_mode(generated, REQUEST, MODEL)
            local.append(time.perf_counter() - started)
        await engine.aclose()
        return overheads, statistics.median(local)

    with RemoteServer() as server:
        overheads, local = asyncio.run(go(server))
    return [
        ("openai_generation_client_overhead", round(statistics.median(overheads) * 1000, 2), "ms"),
        ("openai_generation_client_overhead_max", round(max(overheads) * 1000, 2), "ms"),
        ("openai_build_mode_local", round(local * 1000, 2), "ms"),
    ]


def loop_gaps(quick: bool) -> list[Row]:
    """Heartbeat lateness while generating (cold engine, slow server) and streaming 2,000 chunks."""
    chunks = 500 if quick else 2000
    repeats = 3 if quick else 5  # the median of the worst gaps: one OS hiccup is not the client

    async def generating(server: RemoteServer) -> tuple[float, float]:
        engine = OpenAIEngine(_config(server))
        with Heartbeat() as cold:  # first use: imports run in a worker thread
            await engine.generate_mode(REQUEST)
        with Heartbeat() as warm:
            await engine.generate_mode(REQUEST)
        await engine.aclose()
        return cold.worst_s, warm.worst_s

    async def streaming(server: RemoteServer, mode) -> tuple[list[float], int]:
        engine = OpenAIEngine(_config(server))
        async for _event in engine.stream_chat(mode, [], "warm-up"):
            pass
        worst = []
        for _ in range(repeats):
            count = 0
            with Heartbeat() as beat:
                async for _event in engine.stream_chat(mode, [], "hi"):
                    count += 1
            worst.append(beat.worst_s)
        await engine.aclose()
        return worst, count

    with RemoteServer(Script(delay_s=0.3)) as server:
        cold_gap, warm_gap = asyncio.run(generating(server))
    mode = build_mode(GeneratedMode.model_validate(SAMPLE_GENERATION), REQUEST, MODEL)
    events = [*text_chunks("word " * chunks, chunks), chunk({}, "stop")]
    with RemoteServer(Script(stream_events=events)) as server:
        streaming_gaps, count = asyncio.run(streaming(server, mode))
    return [
        ("openai_loop_gap_generating_first_use", round(cold_gap * 1000, 2), "ms"),
        ("openai_loop_gap_generating", round(warm_gap * 1000, 2), "ms"),
        (f"openai_loop_gap_streaming_{chunks}_chunks",
         round(statistics.median(streaming_gaps) * 1000, 2), "ms"),
        (f"openai_loop_gap_streaming_{chunks}_chunks_max", round(max(streaming_gaps) * 1000, 2),
         "ms"),
        (f"openai_events_for_{chunks}_chunks", count, "events"),
    ]


def first_token(quick: bool) -> list[Row]:
    """Time from the first SSE event written to the first TextDelta in the consumer's hands."""
    runs = 3 if quick else 10
    mode = build_mode(GeneratedMode.model_validate(SAMPLE_GENERATION), REQUEST, MODEL)

    async def once(server: RemoteServer, engine: OpenAIEngine) -> float:
        server.stats()  # resets the server's first-event time
        async for event in engine.stream_chat(mode, [], "hi"):
            if isinstance(event, TextDelta):
                got = time.perf_counter()  # CLOCK_MONOTONIC: comparable across processes
                first_event_at = server.stats()[1]
                assert first_event_at is not None
                return got - first_event_at
        raise AssertionError("no text")

    async def go(server: RemoteServer) -> list[float]:
        engine = OpenAIEngine(_config(server))
        await once(server, engine)  # warm
        times = [await once(server, engine) for _ in range(runs)]
        await engine.aclose()
        return times

    events = [*text_chunks("Hello there, this is a streamed reply.", 8), chunk({}, "stop")]
    with RemoteServer(Script(stream_events=events, chunk_delay_s=0.002)) as server:
        times = asyncio.run(go(server))
    return [("openai_first_token_after_first_byte", round(statistics.median(times) * 1000, 2),
             "ms")]


def run(quick: bool = False) -> list[Row]:
    """All OpenAI engine figures."""
    return [*loop_gaps(quick), *client_overhead(quick), *first_token(quick)]


if __name__ == "__main__":
    for name, value, unit in run(quick=False):
        print(name, value, unit)

"""The window's mode controller with the real OpenAI engine against loopback servers."""

from __future__ import annotations

import asyncio
import itertools
import socket
import threading
import time

from PySide6.QtCore import QTimer

from presto_desktop.core.triggers import parse_trigger
from presto_desktop.engines.openai_config import OpenAIConfig
from presto_desktop.engines.openai_engine import OpenAIEngine
from presto_desktop.ui.shell.mode_controller import ModeController
from tests.engines.fake_openai_server import MODEL, FakeOpenAI, Script
from tests.factories import store_with_default

KEY = "sk-test-WINDOWKEY0123456789"


def _engine(base_url: str) -> OpenAIEngine:
    return OpenAIEngine(OpenAIConfig(base_url=base_url, model=MODEL, api_key=KEY,
                                     connect_timeout_s=2.0, timeout_s=20.0, max_retries=0,
                                     refine_timeout_s=0.5))


def test_generation_against_a_slow_server_keeps_the_loop_ticking(qapp, qloop, tmp_path):
    store = store_with_default(tmp_path)
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    with FakeOpenAI(Script(delay_s=1.0)) as server:
        engine = _engine(server.base_url)
        controller = ModeController(store, engine)
        heartbeat.start()
        request = parse_trigger("Presto-Change-O, you're a florist")
        mode = qloop.run_until_complete(controller.generate(request))
        heartbeat.stop()
        qloop.run_until_complete(engine.aclose())
    assert mode is not None and mode.source.engine == "openai"
    assert store.get(mode.id).company_name == "Petal & Stem"
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 50  # the timer kept firing through the 1 s server delay
    assert max(gaps) < 0.25  # generous: tests are not benchmarks (see tests/benchmarks)


class SilentServer:
    """Accepts one HTTP request, never answers, and records when the client hangs up."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(10)
        self.received = threading.Event()
        self.closed_by_client = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        conn.settimeout(10)
        with conn:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    data = conn.recv(65536)
                except (TimeoutError, OSError):
                    return
                if not data:
                    self.closed_by_client.set()
                    return
                self.received.set()

    def close(self) -> None:
        self.sock.close()


def test_cancel_closes_the_socket(qapp, qloop, tmp_path):
    store = store_with_default(tmp_path)
    server = SilentServer()
    engine = _engine(server.base_url)
    controller = ModeController(store, engine)
    cancelled: list[bool] = []
    controller.generation_cancelled.connect(lambda: cancelled.append(True))
    request = parse_trigger("Presto-Change-O, you're a florist")

    async def scenario() -> None:
        task = controller.generate(request)
        deadline = time.monotonic() + 10
        while not server.received.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert server.received.is_set()
        assert controller.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        await engine.aclose()

    try:
        qloop.run_until_complete(scenario())
        assert server.closed_by_client.wait(5), "the client kept the connection open"
    finally:
        server.close()
    assert cancelled == [True]
    assert controller.current is None or controller.current.id == "default"
    assert not list(p for p in (tmp_path / "data" / "modes").glob("*.json")
                    if not p.name.startswith("."))

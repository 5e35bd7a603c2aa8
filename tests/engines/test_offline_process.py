"""The offline engine's worker process: same modes as in-process, and never a failed request."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from presto_desktop.core.models import Mode
from presto_desktop.core.settings import Settings
from presto_desktop.core.triggers import ModeRequest, parse_trigger
from presto_desktop.engines import offline_process
from presto_desktop.engines.factory import make_engine
from presto_desktop.engines.offline import OfflineEngine
from presto_desktop.engines.offline_process import (
    ProcessOfflineEngine,
    WorkerError,
    WorkerProcess,
    worker_command,
    worker_env,
)
from presto_desktop.engines.offline_worker import answer

FLORIST = ModeRequest("switch", "florist", None, "you're a florist")
TAKEN = {"Hollis Flower Market", "Wild Bramble Florals"}


def _same(a: Mode, b: Mode) -> bool:
    return a.model_dump(exclude={"created_at"}) == b.model_dump(exclude={"created_at"})


def _local(request: ModeRequest, taken: set[str] = frozenset()) -> Mode:  # type: ignore[assignment]
    return OfflineEngine().build_mode(request, taken_names=set(taken))


def _gone(pid: int, within_s: float = 10.0) -> bool:
    """Whether process `pid` has exited (and been reaped) within `within_s`."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_the_worker_builds_what_this_process_would_and_stays_up() -> None:
    requests = [parse_trigger(f"Presto-Change-O, you're {what}")
                for what in ("a florist", "a beekeeper", "Acme Rockets")]

    async def run() -> tuple[list[Mode], list[int | None]]:
        engine = ProcessOfflineEngine(OfflineEngine(taken_names=lambda: set(TAKEN)))
        try:
            modes, pids = [], []
            for request in requests:
                assert request is not None
                modes.append(await engine.generate_mode(request))
                pids.append(engine.worker.pid)
            return modes, pids
        finally:
            await engine.aclose()

    modes, pids = asyncio.run(run())
    assert pids[0] is not None and pids[0] != os.getpid()
    assert pids == [pids[0]] * 3  # one process, started once
    # The library's names reach the worker: the florist is not named after a taken one.
    assert modes[0].company_name not in TAKEN
    assert all(_same(mode, _local(request, TAKEN))  # type: ignore[arg-type]
               for mode, request in zip(modes, requests, strict=True))
    assert _gone(pids[0])


def test_prepare_warms_the_worker_and_not_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    warmed_here: list[bool] = []
    monkeypatch.setattr(OfflineEngine, "warm", lambda self: warmed_here.append(True))

    async def run() -> int | None:
        engine = ProcessOfflineEngine(OfflineEngine())
        try:
            await engine.prepare()
            return engine.worker.pid
        finally:
            await engine.aclose()

    assert asyncio.run(run()) is not None
    assert warmed_here == []


def test_a_worker_that_dies_leaves_the_modes_to_this_process() -> None:
    async def run() -> tuple[Mode, bool]:
        engine = ProcessOfflineEngine(OfflineEngine(taken_names=set))
        try:
            await engine.prepare()
            assert engine.worker.pid is not None
            os.kill(engine.worker.pid, signal.SIGKILL)
            await asyncio.sleep(0.2)
            return await engine.generate_mode(FLORIST), engine.worker.broken
        finally:
            await engine.aclose()

    mode, broken = asyncio.run(run())
    assert broken
    assert _same(mode, _local(FLORIST))


def test_a_worker_that_never_answers_is_killed_and_the_mode_built_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offline_process, "START_TIMEOUT_S", 0.5)
    silent = [sys.executable, "-c",
              "import sys, time; print('S 0', flush=True); sys.stdin.readline(); time.sleep(60)"]

    async def run() -> tuple[Mode, WorkerProcess]:
        engine = ProcessOfflineEngine(OfflineEngine(taken_names=set), silent)
        try:
            return await engine.generate_mode(FLORIST), engine.worker
        finally:
            await engine.aclose()

    mode, worker = asyncio.run(run())
    assert _same(mode, _local(FLORIST))
    assert worker.broken and worker.pid is not None and _gone(worker.pid)


@pytest.mark.parametrize("command", [
    ["/nonexistent/presto-desktop", "--offline-worker"],  # cannot start
    [sys.executable, "-c", "import sys; print('S 0'); sys.stdin.readline(); print('M 1 {}')"],
    [sys.executable, "-c", "pass"],  # exits at once
    # Its replies go nowhere (a windowed build's stdout): it never says it started.
    [sys.executable, "-c", "import sys, time; sys.stdin.readline(); time.sleep(60)"],
])
def test_a_worker_that_cannot_answer_never_fails_the_request(
        command: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offline_process, "HELLO_TIMEOUT_S", 0.5)

    async def run() -> Mode:
        engine = ProcessOfflineEngine(OfflineEngine(taken_names=set), command)
        try:
            return await engine.generate_mode(FLORIST)
        finally:
            await engine.aclose()

    assert _same(asyncio.run(run()), _local(FLORIST))


def test_a_request_that_fails_in_the_worker_leaves_it_working() -> None:
    async def run() -> tuple[str, Mode, bool]:
        worker = WorkerProcess(worker_command())
        try:
            with pytest.raises(WorkerError) as failed:
                await worker._ask({"op": "build", "request": {"kind": "reset"}}, 30)
            return str(failed.value), await worker.build(FLORIST, None), worker.broken
        finally:
            await worker.aclose()

    reason, mode, broken = asyncio.run(run())
    assert "ValueError" in reason and "reset" in reason
    assert not broken and _same(mode, _local(FLORIST))


def test_the_worker_runs_this_copy_of_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import presto_desktop

    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    env = worker_env()
    assert env is not None
    assert env["PYTHONPATH"].split(os.pathsep) == [
        str(Path(presto_desktop.__file__).resolve().parent.parent), "/elsewhere"]


def test_the_worker_exits_when_the_window_closes_its_input(tmp_path: Path) -> None:
    process = subprocess.Popen(worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               cwd=tmp_path, env=worker_env())
    out, _ = process.communicate(b'{"id": 7, "op": "warm"}\n', timeout=60)
    assert process.returncode == 0
    assert out == b"S 0\nR 7\n"


@pytest.mark.parametrize("line", [
    b"not json\n", b"[]\n", b'{"id": 3}\n', b'{"id": 3, "request": {"kind": 5}}\n',
    b'{"id": 3, "request": {"kind": "switch", "industry": "x", "evil": "y"}}\n',
])
def test_the_worker_answers_a_broken_request_with_an_error_line(line: bytes) -> None:
    reply = answer(OfflineEngine(), line)
    assert reply.startswith((b"E 0 ", b"E 3 ")) and reply.endswith(b"\n")
    assert reply.count(b"\n") == 1


@pytest.mark.parametrize("split", [True, False])
def test_a_bundles_worker_is_its_console_executable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   split: bool) -> None:
    """Windows and macOS bundles: the windowed executable's stdout goes nowhere."""
    windowed = tmp_path / "presto-desktop.exe"
    windowed.write_bytes(b"")
    if split:
        (tmp_path / "presto-desktop-cli.exe").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(windowed))
    expected = tmp_path / ("presto-desktop-cli.exe" if split else "presto-desktop.exe")
    assert worker_command() == [str(expected), "--offline-worker"]
    assert worker_env() is None  # the bundle's own path


def test_the_window_asks_for_the_worker_and_the_command_line_does_not() -> None:
    settings = Settings()
    window = make_engine(settings, force_offline=True, offline_worker=True)
    assert isinstance(window, ProcessOfflineEngine)
    assert window.label == OfflineEngine().label and window.kind == "offline"
    assert window.worker.pid is None  # nothing starts until it is used
    assert isinstance(make_engine(settings, force_offline=True), OfflineEngine)

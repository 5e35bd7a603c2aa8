"""The offline engine with its modes built in a worker process (engines/offline_worker.py).

Built in a thread of the window's process, a mode's ~10 ms of Python (and the first one's
~0.4 s of imports and caches) took the GIL from the event loop: it waited up to a frame at a
time. A process has a GIL of its own. Replies are still composed here (they are cheap), and
whenever the worker cannot answer (it did not start, died or stalled) the mode is built in a
thread as before, so a request never fails for the worker's sake.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from presto_desktop.engines.offline_worker import WORKER_FLAG

if TYPE_CHECKING:
    from presto_desktop.core.chat import ChatMessage
    from presto_desktop.core.models import Mode
    from presto_desktop.core.triggers import ModeRequest
    from presto_desktop.engines.base import ChatEvent
    from presto_desktop.engines.offline import OfflineEngine

log = logging.getLogger(__name__)

HELLO_TIMEOUT_S = 10.0  # from its start to its first line (before its imports)
START_TIMEOUT_S = 30.0  # the worker's start and warm-up (imports) on a slow, busy machine
BUILD_TIMEOUT_S = 10.0  # one mode, once warm (~10 ms)
CLOSE_WAIT_S = 2.0  # after stdin closes, before the worker is killed


class WorkerError(Exception):
    """The worker process could not answer; the mode is built in a thread instead."""


def worker_command() -> list[str]:
    """How to start the worker: the bundle itself, or this interpreter with the package."""
    if getattr(sys, "frozen", False):
        exe = Path(sys.executable)
        # Windows and macOS bundles: the windowed executable has no stdout (packaging/entry.py
        # points it at os.devnull); its console sibling has (build.spec).
        cli = exe.with_name(f"{exe.stem}-cli{exe.suffix}")
        return [str(cli if cli.is_file() else exe), WORKER_FLAG]
    return [sys.executable, "-m", "presto_desktop", WORKER_FLAG]


def worker_env() -> dict[str, str] | None:
    """The worker's environment: this copy of the package first on its path, so the worker
    runs the window's code even if another copy is installed (None: inherit, as a bundle)."""
    if getattr(sys, "frozen", False):
        return None
    import presto_desktop

    root = str(Path(presto_desktop.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
    return env


class WorkerProcess:
    """One worker process: requests go out as lines, replies settle futures on their loop.

    Broken for good after any failure to start, write or answer in time (it is then killed);
    a request that merely failed inside the worker (`E`) leaves it working.
    """

    def __init__(self, command: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        self._command = list(command)
        self._env = None if env is None else dict(env)
        self._lock = threading.Lock()  # starts and writes come from worker threads
        self._process: subprocess.Popen[bytes] | None = None
        self._pending: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Future[Mode | None]]] = {}
        self._next_id = 0
        self._answered = False  # once it has answered, it is warm: builds get the short timeout
        self._hello: asyncio.Future[Mode | None] | None = None  # its first line, once started
        self.broken = False
        self.closed = False

    @property
    def pid(self) -> int | None:
        """The process id once started."""
        return None if self._process is None else self._process.pid

    async def warm(self) -> None:
        """Start the worker if needed and let it build (and drop) one mode."""
        await self._ask({"op": "warm"}, START_TIMEOUT_S)

    async def build(self, request: ModeRequest,
                    taken: Callable[[], set[str] | None] | None) -> Mode:
        """The worker's mode for `request`; `taken` lists names in use (read in a thread)."""
        fields = dataclasses.asdict(request)
        timeout = BUILD_TIMEOUT_S if self._answered else START_TIMEOUT_S
        mode = await self._ask({"op": "build", "request": fields}, timeout, taken)
        if mode is None:
            raise WorkerError("the worker answered a build without a mode")
        return mode

    async def _ask(self, message: dict[str, object], timeout: float,
                   taken: Callable[[], set[str] | None] | None = None) -> Mode | None:
        if self.broken or self.closed:
            raise WorkerError("the worker is not available")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Mode | None] = loop.create_future()
        future.add_done_callback(_seen)  # failed by a break while this waited for the hello
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            self._pending[ident] = (loop, future)
            if self._hello is None:  # the process starts with this request: its first line
                self._hello = loop.create_future()
                self._hello.add_done_callback(_seen)  # each request reports the failure
                self._pending[0] = (loop, self._hello)
            hello = self._hello
        try:
            # Starting the process, listing taken names and writing are blocking: a thread.
            await asyncio.to_thread(self._send, ident, message, taken)
            # A worker whose replies go nowhere fails here, not after START_TIMEOUT_S.
            await asyncio.wait_for(asyncio.shield(hello), HELLO_TIMEOUT_S)
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            self._break("no answer in time")
            raise WorkerError("the worker did not answer in time") from None
        finally:
            with self._lock:
                self._pending.pop(ident, None)

    def _send(self, ident: int, message: dict[str, object],
              taken: Callable[[], set[str] | None] | None) -> None:
        names = taken() if taken is not None else None
        if names is not None:
            message = {**message, "taken": sorted(names)}
        line = json.dumps({"id": ident, **message}).encode() + b"\n"
        with self._lock:
            process = self._start()
            stdin = process.stdin
            assert stdin is not None  # noqa: S101 - Popen was asked for a pipe
            try:
                stdin.write(line)
                stdin.flush()
            except OSError as exc:
                self._break_locked(f"could not write to it ({exc})")
                raise WorkerError("the worker's input is closed") from exc

    def _start(self) -> subprocess.Popen[bytes]:
        """The running process, started now if need be (the caller holds the lock)."""
        if self.broken or self.closed:
            raise WorkerError("the worker is not available")
        if self._process is None:
            try:
                # stderr to nowhere: a failure comes back as a reply line (or EOF), never noise.
                self._process = subprocess.Popen(  # noqa: S603 - our own command line
                    self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL, close_fds=True, env=self._env,
                    creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))  # no console
            except OSError as exc:
                self.broken = True
                log.warning("offline worker not started: %s", exc)
                raise WorkerError("the worker did not start") from exc
            assert self._process.stdout is not None  # noqa: S101 - asked for a pipe
            threading.Thread(target=self._read, args=(self._process.stdout,),
                             name="presto-offline-replies", daemon=True).start()
        return self._process

    def _read(self, replies: IO[bytes]) -> None:
        """Settle each reply's future, in this thread until the worker's output ends."""
        for line in replies:
            kind, _, rest = line.rstrip(b"\n").partition(b" ")
            ident_text, _, payload = rest.partition(b" ")
            try:
                ident = int(ident_text)
            except ValueError:
                continue
            self._settle(ident, kind, payload)
        self._break("its output ended")

    def _settle(self, ident: int, kind: bytes, payload: bytes) -> None:
        with self._lock:
            if kind == b"S":  # started: only its first line says so (see offline_worker.py)
                waiting = self._pending.pop(0, None)
            else:
                self._answered = True
                waiting = self._pending.get(ident) if ident else None
        if waiting is None:
            return  # timed out or cancelled meanwhile
        loop, future = waiting
        result: Mode | None | BaseException
        if kind in (b"R", b"S"):
            result = None
        elif kind == b"M":
            result = _parse_mode(payload)
        else:
            result = WorkerError(payload.decode(errors="replace") or "the worker failed")
        try:
            loop.call_soon_threadsafe(_resolve, future, result)
        except RuntimeError:
            pass  # that loop has closed: nobody waits any more

    def _break(self, why: str) -> None:
        with self._lock:
            self._break_locked(why)

    def _break_locked(self, why: str) -> None:
        """Give up on the worker (kill it) and fail whatever still waits for it."""
        if not self.broken and not self.closed:
            log.warning("offline worker stopped (%s); modes are built in this process", why)
        self.broken = True
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        for loop, future in self._pending.values():
            try:
                loop.call_soon_threadsafe(_resolve, future, WorkerError(why))
            except RuntimeError:
                pass

    async def aclose(self) -> None:
        """Close its input (it exits), wait a little, then make sure it is gone."""
        with self._lock:
            self.closed = True
            process = self._process
        if process is None:
            return
        await asyncio.to_thread(_stop, process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End `process`: EOF first, a kill if it lingers; its pipes closed either way."""
    try:
        if process.stdin is not None:
            process.stdin.close()
    except OSError:
        pass
    try:
        process.wait(CLOSE_WAIT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


def _parse_mode(payload: bytes) -> Mode | BaseException:
    """The mode a reply carries, validated like any mode file (its error, if it is not one)."""
    from pydantic import ValidationError

    from presto_desktop.core.models import Mode

    try:
        return Mode.model_validate_json(payload)
    except ValidationError as exc:
        return WorkerError(f"the worker's mode did not validate ({exc.error_count()} errors)")


def _seen(future: asyncio.Future[Mode | None]) -> None:
    """Mark `future`'s exception as retrieved (asyncio logs an unretrieved one)."""
    if not future.cancelled():
        future.exception()


def _resolve(future: asyncio.Future[Mode | None], result: Mode | None | BaseException) -> None:
    """Settle `future` with `result` (an exception fails it), unless it is already settled."""
    if future.done():
        return
    if isinstance(result, BaseException):
        future.set_exception(result)
    else:
        future.set_result(result)


class ProcessOfflineEngine:
    """The offline engine, its modes built by a worker process (in a thread when it cannot)."""

    def __init__(self, local: OfflineEngine, command: Sequence[str] | None = None) -> None:
        self._local = local
        self.worker = (WorkerProcess(worker_command(), worker_env()) if command is None
                       else WorkerProcess(command))

    @property
    def label(self) -> str:
        """Shown in the window's engine indicator (the offline engine's)."""
        return self._local.label

    @property
    def kind(self) -> str:
        """Engine kind."""
        return self._local.kind

    async def generate_mode(self, request: ModeRequest) -> Mode:
        """The worker's mode for `request`; built in a thread if the worker cannot answer."""
        if request.kind == "switch":
            try:
                return await self.worker.build(request, self._local.taken_names)
            except WorkerError as exc:
                log.info("mode built in this process: %s", exc)
        return await self._local.generate_mode(request)

    async def prepare(self) -> None:
        """Start and warm the worker; without one, warm this process up instead."""
        try:
            await self.worker.warm()
        except WorkerError:
            await self._local.prepare()

    def stream_chat(self, mode: Mode, history: list[ChatMessage],
                    message: str) -> AsyncIterator[ChatEvent]:
        """Replies are composed here: they only read the mode."""
        return self._local.stream_chat(mode, history, message)

    async def aclose(self) -> None:
        """Stop the worker process."""
        await self.worker.aclose()


__all__ = ["ProcessOfflineEngine", "WorkerError", "WorkerProcess", "worker_command", "worker_env"]

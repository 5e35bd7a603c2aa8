"""An advisory lock shared by every process using one data dir (two windows, a window and the CLI).

POSIX: fcntl.flock on a lock file. Windows: msvcrt.locking on its first byte. The lock is
re-entrant within a thread (a save that lists modes takes it once), and a folder where the
lock file cannot be created (read-only data dir) runs unlocked: the write that follows fails
with its own clear message.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)
LOCK_NAME = ".lock"

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt
else:
    msvcrt = None  # type: ignore[assignment]


def _acquire(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return
    os.lseek(fd, 0, os.SEEK_SET)  # msvcrt locks bytes from the current position
    while True:  # msvcrt.locking(LK_LOCK) gives up after 10 s; keep waiting like flock does
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
            return
        except OSError:
            continue


def _release(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


_held = threading.local()  # per thread: lock path -> [depth, fd]; shared by every DataLock


class DataLock:
    """`with lock:` holds the lock file `path` exclusively across processes and threads."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        self._key = os.path.abspath(self._path)

    @property
    def path(self) -> Path:
        """The lock file."""
        return self._path

    def __enter__(self) -> DataLock:
        # Re-entrant per thread and per file, whichever DataLock object takes it: a second
        # flock on another descriptor of the same file would wait for ourselves for ever.
        held: dict[str, list] = _held.__dict__.setdefault("locks", {})
        entry = held.get(self._key)
        if entry is None:
            held[self._key] = [1, self._open_and_lock()]
        else:
            entry[0] += 1
        return self

    def __exit__(self, *exc: object) -> None:
        held: dict[str, list] = _held.__dict__.setdefault("locks", {})
        entry = held[self._key]
        entry[0] -= 1
        if entry[0] == 0:
            del held[self._key]
            fd = entry[1]
            if fd is not None:
                with contextlib.suppress(OSError):
                    _release(fd)
                os.close(fd)

    def _open_and_lock(self) -> int | None:
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError as exc:
            log.debug("no lock file %s (%s); continuing unlocked", self._path, exc)
            return None
        try:
            _acquire(fd)
        except OSError as exc:
            log.debug("could not lock %s (%s); continuing unlocked", self._path, exc)
        return fd


def data_lock(data_dir: Path) -> DataLock:
    """The lock of one data dir (every store of that dir uses the same file)."""
    return DataLock(Path(data_dir) / LOCK_NAME)

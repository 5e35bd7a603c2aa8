"""Reading a file the app did not necessarily write: never blocks, never reads without limit.

A FIFO named like a mode file would block a plain open() for ever, and a symlink to /dev/zero
would be read until memory runs out. Every read of a data, config or imported file goes
through `read_limited`: open without blocking, check the opened file is a regular file, then
read at most `limit` + 1 bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from presto_desktop.core.errors import StoreError

# O_NONBLOCK: opening a FIFO with no writer returns at once (POSIX); absent on Windows, where
# named pipes do not live in ordinary folders. O_NOCTTY: a terminal device never becomes ours.
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1 << 20


class UnreadableFileError(StoreError):
    """A file that must not be read: `reason` is a short phrase such as "not a regular file"."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{Path(path).name}: {reason}")
        self.path = Path(path)
        self.reason = reason


class NotRegularFileError(UnreadableFileError):
    """A FIFO, device, socket or folder where a file was expected."""


class FileTooLargeError(UnreadableFileError):
    """A file above the caller's size limit."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def too_large_reason(size: int, limit: int) -> str:
    """The one phrase every size refusal uses."""
    return f"file too large ({size:,} bytes; the limit is {limit:,})"


def read_limited(path: Path | str, limit: int) -> bytes:
    """The bytes of regular file `path`, at most `limit` of them.

    Raises NotRegularFileError or FileTooLargeError (one-line messages, `reason` attribute),
    or OSError (FileNotFoundError for a missing file) from opening or reading.
    """
    return read_limited_stat(path, limit)[0]


def read_limited_stat(path: Path | str, limit: int) -> tuple[bytes, os.stat_result]:
    """Like read_limited, also returning the stat of the file that was read (for re-checks)."""
    try:
        fd = os.open(path, _FLAGS)
    except IsADirectoryError:
        raise NotRegularFileError(path, "not a regular file (it is a folder)") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(path, f"not a regular file (it is {_kind(info.st_mode)})")
        if info.st_size > limit:
            raise FileTooLargeError(path, too_large_reason(info.st_size, limit))
        chunks: list[bytes] = []
        remaining = limit + 1  # one byte more tells a file that grew past the limit
        while remaining > 0:
            chunk = os.read(fd, min(_CHUNK, remaining))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileTooLargeError(path, too_large_reason(len(data), limit) + " and growing")
    return data, info


def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    """True when two stats describe the same, unchanged file."""
    return (a.st_ino, a.st_dev, a.st_size, a.st_mtime_ns) == (b.st_ino, b.st_dev, b.st_size,
                                                             b.st_mtime_ns)

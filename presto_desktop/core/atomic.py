"""Atomic file writes: temp file in the same folder, fsync, replace (or link, to claim a name)."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from presto_desktop.core.errors import StoreError
from presto_desktop.core.paths import AppPaths

log = logging.getLogger(__name__)
TEMP_SUFFIX = ".tmp"
STALE_TEMP_S = 60.0  # a write takes milliseconds: an older temp file is left by a crash
# mkstemp names: "." + target name + "." + 8 random characters + ".tmp"
_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{6,}\.tmp$")


class TargetExistsError(StoreError):
    """The file to create already exists (and overwriting was not asked for)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists")
        self.path = path


def current_umask() -> int:
    """The process umask (read from /proc where possible: setting it is process-wide)."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    old = os.umask(0o022)
    os.umask(old)
    return old


def shareable_mode() -> int:
    """0644 less the umask: what a plain `open(path, "w")` would have created."""
    return 0o644 & ~current_umask()


def _write_temp(path: Path, data: bytes, mode: int | None, make_parents: bool) -> str:
    """A fsynced temp file next to `path` holding `data`; returns its name."""
    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise StoreError(f"could not write {path}: the folder {path.parent} does not exist")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        # A read-only, full or missing folder fails here first; name the file being saved.
        raise StoreError(f"could not write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise StoreError(f"could not write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return tmp_name


def _sync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        # Persist the rename itself; not every platform allows opening a directory.
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None,
                       make_parents: bool = True) -> None:
    """Write `data` to `path` so readers see the old file or the new one, never a part.

    `mode` sets the permissions (mkstemp creates 0600); `make_parents=False` refuses a
    missing folder instead of creating it.
    """
    tmp_name = _write_temp(path, data, mode, make_parents)
    try:
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise StoreError(f"could not write {path}: {exc.strerror or exc}") from exc
    _sync_dir(path.parent)


def atomic_create_bytes(path: Path, data: bytes, *, mode: int | None = None,
                        make_parents: bool = True) -> None:
    """Create `path` holding `data`, only if no file has that name (TargetExistsError if one has).

    The name is claimed with an exclusive create (an empty placeholder: two processes can
    never both get it), then filled by an atomic replace. Readers that find the placeholder
    see an empty file; the stores re-check under their lock before acting on that.
    """
    if not make_parents and not path.parent.is_dir():
        raise StoreError(f"could not write {path}: the folder {path.parent} does not exist")
    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                     0o600)
    except FileExistsError:
        raise TargetExistsError(path) from None
    except OSError as exc:
        raise StoreError(f"could not write {path}: {exc.strerror or exc}") from exc
    try:
        placeholder = os.fstat(fd)
    finally:
        os.close(fd)
    try:
        atomic_write_bytes(path, data, mode=mode, make_parents=False)
    except BaseException:
        # Give the name back, unless something else has replaced our placeholder meanwhile.
        with contextlib.suppress(OSError):
            now = os.stat(path)
            if (now.st_ino, now.st_dev) == (placeholder.st_ino, placeholder.st_dev):
                os.unlink(path)
        raise


def is_temp_name(name: str) -> bool:
    """True for the names of this module's temp files."""
    return bool(_TEMP_NAME.match(name))


def remove_temp_files(folder: Path, target_name: str) -> int:
    """Delete every temp file of `target_name` in `folder` whatever its age; returns the count."""
    removed = 0
    prefix = f".{target_name}."
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and is_temp_name(entry.name):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def remove_stale_temp_files(paths: AppPaths | Iterable[Path], *,
                            max_age_s: float = STALE_TEMP_S) -> int:
    """Delete temp files older than `max_age_s` left by a crash mid-save (every app folder).

    Call at start (the window and the CLI do). Younger ones may belong to another process
    writing right now. Returns the number removed; never raises.
    """
    folders = paths.app_dirs if isinstance(paths, AppPaths) else paths
    removed = 0
    now = time.time()
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not is_temp_name(entry.name):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if now - info.st_mtime < max_age_s:
                    continue
                os.unlink(entry.path)
            except OSError:
                continue
            removed += 1
            log.info("removed a temp file left by an interrupted save: %s", entry.path)
    return removed

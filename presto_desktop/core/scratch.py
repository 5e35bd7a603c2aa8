"""A throw-away copy of the user's data for `--self-test` and `--screenshot`.

Both drive the real window, which saves modes and conversations as it goes; run on a copy,
they leave the user's data dir exactly as they found it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from presto_desktop.core.conversation_json import MAX_FILE_BYTES
from presto_desktop.core.errors import StoreError
from presto_desktop.core.modefile import MAX_MODE_BYTES
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.safe_read import read_limited
from presto_desktop.core.settings import MAX_SETTINGS_BYTES

log = logging.getLogger(__name__)


def _copy_files(source: Path, target: Path, limit: int) -> None:
    """Copy the regular *.json files of `source` (not its sub-folders, never the key)."""
    try:
        names = sorted(entry.name for entry in os.scandir(source)
                       if entry.name.endswith(".json") and not entry.name.startswith("."))
    except OSError:
        return
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        try:
            (target / name).write_bytes(read_limited(source / name, limit))
        except (OSError, StoreError) as exc:
            log.info("not copied into the scratch data dir: %s (%s)", name, exc)


@contextlib.contextmanager
def scratch_copy(paths: AppPaths) -> Iterator[AppPaths]:
    """Paths in a temp folder holding a copy of the saved modes, conversations and settings.

    The folder is deleted on exit. The API key is not copied (headless runs are offline).
    """
    root = Path(tempfile.mkdtemp(prefix="presto-scratch-"))
    scratch = AppPaths(root / "data", root / "config", root / "logs")
    try:
        _copy_files(paths.modes_dir, scratch.modes_dir, MAX_MODE_BYTES)
        _copy_files(paths.conversations_dir, scratch.conversations_dir, MAX_FILE_BYTES)
        with contextlib.suppress(OSError, StoreError):
            data = read_limited(paths.settings_file, MAX_SETTINGS_BYTES)
            scratch.config_dir.mkdir(parents=True, exist_ok=True)
            scratch.settings_file.write_bytes(data)
        yield scratch
    finally:
        shutil.rmtree(root, ignore_errors=True)

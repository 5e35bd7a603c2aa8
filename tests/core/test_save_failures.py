"""Failed saves are reported and retried; a full disk does not flood stderr; crashes leave no copies."""

from __future__ import annotations

import errno
import logging
import os
import time
from pathlib import Path

import pytest

from presto_desktop.core import conversations as conversations_module
from presto_desktop.core.atomic import atomic_write_bytes, remove_stale_temp_files
from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.errors import StoreError
from presto_desktop.core.logs import QuietRotatingFileHandler, setup_logging
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.secrets import KeyStore


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths.resolve(tmp_path / "data")


def test_failed_conversation_save_is_reported_and_retried(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ConversationStore(paths)
    heard: list[tuple[str, object]] = []
    store.set_save_listener(lambda mode_id, failure: heard.append((mode_id, failure)))

    def disk_full(path: Path, *_args: object, **_kwargs: object) -> None:
        raise StoreError(f"could not write {path}: No space left on device")

    monkeypatch.setattr(conversations_module, "atomic_write_bytes", disk_full)
    messages = [ChatMessage("user", "keep me")]
    with pytest.raises(StoreError):
        store.save("bank", messages)
    [failure] = store.failed_saves()
    assert failure.mode_id == "bank" and "No space left" in failure.message
    assert heard == [("bank", failure)]
    assert store.retry_failed_saves() == [failure]  # still full
    monkeypatch.setattr(conversations_module, "atomic_write_bytes", atomic_write_bytes)
    assert store.retry_failed_saves() == []
    assert heard[-1] == ("bank", None)
    assert ConversationStore(paths).load("bank") == messages


def test_a_broken_listener_does_not_fail_the_save(paths: AppPaths) -> None:
    store = ConversationStore(paths)
    store.set_save_listener(lambda *_: 1 / 0)
    store.save("bank", [ChatMessage("user", "x")])
    assert store.load("bank") == [ChatMessage("user", "x")]


class FullDisk:
    """A stream whose every write fails like a full disk."""

    def seek(self, *_args: object) -> int:
        return 0

    def tell(self) -> int:
        return 0

    def write(self, _text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self) -> None:
        pass


def test_full_disk_log_reports_once(paths: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(paths)
    root = logging.getLogger()
    handler = next(h for h in root.handlers if getattr(h, "_presto", False))
    try:
        assert isinstance(handler, QuietRotatingFileHandler)
        handler.stream.close()
        handler.stream = FullDisk()
        for n in range(50):
            logging.getLogger("test").warning("record %d", n)
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "No space left on device" in err, err
        assert "Logging error" not in err and handler.failures == 50
    finally:
        root.removeHandler(handler)
        handler.stream = None
        handler.close()
        root.setLevel(logging.WARNING)


def _age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_stale_temp_files_are_removed_at_start(paths: AppPaths) -> None:
    for folder in (paths.modes_dir, paths.conversations_dir, paths.config_dir):
        folder.mkdir(parents=True, exist_ok=True)
    stale = [paths.modes_dir / ".florist.json.ab12cd34.tmp",
             paths.conversations_dir / ".bank.json.zz_9yy8x.tmp",
             paths.config_dir / ".api_key.k3y5abcd.tmp"]
    fresh = paths.modes_dir / ".other.json.qq11ww22.tmp"
    keep = paths.modes_dir / "florist.json"
    for path in [*stale, fresh, keep]:
        path.write_text("x")
    for path in [*stale, keep]:
        _age(path, 3600)
    assert remove_stale_temp_files(paths) == 3
    assert not any(p.exists() for p in stale)
    assert fresh.exists() and keep.exists()  # may be another process's write in progress


def test_clearing_the_key_leaves_no_copy_anywhere(paths: AppPaths) -> None:
    keys = KeyStore(paths, use_keyring=False)
    keys.set("sk-test-0123456789abcdef")
    # What a crash between writing and renaming leaves behind: a fresh temp copy of a key.
    leftover = paths.config_dir / ".api_key.x1y2z3w4.tmp"
    leftover.write_text("sk-test-older-key-0000")
    keys.clear()
    assert keys.get() is None
    remaining = [p.read_bytes() for p in paths.data_dir.rglob("*") if p.is_file()]
    assert not [r for r in remaining if b"sk-test" in r]

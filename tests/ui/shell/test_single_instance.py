"""One window per data dir: the lock, the ping that raises the first window, two real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from presto_desktop.ui.shell.single_instance import LOCK_NAME, WindowLock, server_name

ROOT = Path(__file__).resolve().parents[3]


def _env(tmp_path: Path) -> dict[str, str]:
    return {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


def test_server_name_is_per_data_dir(tmp_path):
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a" / ".." / "a")
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert len(server_name(tmp_path / ("x" * 300))) < 64  # socket paths are short


def test_second_lock_on_the_same_dir_fails_until_released(qapp, tmp_path):
    first, second = WindowLock(tmp_path / "data"), WindowLock(tmp_path / "data")
    assert first.acquire() is True
    assert (tmp_path / "data" / LOCK_NAME).is_file()
    assert second.acquire() is False
    assert WindowLock(tmp_path / "other").acquire() is True
    first.release()
    assert second.acquire() is True
    second.release()


def test_a_dead_windows_lock_is_taken_over(qapp, tmp_path):
    data = tmp_path / "data"
    script = (f"import os; from presto_desktop.ui.shell.single_instance import WindowLock\n"
              f"lock = WindowLock({str(data)!r})\nassert lock.acquire()\nos._exit(0)  # no unlock\n")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)
    assert (data / LOCK_NAME).is_file()
    lock = WindowLock(data)
    assert lock.acquire() is True
    lock.release()


def test_a_ping_from_another_process_calls_back_and_is_answered(qapp, qtbot, tmp_path):
    lock = WindowLock(tmp_path / "data")
    assert lock.acquire()
    pinged: list[bool] = []
    assert lock.listen(lambda: pinged.append(True))
    script = ("import sys; from presto_desktop.ui.shell.single_instance import ping_running\n"
              f"sys.exit(0 if ping_running({str(tmp_path / 'data')!r}) else 3)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        # This process's event loop must run to answer: wait on Qt, not on the child.
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and pinged == [True]
    lock.release()


def test_a_second_start_forwards_its_file_to_the_open_window(qapp, qtbot, tmp_path):
    from presto_desktop.ui.shell.single_instance import opened_path

    lock = WindowLock(tmp_path / "data")
    assert lock.acquire()
    pinged: list[bool] = []
    opened: list[Path] = []
    assert lock.listen(lambda: pinged.append(True), opened.append)
    wanted = tmp_path / "my demo é.presto"
    script = ("import sys; from pathlib import Path\n"
              "from presto_desktop.ui.shell.single_instance import ping_running\n"
              f"sys.exit(0 if ping_running({str(tmp_path / 'data')!r}, "
              f"open_path=Path({str(wanted)!r})) else 3)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and pinged == [True] and opened == [wanted]
    lock.release()
    # Only absolute paths of one line are asked for; anything else is a plain ping.
    assert opened_path(b"open relative.presto") is None
    assert opened_path(b"raise") is None and opened_path(b"open \xff\xfe") is None


def test_cli_subcommands_take_no_window_lock(qapp, tmp_path):
    lock = WindowLock(tmp_path / "data")
    assert lock.acquire()
    result = subprocess.run(
        [sys.executable, "-m", "presto_desktop", "--data-dir", str(tmp_path / "data"),
         "modes", "list"], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=_env(tmp_path), check=False)
    lock.release()
    assert result.returncode == 0, result.stderr
    assert "default" in result.stdout


def _log_has(log_file: Path, text: str) -> bool:
    try:
        return text in log_file.read_text(encoding="utf-8")
    except OSError:
        return False


def test_second_window_on_the_same_dir_raises_the_first_and_exits_0(tmp_path):
    data = tmp_path / "data"
    log_file = data / "logs" / "presto-desktop.log"
    command = [sys.executable, "-m", "presto_desktop", "--data-dir", str(data), "--offline"]
    first = subprocess.Popen(command, cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        # Up and answering SIGTERM (until then the default action would kill it).
        while not _log_has(log_file, "window open"):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first window never started"
            time.sleep(0.05)
        second = subprocess.run(command, cwd=ROOT, env=_env(tmp_path), capture_output=True,
                                text=True, timeout=60, check=False)
        assert second.returncode == 0, second.stderr
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "brought that window to the front" in lines[0], lines
        deadline = time.monotonic() + 30
        while not _log_has(log_file, "a second start asked for this window"):
            assert time.monotonic() < deadline, "the first window was never asked"
            time.sleep(0.05)
        assert first.poll() is None  # the first window is still open
    finally:
        if first.poll() is None:
            os.kill(first.pid, signal.SIGTERM)  # closes the window cleanly
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert not (data / LOCK_NAME).exists()  # released on the way out

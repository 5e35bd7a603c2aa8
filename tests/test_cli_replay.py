"""`demo play FILE.presto --screenshot-dir DIR`: one PNG per step from the real window offscreen,
the same bytes on every play; `presto-desktop FILE.presto` opens it in the window.

Recordings are built at test time (tests/replay_factory.py); the window runs in a subprocess.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from presto_desktop.cli import main
from presto_desktop.cli_demo import split_recording
from presto_desktop.core.recording import dump_recording
from tests.replay_factory import demo_recording, write_demo

STEPS = 6  # step 5 switches to the other mode


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home"),
           "PRESTO_DATA_DIR": str(tmp_path / "user-data")}
    env.pop("QT_SCALE_FACTOR", None)
    return env


def _play(tmp_path: Path, recording: Path, out: Path, *pace: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "presto_desktop", "demo", "play", str(recording),
                           "--screenshot-dir", str(out), *pace],
                          capture_output=True, text=True, timeout=300, env=_env(tmp_path),
                          check=False)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_two_plays_write_the_same_picture_per_step(tmp_path: Path) -> None:
    recording = write_demo(tmp_path / "demo.presto", STEPS)
    first, second = tmp_path / "first", tmp_path / "second"
    played = _play(tmp_path, recording, first, "--instant")
    assert played.returncode == 0, played.stderr
    assert f"pictures: {STEPS} in {first}" in played.stdout
    # At a pace this time: when the pictures are taken does not change them.
    again = _play(tmp_path, recording, second, "--speed", "20")
    assert again.returncode == 0, again.stderr
    names = [f"step-{n:03d}.png" for n in range(1, STEPS + 1)]
    assert sorted(p.name for p in first.iterdir()) == names
    assert sorted(p.name for p in second.iterdir()) == names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
        assert _png_size(first / name) == (1280, 800)
    pictures = [(first / name).read_bytes() for name in names]
    assert len(set(pictures)) == STEPS  # every step changed the window
    assert not (tmp_path / "user-data").exists()  # nothing of the user's is read or written


def test_a_refused_recording_is_one_line_before_any_window(tmp_path: Path) -> None:
    raw = json.loads(dump_recording(demo_recording(2)))
    raw["modes"][0]["palette"]["primary"] = "red"  # an embedded mode that fails validation
    bad = tmp_path / "bad.presto"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    script = (
        "import sys; from presto_desktop.cli import main\n"
        f"code = main(['demo', 'play', {str(bad)!r}, '--screenshot-dir', "
        f"{str(tmp_path / 'out')!r}])\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync')]\n"
        "assert not bad, bad\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, env=_env(tmp_path), check=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "bad.presto" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_text_play_still_imports_no_qt(tmp_path: Path) -> None:
    recording = write_demo(tmp_path / "demo.presto", 3)
    script = (
        "import sys; from presto_desktop.cli import main\n"
        f"assert main(['demo', 'play', {str(recording)!r}, '--instant']) == 0\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, env=_env(tmp_path), check=False)
    assert result.returncode == 0, result.stderr
    assert "step 3/3" in result.stdout


@pytest.mark.parametrize(("argv", "words", "file"), [
    (["demo.presto"], [], "demo.presto"),
    (["--offline", "--mode", "banking", "x.PRESTO"], ["--offline", "--mode", "banking"], "x.PRESTO"),
    (["--data-dir", "a.presto", "b.presto"], ["--data-dir", "a.presto"], "b.presto"),
    (["demo", "play", "demo.presto"], ["demo", "play", "demo.presto"], None),
    (["modes", "list"], ["modes", "list"], None),
    (["--data-dir=d", "--offline"], ["--data-dir=d", "--offline"], None),
])
def test_a_recording_on_the_command_line_is_split_off(argv: list[str], words: list[str],
                                                      file: str | None) -> None:
    rest, found = split_recording(argv)
    assert rest == words
    assert (found.name if found is not None else None) == file


def test_a_recording_plays_in_the_window_only(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    recording = write_demo(tmp_path / "demo.presto", 2)
    assert main([str(recording), "--self-test"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "demo play" in err
    assert main([str(tmp_path / "missing.presto")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err

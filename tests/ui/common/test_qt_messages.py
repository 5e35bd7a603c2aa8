"""Qt's messages: noise to the log; no display or no X11 libraries -> reason and fix, exit 1."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QtMsgType

from presto_desktop.ui.common.qt_messages import FIX, QtMessageRouter, display_problem

ROOT = Path(__file__).resolve().parents[3]


def test_display_problem_only_without_a_display_on_linux():
    assert display_problem({}, "linux") is not None
    assert display_problem({"QT_QPA_PLATFORM": "xcb"}, "linux") is not None
    assert display_problem({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"},
                           "linux") is not None  # xcb needs X11
    assert display_problem({"DISPLAY": ":0"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "darwin") is None and display_problem({}, "win32") is None


def test_router_logs_noise_quietly_and_holds_the_reason_until_a_fatal(caplog):
    out, exits = io.StringIO(), []
    router = QtMessageRouter(stream=out, exit_now=exits.append)
    with caplog.at_level(logging.DEBUG, logger="qt"):
        router(QtMsgType.QtWarningMsg, None, "This plugin does not support propagateSizeHints()")
        router(QtMsgType.QtWarningMsg, None, "qt.qpa.xcb: could not connect to display :9")
        router(QtMsgType.QtInfoMsg, None, 'Could not load the Qt platform plugin "xcb"')
    assert [r.levelno for r in caplog.records] == [logging.DEBUG, logging.WARNING, logging.INFO]
    assert out.getvalue() == ""  # nothing on the terminal yet
    router(QtMsgType.QtFatalMsg, None,
           "This application failed to start because no Qt platform plugin could be "
           "initialized.\n\nAvailable platform plugins are: offscreen, xcb.")
    lines = out.getvalue().strip().splitlines()
    assert exits == [1] and len(lines) <= 3
    assert "failed to start" in lines[0] and "could not connect to display :9" in lines[1]
    assert lines[-1] == FIX


def test_after_the_app_exists_critical_and_fatal_reach_stderr_without_exiting():
    out, exits = io.StringIO(), []
    router = QtMessageRouter(stream=out, exit_now=exits.append)
    router.app_ready = True
    router(QtMsgType.QtWarningMsg, None, "a warning")
    router(QtMsgType.QtCriticalMsg, None, "something critical")
    router(QtMsgType.QtFatalMsg, None, "something fatal")
    assert out.getvalue().splitlines() == ["presto-desktop: Qt: something critical",
                                           "presto-desktop: Qt: something fatal"]
    assert exits == [] and router.held == []


def _run(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    return subprocess.run([sys.executable, "-m", "presto_desktop", "--data-dir",
                           str(tmp_path / "data")], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is a Linux matter")
def test_no_display_says_why_and_how_to_fix_it_and_exits_1(tmp_path):
    result = _run(tmp_path, {"QT_QPA_PLATFORM": "xcb"})  # and no DISPLAY
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, result.stderr
    assert 1 <= len(lines) <= 3 and "DISPLAY" in lines[0] and "apt-get install" in lines[-1]
    assert "libxcb-keysyms1" in lines[-1]
    assert not (tmp_path / "data" / ".window.lock").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is a Linux matter")
def test_an_unusable_display_gives_qts_reason_and_exits_1_not_abort(tmp_path):
    # A display nobody serves (or, on a box without the X11 libraries, the plugin fails to load):
    # either way Qt's fatal message comes before the application exists.
    result = _run(tmp_path, {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":87"})
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, result.stderr
    assert 1 <= len(lines) <= 3 and "the window cannot open" in lines[0]
    assert lines[-1] == FIX


def test_offscreen_window_runs_print_no_plugin_noise(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "presto_desktop", "--data-dir", str(tmp_path / "data"),
         "--screenshot", str(tmp_path / "shot.png")], cwd=ROOT, capture_output=True, text=True,
        timeout=120, check=False, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                                       "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "propagateSizeHints" not in result.stdout + result.stderr


def test_the_readme_lists_every_x11_package_the_fix_names():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from presto_desktop.ui.common.qt_messages import XCB_PACKAGES

    assert all(package in readme for package in XCB_PACKAGES)

"""Qt's own messages: into the log, and what stops the window from opening onto the terminal.

Qt prints plugin notes (e.g. the offscreen plugin's propagateSizeHints()) hundreds of times;
they belong in the log. But a missing display or missing X11 libraries end in a Qt fatal
message before the QApplication exists, and that reason must reach the terminal: this module
says it in at most three lines, with the fix, and exits 1 instead of aborting.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

# Every library Qt's xcb plugin links that a minimal Debian/Ubuntu may lack (README.md too).
XCB_PACKAGES = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
                "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1",
                "libxkbcommon-x11-0", "libegl1")
FIX = ("Fix: run it in a desktop session, with Qt's X11 libraries installed (Debian/Ubuntu: "
       f"sudo apt-get install {' '.join(XCB_PACKAGES)}); or headless: --screenshot, --self-test.")
# Warnings that say nothing to people (the offscreen plugin repeats this one per window).
NOISE = ("propagateSizeHints",)
MAX_HELD = 8  # the reason for a fatal message is in the first few
_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
           QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
           QtMsgType.QtFatalMsg: logging.CRITICAL}
log = logging.getLogger("qt")


def display_problem(env: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """Why Qt cannot open a window here (Linux, X11 or Wayland without a display), or None."""
    if not platform.startswith("linux"):
        return None
    plugin = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip()
    if plugin == "xcb" and not env.get("DISPLAY"):
        return "no X11 display to open the window on (DISPLAY is not set)"
    if not plugin and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set)"
    return None


class QtMessageRouter:
    """The handler Qt calls for each message: logs it; fatal and critical ones also go out."""

    def __init__(self, stream: TextIO | None = None,
                 exit_now: Callable[[int], object] = os._exit) -> None:
        self._stream, self._exit = stream, exit_now
        self.app_ready = False  # set once the QApplication exists
        self.held: list[str] = []  # Qt's warnings before that: the reason for a fatal one

    def __call__(self, kind: QtMsgType, _context: QMessageLogContext | None, message: str) -> None:
        """Log `message`; say a fatal or critical one on stderr."""
        level = _LEVELS.get(kind, logging.WARNING)
        if level == logging.WARNING and any(noise in message for noise in NOISE):
            level = logging.DEBUG
        log.log(level, "%s", message)
        if kind == QtMsgType.QtFatalMsg:
            self._fatal(message)
        elif kind == QtMsgType.QtCriticalMsg:
            self._say(f"presto-desktop: Qt: {message}")
        elif not self.app_ready and level >= logging.INFO and len(self.held) < MAX_HELD:
            self.held.append(" ".join(message.split()))

    def _say(self, text: str) -> None:
        stream = self._stream or sys.stderr
        stream.write(text + "\n")
        stream.flush()

    def _fatal(self, message: str) -> None:
        first = next((line.strip() for line in message.splitlines() if line.strip()), message)
        if self.app_ready:
            self._say(f"presto-desktop: Qt: {first}")  # Qt aborts next, as it must
            return
        # Before the application exists this is the platform plugin: reason, fix, exit 1.
        lines = [f"presto-desktop: the window cannot open: {first}"]
        if self.held:
            lines.append("Qt: " + "; ".join(dict.fromkeys(self.held)))
        lines.append(FIX)
        self._say("\n".join(lines))
        self._exit(1)


def route_qt_messages() -> QtMessageRouter:
    """Install the router as Qt's message handler (before the QApplication) and return it."""
    router = QtMessageRouter()
    qInstallMessageHandler(router)
    return router

"""One window per data dir: a lock file in the data dir, and a local server a second start pings.

Two windows on one data dir would overwrite each other's settings, conversations and start
frame. The first window holds `<data dir>/.window.lock` (QLockFile: a lock left by a process
that died is taken over) and listens on a local socket named after the data dir; a second
start finds the lock taken, asks that window to come to the front and exits. Headless runs
(--screenshot, --self-test) and the CLI subcommands never take the lock.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer
    from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)
LOCK_NAME = ".window.lock"
PING = b"raise\n"
ANSWER = b"ok\n"
# A first window still starting listens only after its first paint: keep asking this long.
PING_PATIENCE_S = 3.0


def server_name(data_dir: Path) -> str:
    """The local server's name for `data_dir` (a hash: socket names are short and plain)."""
    digest = hashlib.sha256(str(Path(data_dir).resolve()).encode("utf-8")).hexdigest()
    return f"presto-desktop-{digest[:20]}"


class WindowLock:
    """The data dir's window lock, and the server that brings its window to the front."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._lock = QLockFile(str(self.data_dir / LOCK_NAME))
        # 0: a live owner's lock never goes stale (the default 30 s would let a second
        # window take it); a dead owner's lock is still taken over.
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool | None:
        """True: ours. False: another window holds it. None: no lock possible (e.g. read-only)."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("no window lock (%s): %s", self.data_dir, exc)
            return None
        if self._lock.tryLock(0):
            return True
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            return False
        log.warning("no window lock in %s (%s)", self.data_dir, self._lock.error().name)
        return None

    def listen(self, on_ping: Callable[[], None]) -> bool:
        """Serve pings from later starts: each calls `on_ping` and is answered."""
        try:
            from PySide6.QtNetwork import QLocalServer
        except ImportError as exc:  # a trimmed Qt: the lock still guards the data dir
            log.warning("no window server (QtNetwork unavailable: %s)", exc)
            return False

        name = server_name(self.data_dir)
        server = QLocalServer()
        # We hold the lock: a socket file left by a crashed window is stale, not a rival.
        QLocalServer.removeServer(name)
        if not server.listen(name):
            log.warning("no window server %s: %s", name, server.errorString())
            return False
        server.newConnection.connect(lambda: self._answer(server, on_ping))
        self._server = server
        log.info("listening for a second start on %s", name)
        return True

    @staticmethod
    def _answer(server: QLocalServer, on_ping: Callable[[], None]) -> None:
        while server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.disconnected.connect(socket.deleteLater)
            socket.write(ANSWER)
            socket.flush()
            socket.disconnectFromServer()
            log.info("a second start asked for this window: bringing it to the front")
            on_ping()

    def release(self) -> None:
        """Stop serving and unlock (also done when the process ends)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()


def ping_running(data_dir: Path, patience_s: float = PING_PATIENCE_S) -> bool:
    """Ask the window holding `data_dir` to come to the front; True if it was reached."""
    try:
        from PySide6.QtNetwork import QLocalSocket
    except ImportError as exc:  # a trimmed Qt: say the window is open, without raising it
        log.warning("cannot reach the open window (QtNetwork unavailable: %s)", exc)
        return False

    name = server_name(data_dir)
    deadline = time.monotonic() + patience_s
    while True:
        socket = QLocalSocket()
        socket.connectToServer(name)
        if socket.waitForConnected(500):
            # Connected is asked: the window comes forward on the connection itself.
            socket.write(PING)
            socket.waitForBytesWritten(500)
            if socket.bytesAvailable() == 0:
                socket.waitForReadyRead(1500)
            socket.abort()
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def raise_main_window(app: QApplication) -> None:
    """Bring the main window to the front (restored if minimised)."""
    for widget in app.topLevelWidgets():
        if widget.objectName() == "mainWindow" and widget.isVisible():
            if widget.isMinimized():
                widget.showNormal()
            widget.raise_()
            widget.activateWindow()

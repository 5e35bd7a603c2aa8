"""One window per data dir: a lock file in the data dir, and a local server a second start pings.

Two windows on one data dir would overwrite each other's settings, conversations and start
frame. The first window holds `<data dir>/.window.lock` (QLockFile: a lock left by a process
that died is taken over) and listens on a local socket named after the data dir; a second
start finds the lock taken, asks that window to come to the front (and to open the file it
was given, e.g. a double-clicked `.presto` recording) and exits. Headless runs
(--screenshot, --self-test) and the CLI subcommands never take the lock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket
    from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)
LOCK_NAME = ".window.lock"
PING = b"raise\n"
OPEN = b"open "  # b"open <absolute path>\n": come to the front and open that file
ANSWER = b"ok\n"
MAX_MESSAGE = 8192  # bytes; a longer message is no request of ours
# A first window still starting listens only after its first paint: keep asking this long.
PING_PATIENCE_S = 3.0


def server_name(data_dir: Path) -> str:
    """The local server's name for `data_dir` (a hash: socket names are short and plain)."""
    import hashlib  # here: ~3 ms of start-up before the first frame, used only after it

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

    def listen(self, on_ping: Callable[[], None],
               on_open: Callable[[Path], None] | None = None) -> bool:
        """Serve later starts: each calls `on_ping` (and `on_open` with the file it names)."""
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
        server.newConnection.connect(lambda: self._answer(server, on_ping, on_open))
        self._server = server
        log.info("listening for a second start on %s", name)
        return True

    @staticmethod
    def _answer(server: QLocalServer, on_ping: Callable[[], None],
                on_open: Callable[[Path], None] | None) -> None:
        while server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.disconnected.connect(socket.deleteLater)
            buffer = bytearray()

            def read(socket: QLocalSocket = socket, buffer: bytearray = buffer) -> None:
                buffer.extend(bytes(socket.readAll().data()))
                if b"\n" not in buffer and len(buffer) <= MAX_MESSAGE:
                    return  # the rest of the line is still on its way
                socket.readyRead.disconnect()
                line = bytes(buffer).split(b"\n", 1)[0]
                socket.write(ANSWER)
                socket.flush()
                socket.disconnectFromServer()
                log.info("a second start asked for this window: bringing it to the front")
                on_ping()
                wanted = opened_path(line)
                if wanted is not None and on_open is not None:
                    on_open(wanted)

            socket.readyRead.connect(read)
            if socket.bytesAvailable():
                read()

    def release(self) -> None:
        """Stop serving and unlock (also done when the process ends)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()


def opened_path(line: bytes) -> Path | None:
    """The absolute path an `open` message names, or None (a ping, or not ours)."""
    if not line.startswith(OPEN) or len(line) > MAX_MESSAGE:
        return None
    try:
        path = Path(line[len(OPEN):].decode("utf-8"))
    except UnicodeDecodeError:
        return None
    return path if path.is_absolute() else None


def _message(open_path: Path | None) -> bytes:
    """A ping, or an `open` message (a path that cannot travel as one line is only a ping)."""
    if open_path is None:
        return PING
    name = str(Path(open_path).resolve()).encode("utf-8", "surrogateescape")
    return PING if b"\n" in name or b"\r" in name else OPEN + name + b"\n"


def ping_running(data_dir: Path, patience_s: float = PING_PATIENCE_S, *,
                 open_path: Path | None = None) -> bool:
    """Ask the window holding `data_dir` to come to the front (and open `open_path`);
    True if it was reached."""
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
            message = _message(open_path)
            socket.write(message)
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

"""The window's first frame as a picture: made at exit, painted before any part is built.

Measured on a 2-core box (offscreen, the benchmarks' probe on the main window): the remembered
first frame built from its widgets painted 238-263 ms after the process started, a bare
PySide6 window 107-124 ms. Half the difference is PySide creating the Python types and enums
of the Qt classes the parts use (~50 ms, measured by creating them all first), the rest
importing and building the parts. A picture of the same frame painted at 152-173 ms; the
parts are then built in loop turns (ui/shell/first_frame.py) under it, and it uncovers them.

The picture is made at exit by the code that builds the first frame (same widgets, theme and
size) and is used only for that very frame (`frame_key`), at the same window size, pixel
ratio and font; anything else starts as before. Its colour scheme is checked after the paint:
reading the system's scheme creates the ~90 enums of Qt's namespace (13-14 ms, as does
importing `Qt`, so this module does neither before the paint), which the parts' imports
create anyway. A picture made in the other scheme (the system switched since the last exit)
then shows until the parts are built, and they replace it at once instead of unit by unit.
It is a cache: a missing, unreadable or mismatched file only means the slower start.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEventLoop,
    QIODevice,
    QPoint,
    QRect,
    QSize,
    QTimer,
)
from PySide6.QtGui import QImage, QImageReader, QPainter, QRegion
from PySide6.QtWidgets import QApplication, QWidget

from presto_desktop.core.atomic import atomic_write_bytes
from presto_desktop.core.errors import StoreError
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.safe_read import read_limited
from presto_desktop.core.start_frame import StartFrame, frame_key, read_start_frame
from presto_desktop.engines.env_names import engine_inputs

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

    from presto_desktop.ui.shell.window import MainWindow

log = logging.getLogger(__name__)
# If the window is never exposed (e.g. started minimised), start-up goes on after this long.
PAINT_WAIT_MS = 300
MAX_PICTURE_BYTES = 48_000_000  # a 4K window's frame, uncompressed, with room to spare
PICTURE_FORMAT = "PNG"  # PySide takes a str here (its stubs say bytes)
SCHEME_KEY = "presto-scheme"  # the picture's text key naming the colour scheme it shows
PICTURE_QUALITY = 80  # Qt's PNG: ~90 kB, written in ~13 ms, read in ~4 (0: 76 ms to write)


@dataclass
class PictureShell:
    """The window showing the remembered picture, and the frame it is a picture of."""

    window: MainWindow
    frame: StartFrame
    scheme: str = ""  # the colour scheme the picture was made in (`picture_scheme`)
    painted_at: float = 0.0  # time.monotonic() of the first paint, 0 if it never came


class FramePicture(QWidget):
    """Paints the picture: the window's central widget, then a cover over the built parts
    that `reveal` opens part by part (each a small repaint of its own on a loop turn; the
    whole window's first paint at once took 15-19 ms, measured)."""

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("framePicture")
        self._image = image
        self._open = QRegion()

    def cover(self, window: QWidget) -> None:
        """Lie over all of `window` (its parts are built under the picture)."""
        from PySide6.QtCore import Qt  # after the paint (see the module's docstring)

        # Opaque now (not as the central widget: the window's own first paint event is what
        # start-up waits for): what lies under it is not painted.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setParent(window)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()

    def reveal(self, part: QWidget) -> None:
        """Show `part` itself in place of its picture (it paints in the next pass)."""
        window = self.parentWidget()
        assert window is not None  # covering one
        top_left = part.mapTo(window, QPoint(0, 0))
        self._open = self._open.united(QRect(top_left, part.size()))
        self.setMask(QRegion(self.rect()).subtracted(self._open))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """The picture over the whole widget: at its own size, or stretched if the window
        manager gave the window another size since (no blank edge until the parts show)."""
        painter = QPainter(self)
        painter.drawImage(self.rect(), self._image)
        painter.end()


def picture_keys(app: QApplication, window: QWidget, frame: StartFrame) -> dict[str, str]:
    """What a picture must have been made with to stand for `frame` in `window` now (checked
    before it is painted; its colour scheme after, `picture_scheme`)."""
    return {"presto-frame": frame_key(frame),
            "presto-font": app.font().family(),  # its size is the frame's
            "presto-ratio": f"{window.devicePixelRatioF():g}"}


def picture_scheme(app: QApplication, frame: StartFrame) -> str:
    """The colour scheme `frame` shows in now: the system's, or the one the user chose."""
    return app.styleHints().colorScheme().name if frame.theme == "system" else frame.theme


def read_picture(path: Path, size: QSize) -> QImage | None:
    """The remembered picture if it is `size` pixels, or None (missing, not a regular file,
    too large, not an image, another size). The size is read from its header first: a small
    file can claim a huge image, which is never decoded."""
    try:
        data = read_limited(path, MAX_PICTURE_BYTES)
    except (OSError, StoreError):  # missing, unreadable, not a regular file, too large
        return None
    buffer = QBuffer()
    buffer.setData(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, PICTURE_FORMAT.encode("ascii"))
    if reader.size() != size:
        return None
    image = reader.read()
    return None if image.isNull() else image


def remembered_frame(paths: AppPaths, *, offline: bool, mode_id: str | None) -> StartFrame | None:
    """The frame the last exit remembered, if it still holds (core/start_frame.py)."""
    return read_start_frame(paths.start_frame_file, settings_file=paths.settings_file,
                            mode_id=mode_id, engine_inputs=engine_inputs(os.environ,
                                                                         offline=offline))


def show_picture_frame(app: QApplication, paths: AppPaths,
                       frame: StartFrame) -> PictureShell | None:
    """Show the picture of `frame` (the remembered one) and wait for its paint; None if
    there is none that fits (then nothing was shown)."""
    if not paths.start_picture_file.exists():
        return None
    from presto_desktop.ui.shell.window import MainWindow

    window = MainWindow(chat_panel=None, engine_label=frame.engine_label)
    window.setWindowTitle(f"{frame.company_name} — Presto-Change-O")
    if frame.geometry:
        window.restoreGeometry(QByteArray.fromBase64(frame.geometry.encode("ascii")))
    ratio = window.devicePixelRatioF()
    image = read_picture(paths.start_picture_file,
                         QSize(round(window.width() * ratio), round(window.height() * ratio)))
    # Maximised or full screen: its size is the window manager's to choose, after show().
    sized_later = window.isMaximized() or window.isFullScreen()
    keys = picture_keys(app, window, frame)
    if (image is None or sized_later
            or any(image.text(k) != v for k, v in keys.items())):
        window.deleteLater()
        return None
    image.setDevicePixelRatio(ratio)
    window.setCentralWidget(FramePicture(image, window))
    window.show()
    shell = PictureShell(window, frame, scheme=image.text(SCHEME_KEY))
    shell.painted_at = wait_for_paint(window)
    return shell


def wait_for_paint(window: MainWindow) -> float:
    """Run Qt's loop until `window` has painted (user input waits for the real loop); the
    time.monotonic() of that paint, or 0 if it did not come within PAINT_WAIT_MS."""
    waiter = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(waiter.quit)
    timer.start(PAINT_WAIT_MS)
    painted_at = [0.0]

    def painted() -> None:
        painted_at[0] = time.monotonic()
        waiter.quit()

    window.after_first_paint(painted)
    if not painted_at[0]:
        waiter.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    timer.stop()
    return painted_at[0]


def write_picture(app: QApplication, frame: StartFrame, path: Path) -> None:
    """Draw `frame` as the next start paints it and save it (at exit). Its size is the
    window's once the frame's geometry is restored (on a smaller screen, Qt shrinks it)."""
    from PySide6.QtCore import Qt  # after the paint (see the module's docstring)

    from presto_desktop.ui.shell.first_frame import build_window, dress

    parts = build_window(app, font_size=frame.font_size)
    window = parts.window
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)  # closing it ends nothing
    try:
        dress(parts, frame)
        if frame.geometry:
            window.restoreGeometry(QByteArray.fromBase64(frame.geometry.encode("ascii")))
        window.show()
        # Polished and laid out as a shown window's first paint: its own posted events only
        # (all of them would run the app's loop's too, at exit).
        for widget in [window, *window.findChildren(QWidget)]:
            QApplication.sendPostedEvents(widget, 0)
        image = window.grab().toImage()
        for key, value in picture_keys(app, window, frame).items():
            image.setText(key, value)
        image.setText(SCHEME_KEY, picture_scheme(app, frame))
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, PICTURE_FORMAT, PICTURE_QUALITY):  # type: ignore[call-overload]
            raise OSError("the picture could not be encoded")
        atomic_write_bytes(path, bytes(data.data()))
    finally:
        window.close()
        window.deleteLater()

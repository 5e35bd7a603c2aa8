"""The remembered first frame's picture: made at exit, painted first, replaced by the window's
own parts looking the same; any picture that does not fit is not used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from presto_desktop.core.paths import AppPaths
from presto_desktop.ui.shell import frame_picture
from presto_desktop.ui.shell.first_frame import finish_picture
from presto_desktop.ui.shell.frame_picture import (
    FramePicture,
    PictureShell,
    read_picture,
    remembered_frame,
    show_picture_frame,
)
from tests.ui.shell.test_first_frame import builtin_dir, close, full_start, look  # noqa: F401

COMPOSER_BAND = 110  # px from the bottom: the composer, focused (ringed) only once built


def _remembered(qapp, qloop, tmp_path: Path, builtin_dir: Path) -> tuple[AppPaths, dict]:  # noqa: F811
    paths = AppPaths.resolve(tmp_path / "data")
    first = full_start(qapp, paths, builtin_dir, "banking")
    loaded = look(first.window)
    first.save_state()  # as at exit: settings, the start frame and its picture
    close(qloop, first)
    return paths, loaded


def _show(qapp, paths: AppPaths) -> PictureShell | None:  # noqa: ANN001
    """A start's picture step: the remembered frame, then its picture if it fits."""
    frame = remembered_frame(paths, offline=True, mode_id=None)
    return None if frame is None else show_picture_frame(qapp, paths, frame)


def _same_share(a: QImage, b: QImage, rows: int) -> float:
    """The share of equal pixels in the top `rows` rows (every second pixel)."""
    a, b = (image.convertToFormat(QImage.Format.Format_RGB32) for image in (a, b))
    same = total = 0
    for y in range(0, rows, 2):
        for x in range(0, a.width(), 2):
            total += 1
            same += a.pixel(x, y) == b.pixel(x, y)
    return same / total


def test_exit_saves_a_picture_that_the_next_start_paints_first(qapp, qloop, tmp_path,
                                                               builtin_dir):  # noqa: F811
    paths, loaded = _remembered(qapp, qloop, tmp_path, builtin_dir)
    picture = QImage(str(paths.start_picture_file))
    assert not picture.isNull()
    assert read_picture(paths.start_picture_file, picture.size()) is not None

    shell = _show(qapp, paths)
    assert shell is not None and shell.painted_at > 0
    window = shell.window
    assert isinstance(window.centralWidget(), FramePicture) and not window.built
    assert window.windowTitle() == loaded["title"]
    shown = window.grab().toImage()
    assert shown.size() == picture.size()

    parts = finish_picture(qapp, shell)
    assert parts.window is window and window.built and window.picture is None
    qapp.processEvents()
    assert look(window) == loaded  # the window's own parts, as the full start showed them
    # ... and they look like the picture did (the composer's focus ring comes with them).
    built = window.grab().toImage()
    assert _same_share(shown, built, built.height() - COMPOSER_BAND) > 0.995
    second = full_start(qapp, paths, builtin_dir, None, parts=parts)
    assert look(second.window) == loaded
    close(qloop, second)


def _break_size(path: Path) -> None:
    image = QImage(str(path))
    smaller = image.scaled(image.width() - 10, image.height())
    for key in image.textKeys():
        smaller.setText(key, image.text(key))
    assert smaller.save(str(path), "PNG")


def _break_key(path: Path, key: str) -> None:
    image = QImage(str(path))
    image.setText(key, "something else")
    assert image.save(str(path), "PNG")


@pytest.mark.parametrize("damage", ["garbage", "folder", "fifo", "too large", "size",
                                    "frame", "font", "ratio"])
def test_a_picture_that_does_not_fit_is_not_used(qapp, qloop, tmp_path, builtin_dir,  # noqa: F811
                                                 monkeypatch, damage):
    paths, _ = _remembered(qapp, qloop, tmp_path, builtin_dir)
    path = paths.start_picture_file
    if damage == "garbage":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    elif damage in ("folder", "fifo"):
        path.unlink()
        path.mkdir() if damage == "folder" else os.mkfifo(path)  # a FIFO would block a read
    elif damage == "too large":
        monkeypatch.setattr(frame_picture, "MAX_PICTURE_BYTES", path.stat().st_size - 1)
    elif damage == "size":
        _break_size(path)  # e.g. made before the screen got smaller
    else:  # made for another frame, font or pixel ratio
        _break_key(path, f"presto-{damage}")
    assert _show(qapp, paths) is None
    assert not [w for w in qapp.topLevelWidgets() if w.isVisible()
                and isinstance(w.centralWidget(), FramePicture)]


@pytest.mark.parametrize("scheme", ["same", "other"])
def test_a_picture_in_another_colour_scheme_is_replaced_at_once(
        qapp, qloop, tmp_path, builtin_dir, monkeypatch, scheme):  # noqa: F811
    """The scheme is read after the paint (before it, Qt's enums cost ~13 ms): a picture made
    in the other one (the system switched since the last exit) is painted, then replaced by
    the built parts all at once, not uncovered unit by unit."""
    paths, loaded = _remembered(qapp, qloop, tmp_path, builtin_dir)
    if scheme == "other":
        _break_key(paths.start_picture_file, frame_picture.SCHEME_KEY)
    revealed: list[object] = []
    real_reveal = FramePicture.reveal
    monkeypatch.setattr(FramePicture, "reveal",
                        lambda self, part: revealed.append(part) or real_reveal(self, part))
    shell = _show(qapp, paths)
    assert shell is not None and shell.painted_at > 0  # painted, whatever its scheme
    parts = finish_picture(qapp, shell)
    assert parts.window.picture is None
    qapp.processEvents()
    assert look(parts.window) == loaded
    assert len(revealed) == (0 if scheme == "other" else len(parts.window.paint_units()))
    close(qloop, full_start(qapp, paths, builtin_dir, None, parts=parts))


def test_no_picture_without_a_start_frame(qapp, qloop, tmp_path, builtin_dir):  # noqa: F811
    """A mode's file changed since: the frame is stale, its picture is not used either."""
    paths, _ = _remembered(qapp, qloop, tmp_path, builtin_dir)
    paths.start_frame_file.unlink()
    assert _show(qapp, paths) is None


def test_no_picture_for_a_maximised_window(qapp, qloop, tmp_path, builtin_dir):  # noqa: F811
    """Its size is the window manager's, after it shows: a picture could not fit it."""
    import json

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMainWindow

    from presto_desktop.core.start_frame import read_start_frame
    from presto_desktop.ui.shell.frame_picture import engine_inputs, write_picture

    paths, _ = _remembered(qapp, qloop, tmp_path, builtin_dir)
    maximised = QMainWindow()
    maximised.resize(1280, 800)  # its normal size: the picture is made at it, and fits it
    maximised.setWindowState(Qt.WindowState.WindowMaximized)
    maximised.show()
    qapp.processEvents()
    geometry = bytes(maximised.saveGeometry().toBase64().data()).decode("ascii")
    maximised.close()
    data = json.loads(paths.start_frame_file.read_text(encoding="utf-8"))
    data["geometry"] = geometry
    paths.start_frame_file.write_text(json.dumps(data), encoding="utf-8")
    frame = read_start_frame(paths.start_frame_file, settings_file=paths.settings_file,
                             engine_inputs=engine_inputs(os.environ, offline=True))
    assert frame is not None and frame.geometry == geometry
    write_picture(qapp, frame, paths.start_picture_file)  # a picture of this very frame
    assert not QImage(str(paths.start_picture_file)).isNull()
    assert _show(qapp, paths) is None

"""'Use our logo' in the window: pick, drop on the header or a library row, remove; hostile files."""

from __future__ import annotations

import io
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeStore
from presto_desktop.ui.composition import Composition
from tests.factories import assistant_mode, builtin_folder, make_mode
from tests.ui.fakes import FakeEngine

GREEN = (20, 120, 90)


@pytest.fixture
def comp(qapp, qloop, tmp_path: Path):
    folder = builtin_folder(tmp_path / "builtin", assistant_mode())
    paths = AppPaths.resolve(tmp_path / "data")
    store = ModeStore(paths, builtin_dir=folder)
    store.save(make_mode("florist", company="Petal & Stem", primary="#8e24aa"))
    comp = Composition(qapp, paths, offline=True, persist=False, store=store,
                       engine=FakeEngine())
    comp.settings.theme = "light"
    comp.window.resize(1280, 800)
    comp.window.show()
    comp.start("florist")
    yield comp
    comp.window.close()


def _png(path: Path, colour: tuple[int, int, int] = GREEN, size: int = 40) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def _mime(*paths: str) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl(p) if "://" in p else QUrl.fromLocalFile(p) for p in paths])
    return mime


def _drag(widget, mime: QMimeData, pos: QPoint | None = None) -> QDragEnterEvent:
    event = QDragEnterEvent(pos or QPoint(30, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return event


def _drop(widget, mime: QMimeData, pos: QPoint | None = None) -> QDropEvent:
    event = QDropEvent(QPointF(pos or QPoint(30, 20)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return event


def _settle(qtbot, comp) -> None:
    qtbot.waitUntil(lambda: comp.brand.pending == 0)


def test_picking_a_logo_brands_the_current_mode_off_the_gui_thread(comp, qtbot, tmp_path,
                                                                   monkeypatch):
    import presto_desktop.session.brand as brand

    threads: list[str] = []
    real = brand.brand_from_file

    def spy(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(brand, "brand_from_file", spy)
    monkeypatch.setattr("presto_desktop.ui.shell.brand_wiring.brand_from_file", spy)
    before = comp.modes.current.palette
    assert not comp.brand.remove_action.isEnabled()
    comp.brand.pick(str(_png(tmp_path / "logo.png")))
    _settle(qtbot, comp)
    assert threads and threads[0] != threading.main_thread().name
    mode = comp.modes.current
    assert mode.id == "florist" and mode.brand is not None and mode.brand.logo is not None
    assert mode.palette != before and mode.brand.previous_palette == before
    assert comp.store.get("florist").brand == mode.brand  # saved like `modes brand`
    mark = comp.window.header.emblem.mark()
    assert mark is not None and mark[0] == "image/png"
    qtbot.waitUntil(lambda: comp.theme.colors is not None
                    and comp.theme.colors["primary"].name() == mode.palette.light.primary)
    assert comp.brand.remove_action.isEnabled()
    # Remove logo: the drawn emblem and the palette from before the logo.
    comp.brand.remove()
    _settle(qtbot, comp)
    plain = comp.modes.current
    assert plain.brand is not None and plain.brand.logo is None and plain.palette == before
    assert comp.window.header.emblem.mark()[0] == "image/svg+xml"
    assert not comp.brand.remove_action.isEnabled()


def test_the_menu_has_the_brand_actions(comp) -> None:
    names = [action.objectName() for action in comp.window.app_menu.actions("brand")]
    assert names[:2] == ["useLogo", "removeLogo"]


def test_dropping_on_the_header_highlights_then_brands(comp, qtbot, tmp_path) -> None:
    header = comp.window.header
    logo = str(_png(tmp_path / "drop.png"))
    assert _drag(header, _mime(logo)).isAccepted()
    assert header.property("dropTarget") is True
    QApplication.sendEvent(header, QDragLeaveEvent())
    assert not header.property("dropTarget")
    # Not a logo, two files, a remote URL: not accepted, no highlight, nothing fetched.
    for mime in (_mime(str(tmp_path / "notes.txt")), _mime(logo, logo),
                 _mime("https://example.com/logo.png")):
        assert not _drag(header, mime).isAccepted()
        assert not header.property("dropTarget")
    _drag(header, _mime(logo))
    assert _drop(header, _mime(logo)).isAccepted()
    assert not header.property("dropTarget")
    _settle(qtbot, comp)
    assert comp.modes.current.brand.logo is not None


@pytest.mark.parametrize("name, data, words", [
    ("bomb.png", None, "too large"),
    ("cut.png", "truncated", "damaged or truncated"),
    ("script.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "script"),
    ("remote.svg", b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/'
     b'xlink"><use x:href="http://evil.example/a.svg#x"/></svg>', "external reference"),
    ("fake.jpg", b"MZ\x90\x00 an executable", "not a PNG, JPEG or SVG"),
    ("empty.png", b"", "empty"),
])
def test_a_hostile_logo_is_refused_with_one_line_and_changes_nothing(comp, qtbot, tmp_path,
                                                                     name, data, words) -> None:
    path = tmp_path / name
    if data is None:  # 5000 x 5000 pixels in a few KB
        out = io.BytesIO()
        Image.new("1", (5000, 5000)).save(out, "PNG")
        path.write_bytes(out.getvalue())
    elif data == "truncated":
        path.write_bytes(_png(tmp_path / "whole.png", size=200).read_bytes()[:120])
    else:
        path.write_bytes(data)
    before = comp.modes.current
    saved = comp.store.path_of("florist").read_bytes()
    comp.brand.pick(str(path))
    _settle(qtbot, comp)
    bar = comp.window.notice_bar
    assert bar.isVisible() and bar.key == "logo"
    line = bar.text.text()
    assert "\n" not in line and words in line and line.startswith("Logo not used")
    assert comp.modes.current == before
    assert comp.store.path_of("florist").read_bytes() == saved


def test_a_folder_or_missing_file_is_refused(comp, qtbot, tmp_path) -> None:
    for path in (tmp_path, tmp_path / "missing.png"):
        comp.brand.pick(str(path))
        _settle(qtbot, comp)
        assert comp.window.notice_bar.key == "logo"
    assert comp.modes.current.brand is None


def test_dropping_on_a_library_row_brands_that_mode(comp, qtbot, tmp_path) -> None:
    dialog = comp.window.open_library()
    viewport = dialog.list.viewport()
    row = next(r for r in range(dialog.list.count())
               if dialog.list.item(r).data(Qt.ItemDataRole.UserRole) == "default")
    pos = dialog.list.visualItemRect(dialog.list.item(row)).center()
    logo = str(_png(tmp_path / "row.png", colour=(200, 60, 20)))
    assert _drag(viewport, _mime(logo), pos).isAccepted()
    assert dialog.selected_id() == "default"  # the row lights up
    assert "Presto Assistant" in dialog.error.text()
    assert not _drag(viewport, _mime(str(tmp_path / "a.gif")), pos).isAccepted()
    assert _drop(viewport, _mime(logo), pos).isAccepted()
    _settle(qtbot, comp)
    current = comp.modes.current
    # The built-in stays as shipped; the branded copy is a new saved mode, applied.
    assert current.id == "default-2" and current.brand.logo is not None
    assert comp.store.get("default").brand is None
    assert dialog.selected_id() == "default-2"


def test_pillow_is_not_imported_on_the_gui_thread_by_the_window(comp) -> None:
    # The window shows logos with Qt's readers; Pillow is for the worker's checks only.
    assert "presto_desktop.ui.shell.brand_wiring" in sys.modules
    import presto_desktop.ui.shell.brand_wiring as wiring

    assert "PIL" not in wiring.__dict__

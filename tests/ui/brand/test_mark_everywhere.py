"""The mark the header shows (logo > generated mark > drawn emblem) is the window icon's, the
library row's and what the library's Export embeds (one-file bundle)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QColor

from presto_desktop.core.brand_mark import embed_mark
from presto_desktop.core.mode_transfer import load_import
from presto_desktop.ui.composition import Composition
from tests.factories import make_mode
from tests.ui.brand.test_generated_emblem import ImageEngine, _comp, _png

RED = QColor(200, 40, 40)


def _close(colour: QColor, other: QColor) -> bool:
    return max(abs(colour.red() - other.red()), abs(colour.green() - other.green()),
               abs(colour.blue() - other.blue())) <= 12


def _shown(qloop, comp: Composition) -> None:
    """Florist on screen with its generated mark (a plain red square), painted."""
    comp.start("florist")
    qloop.run_until_complete(comp.brand.generated.task)
    comp.window.header.emblem.repaint()


def test_the_window_icon_follows_the_generated_mark(qapp, qloop, tmp_path) -> None:
    comp = _comp(qapp, tmp_path, ImageEngine(_png()))
    _shown(qloop, comp)
    emblem = comp.window.header.emblem
    assert emblem._window_mark == emblem.generated()  # scheduled after the paint
    emblem._set_window_icon()
    icon = comp.window.windowIcon().pixmap(32, 32).toImage()
    assert _close(icon.pixelColor(16, 16), RED)
    comp.window.close()


def test_library_rows_show_the_generated_mark_and_drop_it_when_it_goes(qapp, qloop,
                                                                      tmp_path) -> None:
    comp = _comp(qapp, tmp_path, ImageEngine(_png()))
    _shown(qloop, comp)
    dialog = comp.window.open_library()
    assert dialog.select("florist")

    def row_colour() -> QColor:
        image = dialog.list.currentItem().icon().pixmap(56, 28).toImage()
        return image.pixelColor(42, 14)  # the middle of the mark, right of the colour dot

    assert _close(row_colour(), RED)
    settings = comp.settings.model_copy(update={"generated_images": False})
    comp.brand.generated.show(comp.modes.current, settings)  # the setting turned off
    assert comp.brand.generated.marks == {}
    assert not _close(row_colour(), RED)  # the drawn emblem again
    dialog.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    comp.brand.generated._remember("florist", ("image/png", _png()))  # no dialog left: no error
    comp.window.close()


def test_library_export_embeds_the_generated_mark(qapp, qloop, tmp_path) -> None:
    comp = _comp(qapp, tmp_path, ImageEngine(_png()))
    _shown(qloop, comp)
    dialog = comp.window.open_library()
    dialog.select("florist")
    out = tmp_path / "shared.json"
    assert dialog.export_selected(out) == out
    raw = json.loads(out.read_text())
    assert raw["brand"]["mark"]["media_type"] == "image/png"
    shared = load_import(out)
    assert shared.brand is not None and shared.brand.mark is not None
    dialog.close()
    comp.window.close()


def test_an_imported_mark_shows_without_asking_the_image_model(qapp, qloop,
                                                               tmp_path: Path) -> None:
    engine = ImageEngine(_png())
    comp = _comp(qapp, tmp_path, engine)
    comp.store.save(embed_mark(make_mode("shared", company="Shared Co"), "image/png", _png()))
    comp.start("shared")
    assert comp.brand.generated.task is None and engine.prompts == []
    emblem = comp.window.header.emblem
    emblem.repaint()
    assert emblem.mark() is not None and emblem.mark()[0] == "image/png"
    dialog = comp.window.open_library()
    dialog.select("shared")
    image = dialog.list.currentItem().icon().pixmap(56, 28).toImage()
    assert _close(image.pixelColor(42, 14), RED)  # read from the mode file
    dialog.close()
    comp.window.close()


def test_the_generated_mark_is_decoded_once_off_the_gui_thread(qapp, qloop, tmp_path,
                                                               monkeypatch) -> None:
    import io
    import threading

    from PIL import Image

    from presto_desktop.ui.shell import generated_wiring
    from presto_desktop.ui.theme import emblems

    out = io.BytesIO()
    Image.new("RGB", (1000, 1000), (201, 41, 41)).save(out, "PNG")  # a mark no test cached
    threads: list[str] = []
    real = generated_wiring.decoded

    def watched(mark):
        threads.append(threading.current_thread().name)
        return real(mark)

    monkeypatch.setattr(generated_wiring, "decoded", watched)
    comp = _comp(qapp, tmp_path, ImageEngine(out.getvalue()))
    comp.start("florist")
    qloop.run_until_complete(comp.brand.generated.task)
    assert threads and threading.main_thread().name not in threads
    decodes: list[int] = []
    monkeypatch.setattr(emblems, "_raster", lambda data, pixels: decodes.append(pixels))
    emblem = comp.window.header.emblem
    emblem.repaint()
    emblem._set_window_icon()  # 16, 32, 64 and 128 px
    dialog = comp.window.open_library()  # the row's 28 px
    assert decodes == []  # the GUI thread only scales the worker's decode
    assert _close(comp.window.windowIcon().pixmap(32, 32).toImage().pixelColor(16, 16), RED)
    dialog.close()
    comp.window.close()

"""Mode library dialog: search, apply, regenerate, delete, import, export; errors in-dialog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presto_desktop.core.modefile import dump_mode
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeStore
from presto_desktop.ui.library_dialog import LibraryDialog
from tests.factories import make_mode


@pytest.fixture
def store(tmp_path: Path) -> ModeStore:
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    (builtin / "default.json").write_bytes(dump_mode(make_mode("default", company="Presto")))
    store = ModeStore(AppPaths.resolve(tmp_path / "data"), builtin_dir=builtin)
    store.save(make_mode("florist", company="Petal & Stem"))
    store.save(make_mode("bakery", industry="bakery", company="Crumb Co", primary="#8d6e63"))
    return store


def dialog(qtbot, store: ModeStore) -> LibraryDialog:
    dlg = LibraryDialog(store, "default", confirm_delete=False)
    qtbot.addWidget(dlg)
    return dlg


def test_lists_and_searches(qtbot, store):
    dlg = dialog(qtbot, store)
    assert dlg.list.count() == 3
    dlg.search.setText("crumb")
    assert dlg.list.count() == 1 and dlg.selected_id() == "bakery"
    assert not dlg.list.item(0).icon().isNull()  # colour swatch


def test_apply_and_regenerate_emit_intents(qtbot, store):
    dlg = dialog(qtbot, store)
    dlg.select("florist")
    with qtbot.waitSignal(dlg.apply_requested) as blocker:
        dlg.buttons["apply"].click()
    assert blocker.args == ["florist"]
    dlg = dialog(qtbot, store)
    dlg.select("default")
    assert not dlg.buttons["regenerate"].isEnabled()  # built-ins are not regenerated
    assert not dlg.buttons["delete"].isEnabled()
    dlg.select("bakery")
    with qtbot.waitSignal(dlg.regenerate_requested) as blocker:
        dlg.buttons["regenerate"].click()
    assert blocker.args == ["bakery"]


def test_delete(qtbot, store):
    dlg = dialog(qtbot, store)
    dlg.select("florist")
    with qtbot.waitSignal(dlg.deleted):
        assert dlg.delete_selected()
    assert [s.id for s in store.list_modes()] == ["default", "bakery"]
    assert dlg.list.count() == 2


def test_delete_asks_for_confirmation(qtbot, store, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    # The box is modal: answer it by closing without a click (same as No).
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    dlg = LibraryDialog(store, "default")
    qtbot.addWidget(dlg)
    dlg.select("florist")
    assert not dlg.delete_selected()
    assert len(store.list_modes()) == 3


def test_export_then_import(qtbot, store, tmp_path):
    dlg = dialog(qtbot, store)
    dlg.select("florist")
    (tmp_path / "shared").mkdir()  # export never creates folders (a file dialog shows real ones)
    out = dlg.export_selected(tmp_path / "shared" / "florist.json")
    assert out is not None and json.loads(out.read_text())["id"] == "florist"
    store.delete("florist")
    dlg.reload()
    assert dlg.import_file(out) == "florist"
    assert dlg.selected_id() == "florist"


def test_import_errors_show_in_dialog(qtbot, store, tmp_path):
    dlg = dialog(qtbot, store)
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "../../etc", "palette": "<b>x</b>"')
    assert dlg.import_file(bad) is None
    assert dlg.error.text().startswith("Import failed")
    assert dlg.list.count() == 3


def test_delete_confirmation_is_plain_text(qtbot, store):
    from PySide6.QtCore import Qt

    store.save(make_mode("evil", company="<img src=file:///etc/x.png><b>x</b>"))
    dlg = dialog(qtbot, store)
    box = dlg.confirm_box("evil")
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "<img src=file:///etc/x.png><b>x</b>" in box.text()


def test_dark_scheme_shows_dark_swatches_and_selection_keeps_them_visible(qtbot, store):
    import re

    from PySide6.QtGui import QColor

    from presto_desktop.core.palette import derive_palette
    from presto_desktop.ui.colors import ThemeColors
    from presto_desktop.ui.theme import build_stylesheet

    window_palette = derive_palette("#00695c")
    dark = ThemeColors.from_roles(window_palette.dark, dark=True)
    dlg = LibraryDialog(store, "default", confirm_delete=False, colors=dark)
    qtbot.addWidget(dlg)
    dlg.select("bakery")
    image = dlg.list.currentItem().icon().pixmap(56, 28).toImage()
    centre = image.pixelColor(14, 14)
    expected = QColor(derive_palette("#8d6e63").dark.primary)
    assert centre.name() == expected.name()
    light = LibraryDialog(store, "default", confirm_delete=False)
    qtbot.addWidget(light)
    light.select("bakery")
    assert light.list.currentItem().icon().pixmap(56, 28).toImage().pixelColor(14, 14).name() \
        == QColor("#8d6e63").name()
    # The selected row is tinted and outlined, never filled with the window's primary.
    qss = build_stylesheet(dark, 11)
    selected = re.search(r"QListWidget::item:selected \{([^}]*)\}", qss).group(1)
    assert f"background-color: {window_palette.dark.primary}" not in selected
    assert "rgba(" in selected

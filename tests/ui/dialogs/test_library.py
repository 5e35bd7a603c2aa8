"""Mode library dialog: search, apply, regenerate, delete, import, export; errors in-dialog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presto_desktop.core.modefile import dump_mode
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeStore
from presto_desktop.ui.dialogs.library import LibraryDialog
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
    # The selected row's colour swatch is drawn at once, not left blank for a later turn.
    assert dlg.list.item(0).icon().pixmap(56, 28).toImage().pixelColor(14, 14).alpha() == 255


def test_row_emblems_fill_in_over_loop_turns(qtbot, store):
    dlg = dialog(qtbot, store)

    def swatch(row: int):
        return dlg.list.item(row).icon().pixmap(56, 28).toImage().pixelColor(14, 14)

    current = dlg.list.currentRow()
    assert swatch(current).alpha() == 255
    others = [row for row in range(dlg.list.count()) if row != current]
    assert dlg.icons.pending and all(swatch(row).alpha() == 0 for row in others)
    qtbot.waitUntil(lambda: not dlg.icons.pending, timeout=2000)
    assert all(swatch(row).alpha() == 255 for row in range(dlg.list.count()))
    # A search only filters: the rows come back with the emblems already drawn.
    dlg.search.setText("no mode is called this")
    dlg.search.setText("")
    assert dlg.list.count() == 3 and not dlg.icons.pending
    assert all(swatch(row).alpha() == 255 for row in range(dlg.list.count()))


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
    from presto_desktop.ui.theme.manager import build_stylesheet
    from tests.ui.helpers import colors_from_roles

    window_palette = derive_palette("#00695c")
    dark = colors_from_roles(window_palette.dark, dark=True)
    dlg = LibraryDialog(store, "default", confirm_delete=False, colors=dark)
    qtbot.addWidget(dlg)
    dlg.select("bakery")
    qtbot.waitUntil(lambda: not dlg.icons.pending, timeout=2000)  # drawn over a few turns
    image = dlg.list.currentItem().icon().pixmap(56, 28).toImage()
    centre = image.pixelColor(14, 14)
    expected = QColor(derive_palette("#8d6e63").dark.primary)
    assert centre.name() == expected.name()
    light = LibraryDialog(store, "default", confirm_delete=False)
    qtbot.addWidget(light)
    light.select("bakery")
    qtbot.waitUntil(lambda: not light.icons.pending, timeout=2000)
    assert light.list.currentItem().icon().pixmap(56, 28).toImage().pixelColor(14, 14).name() \
        == QColor("#8d6e63").name()
    # The selected row is tinted and outlined, never filled with the window's primary.
    qss = build_stylesheet(dark, 11)
    selected = re.search(r"QListWidget::item:selected \{([^}]*)\}", qss).group(1)
    assert f"background-color: {window_palette.dark.primary}" not in selected
    assert "rgba(" in selected


def _shared_florist(tmp_path: Path, company: str = "Bloom & Co") -> Path:
    """A mode file from someone else with the id 'florist' already in the library."""
    path = tmp_path / "shared" / "florist.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(dump_mode(make_mode("florist", company=company, primary="#ad1457")))
    return path


def test_import_of_a_taken_id_can_replace_keep_both_or_cancel(qtbot, store, tmp_path):
    dlg = dialog(qtbot, store)
    shared = _shared_florist(tmp_path)
    assert dlg.import_file(shared, on_conflict="cancel") is None
    assert "cancelled" in dlg.error.text()
    assert store.get("florist").company_name == "Petal & Stem" and dlg.list.count() == 3
    assert dlg.import_file(shared, on_conflict="keep") == "florist-2"
    assert store.get("florist").company_name == "Petal & Stem"
    assert store.get("florist-2").company_name == "Bloom & Co"
    with qtbot.waitSignal(dlg.replaced) as blocker:
        assert dlg.import_file(_shared_florist(tmp_path, "Fern Ltd"), on_conflict="replace") \
            == "florist"
    assert blocker.args == ["florist"] and store.get("florist").company_name == "Fern Ltd"
    assert dlg.error.text().startswith("Replaced")


def test_import_of_a_taken_id_asks_and_the_same_mode_is_not_asked_about(qtbot, store, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    dlg = dialog(qtbot, store)
    asked: list[str] = []

    def answer(label: str) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, lambda: answer(label))
            return
        asked.append(box.text())
        next(b for b in box.buttons() if b.text().replace("&", "") == label).click()

    QTimer.singleShot(0, lambda: answer("Replace"))
    assert dlg.import_file(_shared_florist(tmp_path)) == "florist"
    assert len(asked) == 1 and "florist" in asked[0] and "Petal & Stem" in asked[0]
    assert store.get("florist").company_name == "Bloom & Co"
    # The identical file again: nothing to decide, no question, no copy.
    assert dlg.import_file(_shared_florist(tmp_path)) == "florist"
    assert len(asked) == 1 and dlg.list.count() == 3
    # A built-in's id: only Keep both or Cancel.
    builtin = tmp_path / "shared" / "default.json"
    builtin.write_bytes(dump_mode(make_mode("default", company="Other")))
    box = dlg.conflict_box("default", "Presto", builtin=True)
    assert [b.text().replace("&", "") for b in box.buttons()] != [] and not any(
        b.text().replace("&", "") == "Replace" for b in box.buttons())
    assert dlg.import_file(builtin, on_conflict="replace") == "default-2"


def test_opening_builds_polishes_and_shows_on_separate_turns(qtbot, store):
    """Qt polishes a new dialog in the pass that built it unless told not to: the build and
    the polish (the sheet) then stalled Ctrl+K's turn as one."""
    from PySide6.QtCore import QCoreApplication, Qt

    dlg = dialog(qtbot, store)
    dlg.open_in_turns()
    QCoreApplication.sendPostedEvents()  # what the loop does before the next timer
    assert not dlg.testAttribute(Qt.WidgetAttribute.WA_WState_Polished)
    assert not dlg.isVisible()
    qtbot.waitUntil(dlg.isVisible, timeout=5000)
    assert dlg.testAttribute(Qt.WidgetAttribute.WA_WState_Polished)


def _own_palette_mode():
    """A saved mode whose palette is not the one its seed colour derives (as imported)."""
    from presto_desktop.core.models import Palette
    from presto_desktop.core.palette import derive_palette

    own = derive_palette("#0d47a1")
    palette = Palette(primary="#c2185b", light=own.light, dark=own.dark)
    return make_mode("imported", company="Own Colours").model_copy(update={"palette": palette})


def test_row_emblems_use_the_modes_own_palette(qtbot, store):
    """The library's index carries each mode's roles: the emblem matches the header's, and no
    colour maths runs for it."""
    from presto_desktop.ui.dialogs.library_icons import summary_roles, swatch_colors

    mode = _own_palette_mode()
    store.save(mode)
    summary = next(s for s in store.list_modes() if s.id == "imported")
    assert summary_roles(summary, dark=False) == mode.palette.light.model_dump()
    assert summary_roles(summary, dark=True) == mode.palette.dark.model_dump()
    assert swatch_colors(summary, dark=True) == (mode.palette.dark.primary,
                                                 mode.palette.dark.secondary)
    # The light variant's primary, not the seed colour (here another colour altogether).
    assert swatch_colors(summary, dark=False) == (mode.palette.light.primary,
                                                  mode.palette.light.secondary)


def test_an_index_written_before_the_roles_is_read_again(tmp_path, store):
    """An older index's summaries lack the roles: their files are parsed once more."""
    index = store._paths.modes_dir / ".index.json"
    store.list_modes()
    cached = json.loads(index.read_text())
    for entry in cached.values():
        del entry["summary"]["light"], entry["summary"]["dark"]
    index.write_text(json.dumps(cached))
    summaries = store.list_modes()
    assert all(s.light and s.dark for s in summaries)
    assert all(e["summary"]["light"] for e in json.loads(index.read_text()).values())


def test_listing_and_drawing_the_library_imports_no_colour_maths(tmp_path, store):
    """coloraide (~110 ms to import, ~60 ms for its first derivation) stays out of the window's
    process: the library's emblems come from the index."""
    import subprocess
    import sys
    import textwrap

    store.save(_own_palette_mode())
    builtin = tmp_path / "builtin"
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from PySide6.QtWidgets import QApplication
        from presto_desktop.core.paths import AppPaths
        from presto_desktop.core.store import ModeStore
        from presto_desktop.ui.dialogs.library import LibraryDialog
        from presto_desktop.ui.dialogs.library_icons import read_ahead
        from presto_desktop.ui.theme.colors import ThemeColors
        app = QApplication([])
        store = ModeStore(AppPaths.resolve({str(tmp_path / "data")!r}), builtin_dir=Path({str(builtin)!r}))
        read_ahead(store)
        for dark in (False, True):
            roles = store.list_modes()[0].dark if dark else store.list_modes()[0].light
            dialog = LibraryDialog(store, "default", confirm_delete=False,
                                   colors=ThemeColors.from_hex(roles, dark=dark))
            for row in range(dialog.list.count()):
                dialog.icons.draw(dialog.list.item(row).data(256))
        print(sorted(m for m in sys.modules if m.split(".")[0] == "coloraide"))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"

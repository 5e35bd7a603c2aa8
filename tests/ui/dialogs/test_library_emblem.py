"""The library lists each mode with its primary colour and its emblem or logo."""

from __future__ import annotations

from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeStore
from presto_desktop.ui.dialogs.library import LibraryDialog
from tests.factories import make_logo_mode, make_mode


def test_library_rows_show_emblems_and_logos(qtbot, tmp_path) -> None:
    store = ModeStore(AppPaths.resolve(tmp_path))
    store.save(make_logo_mode().model_copy(update={"id": "logo-co", "company_name": "Logo Co"}))
    store.save(make_mode("drawn", company="Drawn Co", primary="#1565c0"))
    dialog = LibraryDialog(store, "default", confirm_delete=False)
    qtbot.addWidget(dialog)
    assert dialog.select("logo-co")
    image = dialog.list.currentItem().icon().pixmap(56, 28).toImage()
    assert image.pixelColor(42, 14).name() == "#14785a"  # the logo, right of the colour dot
    assert dialog.select("drawn")
    image = dialog.list.currentItem().icon().pixmap(56, 28).toImage()
    assert image.pixelColor(14, 14).name() == "#1565c0"
    assert image.pixelColor(42, 14).alpha() > 0  # a drawn emblem beside it

"""Settings' prefetch switch and the library's Forget answers."""

from __future__ import annotations

from pathlib import Path

from presto_desktop.core.modefile import dump_mode
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.settings import Settings
from presto_desktop.core.store import ModeStore
from presto_desktop.ui.dialogs.library import LibraryDialog
from presto_desktop.ui.dialogs.settings import SettingsDialog
from tests.factories import make_mode


def test_settings_has_the_prefetch_switch_with_a_word_on_cost(qtbot) -> None:
    dialog = SettingsDialog(Settings(prefetch_tabs=False))
    qtbot.addWidget(dialog)
    assert not dialog.prefetch.isChecked()
    assert "request per tab" in dialog.prefetch.text() and "tokens" in dialog.prefetch.toolTip()
    dialog.prefetch.setChecked(True)
    assert dialog.result_settings().prefetch_tabs is True
    assert Settings().prefetch_tabs is True  # on by default


def test_the_library_forgets_a_modes_cached_answers(qtbot, tmp_path: Path) -> None:
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    (builtin / "default.json").write_bytes(dump_mode(make_mode("default", company="Acme")))
    store = ModeStore(AppPaths.resolve(tmp_path / "data"), builtin_dir=builtin)
    store.save(make_mode("florist", company="Petal & Stem"))
    dialog = LibraryDialog(store, "default", confirm_delete=False)
    qtbot.addWidget(dialog)
    dialog.select("florist")
    with qtbot.waitSignal(dialog.cache_cleared) as blocker:
        dialog.buttons["forget"].click()
    assert blocker.args == ["florist"]
    assert "forgotten" in dialog.error.text()

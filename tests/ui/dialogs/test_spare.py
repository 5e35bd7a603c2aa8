"""The spare Settings dialog: built ahead, handed out only while it shows the current settings."""

from __future__ import annotations

import pytest

from presto_desktop.core.modefile import dump_mode
from presto_desktop.ui.dialogs import spare as spare_module
from presto_desktop.ui.dialogs.settings import SettingsDialog  # imported, as the warm-up does
from tests.factories import make_mode


@pytest.fixture(autouse=True)
def quick_again(monkeypatch):
    """The next spare 20 ms after a close or a theme change (1 s in the app: ~1 s of waiting)."""
    monkeypatch.setattr(spare_module, "AGAIN_MS", 20)


def _comp(qapp, tmp_path):
    from tests.ui.shell.test_window import build

    folder = tmp_path / "builtin"
    folder.mkdir()
    (folder / "default.json").write_bytes(dump_mode(make_mode("default")))
    comp = build(qapp, tmp_path, folder)
    comp.start(None)
    return comp


def _spare(comp, qtbot) -> SettingsDialog:
    spare = comp.window._spare
    spare.start(0)
    qtbot.waitUntil(lambda: spare._dialog is not None and spare._dialog.styleSheet() != "",
                    timeout=5000)
    return spare._dialog


def test_settings_opens_the_spare_dialog_built_ahead(qapp, qloop, qtbot, tmp_path):
    comp = _comp(qapp, tmp_path)
    built = _spare(comp, qtbot)
    assert not built.isVisible()
    opened = comp.window.open_settings()
    assert opened is built and opened.isVisible()
    assert opened.font_size.value() == comp.settings.font_size
    with qtbot.waitSignal(comp.window.settings_changed) as blocker:
        opened.font_size.setValue(17)
        opened.accept()
    assert blocker.args[0].font_size == 17 and comp.settings.font_size == 17
    # The next spare follows the dialog's close and shows the new settings.
    qtbot.waitUntil(lambda: comp.window._spare._dialog is not None, timeout=5000)
    assert comp.window._spare._dialog.font_size.value() == 17
    qloop.run_until_complete(comp.shutdown())


def test_a_spare_of_older_settings_is_not_used(qapp, qloop, qtbot, tmp_path):
    comp = _comp(qapp, tmp_path)
    built = _spare(comp, qtbot)
    comp.settings.font_size = 19  # changed since the spare was built
    opened = comp.window.open_settings()
    assert opened is not built and opened.font_size.value() == 19
    opened.reject()
    qloop.run_until_complete(comp.shutdown())


def test_a_theme_change_drops_the_spare_and_the_next_one_has_the_new_sheet(
        qapp, qloop, qtbot, tmp_path):
    comp = _comp(qapp, tmp_path)
    built = _spare(comp, qtbot)
    old_sheet = built.styleSheet()
    scheme = "light" if comp.theme.scheme == "dark" else "dark"
    comp.theme.apply(scheme=scheme, font_size=comp.settings.font_size)
    assert comp.window._spare._dialog is None
    qtbot.waitUntil(lambda: comp.window._spare._dialog is not None
                    and comp.window._spare._dialog.styleSheet() != "", timeout=5000)
    sheet = comp.window._spare._dialog.styleSheet()
    assert sheet != old_sheet and sheet == comp.theme.sheet
    qloop.run_until_complete(comp.shutdown())


def test_the_spare_takes_its_sheet_on_a_later_turn_than_its_build(qapp, qloop, qtbot, tmp_path,
                                                                  monkeypatch):
    """Built and polished in one pass, the two stalled the loop 17-19 ms at once."""
    from PySide6.QtCore import QTimer

    comp = _comp(qapp, tmp_path)
    spare = comp.window._spare
    order: list[str] = []
    build, polish = spare_module.SpareSettings._build, spare_module.SpareSettings._polish

    def built(self):
        build(self)
        order.append("built")
        QTimer.singleShot(0, lambda: order.append("a timer due after the build"))

    monkeypatch.setattr(spare_module.SpareSettings, "_build", built)
    monkeypatch.setattr(spare_module.SpareSettings, "_polish",
                        lambda self: (order.append("polished"), polish(self)))
    spare.start(0)
    qtbot.waitUntil(lambda: "polished" in order, timeout=5000)
    assert order == ["built", "a timer due after the build", "polished"]
    assert spare._dialog is not None and spare._dialog.styleSheet() == comp.theme.sheet
    qloop.run_until_complete(comp.shutdown())


def test_the_spare_is_laid_out_while_hidden(qapp, qloop, qtbot, tmp_path):
    """Qt lays a hidden dialog out only when shown: ~3 ms more in Ctrl+,'s own turn."""
    comp = _comp(qapp, tmp_path)
    built = _spare(comp, qtbot)
    qtbot.waitUntil(lambda: built.size() == built.sizeHint(), timeout=5000)
    assert not built.isVisible()
    assert built.server.geometry().height() > 0 or not built.server.isVisibleTo(built)
    qloop.run_until_complete(comp.shutdown())

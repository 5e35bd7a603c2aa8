"""The remembered first frame looks exactly like the window once the mode has loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QPalette

from presto_desktop.core.modefile import dump_mode
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.settings import SettingsStore
from presto_desktop.core.store import ModeStore
from presto_desktop.engines.openai_config import BASE_URL_ENV, KEY_ENV, MODEL_ENV
from presto_desktop.ui.composition import Composition
from presto_desktop.ui.shell.first_frame import WindowParts, show_frame
from presto_desktop.ui.shell.frame_picture import remembered_frame
from presto_desktop.ui.shell.window import MainWindow
from tests.factories import make_mode
from tests.ui.fakes import FakeChat, FakeEngine


@pytest.fixture
def builtin_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "builtin"
    folder.mkdir()
    for mode in (make_mode("default", industry="general", company="Presto Assistant"),
                 make_mode("banking", industry="banking", company="First <b>Harbor</b> Bank",
                           primary="#0d47a1", kind="banking")):
        (folder / f"{mode.id}.json").write_bytes(dump_mode(mode))
    return folder


def show_first_frame(qapp, paths: AppPaths, *, offline: bool,  # noqa: ANN001
                     mode_id: str | None) -> WindowParts | None:
    """The remembered (or shipped) frame built from its widgets, as a start without a
    picture shows it (ui/app.py `_first_frame`)."""
    remembered = remembered_frame(paths, offline=offline, mode_id=mode_id)
    return show_frame(qapp, paths, remembered, offline=offline, mode_id=mode_id)


def look(window: MainWindow) -> dict[str, object]:
    """Everything the first frame shows, as text and colours."""
    dash, panel = window.dashboard, window.chat_panel
    return {
        "title": window.windowTitle(),
        "company": window.header.company.text(),
        "tagline": window.header.tagline.text(),
        "monogram": window.header.emblem.text(),
        "emblem": window.header.emblem.mark(),  # the same icon and layout, not a generic one
        "engine": window.header.engine.text(),
        # A button shown only once attached moved the others after the first paint.
        "buttons": [b.isVisibleTo(window) for b in (window.header.library_button,
                                                    window.header.settings_button,
                                                    window.header.more_button)],
        "persona": (dash.persona.name.text(), dash.persona.meta.text(), dash.persona.figures),
        "kpis": [(c.label.text(), c.value.text(), c.unit.text()) for c in dash.kpi_cards],
        "tabs": [(b.text(), b.toolTip(), b.property("icon_name")) for b in dash.tab_buttons],
        "chips": [(b.text(), b.isVisibleTo(panel)) for b in panel.chip_bar.chips],
        "window": window.palette().color(QPalette.ColorRole.Window).name(),
        "primary": window.palette().color(QPalette.ColorRole.Highlight).name(),
        "muted": window.palette().color(QPalette.ColorRole.PlaceholderText).name(),
        "header": window.header.grab().toImage().pixelColor(2, 2).name(),  # the look's panel
    }


def full_start(qapp, paths: AppPaths, builtin_dir: Path, mode_id: str | None,
               parts=None) -> Composition:  # noqa: ANN001
    comp = Composition(qapp, paths, offline=True, persist=True,
                       store=ModeStore(paths, builtin_dir=builtin_dir), engine=FakeEngine(),
                       chat=FakeChat(), parts=parts)
    comp.start(mode_id, restore_geometry=False)
    comp.window.show()
    qapp.processEvents()
    return comp


def close(qloop, comp: Composition) -> None:
    comp.window.hide()
    qloop.run_until_complete(comp.shutdown())
    comp.window.deleteLater()


def test_first_frame_matches_the_loaded_mode(qapp, qloop, tmp_path, builtin_dir):
    paths = AppPaths.resolve(tmp_path / "data")
    first = full_start(qapp, paths, builtin_dir, "banking")
    loaded = look(first.window)
    # No per-mode sheet on the window's parts: the look paints them (ui/theme/look.py).
    assert not any(root.styleSheet() for root in first.window.style_roots())
    first.save_state()  # as at exit: settings, then the start frame
    close(qloop, first)
    assert paths.start_frame_file.is_file()

    parts = show_first_frame(qapp, paths, offline=True, mode_id=None)
    assert parts is not None and parts.painted_at > 0
    assert look(parts.window) == loaded
    assert loaded["company"] == "First <b>Harbor</b> Bank"  # plain text, as everywhere

    restyles: list[object] = []
    parts.theme.theme_changed.connect(restyles.append)
    second = full_start(qapp, paths, builtin_dir, None, parts=parts)
    assert second.window is parts.window and second.modes.current.id == "banking"
    assert look(second.window) == loaded
    assert restyles == []  # the validated mode had nothing left to restyle
    close(qloop, second)


def test_no_first_frame_when_settings_changed_since(qapp, qloop, tmp_path, builtin_dir):
    paths = AppPaths.resolve(tmp_path / "data")
    comp = full_start(qapp, paths, builtin_dir, "banking")
    comp.save_state()
    close(qloop, comp)
    settings = SettingsStore(paths).load()
    settings.theme = "dark"
    SettingsStore(paths).save(settings)
    assert show_first_frame(qapp, paths, offline=True, mode_id=None) is None


def test_no_first_frame_for_another_mode_on_the_command_line(qapp, qloop, tmp_path, builtin_dir):
    paths = AppPaths.resolve(tmp_path / "data")
    comp = full_start(qapp, paths, builtin_dir, "banking")
    comp.save_state()
    close(qloop, comp)
    assert show_first_frame(qapp, paths, offline=True, mode_id="default") is None
    parts = show_first_frame(qapp, paths, offline=True, mode_id="banking")
    assert parts is not None
    parts.window.close()
    parts.window.deleteLater()


def test_headless_runs_write_no_frame(qapp, qloop, tmp_path, builtin_dir):
    paths = AppPaths.resolve(tmp_path / "data")
    comp = Composition(qapp, paths, offline=True, persist=False,
                       store=ModeStore(paths, builtin_dir=builtin_dir), engine=FakeEngine(),
                       chat=FakeChat())
    comp.start(None, restore_geometry=False)
    comp.save_state()
    close(qloop, comp)
    assert not paths.start_frame_file.exists()


def test_the_shipped_frame_is_current(monkeypatch):
    """resources/first_frame.json is what the default mode derives to (regenerate it with
    `python -m presto_desktop.ui.shell.shipped_frame` after editing the default mode)."""
    from presto_desktop.core.paths import resources_root
    from presto_desktop.core.settings import Settings
    from presto_desktop.core.start_frame import SHIPPED_FRAME
    from presto_desktop.ui.composition import provisional_label
    from presto_desktop.ui.shell.shipped_frame import FRESH_LABEL, shipped_frame_json

    shipped = (resources_root() / SHIPPED_FRAME).read_text(encoding="utf-8")
    assert shipped == shipped_frame_json(), (
        "resources/first_frame.json is stale: run `python -m presto_desktop.ui.shell.shipped_frame`")
    for name in (KEY_ENV, BASE_URL_ENV, MODEL_ENV):
        monkeypatch.delenv(name, raising=False)
    assert provisional_label(Settings(), offline=False) == FRESH_LABEL


def test_a_fresh_data_dir_paints_the_shipped_frame(qapp, qloop, tmp_path, monkeypatch):
    """Nothing remembered: the shipped frame looks exactly like the loaded default mode."""
    for name in (KEY_ENV, BASE_URL_ENV, MODEL_ENV):
        monkeypatch.delenv(name, raising=False)
    paths = AppPaths.resolve(tmp_path / "data")
    assert show_first_frame(qapp, paths, offline=False, mode_id="banking") is None
    parts = show_first_frame(qapp, paths, offline=False, mode_id=None)
    assert parts is not None and parts.painted_at > 0
    shown = look(parts.window)
    assert shown["engine"] == "Offline" and shown["company"] == "Presto-Change-O"

    restyles: list[object] = []
    parts.theme.theme_changed.connect(restyles.append)
    comp = Composition(qapp, paths, offline=False, persist=True, store=ModeStore(paths),
                       engine=FakeEngine(), chat=FakeChat(), parts=parts)
    comp.start(None, restore_geometry=False)
    qapp.processEvents()
    assert comp.modes.current.id == "default"
    loaded = look(comp.window)
    assert loaded.pop("engine") == "Fake"  # the fake engine names itself
    shown.pop("engine")
    assert loaded == shown
    assert restyles == []  # the validated mode had nothing left to restyle
    close(qloop, comp)
    # The settings file now exists: only a remembered frame is used from here on.
    assert paths.settings_file.exists()
    paths.start_frame_file.unlink(missing_ok=True)
    assert show_first_frame(qapp, paths, offline=False, mode_id=None) is None

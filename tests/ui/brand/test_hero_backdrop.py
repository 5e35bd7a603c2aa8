"""The hero backdrop: rendered off the GUI thread once per size, text contrast kept on every
pixel, cheap on restyle, and turned off by Settings > Background imagery."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

import presto_desktop.ui.theme.hero as hero_module
from presto_desktop.core.contrast import contrast_ratio
from presto_desktop.core.hero import hero_for
from presto_desktop.core.modefile import dump_mode
from presto_desktop.core.paths import AppPaths, resource_path
from presto_desktop.core.settings import Settings, SettingsStore
from presto_desktop.core.store import ModeStore
from presto_desktop.ui.composition import Composition
from presto_desktop.ui.dialogs.settings import SettingsDialog
from presto_desktop.ui.theme.hero import HeroBackdrop, render_hero
from tests.factories import make_mode
from tests.ui.fakes import FakeEngine


@pytest.mark.parametrize("mode_id", ["banking", "default", "healthcare", "insurance"])
@pytest.mark.parametrize("variant", ["light", "dark"])
def test_every_pixel_keeps_the_text_rules(qapp, mode_id, variant) -> None:
    data = json.loads(resource_path("modes", f"{mode_id}.json").read_text(encoding="utf-8"))
    roles = data["palette"][variant]
    image = render_hero(hero_for(data["company_name"], roles), 400, 300, 1.0)
    seen = set()
    for y in range(0, 300, 3):
        for x in range(0, 400, 3):
            seen.add(image.pixelColor(x, y).name())
    assert len(seen) > 1 or variant == "dark"  # a gradient or a pattern is there
    for colour in seen:
        assert contrast_ratio(roles["text"], colour) >= 4.5, colour
        assert contrast_ratio(roles["text_muted"], colour) >= 4.5, colour
        assert contrast_ratio(roles["primary"], colour) >= 3.0, colour


class _Target(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.painter = None

    def set_backdrop(self, paint) -> None:
        self.painter = paint
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        if self.painter is not None:
            painter = QPainter(self)
            self.painter(painter)
            painter.end()


def test_rendered_once_per_size_on_a_worker_thread(qtbot, monkeypatch) -> None:
    calls: list[tuple[int, int, str]] = []
    real = hero_module.render_hero

    def spy(hero, width, height, ratio):
        calls.append((width, height, threading.current_thread().name))
        return real(hero, width, height, ratio)

    monkeypatch.setattr(hero_module, "render_hero", spy)
    widget = _Target()
    qtbot.addWidget(widget)
    widget.resize(300, 200)
    widget.show()
    backdrop = HeroBackdrop(widget, widget)
    light = make_mode().palette.light.model_dump()
    backdrop.show("Petal & Stem", light)
    assert widget.painter is not None
    qtbot.waitUntil(lambda: backdrop.current() is not None)
    assert calls == [(300, 200, calls[0][2])] and calls[0][2] != threading.main_thread().name
    # The same picture and size again (a restyle back to these colours): from the cache.
    dark = make_mode().palette.dark.model_dump()
    backdrop.show("Petal & Stem", dark)
    assert backdrop.current() is None  # the old colours are never shown meanwhile
    qtbot.waitUntil(lambda: backdrop.current() is not None)
    backdrop.show("Petal & Stem", light)
    qtbot.waitUntil(lambda: backdrop.current() is not None)
    assert len(calls) == 2
    widget.resize(320, 200)  # the next paint asks for this size (the old one scaled meanwhile)
    qtbot.waitUntil(lambda: backdrop.current() is not None
                    and backdrop.current().width() == 320)
    assert len(calls) == 3 and calls[-1][:2] == (320, 200)
    backdrop.show(None, None)
    assert widget.painter is None


def test_the_render_starts_after_the_paint_that_asks_for_it(qtbot, monkeypatch) -> None:
    """Started during that paint, the render's Python took the GIL from the rest of the
    window's repaint."""
    widget = _Target()
    qtbot.addWidget(widget)
    widget.resize(300, 200)
    with qtbot.waitExposed(widget):
        widget.show()
    backdrop = HeroBackdrop(widget, widget)
    submitted: list[object] = []
    real = backdrop._worker.submit
    monkeypatch.setattr(backdrop._worker, "submit",
                        lambda fn, *args: submitted.append(args) or real(fn, *args))
    backdrop.show("Petal & Stem", make_mode().palette.light.model_dump())
    painted = []
    widget.paintEvent = lambda event: (painted.append(1), _Target.paintEvent(widget, event))
    widget.repaint()  # the paint asks for the picture
    assert painted and submitted == []
    qtbot.waitUntil(lambda: backdrop.current() is not None)
    assert len(submitted) == 1


@pytest.fixture
def comp(qapp, qloop, tmp_path: Path):
    folder = tmp_path / "builtin"
    folder.mkdir()
    (folder / "default.json").write_bytes(dump_mode(make_mode("default", request_key="")))
    paths = AppPaths.resolve(tmp_path / "data")
    comp = Composition(qapp, paths, offline=True, persist=True,
                       store=ModeStore(paths, builtin_dir=folder), engine=FakeEngine())
    comp.settings.theme = "light"
    comp.window.resize(1280, 800)
    comp.window.show()
    comp.start(None, restore_geometry=False)
    yield comp
    comp.window.close()


def test_the_dashboard_shows_it_and_settings_turn_it_off(comp, qtbot, tmp_path) -> None:
    backdrop = comp.brand.imagery.backdrop
    qtbot.waitUntil(lambda: backdrop.current() is not None)
    dashboard = comp.window.dashboard
    roles = {r: c.name() for r, c in comp.theme.colors.roles.items()}
    assert backdrop.hero == hero_for(comp.modes.current.company_name, roles)
    # Painted behind the cards: the dashboard's own pixels show the picture.
    grabbed = dashboard.grab().toImage()
    top = {grabbed.pixelColor(x, 6).name() for x in range(0, dashboard.width(), 2)}
    assert top != {roles["background"]}
    dialog = SettingsDialog(comp.settings)
    qtbot.addWidget(dialog)
    assert dialog.imagery.isChecked()
    dialog.imagery.setChecked(False)
    comp.window.settings_changed.emit(dialog.result_settings())
    assert backdrop.hero is None
    stored = SettingsStore(AppPaths.resolve(tmp_path / "data")).load()
    assert stored.background_imagery is False  # persisted
    assert Settings().background_imagery is True  # on by default


def test_a_mode_switch_submits_and_does_not_render_on_the_gui_thread(comp, qtbot,
                                                                     monkeypatch) -> None:
    threads: list[str] = []
    real = hero_module.render_hero

    def spy(*args):
        threads.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(hero_module, "render_hero", spy)
    comp.store.save(make_mode("florist", company="Petal & Stem", primary="#8e24aa"))
    comp.modes.switch_to("florist")
    backdrop = comp.brand.imagery.backdrop
    qtbot.waitUntil(lambda: backdrop.current() is not None
                    and backdrop.hero is not None
                    and backdrop.hero == hero_for("Petal & Stem", {
                        r: c.name() for r, c in comp.theme.colors.roles.items()}))
    assert threads and threading.main_thread().name not in threads


def test_a_switch_shown_in_steps_renders_once_its_repaints_are_done(comp, qtbot,
                                                                    monkeypatch) -> None:
    """Rendered during the switch's repaints, the picture's Python took the GIL from them."""
    window = comp.window
    qtbot.waitUntil(lambda: window.shows_in_steps and comp.brand.imagery.backdrop.current()
                    is not None)
    asked: list[tuple[str | None, bool]] = []
    backdrop = comp.brand.imagery.backdrop
    real = backdrop.show

    def spy(company, roles):  # noqa: ANN001
        asked.append((company, window.mode_change.pending("restyle")
                      or window.mode_change.pending("content") or comp.theme.repaint_pending))
        real(company, roles)

    monkeypatch.setattr(backdrop, "show", spy)
    comp.store.save(make_mode("florist", company="Petal & Stem", primary="#8e24aa"))
    comp.modes.switch_to("florist")
    assert asked == []  # not while the switch is being shown
    qtbot.waitUntil(lambda: asked != [])
    assert asked == [("Petal & Stem", False)]  # once, in the new colours, after the repaints
    qtbot.waitUntil(lambda: backdrop.current() is not None)


def test_a_picture_rendered_before_shows_with_the_switchs_repaints(comp, qtbot,
                                                                   monkeypatch) -> None:
    """Shown after them, it cost a second repaint of the whole dashboard a saved switch."""
    window = comp.window
    backdrop = comp.brand.imagery.backdrop
    qtbot.waitUntil(lambda: window.shows_in_steps and backdrop.current() is not None)
    comp.store.save(make_mode("florist", company="Hollis Blooms", primary="#8e24aa"))
    for mode_id in ("florist", "default", "florist"):  # the florist's picture, then back
        comp.modes.switch_to(mode_id)
        qtbot.waitUntil(lambda: not comp.theme.repaint_pending and backdrop.current() is not None)
    asked: list[tuple[str | None, bool]] = []
    real = backdrop.show

    def spy(company, roles):  # noqa: ANN001
        asked.append((company, comp.theme.repaint_pending))
        real(company, roles)

    monkeypatch.setattr(backdrop, "show", spy)
    comp.modes.switch_to("default")
    qtbot.waitUntil(lambda: not comp.theme.repaint_pending)
    company = comp.modes.current.company_name
    assert asked and asked[-1] == (company, True)  # while the units wait for their repaints
    assert backdrop.current() is not None

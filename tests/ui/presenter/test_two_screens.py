"""Presenter mode with two screens, for real: a child process on the offscreen platform given
two screens ("Laptop" and "Projector", through its config file). The choice itself is
tested without Qt in test_placement.py; this checks Qt moves the windows as chosen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCREENS = {"screens": [
    {"name": "Laptop", "x": 0, "y": 0, "width": 1440, "height": 900, "logicalDpi": 96},
    {"name": "Projector", "x": 1440, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96}]}

CHILD = textwrap.dedent("""
    import json, sys
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMainWindow, QPushButton

    app = QApplication([])
    if len(app.screens()) < 2:
        print(json.dumps({"screens": len(app.screens())}))
        sys.exit(0)
    from presto_desktop.core.settings import PresenterSettings
    from presto_desktop.ui.presenter.mode import PresenterMode, PresenterParts

    class Theme:
        font_size = 11

        def apply(self, *, font_size=None):
            self.font_size = font_size if font_size is not None else self.font_size
            return True

    window = QMainWindow()
    button = QPushButton("Settings", window)
    window.setCentralWidget(button)
    window.setGeometry(100, 100, 800, 500)
    window.show()
    before = window.geometry().getRect()
    settings = PresenterSettings(screen="Projector")
    saved = []
    theme = Theme()
    mode = PresenterMode(window, theme, PresenterParts(
        chrome=[button], quiet=[], route_errors=lambda sink: None, settings=lambda: settings,
        save=lambda: saved.append(settings.screen), engine_label=lambda: "Offline"))
    mode.enter()
    app.processEvents()
    console = mode.console
    out = {"screens": 2, "audience": window.screen().name(), "full": window.isFullScreen(),
           "audience_rect": window.geometry().getRect(), "console": console.screen().name(),
           "console_rect": console.geometry().getRect(), "font": theme.font_size,
           "on_top": bool(console.windowFlags() & Qt.WindowType.WindowStaysOnTopHint),
           "compact": console.property("compact"), "choice": console.screens.isVisibleTo(console),
           "hidden": button.isHidden()}
    console.screens.activated.emit(0)  # the presenter picks the laptop for the audience
    app.processEvents()
    out["swapped"] = [window.screen().name(), console.screen().name(), saved]
    mode.leave()
    app.processEvents()
    out["after"] = [window.screen().name(), window.isFullScreen(), window.geometry().getRect(),
                    button.isHidden(), theme.font_size, before]
    print(json.dumps(out))
""")


def test_two_screens_audience_on_the_chosen_one_console_on_the_other(tmp_path):
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    if out["screens"] < 2:
        pytest.skip("this Qt's offscreen platform takes no screen config")
    assert out["audience"] == "Projector" and out["full"]
    assert out["audience_rect"] == [1440, 0, 1280, 800]
    assert out["console"] == "Laptop" and not out["on_top"] and out["compact"] is False
    x, y, width, height = out["console_rect"]
    assert 0 <= x and x + width <= 1440 and y + height <= 900 and width >= 800
    assert out["choice"] and out["hidden"] and out["font"] == 16
    assert out["swapped"] == ["Laptop", "Projector", ["Laptop"]]
    screen, full, rect, hidden, font, before = out["after"]
    assert (screen, full, rect, hidden, font) == ("Laptop", False, before, False, 11)

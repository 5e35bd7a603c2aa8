"""run_gui end to end: --screenshot writes a PNG, --self-test passes, the window opens and closes."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from presto_desktop.core.modefile import dump_mode
from presto_desktop.core.paths import AppPaths, resources_root
from presto_desktop.core.settings import SettingsStore
from presto_desktop.core.store import ModeStore
from presto_desktop.ui import composition as app_module
from presto_desktop.ui.app import run_gui
from tests.factories import make_mode
from tests.ui.fakes import FakeEngine

ROOT = Path(__file__).resolve().parents[2]
HAVE_OFFLINE = (importlib.util.find_spec("presto_desktop.engines.offline") is not None
                and (resources_root() / "modes" / "default.json").is_file())


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    """A temp data dir; until the offline engine and built-ins land, fakes stand in."""
    if not HAVE_OFFLINE:
        builtin = tmp_path / "builtin"
        builtin.mkdir()
        mode = make_mode("default", industry="general", company="Presto Assistant")
        (builtin / "default.json").write_bytes(dump_mode(mode))
        monkeypatch.setattr(app_module, "ModeStore", partial(ModeStore, builtin_dir=builtin))
        monkeypatch.setattr(app_module, "make_engine", lambda *a, **k: FakeEngine())
    return AppPaths.resolve(tmp_path / "data")


def test_screenshot_writes_png(qapp, paths, tmp_path, monkeypatch):
    import gc

    from presto_desktop.ui import app as gui

    seen: list[bool] = []
    keep = gui._keep_imports
    # Start-up imports run without garbage collection; it is back on once they are done.
    monkeypatch.setattr(gui, "_keep_imports", lambda: (seen.append(gc.isenabled()), keep()))
    out = tmp_path / "shots" / "window.png"
    assert run_gui(paths=paths, offline=True, mode_id=None, screenshot=out,
                   self_test=False) == 0
    assert seen == [False] and gc.isenabled()
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    # Headless runs leave no settings behind.
    assert not paths.settings_file.exists()


def test_self_test_passes(qapp, paths, capsys):
    assert run_gui(paths=paths, offline=True, mode_id=None, screenshot=None,
                   self_test=True) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("self-test ok: beekeeper"), line
    assert list(paths.modes_dir.glob("beekeeper*.json"))


def test_self_test_reports_failure(qapp, paths, capsys, monkeypatch):
    monkeypatch.setattr(app_module, "make_engine",
                        lambda *a, **k: FakeEngine(fail="no bees today"))
    assert run_gui(paths=paths, offline=True, mode_id=None, screenshot=None,
                   self_test=True) == 1
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("self-test FAILED:") and "no bees today" in line


def test_window_opens_and_closing_it_saves_state(qapp, paths):
    # Earlier tests may leave their own main windows open: close only the one run_gui opens.
    earlier = {id(widget) for widget in QApplication.topLevelWidgets()}

    def close_soon() -> None:
        for widget in QApplication.topLevelWidgets():
            if (id(widget) not in earlier and widget.objectName() == "mainWindow"
                    and widget.isVisible()):
                widget.close()
                return
        QTimer.singleShot(20, close_soon)

    QTimer.singleShot(50, close_soon)
    assert run_gui(paths=paths, offline=True, mode_id=None, screenshot=None,
                   self_test=False) == 0
    settings = SettingsStore(paths).load()
    assert settings.window_geometry and settings.last_mode == "default"


@pytest.mark.skipif(not HAVE_OFFLINE, reason="needs the offline engine and built-in modes")
def test_self_test_in_a_fresh_process(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "presto_desktop", "--data-dir", str(tmp_path), "--self-test"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1].startswith("self-test ok:")


def test_window_bench_rows_are_name_value_unit():
    """Every row the window benchmark returns is `name value unit`: the unit is one word."""
    import ast

    source = (ROOT / "tests" / "benchmarks" / "window_bench.py").read_text(encoding="utf-8")
    rows = [node for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Tuple) and len(node.elts) == 3
            and isinstance(node.elts[0], ast.Constant) and isinstance(node.elts[0].value, str)
            and node.elts[0].value.startswith("window.")]
    assert len(rows) >= 7
    for row in rows:
        unit = row.elts[2]
        assert isinstance(unit, ast.Constant) and isinstance(unit.value, str)
        assert unit.value.split() == [unit.value] and "(" not in unit.value, unit.value


_PROBE = """
import sys
import presto_desktop.cli, presto_desktop.ui.app
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])

class Probe(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if (not self.seen and event.type() == QEvent.Type.Paint
                and hasattr(obj, "window") and obj.window().objectName() == "mainWindow"):
            self.seen = True
            window = obj.window()
            print("MODULES " + " ".join(sorted(sys.modules)), flush=True)
            picture = window.centralWidget().objectName() == "framePicture"
            print("PICTURE " + ("yes" if picture else "no"), flush=True)
            # PySide adds `Qt` to its module once its ~90 enums are made (~13 ms).
            made = "Qt" in vars(sys.modules["PySide6.QtCore"])
            print("QT_ENUMS " + ("yes" if made else "no"), flush=True)
            self.waited = 0
            QTimer.singleShot(300, lambda: self.close(window))
        return False

    def close(self, window):
        # A remembered picture is painted first; the window's parts are built after it.
        if not window.built or window.picture is not None:
            self.waited += 1
            assert self.waited < 200, "the window's parts were never built"
            QTimer.singleShot(50, lambda: self.close(window))
            return
        print("COMPANY " + window.header.company.text(), flush=True)
        print("LABEL " + window.header.engine.text(), flush=True)
        window.close()

probe = Probe()
app.installEventFilter(probe)
sys.exit(presto_desktop.cli.main(["--data-dir", sys.argv[1]]))
"""


def _first_paint_probe(tmp_path: Path) -> dict[str, str]:
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", _PROBE, str(tmp_path / "data")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=False, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    return dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)


@pytest.mark.skipif(not HAVE_OFFLINE, reason="needs the offline engine and built-in modes")
def test_first_paint_waits_for_nothing_heavy(tmp_path):
    """The first frame comes before the engine, lexicon, conversation, charts and key store,
    the models and asyncio: shipped in a fresh data dir, remembered from the second start on."""
    heavy = {"presto_desktop.engines.offline", "presto_desktop.engines.lexicon",
             "presto_desktop.engines.openai_engine", "PySide6.QtCharts", "keyring", "openai",
             "faker", "coloraide", "presto_desktop.ui.dialogs.settings",
             "presto_desktop.ui.dialogs.library",
             # the emblem's escaping and the logo reader: xml.sax pulled in urllib.request
             # (http, email, ssl, socket), ~40 ms; ElementTree waits for the first logo
             "xml.sax.saxutils", "urllib.request", "xml.etree.ElementTree"}
    later = {"pydantic", "asyncio", "qasync", "presto_desktop.core.models",
             "presto_desktop.core.settings", "presto_desktop.ui.composition",
             "presto_desktop.ui.shell.mode_controller", "presto_desktop.ui.chat.controller",
             # the rows' markdown (QTextDocument's enums), the window's presenter (triggers)
             # and uuid (platform): ~25 ms of the first frame's imports, measured
             "presto_desktop.ui.chat.markdown", "presto_desktop.session.presenter", "uuid"}
    lines = _first_paint_probe(tmp_path)
    before_paint = set(lines["MODULES"].split())
    assert heavy & before_paint == set()
    # A fresh data dir paints the shipped frame of the default mode, also before the models.
    assert later & before_paint == set()
    assert "presto_desktop.ui.shell.window" in before_paint
    # The engine is built after the first paint and named in the header.
    assert lines["LABEL"] == "Offline"
    company = lines["COMPANY"]

    assert lines["PICTURE"] == "no"  # nothing remembered yet

    again = _first_paint_probe(tmp_path)  # the first run closed after its first paint and saved
    before_paint = set(again["MODULES"].split())
    assert (heavy | later) & before_paint == set()
    # It saved a picture of its frame too: painted before the window's parts are even imported.
    assert again["PICTURE"] == "yes"
    assert again["QT_ENUMS"] == "no"  # its colour scheme is checked after the paint
    assert {"presto_desktop.ui.chat.panel", "presto_desktop.ui.dashboard.panel"} & before_paint \
        == set()
    assert again["COMPANY"] == company and again["LABEL"] == "Offline"


@pytest.mark.skipif(not HAVE_OFFLINE or sys.platform == "win32",
                    reason="needs the offline engine and POSIX signals")
def test_ctrl_c_in_the_terminal_closes_cleanly(tmp_path):
    """SIGINT closes the window through the loop: exit 0, settings and geometry saved."""
    import json
    import signal
    import time

    data = tmp_path / "data"
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    proc = subprocess.Popen([sys.executable, "-m", "presto_desktop", "--data-dir", str(data)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        # The welcome is saved once the window is up and its conversation loaded.
        deadline = time.monotonic() + 60
        while not list(data.rglob("conversations/*.json")) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()[1][-2000:]
            time.sleep(0.1)
        assert list(data.rglob("conversations/*.json")), "the window never came up"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    assert "KeyboardInterrupt" not in err
    settings = json.loads(AppPaths.resolve(data).settings_file.read_text())
    assert settings["window_geometry"]


_CLOSE_AT_FIRST_PAINT = """
import sys
import presto_desktop.cli
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])

class Closer(QObject):
    def eventFilter(self, obj, event):
        if (event.type() == QEvent.Type.Paint and hasattr(obj, "window")
                and obj.window().objectName() == "mainWindow"):
            QTimer.singleShot(0, obj.window().close)
        return False

closer = Closer()
app.installEventFilter(closer)
sys.exit(presto_desktop.cli.main(["--data-dir", sys.argv[1]]))
"""


@pytest.mark.skipif(not HAVE_OFFLINE, reason="needs the offline engine and built-in modes")
def test_closing_while_the_first_frame_paints_exits_cleanly(tmp_path):
    """A window closed before the loop runs (second start: remembered frame) still exits 0."""
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", _CLOSE_AT_FIRST_PAINT,
                                 str(tmp_path / "data")], cwd=ROOT, capture_output=True,
                                text=True, timeout=60, check=False, env=env)
        assert result.returncode == 0, result.stderr[-2000:]
    assert AppPaths.resolve(tmp_path / "data").start_frame_file.is_file()


def test_the_window_names_its_menu_entry_for_wayland(qapp, paths, capsys):
    """Wayland matches the window to the .deb's presto-desktop.desktop by this name."""
    assert run_gui(paths=paths, offline=True, mode_id=None, screenshot=None, self_test=True) == 0
    assert QApplication.instance().desktopFileName() == "presto-desktop"
    assert (Path(__file__).resolve().parents[2] / "packaging" / "linux"
            / "presto-desktop.desktop").is_file()

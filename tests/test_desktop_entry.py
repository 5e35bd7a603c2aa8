"""Linux desktop integration: the .desktop file and the hicolor icons `make deb` ships."""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = ROOT / "packaging" / "linux" / "presto-desktop.desktop"
MIME = ROOT / "packaging" / "linux" / "presto-desktop.xml"
RECORDING_TYPE = "application/x-presto-recording"


def _make_icons() -> ModuleType:
    # packaging/ is a folder of scripts (and `packaging` is also a PyPI package): load by path.
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging" / "make_icons.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_desktop_entry_launches_the_installed_command() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    # One file at most: a `.presto` recording, which the window plays (cli_demo.split_recording).
    assert entry["Exec"] == "presto-desktop %f"
    assert entry["TryExec"] == "presto-desktop"
    assert entry["Icon"] == _make_icons().ICON_NAME
    assert entry["Terminal"] == "false"
    assert entry["Name"] and entry["Comment"]
    assert entry["Categories"].endswith(";") and entry["Keywords"].endswith(";")
    assert entry["MimeType"] == f"{RECORDING_TYPE};"  # the .presto type the package installs


def test_hicolor_icons_cover_16_to_512(qapp: QApplication, tmp_path: Path) -> None:
    icons = _make_icons()
    renderer = icons.QSvgRenderer(str(icons.ICONS / "app.svg"))
    written = icons.write_hicolor(renderer, tmp_path)
    assert {16, 32, 48, 256, 512} <= set(icons.HICOLOR_SIZES)
    for size in icons.HICOLOR_SIZES:
        path = tmp_path / f"{size}x{size}" / "apps" / "presto-desktop.png"
        image = QImage(str(path))
        assert (image.width(), image.height()) == (size, size), path
        assert image.hasAlphaChannel()
    scalable = tmp_path / "scalable" / "apps" / "presto-desktop.svg"
    assert scalable.read_bytes() == (icons.ICONS / "app.svg").read_bytes()
    assert len(written) == len(icons.HICOLOR_SIZES) + 1


def test_the_desktop_entry_validates() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_recording_type_matches_recordings_by_name_and_content(tmp_path: Path) -> None:
    from presto_desktop.core.recording import dump_recording
    from tests.replay_factory import demo_recording

    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    kind = ElementTree.parse(MIME).getroot().find("m:mime-type", ns)
    assert kind is not None and kind.get("type") == RECORDING_TYPE
    assert [g.get("pattern") for g in kind.findall("m:glob", ns)] == ["*.presto"]
    match = kind.find("m:magic/m:match", ns)
    assert match is not None and match.get("offset") == "0"
    # What the app writes starts with the magic string (the file's first key is its format).
    value = match.get("value") or ""
    assert dump_recording(demo_recording(1)).startswith(value.encode("utf-8"))
    tool = shutil.which("update-mime-database")
    if tool is None:
        return
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copyfile(MIME, packages / MIME.name)
    # A folder outside XDG_DATA_DIRS: the tool only notes that it is not searched.
    env = {**os.environ, "XDG_DATA_DIRS": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    result = subprocess.run([tool, str(tmp_path / "mime")], capture_output=True, text=True,
                            env=env, check=False)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    assert f"{RECORDING_TYPE}:*.presto" in (tmp_path / "mime" / "globs").read_text()

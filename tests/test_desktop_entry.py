"""Linux desktop integration: the .desktop file and the hicolor icons `make deb` ships."""

from __future__ import annotations

import configparser
import importlib.util
from pathlib import Path
from types import ModuleType

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = ROOT / "packaging" / "linux" / "presto-desktop.desktop"


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
    # The app takes no file arguments (a positional word is a subcommand): no %f/%F/%u.
    assert entry["Exec"] == "presto-desktop"
    assert entry["TryExec"] == "presto-desktop"
    assert entry["Icon"] == _make_icons().ICON_NAME
    assert entry["Terminal"] == "false"
    assert entry["Name"] and entry["Comment"]
    assert entry["Categories"].endswith(";") and entry["Keywords"].endswith(";")
    assert "MimeType" not in entry, "no .presto file type exists yet"


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

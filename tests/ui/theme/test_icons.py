"""Icons: every lexicon icon name has a bundled SVG; unknown names fall back; tinting works."""

from __future__ import annotations

import json
import os

from PySide6.QtGui import QColor

from presto_desktop.core.paths import resource_path
from presto_desktop.ui.theme.icons import FALLBACK_ICON, icon_path_name, tinted_icon


def test_lexicon_icons_all_resolve():
    names = json.loads(resource_path("lexicon.json").read_text())["icons"]
    assert [n for n in names if n != FALLBACK_ICON and icon_path_name(n) == FALLBACK_ICON] == []


def test_unknown_icon_falls_back_and_tints(qapp):
    assert icon_path_name("no-such-icon") == FALLBACK_ICON
    icon = tinted_icon("no-such-icon", QColor(10, 20, 30))
    image = icon.pixmap(24, 24).toImage()
    colours = {image.pixelColor(x, y).name() for x in range(image.width())
               for y in range(image.height()) if image.pixelColor(x, y).alpha() == 255}
    assert colours == {"#0a141e"}


def test_tints_share_the_shape_and_differ_only_in_colour(qapp):
    """One SVG render per icon and size; each palette colour only recolours it."""
    first = tinted_icon("settings", QColor(200, 0, 0)).pixmap(24, 24).toImage()
    second = tinted_icon("settings", QColor(0, 0, 200)).pixmap(24, 24).toImage()
    points = [(x, y) for x in range(first.width()) for y in range(first.height())]
    assert [first.pixelColor(x, y).alpha() for x, y in points] == [
        second.pixelColor(x, y).alpha() for x, y in points]
    assert {first.pixelColor(x, y).name() for x, y in points
            if first.pixelColor(x, y).alpha() == 255} == {"#c80000"}


def test_naming_icons_looks_at_no_file_once_the_folder_is_known(monkeypatch) -> None:
    """A restyle names ~40 icons: each used to resolve the package path and stat a file."""
    icon_path_name("flower")  # the folder and its icons, found once
    looks: list[str] = []
    real_stat = os.stat

    def counting_stat(path, *args, **kwargs):
        looks.append(str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counting_stat)
    names = [icon_path_name(name) for name in ("flower", "bloom", "no-such-icon", "cart") * 10]
    assert names[:4] == ["flower", "flower", FALLBACK_ICON, "cart"]
    assert looks == []

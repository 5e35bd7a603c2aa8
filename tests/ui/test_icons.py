"""Icons: every lexicon icon name has a bundled SVG; unknown names fall back; tinting works."""

from __future__ import annotations

import json

from PySide6.QtGui import QColor

from presto_desktop.core.paths import resource_path
from presto_desktop.ui.icons import FALLBACK_ICON, icon_path_name, tinted_icon


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

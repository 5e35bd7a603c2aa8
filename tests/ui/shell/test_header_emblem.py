"""The header's emblem: the drawn mark or the mode's logo, cached, and the window icon."""

from __future__ import annotations

import base64

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMainWindow

from presto_desktop.ui.shell.header import Header
from presto_desktop.ui.theme.emblems import SVG, mark_pixmap
from tests.factories import make_logo_mode, make_mode
from tests.ui.helpers import colors_from_roles


def test_header_draws_the_emblem_in_the_palette(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    header = Header(window)
    window.setMenuWidget(header)
    mode = make_mode(company="Petal & Stem")
    header.set_mode(mode)
    header.set_colors(colors_from_roles(mode.palette.light, dark=False))
    mark = header.emblem.mark()
    assert mark is not None and mark[0] == SVG
    assert mode.palette.light.primary.encode() in mark[1]
    assert header.emblem.text() == "PS"
    window.show()
    qtbot.waitUntil(lambda: not window.windowIcon().isNull())
    image = header.emblem.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, 48, 4) for y in range(0, 48, 4)}
    assert QColor(mode.palette.light.primary).name() in colours
    # The same mark, size and ratio is rendered once.
    assert mark_pixmap(mark, 48, 1.0).cacheKey() == mark_pixmap(mark, 48, 1.0).cacheKey()


def test_header_shows_the_logo_and_dark_colours(qtbot) -> None:
    header = Header()
    qtbot.addWidget(header)
    mode = make_logo_mode()
    header.set_mode(mode)
    header.set_colors(colors_from_roles(mode.palette.dark, dark=True))
    mark = header.emblem.mark()
    assert mark is not None and mark[0] == "image/png"
    image = mark_pixmap(mark, 48, 2.0).toImage()
    assert image.width() == 96 and image.pixelColor(48, 48).name() == "#14785a"
    plain = make_mode("other", company="Other Co")
    header.set_mode(plain)
    mark = header.emblem.mark()
    assert mark is not None and mark[0] == SVG
    assert plain.palette.dark.primary.encode() in mark[1]


def test_a_damaged_stored_logo_paints_nothing_instead_of_failing(qtbot) -> None:
    mode = make_logo_mode()
    assert mode.brand is not None and mode.brand.logo is not None
    broken = mode.brand.logo.model_copy(update={"data": base64.b64encode(b"\x89PNG..").decode()})
    mark = (broken.media_type, base64.b64decode(broken.data))
    assert mark_pixmap(mark, 32, 1.0).toImage().pixelColor(16, 16).alpha() == 0

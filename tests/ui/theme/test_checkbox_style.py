"""Check boxes in the QSS: a rim that shows (>= 3:1), a clear ticked state, a visible focus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QWidget

from presto_desktop.core.contrast import contrast_ratio
from presto_desktop.core.palette import derive_palette
from presto_desktop.ui.theme.manager import build_stylesheet
from tests.ui.helpers import colors_from_roles

PRIMARIES = ["#c2185b", "#00695c", "#f9a825", "#3f51b5", "#795548", "#9e9e9e"]


def _rule(qss: str, selector: str) -> str:
    """The body of the rule for exactly `selector`."""
    match = re.search(r"(?:^|\n)" + re.escape(selector) + r" \{([^}]*)\}", qss)
    assert match, selector
    return match.group(1)


def _color(body: str, prop: str) -> str:
    match = re.search(prop + r":[^;#]*(#[0-9a-f]{6})", body)
    assert match, prop
    return match.group(1)


@pytest.mark.parametrize("primary", PRIMARIES)
@pytest.mark.parametrize("dark", [False, True])
def test_check_box_rim_and_tick_contrast(primary: str, dark: bool) -> None:
    palette = derive_palette(primary)
    roles = palette.dark if dark else palette.light
    qss = build_stylesheet(colors_from_roles(roles, dark=dark), 11)
    box = _rule(qss, "QCheckBox::indicator")
    rim, inside = _color(box, "border"), _color(box, "background-color")
    for behind in (roles.background, roles.surface, inside):  # dialogs, cards, the box itself
        assert contrast_ratio(rim, behind) >= 3.0, (rim, behind)
    ticked = _rule(qss, "QCheckBox::indicator:checked")
    fill = _color(ticked, "background-color")
    assert fill == roles.primary and contrast_ratio(fill, roles.background) >= 3.0
    mark = re.search(r"image: url\(([^)]+)\)", ticked)
    assert mark and roles.on_primary in Path(mark.group(1)).read_text(encoding="utf-8")
    assert contrast_ratio(roles.on_primary, roles.primary) >= 4.5
    focus = _rule(qss, "QCheckBox:focus")
    assert roles.primary in focus  # focus rings the box and its label in the primary colour


def test_ticked_and_focused_boxes_look_different(qtbot) -> None:
    palette = derive_palette("#c2185b")
    host = QWidget()
    qtbot.addWidget(host)
    host.setStyleSheet(build_stylesheet(colors_from_roles(palette.light, dark=False), 11))
    box, other = QCheckBox("Full screen", host), QCheckBox("Other", host)
    box.move(10, 10)
    other.move(10, 60)
    host.resize(200, 100)
    host.show()
    qtbot.waitExposed(host)
    plain = box.grab().toImage()
    box.setChecked(True)
    ticked = box.grab().toImage()
    assert plain != ticked
    other.setFocus(Qt.FocusReason.TabFocusReason)
    unfocused = box.grab().toImage()
    box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(box.hasFocus)
    assert box.grab().toImage() != unfocused

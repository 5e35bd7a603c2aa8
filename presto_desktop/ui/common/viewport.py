"""A scroll area's viewport made in Python, the same as the one Qt makes.

PySide looks up the Python type of a widget Qt made the first time Python sees it: for a plain
QWidget that walk creates every QWidget subclass's Python type and enums (~60 types, 9-14 ms,
measured). The chat's history asked for its viewport while the first frame was built, and the
chart's view in the first start-up step after it; a viewport made here is known already.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

VIEWPORT_NAME = "qt_scrollarea_viewport"  # the name Qt gives its own viewport


def own_viewport(area: QAbstractScrollArea, *, role: QPalette.ColorRole = QPalette.ColorRole.Base,
                 name: str = VIEWPORT_NAME) -> QWidget:
    """Give `area` a Python-made viewport set up as Qt sets up its own (QAbstractScrollArea's
    defaults; a kind that differs passes its own role and name)."""
    viewport = QWidget(area)
    viewport.setObjectName(name)
    viewport.setBackgroundRole(role)
    viewport.setAutoFillBackground(True)
    area.setViewport(viewport)  # the area's setupViewport() then adds what its kind needs
    return viewport

"""The window's frame: chat and dashboard side by side under the header."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget


def columns(parent: QWidget, left: QWidget, right: QWidget) -> QSplitter:
    """The chat (left) and dashboard (right) columns, 4:7, neither collapsible."""
    splitter = QSplitter(Qt.Orientation.Horizontal, parent)
    splitter.setObjectName("mainSplitter")
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setStretchFactor(0, 4)
    splitter.setStretchFactor(1, 7)
    splitter.setSizes([440, 840])
    splitter.setChildrenCollapsible(False)
    splitter.setHandleWidth(1)
    for handle in map(splitter.handle, range(splitter.count())):
        handle.setAutoFillBackground(True)  # no QSS outside the style roots: the line is
        handle.setBackgroundRole(QPalette.ColorRole.Mid)  # the palette's Mid, the border
    return splitter


def stacked(parent: QWidget, top: QWidget, body: QWidget) -> QWidget:
    """`top` above `body`, edge to edge: the window's central widget."""
    central = QWidget(parent)
    central.setObjectName("centralWidget")
    layout = QVBoxLayout(central)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(top)
    layout.addWidget(body, 1)
    return central

"""Polishing a newly built widget tree on a loop turn of its own, not in the build's pass."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget


def hold_polish(widget: QWidget) -> None:
    """Drop the PolishRequest Qt posted to `widget` and to each child when they were built.

    Qt handles those requests in the very pass that built the widgets, so the build and the
    polish (the sheet's rules, the style's first use) stalled the loop as one: 17-22 ms for
    the spare Settings dialog (session probe). The caller polishes later: `ensurePolished()`
    polishes the widget and all its children.
    """
    for each in (widget, *widget.findChildren(QWidget)):
        QCoreApplication.removePostedEvents(each, QEvent.Type.PolishRequest)


__all__ = ["hold_polish"]

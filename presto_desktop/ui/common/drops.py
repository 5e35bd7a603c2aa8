"""What a drag carries, judged before it is dropped: one local logo file, or nothing.

Only the name is looked at here (it lights the drop target); the bytes are checked on a
worker thread (core/logo.py). A remote URL is never accepted: nothing is fetched.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QWidget

from presto_desktop.session.brand import looks_like_logo

DROP_PROPERTY = "dropTarget"  # QSS: #header[dropTarget="true"]


def dropped_logo(mime: QMimeData | None) -> str | None:
    """The one local PNG/JPEG/SVG file a drag carries, else None."""
    if mime is None or not mime.hasUrls():
        return None
    urls = mime.urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = urls[0].toLocalFile()
    return path if looks_like_logo(path) else None


def mark_drop_target(widget: QWidget, on: bool) -> None:
    """Highlight (or not) `widget` as the place a hovering file would go (re-polished)."""
    if bool(widget.property(DROP_PROPERTY)) == on:
        return
    widget.setProperty(DROP_PROPERTY, on)
    style = widget.style()
    style.unpolish(widget)  # a sheet's [dropTarget] rule applies anew (the look reads the property)
    style.polish(widget)
    widget.update()

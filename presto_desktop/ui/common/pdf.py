"""A conversation export printed as PDF with Qt (QTextDocument on a QPdfWriter), offscreen if
no application runs yet (`chat export --format pdf`).

The page is core/conversation_export.py's HTML, every untrusted string already escaped; the
document still loads no resource but the charts' PNGs registered here (never a file or URL).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QUrl
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from presto_desktop.core.atomic import atomic_write_bytes

if TYPE_CHECKING:
    from presto_desktop.core.conversation_export import Transcript

RESOLUTION = 150  # dpi of the PDF's layout
PDF_IMAGE_WIDTH = 440  # px of the layout: a chart fits the A4 text width


class SealedDocument(QTextDocument):
    """A QTextDocument that shows only the images it was given and loads nothing else."""

    def __init__(self, images: dict[str, bytes]) -> None:
        super().__init__()
        # Registered up front: the document finds them without asking loadResource.
        self._images = {name: QImage.fromData(data) for name, data in images.items()}
        for name, image in self._images.items():
            self.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name), image)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # noqa: N802
        """Anything not given (a file, a URL) loads nothing."""
        return None


def pdf_bytes(doc: Transcript) -> bytes:
    """The conversation as a PDF file's bytes (A4)."""
    from presto_desktop.core.conversation_export import to_html

    images: dict[str, bytes] = {}

    def name(index: int, png: bytes) -> str:
        images[f"chart-{index}.png"] = png
        return f"chart-{index}.png"

    def mark(_media_type: str, data: bytes) -> str:
        images["emblem"] = data  # QImage reads PNG, JPEG and (sanitised) SVG
        return "emblem"

    page = to_html(doc, image_src=name, image_width=PDF_IMAGE_WIDTH, mark_src=mark)
    document = SealedDocument(images)  # after to_html: `name` filled `images`
    document.setHtml(page)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(doc.title)
    writer.setCreator("Presto-Change-O Desktop")
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(15, 15, 15, 15),
                                     QPageLayout.Unit.Millimeter))
    document.print_(writer)
    del writer  # finishes the file
    buffer.close()
    return bytes(data.data())


def write_pdf(doc: Transcript, out: Path) -> Path:
    """Write the conversation to `out` as PDF (a Qt application is made offscreen if needed)."""
    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["presto-desktop"])
    atomic_write_bytes(out, pdf_bytes(doc))
    return out

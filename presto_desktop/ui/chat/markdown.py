"""Safe rendering of untrusted Markdown: no resource is ever loaded, links open only on a click."""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)

# Past these the text is shown as plain text: Qt's layout of big or deeply nested
# documents is super-linear (20-deep nested tables measured at 11 s).
MARKDOWN_LIMIT = 20_000
MAX_TABLE_ROWS = 200
MAX_NESTING = 8
# Nothing longer is laid out at all; the full text stays in the model (copy gets it).
DISPLAY_LIMIT = 64_000
# Word wrapping a long unbroken run is quadratic (a 1 MB word took 47 s): break it up.
LONG_RUN = 200
_RUN_CHUNK = 80
MARKDOWN_FLAGS = QTextDocument.MarkdownFeature.MarkdownDialectGitHub | (
    QTextDocument.MarkdownFeature.MarkdownNoHTML
)
OPENABLE_SCHEMES = frozenset({"http", "https"})
IMAGE_TEXT = "[image]"

_LONG_RUN_RE = re.compile(rf"\S{{{LONG_RUN},}}")
_QUOTE_RE = re.compile(r"^[ \t]*((?:>[ \t]*)+)", re.MULTILINE)
_INDENT_RE = re.compile(r"^([ \t]+)(?:[-*+]|\d{1,9}[.)])[ \t]", re.MULTILINE)
_placeholder: QImage | None = None


def placeholder_image() -> QImage:
    """The one image every resource request gets: 1x1 and transparent."""
    global _placeholder
    if _placeholder is None:
        image = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        _placeholder = image
    return _placeholder


def is_openable_link(url: QUrl | str) -> bool:
    """True only for absolute http(s) URLs with a host; file:, javascript:, data: etc. never."""
    qurl = QUrl(url) if isinstance(url, str) else url
    return (
        qurl.isValid()
        and qurl.scheme().lower() in OPENABLE_SCHEMES
        and bool(qurl.host())
        and not qurl.isLocalFile()
    )


def open_link(url: QUrl | str) -> bool:
    """Open `url` in the browser if the policy allows it (call only on a user's click)."""
    qurl = QUrl(url) if isinstance(url, str) else url
    if not is_openable_link(qurl):
        return False
    return QDesktopServices.openUrl(qurl)


def break_long_runs(text: str) -> str:
    """Insert zero-width spaces into runs of LONG_RUN+ non-space characters so wrapping is cheap."""
    if len(text) < LONG_RUN:
        return text
    return _LONG_RUN_RE.sub(
        lambda m: "\u200b".join(
            m.group(0)[i : i + _RUN_CHUNK] for i in range(0, len(m.group(0)), _RUN_CHUNK)
        ),
        text,
    )


def clip_for_display(text: str) -> str:
    """Cut text beyond DISPLAY_LIMIT, saying how much is not shown."""
    if len(text) <= DISPLAY_LIMIT:
        return text
    return f"{text[:DISPLAY_LIMIT]}\n\n[… {len(text) - DISPLAY_LIMIT:,} more characters not shown]"


def nesting_depth(text: str) -> int:
    """The deepest blockquote or list nesting in `text`, counted before parsing."""
    depth = 0
    for match in _QUOTE_RE.finditer(text):
        depth = max(depth, match.group(1).count(">"))
    for match in _INDENT_RE.finditer(text):
        depth = max(depth, len(match.group(1).expandtabs(4)) // 2 + 1)
    return depth


def table_rows(text: str) -> int:
    """How many lines look like table rows (contain a `|`)."""
    if "|" not in text:
        return 0
    return sum(1 for line in text.splitlines() if "|" in line)


def markdown_allowed(text: str) -> bool:
    """Whether `text` is small and flat enough to lay out as Markdown."""
    return (
        len(text) <= MARKDOWN_LIMIT
        and table_rows(text) <= MAX_TABLE_ROWS
        and nesting_depth(text) <= MAX_NESTING
    )


class SafeTextDocument(QTextDocument):
    """A QTextDocument that never loads a resource: every URL gets the placeholder image."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.resource_requests = 0
        option = self.defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setDefaultTextOption(option)
        self.setUndoRedoEnabled(False)

    def loadResource(self, type_: int, url: QUrl | str) -> QImage:  # noqa: N802 (Qt override)
        """Never touch the disk or network; returning None would let Qt read file: URLs."""
        self.resource_requests += 1
        return placeholder_image()

    def set_safe_markdown(self, text: str) -> bool:
        """Show `text` as Markdown, or as plain text past the caps; True if Markdown was used."""
        if not markdown_allowed(text):
            self.set_safe_plain(text)
            return False
        self.setMarkdown(break_long_runs(text), MARKDOWN_FLAGS)
        if "[" in text or "://" in text or "www." in text or "@" in text:
            self._tidy_links_and_images()
        return True

    def set_safe_plain(self, text: str) -> None:
        """Show `text` literally (clipped, long runs broken so wrapping stays cheap)."""
        self.setPlainText(break_long_runs(clip_for_display(text)))

    def _tidy_links_and_images(self) -> None:
        """Images become '[image]'; only openable links stay links, in the text colour."""
        edits: list[tuple[int, int, QTextCharFormat, bool]] = []
        block = self.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.isValid():
                    fmt = fragment.charFormat()
                    if fmt.isImageFormat():
                        edits.append((fragment.position(), fragment.length(), fmt, True))
                    elif fmt.isAnchor():
                        edits.append((fragment.position(), fragment.length(), fmt, False))
                it += 1
            block = block.next()
        cursor = QTextCursor(self)
        for position, length, fmt, is_image in reversed(edits):
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            if is_image:
                cursor.insertText(IMAGE_TEXT, QTextCharFormat())
                continue
            tidy = QTextCharFormat(fmt)
            # The importer bakes the app palette's link colour in; paint in the bubble's.
            tidy.clearForeground()
            if not is_openable_link(fmt.anchorHref()):
                tidy.setAnchor(False)
                tidy.setAnchorHref("")
                tidy.setFontUnderline(False)
            else:
                tidy.setFontUnderline(True)
            cursor.setCharFormat(tidy)

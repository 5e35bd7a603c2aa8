"""The streaming reply, drawn as the assistant bubble it becomes, after the history's last row."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QPainter, QPalette, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QFrame, QTextBrowser, QTextEdit, QWidget

from presto_desktop.core.pacing import Pacer
from presto_desktop.ui.chat.delegate import OUTER_H, OUTER_V, PAD_H, PAD_V, ChatDelegate
from presto_desktop.ui.chat.markdown import DISPLAY_LIMIT, SafeTextDocument, open_link
from presto_desktop.ui.chat.view import ChatHistoryView
from presto_desktop.ui.theme.colors import ThemeColors

LIVE_MARKDOWN_LIMIT = 4_000  # re-render the live reply as Markdown only while it is small
LIVE_MARKDOWN_EVERY = 0.25  # seconds between Markdown re-renders of the live reply
LIVE_FRAME = 0.05  # seconds: the live reply repaints at most 20 times a second (each ~1 ms)
LIVE_RUN = 80  # break unbroken runs in the live reply (word wrap is quadratic in run length)
_SPACE_SPLIT = re.compile(r"(\s+)")
_LINE_BREAKS = re.compile(r"\n+")  # a blank line is one paragraph break when shown plain
_WORDY = re.compile(r"\w")  # a line with a letter or digit: safe to show as Markdown already


class LiveReply(QTextBrowser):
    """The streaming reply: plain appends per frame, Markdown re-rendered while small."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveReplyText")
        self.setAccessibleName("Reply in progress")
        self.safe_document = SafeTextDocument(self)
        self.setDocument(self.safe_document)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(open_link)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Laid out at the bubble's text width whatever the widget's width, like the delegate
        # does, so the bubble can shrink to its widest line.
        self.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)
        self.safe_document.setDocumentMargin(0)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fitted: Callable[[], None] = lambda: None  # the bubble re-fits after each render
        self._text = ""
        self._run = 0
        self._markdowns = Pacer(LIVE_MARKDOWN_EVERY)
        self._shown = 0
        self._renders = Pacer(LIVE_FRAME)
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.timeout.connect(self._render)

    def clear_reply(self) -> None:
        """Empty, ready for the next reply."""
        self._text, self._run, self._shown = "", 0, 0
        self._markdowns.reset()
        self._render_timer.stop()
        self.safe_document.clear()
        self._fit()

    def text(self) -> str:
        """Everything received so far."""
        return self._text

    def append_text(self, text: str) -> None:
        """Add streamed text; it is drawn at most every LIVE_FRAME seconds."""
        self._text += text
        wait = self._renders.wait()
        if wait <= 0:
            self._render()
        elif not self._render_timer.isActive():
            self._render_timer.start(max(1, int(wait * 1000)))

    def _render(self) -> None:
        """Show what arrived since the last render.

        While small, the reply is re-rendered as Markdown whenever a new line has started
        (so a list item is a bullet from its first characters, never a raw "- 2025-…"
        line) and at least every LIVE_MARKDOWN_EVERY seconds; plain appends in between.
        """
        self._render_timer.stop()
        self._renders.mark()
        text = self._text
        if self._shown >= len(text):
            return
        if len(text) <= LIVE_MARKDOWN_LIMIT and (
                self._markdowns.due() or "\n" in text[self._shown:]):
            self._markdowns.mark()
            self._render_markdown(text)
        elif self._shown < DISPLAY_LIMIT:
            piece = text[self._shown : DISPLAY_LIMIT]
            self._shown += len(piece)
            self._append_plain(self._break_runs(piece))
        self._fit()

    def _render_markdown(self, text: str) -> None:
        """Render `text` as Markdown; a last line of markers only ("-", "==") waits.

        Such a line would show as a raw "- ", or make the paragraph above a heading (or a
        rule) for a frame or two; it is rendered with its first letter or digit (or line end).
        """
        start = text.rfind("\n") + 1
        held = start < len(text) and not _WORDY.search(text, start)
        shown = text[:start] if held else text
        self.safe_document.set_safe_markdown(shown)
        # Markdown drops trailing whitespace, so count it as not shown yet: the next plain
        # append then starts with it instead of gluing the next word on ("Yourchecking").
        # (A held line stays after `_shown` too, with the line break before it: the next
        # render then is a Markdown one again.)
        self._shown = len(shown.rstrip())
        self._run = 0

    def _append_plain(self, text: str) -> None:
        """Append `text` literally; each line break starts a plain paragraph.

        A new block would otherwise inherit the last Markdown block's format (a heading or
        list item) until the next re-render.
        """
        cursor = QTextCursor(self.safe_document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        plain = QTextCharFormat()
        for number, line in enumerate(_LINE_BREAKS.split(text)):
            if number:
                cursor.insertBlock(QTextBlockFormat(), plain)
            if line:
                cursor.insertText(line, plain)

    def _break_runs(self, text: str) -> str:
        """Zero-width spaces into unbroken runs, tracking a run across chunks."""
        out: list[str] = []
        run = self._run
        for piece in _SPACE_SPLIT.split(text):
            if not piece:
                continue
            if piece[0].isspace():
                run = 0
                out.append(piece)
                continue
            while run + len(piece) > LIVE_RUN:
                take = LIVE_RUN - run
                out.append(piece[:take])
                out.append("\u200b")
                piece, run = piece[take:], 0
            out.append(piece)
            run += len(piece)
        self._run = run
        return "".join(out)

    def _fit(self) -> None:
        """Let the bubble take the new size, then stay at the end."""
        self.fitted()
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())


class LiveBubble(QWidget):
    """The history's tail row while a reply streams: the same bubble the delegate paints.

    Margins, radius, widest width and colours come from ChatDelegate, so committing the
    reply to the model swaps it for an identical row. The text is a LiveReply inside it.
    """

    def __init__(self, view: ChatHistoryView, delegate: ChatDelegate) -> None:
        super().__init__(view.viewport())
        self.setObjectName("liveBubble")
        self._view = view
        self._delegate = delegate
        self._bubble = QRect()
        self._fitting = False
        self.reply = LiveReply(self)
        self.reply.fitted = self.fit
        self.hide()
        # The view calls fit() when its viewport is resized (no event filter: a Python
        # filter on a viewport is called while that viewport is being destroyed).
        view.set_tail(self, self.fit)

    def open(self) -> None:
        """Show it after the last row."""
        self.fit()
        self.show()
        self._view.tail_changed()

    def close_reply(self) -> None:
        """Hide it and empty it."""
        self.hide()
        self.reply.clear_reply()
        self._view.tail_changed()

    def set_colors(self, colors: ThemeColors) -> None:
        """Paint the live reply as the delegate paints an assistant bubble."""
        palette = self.reply.palette()
        palette.setColor(QPalette.ColorRole.Base, colors["assistant_bubble"])
        palette.setColor(QPalette.ColorRole.Text, colors["on_assistant_bubble"])
        palette.setColor(QPalette.ColorRole.Link, colors["on_assistant_bubble"])  # as the delegate
        self.reply.setPalette(palette)
        self.update()

    def bubble_rect(self) -> QRect:
        """Where the bubble is drawn, in this widget's coordinates."""
        return QRect(self._bubble)

    def fit(self) -> None:
        """Size the bubble to the text: its widest line, and its height up to the view's."""
        if self._fitting:
            return
        self._fitting = True
        try:
            viewport = self._view.viewport()
            row_width = viewport.width()
            text_width = ChatDelegate.text_width(row_width)
            reply = self.reply
            if reply.lineWrapColumnOrWidth() != text_width:
                reply.setLineWrapColumnOrWidth(text_width)
            doc = reply.document()
            if doc.textWidth() != text_width:  # setTextWidth relayouts even when unchanged
                doc.setTextWidth(text_width)
            line = reply.fontMetrics().lineSpacing()
            if (self._bubble.width() == text_width + 2 * PAD_H
                    and self._bubble.height() == min(
                        max(line, math.ceil(doc.size().height())),
                        max(line, viewport.height() - 2 * (OUTER_V + PAD_V))) + 2 * PAD_V):
                return  # already as wide as it gets and as tall as the text: nothing to do
            width = max(1, min(text_width, math.ceil(doc.idealWidth())))
            # Past the view's height the text scrolls to its end, as the stuck view would.
            cap = max(line, viewport.height() - 2 * (OUTER_V + PAD_V))
            height = max(line, min(cap, math.ceil(doc.size().height())))
            bubble = QRect(OUTER_H, OUTER_V, width + 2 * PAD_H, height + 2 * PAD_V)
            if bubble != self._bubble:
                self._bubble = bubble
                reply.setGeometry(OUTER_H + PAD_H, OUTER_V + PAD_V, width, height)
                self.update()
            size = (row_width, bubble.height() + 2 * OUTER_V)
            if size != (self.width(), self.height()):
                self.resize(*size)
                if not self.isHidden():
                    self._view.tail_changed()
        finally:
            self._fitting = False

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        """The bubble's fill and edge, as the delegate paints an assistant bubble."""
        painter = QPainter(self)
        self._delegate.paint_bubble(painter, self._bubble, "assistant", self.palette())
        painter.end()

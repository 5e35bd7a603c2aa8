"""Conversation history and export in the window: the More menu's "Conversation history…"
(Ctrl+H), "Export conversation…" (Markdown, HTML or PDF by file type), "Copy chart" and "Save
chart as PNG…" (also on the dashboard chart's context menu)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QFileDialog

from presto_desktop.core.errors import PrestoError
from presto_desktop.ui.chat.controller import ChatController

if TYPE_CHECKING:
    from presto_desktop.ui.dialogs.history import HistoryDialog
    from presto_desktop.ui.shell.mode_controller import ModeController
    from presto_desktop.ui.shell.window import MainWindow

NOTICE = "export"  # the notice bar's key for what an export or a chart copy says
NOTICE_MS = 6000
EXPORT_FILTERS = {"HTML page (*.html)": ".html", "Markdown (*.md)": ".md", "PDF (*.pdf)": ".pdf"}


def wire_history(window: MainWindow, chat: object, modes: ModeController) -> ConversationTools | None:
    """Add the history and export actions to `window` (None for a stand-in chat without history)."""
    if not isinstance(chat, ChatController):
        return None
    return ConversationTools(window, chat, modes)


def file_stem(text: str) -> str:
    """A file name from a title: letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


class ConversationTools(QObject):
    """The menu actions and what they do."""

    def __init__(self, window: MainWindow, chat: ChatController, modes: ModeController) -> None:
        super().__init__(window)
        self.window, self.chat, self.modes = window, chat, modes
        menu = window.app_menu
        self.history_action = menu.add("conversation", "Conversation history…", self.open_history,
                                       shortcut="Ctrl+H", name="historyAction")
        self.export_action = menu.add("export", "Export conversation…", self.export_conversation,
                                      shortcut="Ctrl+Shift+E", name="exportConversationAction")
        self.copy_action = menu.add("export", "Copy chart", self.copy_chart, name="copyChartAction")
        self.save_action = menu.add("export", "Save chart as PNG…", self.save_chart,
                                    name="saveChartAction")
        area = window.dashboard.chart
        area.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        area.addActions([self.copy_action, self.save_action])
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(lambda: window.notice_bar.clear(NOTICE))
        self.opening: asyncio.Future[None] | None = None  # a conversation being opened

    # -- history ----------------------------------------------------------------------------
    def open_history(self) -> HistoryDialog:
        """Show the History dialog for the current mode."""
        from presto_desktop.ui.dialogs.history import HistoryDialog

        names = {s.id: s.company_name for s in self.window.store.list_modes()}
        mode = self.modes.current
        dialog = HistoryDialog(self.chat.history, mode.id, company=mode.company_name,
                               mode_name=lambda mode_id: names.get(mode_id, mode_id),
                               parent=self.window)
        dialog.open_requested.connect(self.open_conversation)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_conversation(self, mode_id: str, conversation_id: str) -> None:
        """Make a conversation current in its mode and show it (switching mode if needed); on
        the running loop its files are read and written on a worker thread (`opening`)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # a synchronous caller: at once
            self._open_now(mode_id, conversation_id)
            return
        try:
            opening = self.chat.history.open_off_loop(mode_id, conversation_id)
        except PrestoError as exc:  # refused at once (another is still being opened)
            self.say(f"The conversation was not opened: {exc}")
            return
        self.opening = asyncio.ensure_future(self._opened(opening, mode_id))

    async def _opened(self, opening: Awaitable[None], mode_id: str) -> None:
        try:
            await opening
        except PrestoError as exc:
            self.say(f"The conversation was not opened: {exc}")
            return
        self._show_mode(mode_id)

    def _open_now(self, mode_id: str, conversation_id: str) -> None:
        try:
            self.chat.history.open(mode_id, conversation_id)
        except PrestoError as exc:
            self.say(f"The conversation was not opened: {exc}")
            return
        self._show_mode(mode_id)

    def _show_mode(self, mode_id: str) -> None:
        if mode_id != self.modes.current.id:
            self.window.presenter.apply_saved(mode_id)  # its chat loads the one just opened

    # -- export -----------------------------------------------------------------------------
    def export_conversation(self, path: Path | None = None) -> Path | None:
        """Write the conversation on screen as Markdown, HTML or PDF (by file type)."""
        mode = self.modes.current
        if path is None:
            chosen, kind = QFileDialog.getSaveFileName(
                self.window, "Export conversation", f"{mode.id}-conversation.html",
                ";;".join(EXPORT_FILTERS))
            if not chosen:
                return None
            path = Path(chosen)
            if path.suffix.lower() not in (".md", ".markdown", ".html", ".htm", ".pdf"):
                path = path.with_name(path.name + EXPORT_FILTERS.get(kind, ".html"))
        try:
            self._write_export(path)
        except (PrestoError, OSError) as exc:
            self.say(f"The conversation was not exported: {exc}")
            return None
        self.say(f"Conversation exported to {path.name}.")
        return path

    def _write_export(self, path: Path) -> None:
        from presto_desktop.core.atomic import atomic_write_bytes
        from presto_desktop.core.conversation_export import (
            format_of,
            to_html,
            to_markdown,
            transcript_of,
        )

        mode = self.modes.current
        current = [i for i in self.chat.history.history.list_conversations(mode.id) if i.current]
        doc = transcript_of(self.chat.messages, mode=mode, exported_at=time.time(),
                            title=current[0].display_title if current else "Conversation",
                            mark=self.window.header.emblem.generated())  # as the header shows
        kind = format_of(path)
        if kind == "pdf":
            from presto_desktop.ui.common.pdf import pdf_bytes

            data = pdf_bytes(doc)
        else:
            data = (to_markdown(doc) if kind == "md" else to_html(doc)).encode("utf-8")
        atomic_write_bytes(path, data)

    # -- charts -----------------------------------------------------------------------------
    def chart_pixmap(self) -> QPixmap | None:
        """The dashboard's chart as shown, or None when there is none."""
        area = self.window.dashboard.chart
        view = area.view
        if area.chart is None or view is None or not view.isVisible():
            return None
        return view.grab()

    def copy_chart(self) -> bool:
        """Put the chart on the clipboard as an image."""
        pixmap = self.chart_pixmap()
        if pixmap is None:
            self.say("There is no chart to copy yet.")
            return False
        QGuiApplication.clipboard().setPixmap(pixmap)
        self.say("Chart copied.")
        return True

    def save_chart(self, path: Path | None = None) -> Path | None:
        """Save the chart as a PNG file."""
        pixmap = self.chart_pixmap()
        chart = self.window.dashboard.chart.chart
        if pixmap is None or chart is None:
            self.say("There is no chart to save yet.")
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self.window, "Save chart as PNG",
                                                    f"{file_stem(chart.title)}.png",
                                                    "PNG image (*.png)")
            if not chosen:
                return None
            path = Path(chosen) if chosen.lower().endswith(".png") else Path(chosen + ".png")
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        pixmap.save(buffer, "PNG")
        buffer.close()
        from presto_desktop.core.atomic import atomic_write_bytes

        try:
            atomic_write_bytes(path, bytes(data.data()))
        except (PrestoError, OSError) as exc:
            self.say(f"The chart was not saved: {exc}")
            return None
        self.say(f"Chart saved to {path.name}.")
        return path

    def say(self, text: str) -> None:
        """A short note in the bar under the header (it goes after a few seconds)."""
        bar = self.window.notice_bar
        bar.show_notice(NOTICE, text, "Dismiss", lambda: bar.clear(NOTICE))
        self._notice_timer.start(NOTICE_MS)

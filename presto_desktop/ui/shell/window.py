"""The main window: composes header, chat and dashboard; session.presenter makes its decisions."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

# No `Qt` here: importing it creates its ~90 enums (~14 ms), before a picture's first paint.
from PySide6 import QtCore
from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget

from presto_desktop.ui.common.mode_change import ModeChange, Step

if TYPE_CHECKING:
    # Types only: the window is built and painted before the models and controllers load,
    # and a remembered picture is painted before its parts' modules load (build()).
    from presto_desktop.core.chat import ChatMessage, ToolCall
    from presto_desktop.core.models import Mode
    from presto_desktop.core.secrets import KeyStore
    from presto_desktop.core.settings import Settings
    from presto_desktop.core.start_frame import StartFrame
    from presto_desktop.core.store import ModeStore
    from presto_desktop.core.triggers import ModeRequest
    from presto_desktop.session.presenter import WindowPresenter
    from presto_desktop.ui.dialogs.library import LibraryDialog
    from presto_desktop.ui.dialogs.settings import SettingsDialog
    from presto_desktop.ui.shell.frame_picture import FramePicture
    from presto_desktop.ui.shell.mode_controller import ModeController
    from presto_desktop.ui.shell.notice_bar import NoticeBar
    from presto_desktop.ui.shell.overlay import ProgressOverlay
    from presto_desktop.ui.shell.seams import ChatColumn, WindowChat
    from presto_desktop.ui.theme.colors import ThemeColors

FIRST_PAINT_FALLBACK_MS = 1000
CHAT_MIN_WIDTH = 320  # px: narrower, bubbles break words mid-word
DASHBOARD_MIN_WINDOW = 760  # px: a narrower window shows the chat alone


class MainWindow(QMainWindow):
    """Header on top, chat left, dashboard right; it renders, the presenter decides."""

    closing = Signal()
    settings_changed = Signal(object)  # Settings, after the dialog's OK
    api_key_changed = Signal(str)  # a key typed in Settings ("" = forget it), before the above
    library_opened = Signal(object)  # the LibraryDialog just opened (features add to it)

    modes: ModeController
    chat: WindowChat
    store: ModeStore
    settings: Settings
    presenter: WindowPresenter
    error_sink: Callable[[str], None] | None = None  # presenter mode: errors go to its console

    def __init__(self, *, chat_panel: ChatColumn | None, engine_label: str = "",
                 parent: QWidget | None = None) -> None:
        """The window's widgets only (`attach` hands it the controllers after the first
        frame); without `chat_panel`, none until `build` (ui/shell/frame_picture.py)."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setAccessibleName("Presto-Change-O")
        self._attached = False
        self._keys: Callable[[], KeyStore] | None = None
        self._engine_label = engine_label  # data, shown by the header and the overlay
        self._painted = False
        self._after_paint: list[Callable[[], None]] = []
        # The one queue of a mode change's steps: the content's here, the restyle's (ui/theme/manager.py).
        self.mode_change = ModeChange(self)
        self.built = False
        self.picture: FramePicture | None = None  # a remembered picture over unshown parts
        self.resize(1280, 800)
        if chat_panel is not None:
            self.build(chat_panel)

    def build(self, chat_panel: ChatColumn) -> None:
        """Header, chat column and dashboard, in place of a picture if one was shown."""
        from presto_desktop.ui.dashboard.panel import Dashboard
        from presto_desktop.ui.shell.frame_picture import FramePicture
        from presto_desktop.ui.shell.header import Header
        from presto_desktop.ui.shell.layout import columns, stacked
        from presto_desktop.ui.shell.overlay import DelayedOverlay

        self.header = Header(self)
        assert isinstance(chat_panel, QWidget)  # laid out as a widget, driven as a ChatColumn
        self.chat_panel: ChatColumn = chat_panel
        self._chat_widget: QWidget = chat_panel
        chat_panel.setAccessibleName("Chat")
        self.dashboard = Dashboard(self)
        self.progress = DelayedOverlay(self, self._overlay_host, lambda: self.modes.cancel())
        self._notice: NoticeBar | None = None  # built when first needed
        chat_panel.setMinimumWidth(CHAT_MIN_WIDTH)
        self.splitter = columns(self, chat_panel, self.dashboard)
        picture = self.takeCentralWidget() if self.centralWidget() is not None else None
        self.setCentralWidget(stacked(self, self.header, self.splitter))
        if isinstance(picture, FramePicture):
            self.picture = picture
            picture.cover(self)
        self.header.set_engine_label(self._engine_label)
        self._colors: ThemeColors | None = None
        self.built = True
        self._fit_columns()
        self._focus_composer()  # shown with a picture first: as when shown built

    def attach(self, *, modes: ModeController, chat: WindowChat, store: ModeStore,
               settings: Settings, keys: Callable[[], KeyStore] | None = None) -> None:
        """Connect the controllers, the mode store and the settings (once)."""
        assert not self._attached, "attach() is called once"
        self.modes, self.chat, self.store, self.settings = modes, chat, store, settings
        self._keys, self._attached = keys, True
        from presto_desktop.session.presenter import WindowPresenter  # not for the first frame

        self.presenter = WindowPresenter(self, modes, chat, store)
        # Built after start-up's imports (markdown), not in the first paint's next turn.
        self.after_first_paint(self.chat_panel.prepare_live)  # hidden until a reply streams
        self.set_engine_label(self._engine_label)
        from presto_desktop.ui.dialogs.spare import SpareSettings

        self._spare = SpareSettings(self, lambda: self.settings,
                                    lambda: self._keys() if self._keys is not None else None)
        self.after_first_paint(self._spare.start)  # Ctrl+, then only shows a built dialog
        from presto_desktop.ui.shell.app_menu import AppMenu

        self.app_menu = AppMenu(self.header.more_button, self)  # features add their actions
        self._wire()

    def start_frame_steps(self, frame: StartFrame) -> list[Callable[[], None]]:
        """Showing the remembered first frame (the last mode as it looked, before it is
        loaded), in pieces a start runs at once or on loop turns of their own."""

        def header() -> None:
            self.setWindowTitle(f"{frame.company_name} — Presto-Change-O")
            self.header.show_identity(frame.company_name, frame.tagline)
            if frame.engine_label:
                self.set_engine_label(frame.engine_label)

        cards = self.dashboard.start_frame_steps(frame.persona, frame.metrics, frame.tabs)
        return [header, *cards, lambda: self.chat_panel.set_suggestions(list(frame.suggestions))]

    @property
    def overlay(self) -> ProgressOverlay:
        """The progress overlay over the dashboard (built on first use, not at start-up)."""
        return self.progress.overlay

    def _overlay_host(self) -> QWidget:
        """The dashboard, or the chat history while the dashboard is collapsed."""
        return self.chat_panel.view if self.dashboard.isHidden() else self.dashboard

    # -- narrow windows --------------------------------------------------------------------------
    def _fit_columns(self) -> None:
        """Hide the dashboard when both columns no longer fit, so the chat stays readable;
        show it again when the window is wide enough. The window can shrink to the chat."""
        need = max(DASHBOARD_MIN_WINDOW, CHAT_MIN_WIDTH + self.splitter.handleWidth()
                   + self.dashboard.minimumSizeHint().width())
        wide = self.width() >= need
        if wide == self.dashboard.isHidden():
            self.dashboard.setVisible(wide)
            if self.progress.built is not None:
                # A generation in progress stays visible, with its Cancel, in either layout.
                host = self._overlay_host()
                self.progress.built.set_host(host, self.header.styleSheet() if wide else "")
        floor = max(CHAT_MIN_WIDTH, self.header.minimumSizeHint().width())
        if self.minimumWidth() != floor:
            self.setMinimumWidth(floor)  # explicit: the dashboard's minimum no longer counts

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """Collapse or restore the dashboard for the new width."""
        super().resizeEvent(event)
        if self.built:
            self._fit_columns()

    @property
    def notice_bar(self) -> NoticeBar:
        """The bar under the header (e.g. a failed save; built on first use, not at start-up)."""
        if self._notice is None:
            from presto_desktop.ui.shell.notice_bar import NoticeBar

            central = self.centralWidget()
            assert central is not None
            self._notice = NoticeBar(central)
            layout = central.layout()
            assert isinstance(layout, QVBoxLayout)  # built in __init__: header, splitter
            layout.insertWidget(1, self._notice)  # header, bar, splitter
        return self._notice

    def style_roots(self) -> list[QWidget]:
        """Where the QSS goes (ui/theme/restyle.py): header, notice bar, the columns' parts."""
        from presto_desktop.ui.theme.restyle import parts

        notice = [] if self._notice is None else [self._notice]
        return [self.header, *notice, *parts(self._chat_widget), *parts(self.dashboard)]

    def paint_units(self) -> list[QWidget]:
        """What a restyle repaints one at a time: header, notice bar, the dashboard's cards,
        the chat column's parts (a column took 10-23 ms). The chat's last: its history draws
        its visible rows ahead in steps of its own, one row a step (ui/theme/restyle.py)."""
        from presto_desktop.ui.theme.restyle import parts

        notice = [] if self._notice is None else [self._notice]
        return [self.header, *notice, *self.dashboard.paint_units(), *parts(self._chat_widget)]

    # -- wiring ----------------------------------------------------------------------------------
    def _wire(self) -> None:
        panel, chat, modes = self.chat_panel, self.chat, self.modes
        presenter = self.presenter
        panel.submitted.connect(presenter.route)
        panel.stop_requested.connect(chat.stop)
        panel.regenerate_requested.connect(chat.regenerate)
        panel.retry_requested.connect(presenter.retry)
        from presto_desktop.ui.chat.notice import NewConversation

        self.new_chat = NewConversation(chat, panel, self)
        panel.new_conversation_requested.connect(self.new_chat.request)
        panel.undo_requested.connect(self.new_chat.undo)
        chat.reply_started.connect(panel.begin_reply)
        chat.reply_delta.connect(panel.append_reply_text)
        chat.reply_finished.connect(panel.end_reply)
        chat.last_reply_removed.connect(panel.remove_last_reply)
        chat.tool_called.connect(presenter.tool_called)
        chat.failed.connect(presenter.chat_failed)
        chat.busy_changed.connect(panel.set_busy)
        chat.conversation_loaded.connect(presenter.conversation_loaded)
        modes.mode_changed.connect(self._on_mode_changed)
        modes.generation_started.connect(self._on_generation_started)
        modes.generation_finished.connect(presenter.generation_finished)
        modes.generation_cancelled.connect(presenter.generation_cancelled)
        modes.generation_failed.connect(presenter.generation_failed)
        self.dashboard.tab_requested.connect(presenter.ask)
        self.dashboard.focus_chain_changed.connect(self.apply_tab_order)
        self.header.library_requested.connect(self.open_library)
        self.header.settings_requested.connect(self.open_settings)
        from presto_desktop.ui.shell.shortcuts import add_shortcuts

        self.quit_action = add_shortcuts(self, library=self.open_library,
                                         settings=self.open_settings)

    # -- intents (the presenter decides) -----------------------------------------------------
    def route(self, text: str) -> None:
        """The composer's text: a trigger goes to the mode controller, anything else to chat."""
        self.presenter.route(text)

    def regenerate_mode(self, mode_id: str) -> None:
        """Generate `mode_id` afresh (library); say so if the engine made the same mode."""
        self.presenter.regenerate_mode(mode_id)

    # -- the presenter's view ------------------------------------------------------------------
    def set_messages(self, messages: list[ChatMessage]) -> None:
        """Show `messages` as the whole chat."""
        self.chat_panel.set_messages(messages)

    def append_message(self, message: ChatMessage) -> None:
        """Show one message at the end of the chat."""
        self.chat_panel.append_message(message)

    def set_suggestions(self, prompts: list[str]) -> None:
        """Offer `prompts` as chips under the chat."""
        self.chat_panel.set_suggestions(prompts)

    def show_error(self, message: str, retryable: bool, *, reply: bool = True) -> None:
        """Show an error bubble in the chat (`reply`: a failed reply); presenting: the console."""
        show = self.error_sink or (lambda m: self.chat_panel.show_error(m, retryable, reply=reply))
        show(message)

    def show_tool_call(self, call: ToolCall) -> bool:
        """Show what a tool call draws (a chart over the next turns); False if it drew nothing."""
        return self.dashboard.show_tool_call(call, soon=True)

    def replay_tool_call(self, call: ToolCall) -> bool:
        """Like `show_tool_call`, for a loaded conversation."""
        return self.dashboard.show_tool_call(call, soon=True)

    def hide_progress(self) -> None:
        """Take the generation overlay away (or never show it: the generation was quick)."""
        self.progress.stop()

    def call_soon(self, callback: Callable[[], None]) -> None:
        """Run `callback` after the steps of a mode change queued by then (from the next turn)."""
        QTimer.singleShot(0, self, lambda: self.mode_change.append([Step("later:soon", callback)]))

    # -- controller events -------------------------------------------------------------------------
    def _on_mode_changed(self, mode: Mode) -> None:
        """Show `mode`: at once for an instant switch, in loop-turn steps after a generation.

        The palette (ui/theme/manager.py, connected after this) and the header always change in this
        turn. After a generation (the task is still running), or any switch once the window is
        painted, persona, KPIs, tabs and the conversation are "content" steps of the mode
        change, queued before the restyle's, so no single turn blocks long enough to stall
        timers or input (one turn for all of it took 30-60 ms).
        """
        from presto_desktop.ui.shell.mode_content import show_mode_content

        self.new_chat.forget()  # Undo restores into the mode it was cleared in only
        show_mode_content(self, mode, lambda: self.presenter.show_chat(mode),
                          in_steps=self.shows_in_steps)

    @property
    def shows_in_steps(self) -> bool:
        """Whether a mode change now is shown in steps: after a generation or the first paint."""
        return self._painted or (self._attached and self.modes.busy)

    def focus_chain(self) -> list[QWidget]:
        """Every focus stop in screen order: header, chat column, dashboard tabs, chart."""
        return [self.header.library_button, self.header.settings_button,
                *self.chat_panel.focus_chain(), *self.dashboard.focus_chain()]

    def apply_tab_order(self) -> None:
        """Tab follows the screen (widgets are built and reused in another order)."""
        chain = self.focus_chain()
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- start-up --------------------------------------------------------------------------------
    def hold_chat_until_painted(self) -> None:
        """Load the conversation only after the first frame (start-up speed)."""
        if not self._painted:
            self.presenter.hold_chat()
            self.after_first_paint(self.presenter.release_chat)

    def after_first_paint(self, callback: Callable[[], None]) -> None:
        """Run `callback` on the loop turn after the window's first paint (or soon, if done)."""
        if self._painted:
            QTimer.singleShot(0, self, callback)
        else:
            self._after_paint.append(callback)

    @property
    def painted(self) -> bool:
        """True once the window has painted a frame."""
        return self._painted

    def event(self, event: QEvent) -> bool:
        """Notice the first paint; what waits for it runs on the next loop turn."""
        kind = event.type()
        if not self._painted and kind == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._run_after_paint)
        elif not self._painted and kind == QEvent.Type.Show:
            # A window that is never exposed (minimised, off-screen) must still start up.
            QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self, self._run_after_paint)
        return super().event(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Start with the composer focused, so people can type right away."""
        super().showEvent(event)
        self._focus_composer()

    def _focus_composer(self) -> None:
        if self.built and self.isVisible() and QApplication.focusWidget() is None:
            self.chat_panel.composer.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)

    def _run_after_paint(self) -> None:
        self._painted = True
        callbacks, self._after_paint = self._after_paint, []
        for callback in callbacks:
            callback()

    def show_start_problem(self, message: str) -> None:
        """An error bubble about start-up (e.g. --mode not opened), after the conversation."""
        self.presenter.show_problem(message)

    def _on_generation_started(self, request: ModeRequest) -> None:
        """Show the overlay with what is being made and by which engine (if it takes a while)."""
        self.progress.start_soon(request.company or request.industry, self._engine_label)

    def set_colors(self, colors: ThemeColors) -> None:
        """theme_changed: repaint what paints itself."""
        self._colors = colors
        self.header.set_colors(colors)
        # While the mode change's tab step waits, that step tints the new tabs.
        self.dashboard.set_colors(colors, tint_tabs=not self.mode_change.pending("content:tabs"))
        self.chat_panel.set_colors(colors)
        if self._attached:
            self._spare.renew()  # a new spare takes the new sheet (cheaper than re-polishing)

    def set_engine_label(self, label: str) -> None:
        """Name the active engine (engines/labels.py's text) in the header and the overlay."""
        self._engine_label = label
        self.header.set_engine_label(label)
        if self._attached:  # after the first paint: the labels module loads pydantic
            from presto_desktop.engines.labels import is_offline_label

            self.presenter.offline = is_offline_label(label)

    # -- dialogs (ui/shell/window_dialogs.py) ---------------------------------------------------
    def open_library(self) -> LibraryDialog:
        """Show the mode library (Ctrl+K)."""
        from presto_desktop.ui.shell.window_dialogs import open_library

        return open_library(self, self._colors)

    def open_settings(self) -> SettingsDialog:
        """Show Settings (Ctrl+,); OK emits settings_changed."""
        from presto_desktop.ui.shell.window_dialogs import open_settings

        keys = self._keys() if self._keys is not None else None
        return open_settings(self, self._spare, keys)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Announce the close so the composition root can shut down cleanly."""
        self.closing.emit()
        super().closeEvent(event)


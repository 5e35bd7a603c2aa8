"""Connects demo scripts (ui/demo) to the window: composer, chat, modes, dashboard, menu, keys.

`build_demo` returns the DemoController the composition keeps as `composition.demo`; the
presenter console connects to its `state_changed`. A `say` is typed into the real composer
and sent through the composer's own Enter path, so a trigger switches the mode as a typed
one does; a `tab` clicks the dashboard's tab button.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtWidgets import QPlainTextEdit

from presto_desktop.core.chat import ChatMessage
from presto_desktop.ui.chat.composer import Composer
from presto_desktop.ui.demo.controller import DemoController
from presto_desktop.ui.shell.demo_menu import DemoMenu
from presto_desktop.ui.shell.seams import WindowChat

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode
    from presto_desktop.core.settings import Settings
    from presto_desktop.ui.shell.mode_controller import ModeController
    from presto_desktop.ui.shell.window import MainWindow


@runtime_checkable
class BusyChat(Protocol):
    """A chat controller that says whether a reply is on its way (from the moment it is asked)."""

    @property
    def busy(self) -> bool:
        """Whether a reply is being made."""
        ...


@runtime_checkable
class ForgettingChat(Protocol):
    """A chat controller that clears the conversations of several modes at once."""

    def forget_conversations(self, mode_ids: Collection[str]) -> None:
        """Clear the conversations of `mode_ids`."""
        ...


class ShellDemoWindow:
    """The window as a demo sees it (ui/demo's DemoWindow)."""

    def __init__(self, window: MainWindow, chat: WindowChat, modes: ModeController) -> None:
        self._window, self._chat, self._modes = window, chat, modes
        composer = window.chat_panel.composer
        assert isinstance(composer, QPlainTextEdit)  # the real Composer, or a test's stand-in
        self._composer = composer
        self._chat_busy = False  # for chats that only announce it (tests' stand-ins)
        chat.busy_changed.connect(self._busy_changed)

    def _busy_changed(self, busy: bool) -> None:
        self._chat_busy = busy

    @property
    def composer(self) -> QPlainTextEdit:
        """Where a `say` is typed."""
        return self._composer

    def busy(self) -> bool:
        """A reply, a generation, or a mode's content still being shown in steps."""
        chat = self._chat
        chat_busy = chat.busy if isinstance(chat, BusyChat) else self._chat_busy
        return chat_busy or self._modes.busy or self._window.mode_change.pending("content")

    def current_mode(self) -> Mode:
        """The mode shown."""
        return self._modes.current

    def send(self) -> None:
        """As Enter in the composer: the chat column draws the bubble and the window routes it."""
        if isinstance(self._composer, Composer):
            self._composer.send_requested.emit()
            return
        text = self._composer.toPlainText().strip()  # a test's plain stand-in composer
        self._composer.clear()
        if text:
            self._window.chat_panel.append_message(ChatMessage("user", text))
            self._window.route(text)

    def open_mode(self, mode_id: str) -> None:
        """A saved or built-in mode (errors go to the presenter console, not the chat)."""
        self._modes.switch_to(mode_id)

    def click_tab(self, index: int) -> None:
        """Click the dashboard's tab button, as a person would."""
        buttons = self._window.dashboard.tab_buttons
        if 0 <= index < len(buttons):
            buttons[index].click()

    def stop_activity(self) -> None:
        """Stop the reply and cancel a generation."""
        self._chat.stop()
        self._modes.cancel()

    def fresh_conversations(self, mode_ids: set[str]) -> None:
        """Clear those modes' conversations (no Undo: a reset is meant)."""
        self._window.chat_panel.dismiss_undo()
        if isinstance(self._chat, ForgettingChat):
            self._chat.forget_conversations(mode_ids)
        elif self._modes.current.id in mode_ids:
            self._chat.new_conversation()

    def show_mode(self, mode_id: str) -> None:
        """Switch to `mode_id`, or show the current mode again from its (fresh) conversation."""
        if self._modes.current.id == mode_id:
            self._modes.announce()
        else:
            self._modes.switch_to(mode_id)


class DemoChat(WindowChat, Protocol):
    """The chat controller as a demo needs it: the window's, and its conversation."""

    @property
    def messages(self) -> list[ChatMessage]:
        """A copy of the current conversation ("Save this conversation as a demo script")."""


def build_demo(window: MainWindow, chat: DemoChat, modes: ModeController,
               settings: Callable[[], Settings]) -> tuple[DemoController, DemoMenu]:
    """The window's demo controller (keys, kiosk timer) and the More menu's demo section."""
    demo = DemoController(ShellDemoWindow(window, chat, modes), parent=window)
    chat.failed.connect(lambda message, _retryable: demo.failed(message))
    modes.generation_failed.connect(lambda message, _retryable: demo.failed(
        f"The new mode could not be created: {message}"))
    modes.generation_cancelled.connect(lambda: demo.failed("the new mode was cancelled"))
    modes.mode_changed.connect(demo.mode_shown)
    demo.keys.watch(window)
    demo.set_idle_minutes(settings().demo_idle_minutes)
    window.settings_changed.connect(lambda _new: demo.set_idle_minutes(
        settings().demo_idle_minutes))
    return demo, DemoMenu(window, demo, lambda: chat.messages)


__all__ = ["ShellDemoWindow", "build_demo"]

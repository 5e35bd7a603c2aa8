"""Connects the voice controller (ui/voice) to the chat column, the presenter and the modes.

Spoken turns become bubbles and join the saved conversation like typed ones; the reply
streams into the live bubble; tool calls draw on the dashboard while the voice speaks; a
spoken trigger is routed like a typed one; a mode switch reaches the voice engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject

from presto_desktop.core.chat import ChatMessage
from presto_desktop.ui.chat.live_user import LiveUserTurn
from presto_desktop.ui.chat.panel import ChatPanel
from presto_desktop.ui.voice.controller import VoiceCallbacks, VoiceController
from presto_desktop.ui.voice.devices import QtDevices

if TYPE_CHECKING:
    from collections.abc import Callable

    from presto_desktop.core.models import Mode
    from presto_desktop.core.settings import VoiceSettings
    from presto_desktop.engines.base import Engine
    from presto_desktop.session.presenter import ChatSession, WindowPresenter
    from presto_desktop.ui.shell.mode_controller import ModeController
    from presto_desktop.ui.shell.window import MainWindow


def build_voice(window: MainWindow, panel: object, chat: ChatSession, modes: ModeController, *,
                settings: Callable[[], VoiceSettings], engine: Callable[[], Engine],
                messages: Callable[[], list[ChatMessage]],
                key: Callable[[], str]) -> VoiceController:
    """The window's voice controller on the Qt devices, wired to `panel` when it is the real one."""
    context = VoiceCallbacks(settings=settings, engine=engine, mode=lambda: modes.current,
                             messages=messages, key=key)
    voice = VoiceController(context, QtDevices(window), parent=window)
    voice.refresh()
    if isinstance(panel, ChatPanel):  # tests may pass a stand-in without voice controls
        VoiceWiring(voice, panel, chat, window.presenter, modes)
    return voice


class VoiceWiring(QObject):
    """Owns the connections between voice, chat panel, chat session and presenter."""

    def __init__(self, voice: VoiceController, panel: ChatPanel, chat: ChatSession,
                 presenter: WindowPresenter, modes: ModeController) -> None:
        super().__init__(panel)
        self._voice, self._panel, self._chat, self._presenter = voice, panel, chat, presenter
        self._streaming = False  # the assistant's spoken reply is in the live bubble
        self._user = LiveUserTurn(panel)  # the user's words so far, a growing bubble
        controls = panel.voice
        panel.voice_toggled.connect(voice.toggle)
        panel.mute_toggled.connect(voice.set_muted)
        voice.active_changed.connect(self._active_changed)
        voice.state_changed.connect(controls.set_state)
        voice.level_changed.connect(controls.set_level)
        voice.label_changed.connect(controls.set_label)
        voice.availability_changed.connect(controls.set_problem)
        voice.muted_changed.connect(controls.set_muted)
        voice.user_partial.connect(controls.show_partial)
        voice.user_partial.connect(self._user.partial)
        voice.notice.connect(controls.show_note)
        voice.assistant_partial.connect(self._assistant_partial)
        voice.message.connect(self._message)
        voice.tool_called.connect(presenter.tool_called)
        voice.failed.connect(self._failed)
        voice.trigger.connect(self._trigger)
        modes.mode_changed.connect(self._mode_changed)
        controls.set_problem(voice.problem)
        # Hovering or focusing the mic button warms voice up (its first turn's imports).
        controls.mic_button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """The mic button hovered or focused: voice is likely next."""
        if event.type() in (QEvent.Type.Enter, QEvent.Type.FocusIn):
            self._voice.warm_up()
        return False

    def _active_changed(self, active: bool) -> None:
        self._panel.voice.set_active(active)
        if not active:
            self._end_live()
            self._user.drop()

    def _assistant_partial(self, delta: str) -> None:
        """The spoken reply's text streams into the live bubble."""
        if not self._streaming:
            self._streaming = True
            self._panel.begin_reply()
        self._panel.append_reply_text(delta)

    def _message(self, message: ChatMessage) -> None:
        """A finished spoken turn: shown, and kept in the conversation like a typed one."""
        if message.role == "assistant" and self._streaming:
            self._streaming = False
            self._panel.end_reply(message)
        elif message.role == "user":
            # Above the reply if it already streams (realtime transcribes while it answers).
            self._user.final(message)
        else:
            self._end_live()
            self._panel.append_message(message)
        self._chat.add_message(message)

    def _trigger(self, text: str) -> None:
        """A spoken "Presto-Change-O, ...": drawn like typed text, then routed the same way."""
        self._end_live()
        self._user.final(ChatMessage("user", text))
        self._presenter.route(text)

    def _failed(self, message: str, _retryable: bool) -> None:
        """A voice failure is an error bubble (Retry there means chat, so none is offered),
        and the voice bar's note while voice mode goes on (a 429 on one turn)."""
        self._end_live()
        self._panel.show_error(message, False)
        if self._voice.active:
            self._panel.voice.show_note(message)

    def _mode_changed(self, mode: Mode) -> None:
        # The mode change reloads the chat, live bubbles included (the user's row goes with
        # its key: its next words start a new one).
        self._streaming = False
        self._voice.update_mode(mode)

    def _end_live(self) -> None:
        if self._streaming:
            self._streaming = False
            self._panel.end_reply(ChatMessage("assistant", "", status="stopped"))

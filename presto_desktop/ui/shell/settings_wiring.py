"""The Settings dialog's outcome: the API key stored, edited settings saved and applied."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from presto_desktop.core.errors import PrestoError
from presto_desktop.core.settings import Settings

if TYPE_CHECKING:
    from presto_desktop.core.logs import RedactingFilter
    from presto_desktop.core.secrets import KeyStore
    from presto_desktop.core.settings import SettingsStore
    from presto_desktop.engines.base import Engine
    from presto_desktop.ui.chat.controller import ChatController
    from presto_desktop.ui.shell.window import MainWindow
    from presto_desktop.ui.theme.manager import ThemeManager
    from presto_desktop.ui.voice.controller import VoiceController


@runtime_checkable
class ErrorView(Protocol):
    """What the composition needs from the chat view: an error bubble."""

    def show_error(self, message: str, retryable: bool, *, reply: bool = True) -> None:
        """Show `message` as an error, with Retry when `retryable`."""
        ...


class SettingsHost(Protocol):
    """What applying settings needs from the composition root."""

    window: MainWindow
    settings: Settings
    settings_store: SettingsStore
    persist: bool
    redactor: RedactingFilter | None
    theme: ThemeManager
    chat: ChatController
    voice: VoiceController

    @property
    def keys(self) -> KeyStore:
        """The API key store."""
        ...

    def swap_engine(self, engine: Engine) -> None:
        """Use `engine` from now on."""
        ...


class SettingsApplier:
    """Stores a typed key and applies edited settings (a new engine when its choice changed)."""

    def __init__(self, host: SettingsHost, make_engine: Callable[[], Engine]) -> None:
        self._host, self._make_engine = host, make_engine
        self._key_changed = False  # a new key makes the next settings change build an engine

    def show_error(self, message: str, retryable: bool) -> None:
        """An error bubble in the chat (a setting, not a reply)."""
        panel = self._host.window.chat_panel  # typed QWidget by the window (tests pass stand-ins)
        if isinstance(panel, ErrorView):
            panel.show_error(message, retryable, reply=False)

    def store_api_key(self, key: str) -> None:
        """A key typed in Settings (empty: forget the stored one); never one from the env."""
        host = self._host
        try:
            host.keys.set(key)
        except PrestoError as exc:
            self.show_error(f"API key not saved: {exc}", False)
            return
        if key and host.redactor is not None:
            host.redactor.add_secret(key.strip())
        self._key_changed = True

    def update_settings(self, new: Settings) -> None:
        """Apply edited settings: theme and font at once, a new engine if its choice changed."""
        host, settings = self._host, self._host.settings
        engine_changed = ((new.engine, new.openai, new.offline_pacing_ms)
                          != (settings.engine, settings.openai, settings.offline_pacing_ms))
        engine_changed = engine_changed or self._key_changed
        voice_changed = new.voice != settings.voice
        self._key_changed = False
        for name in Settings.model_fields:
            if name not in ("last_mode", "window_geometry"):
                setattr(settings, name, getattr(new, name))
        if host.persist:
            try:
                host.settings_store.save(settings)
            except PrestoError as exc:
                self.show_error(f"Settings not saved: {exc}", False)
        host.theme.apply(scheme=settings.theme, font_size=settings.font_size)
        host.chat.set_prefetch(settings.prefetch_tabs)
        if engine_changed or voice_changed:
            host.voice.stop()  # a running session keeps the old endpoints: end it
        host.voice.refresh()
        if engine_changed:
            host.swap_engine(self._make_engine())


__all__ = ["ErrorView", "SettingsApplier", "SettingsHost"]

"""The window's Library and Settings dialogs, opened and wired (split from ui/shell/window.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from presto_desktop.core.secrets import KeyStore
    from presto_desktop.ui.dialogs.library import LibraryDialog
    from presto_desktop.ui.dialogs.settings import SettingsDialog
    from presto_desktop.ui.dialogs.spare import SpareSettings
    from presto_desktop.ui.shell.window import MainWindow
    from presto_desktop.ui.theme.colors import ThemeColors


def open_library(window: MainWindow, colors: ThemeColors | None) -> LibraryDialog:
    """Show the mode library (Ctrl+K), wired to the window's presenter and controllers."""
    from presto_desktop.ui.dialogs.library import LibraryDialog

    dialog = LibraryDialog(window.store, window.modes.current.id, window, colors=colors)
    dialog.apply_requested.connect(window.presenter.apply_saved)
    dialog.regenerate_requested.connect(window.presenter.regenerate_mode)
    dialog.deleted.connect(window.modes.forget)
    dialog.replaced.connect(window.presenter.mode_replaced)
    dialog.cache_cleared.connect(window.chat.clear_cache)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.library_opened.emit(dialog)
    dialog.open_in_turns()
    return dialog


def open_settings(window: MainWindow, spare: SpareSettings,
                  keys: KeyStore | None) -> SettingsDialog:
    """Show Settings (Ctrl+,), the spare one while it fits; OK emits settings_changed."""
    from presto_desktop.ui.dialogs.settings import SettingsDialog

    dialog = spare.take() or SettingsDialog(window.settings, window, keys=keys)
    spare.again_after(dialog)
    dialog.accepted.connect(lambda: _settings_accepted(window, dialog))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _settings_accepted(window: MainWindow, dialog: SettingsDialog) -> None:
    key = dialog.typed_api_key()
    if key is not None:
        window.api_key_changed.emit(key)
    window.settings_changed.emit(dialog.result_settings())

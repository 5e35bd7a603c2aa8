"""The More menu's demo section: open a script, step, auto-play, reset, save a conversation.

A script that is refused, or a save that fails, is said in one line in the notice bar (never
a traceback, never a dialog in front of the audience).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from presto_desktop.core.atomic import atomic_write_bytes
from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.demo_script import (
    MAX_STEPS,
    DemoScript,
    ModeStep,
    SayStep,
    Step,
    dump_script,
    parse_script,
    script_from_messages,
)
from presto_desktop.core.errors import PrestoError
from presto_desktop.core.triggers import parse_trigger
from presto_desktop.session.demo_state import DemoState

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode
    from presto_desktop.ui.demo.controller import DemoController
    from presto_desktop.ui.shell.window import MainWindow

DEMO_NOTICE = "demo"
RESET_SHORTCUT = "Ctrl+Shift+R"
FILTER = "Demo scripts (*.json);;All files (*)"


def script_of(mode: Mode, messages: list[ChatMessage]) -> DemoScript:
    """The conversation as a script: its turns as `say` steps, from its mode unless a trigger
    opens it (ValueError when there is nothing of the user's to say)."""
    script = script_from_messages(f"{mode.company_name} demo", messages)
    first = script.steps[0]
    if not (isinstance(first, SayStep) and parse_trigger(first.say) is not None):
        steps: list[Step] = [ModeStep(mode=mode.id), *script.steps]
        script = DemoScript(title=script.title, steps=steps[:MAX_STEPS])
    return parse_script(dump_script(script))  # what loads back is what was written


class DemoMenu(QObject):
    """Adds the demo actions to the window's More menu and carries them out."""

    def __init__(self, window: MainWindow, demo: DemoController,
                 messages: Callable[[], list[ChatMessage]]) -> None:
        super().__init__(window)
        self._window, self._demo, self._messages = window, demo, messages
        # Replaced by tests; a person picks the file.
        self.ask_open_path: Callable[[], Path | None] = self._ask_open
        self.ask_save_path: Callable[[str], Path | None] = self._ask_save
        add = window.app_menu.add
        add("demo", "Open demo script…", self.open_script, name="openDemoScript")
        self.next_action = add("demo", "Next demo step (→)", demo.next, name="nextDemoStep")
        self.auto_action = add("demo", "Auto-play demo", self._toggle_auto, name="autoPlayDemo")
        self.auto_action.setCheckable(True)
        self.reset_action = add("demo", "Reset demo", demo.reset, shortcut=RESET_SHORTCUT,
                                name="resetDemo")
        add("demo", "Save this conversation as a demo script…", self.save_conversation,
            name="saveDemoScript")
        demo.state_changed.connect(self._state_changed)
        self._state_changed(demo.state)

    def _state_changed(self, state: DemoState) -> None:
        for action in (self.next_action, self.auto_action, self.reset_action):
            action.setEnabled(state.loaded)
        self.auto_action.setChecked(state.auto)
        if state.started_at is not None:
            self._window.notice_bar.clear(DEMO_NOTICE)  # the audience sees no notice

    def _toggle_auto(self) -> None:
        self._demo.set_auto(self.auto_action.isChecked())

    # -- open ------------------------------------------------------------------------------------
    def open_script(self) -> None:
        """Ask for a script and load it; a refused one is said in one line."""
        path = self.ask_open_path()
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> None:
        """Load the script at `path`; a refused one is said in one line in the notice bar."""
        bar = self._window.notice_bar
        try:
            script = self._demo.open_path(path)
        except PrestoError as exc:
            bar.show_notice(DEMO_NOTICE, f"Demo script not opened: {exc}", "Dismiss",
                            lambda: bar.clear(DEMO_NOTICE))
            return
        steps = len(script.steps)
        bar.show_notice(DEMO_NOTICE, f"Demo “{script.title}” ready: {steps} steps. → or PageDown "
                        "performs the next step.", "Dismiss", lambda: bar.clear(DEMO_NOTICE))

    def _ask_open(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self._window, "Open demo script", "", FILTER)
        return Path(name) if name else None

    # -- save ------------------------------------------------------------------------------------
    def save_conversation(self) -> Path | None:
        """Write the current conversation as a demo script; the path written, or None."""
        bar = self._window.notice_bar
        mode = self._window.modes.current
        try:
            script = script_of(mode, self._messages())
        except (ValueError, PrestoError):
            bar.show_notice(DEMO_NOTICE, "Nothing to save yet: this conversation has no "
                            "messages of yours.", "Dismiss", lambda: bar.clear(DEMO_NOTICE))
            return None
        path = self.ask_save_path(f"{mode.id}-demo.json")
        if path is None:
            return None
        try:
            atomic_write_bytes(path, dump_script(script))
        except (PrestoError, OSError) as exc:
            bar.show_notice(DEMO_NOTICE, f"Demo script not saved: {exc}", "Dismiss",
                            lambda: bar.clear(DEMO_NOTICE))
            return None
        bar.show_notice(DEMO_NOTICE, f"Saved “{path.name}”: {len(script.steps)} steps.",
                        "Dismiss", lambda: bar.clear(DEMO_NOTICE))
        return path

    def _ask_save(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self._window, "Save this conversation as a demo "
                                              "script", suggested, FILTER)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".json")


__all__ = ["DemoMenu", "script_of"]

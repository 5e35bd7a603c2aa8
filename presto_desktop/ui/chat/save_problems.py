"""Whether conversations are saved: the store reports every save; the window shows a bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from presto_desktop.core.conversations import ConversationStore, SaveFailure


class SaveProblems(QObject):
    """Turns the store's save outcomes into one message for people ("" once all are saved).

    A QObject of the GUI thread: a signal emitted on a saving thread reaches `outcome` queued,
    on this thread (a plain Python slot would run on the thread that saved).
    """

    def __init__(self, store: ConversationStore, report: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store, self._report = store, report
        self._reported = False

    def failed(self) -> list[SaveFailure]:
        """Conversations whose last save failed (the store remembers them)."""
        return self._store.failed_saves()

    def outcome(self, _mode_id: str, failure: SaveFailure | None) -> None:
        """The one place the window learns whether saving works."""
        if failure is not None:
            self._reported = True
            # The OS's reason ("No space left on device"); the path is in the log.
            reason = str(failure.message).rsplit(": ", 1)[-1]
            self._report(f"The conversation could not be saved ({reason}). It stays "
                         "in this window until a save works.")
        elif self._reported and not self.failed():
            self._reported = False
            self._report("")


__all__ = ["SaveProblems"]

"""Library and Settings made ready after start-up: imported off the loop, built once, dropped."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication, QDialog

from presto_desktop.ui.dialogs.warmup import MODULES, DialogWarmup


def test_warmup_imports_and_builds_each_dialog_once_without_showing_it(qapp, qtbot):
    owner = QObject()
    warmup = DialogWarmup(owner, delay_ms=0)
    qtbot.waitUntil(lambda: warmup.done, timeout=20_000)
    assert all(name in sys.modules for name in MODULES)
    # Nothing was shown and nothing stays behind once Qt has deleted the throwaway dialogs.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QDialog) and (w.isVisible() or w.objectName() in
                                               ("settingsDialog", "libraryDialog"))]
    owner.deleteLater()

"""Regression guard: PySide6 6.12.0 aborts Python 3.11 after a few thousand Signal.emit()."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    class Source(QObject):
        ping = Signal()
        text = Signal(str)

    app = QCoreApplication([])
    source = Source()
    count = [0]
    source.ping.connect(lambda: count.__setitem__(0, count[0] + 1))
    source.text.connect(lambda s: count.__setitem__(0, count[0] + 1))
    for i in range(25_000):
        source.ping.emit()
        source.text.emit("x")
    assert count[0] == 50_000, count[0]
    print("ok", count[0])
""")


def test_fifty_thousand_emits_do_not_crash():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False,
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok 50000"

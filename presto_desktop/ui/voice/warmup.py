"""Warms voice up before the first turn: its modules imported one per loop turn, then Qt's.

Started when the user is about to use voice (the mic button hovered or focused): the first
turn then finds the realtime client's modules (websockets) and QtMultimedia loaded, instead
of importing them on the loop while the microphone is already live. Imports stay on the loop
in small steps: in a worker thread they held the GIL in long stretches (worse gaps).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import logging
import sys
import time
from collections.abc import Callable, Iterable
from importlib.machinery import ModuleSpec
from types import ModuleType

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)
# QtMultimedia and the devices' first query: one step each (neither can be split).
QT_STEPS = ("PySide6.QtMultimedia", "presto_desktop.ui.voice.audio", "PySide6.QtTextToSpeech",
            "presto_desktop.ui.voice.speaker")


def _first_device_query() -> None:
    """QMediaDevices' first list (~15 ms: the audio backend starts)."""
    from PySide6.QtMultimedia import QMediaDevices

    QMediaDevices.audioInputs()


class VoiceWarmup(QObject):
    """Runs import steps one per loop turn; `finished` once all ran (each set at most once)."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: list[Callable[[], object]] = []
        self._done: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self.steps_run = 0  # how many steps ran (tests)
        self.longest_step_cpu_ms = 0.0  # the benchmark's figure (CPU time: the machine is busy)

    @property
    def busy(self) -> bool:
        """True while steps are queued."""
        return bool(self._steps)

    def start(self, modules: Iterable[str], *, devices: bool = True,
              packages: Iterable[str] = ()) -> None:
        """Queue `modules` (then Qt's audio, with `devices`) not yet warmed; `packages` are
        opened first and their __init__ run last (see _Shell)."""
        shells = [_Shell(name) for name in packages if name not in self._done]
        self._done.update(shell.name for shell in shells)
        self._steps += [shell.open for shell in shells]
        for name in modules:
            if name not in self._done:
                self._done.add(name)
                self._steps.append(functools.partial(_import, name))
        self._steps += [shell.close for shell in reversed(shells)]
        for name in QT_STEPS if devices else ():
            if name not in self._done:
                self._done.add(name)
                self._steps.append(functools.partial(_import, name))
        if devices and "devices" not in self._done:
            self._done.add("devices")
            self._steps.append(_first_device_query)
        if self._steps and not self._timer.isActive():
            self._timer.start()
        elif not self._steps:
            self.finished.emit()

    def finish_now(self) -> None:
        """Run what is left at once (voice starts: no package may stay half-open)."""
        self._timer.stop()
        while self._steps:
            self._run_one()
        self.finished.emit()

    def _step(self) -> None:
        self._run_one()
        if self._steps:
            self._timer.start()
        else:
            self.finished.emit()

    def _run_one(self) -> None:
        if self._steps:
            step = self._steps.pop(0)
            self.steps_run += 1
            began = time.thread_time()
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - warming is optional; the turn reports
                log.info("voice warm-up step failed: %s", type(exc).__name__)
            spent = (time.thread_time() - began) * 1000
            self.longest_step_cpu_ms = max(self.longest_step_cpu_ms, spent)


class _Shell:
    """A package whose __init__ imports everything at once, opened without running it so its
    modules can be imported one per step; `close` runs the __init__ (then cheap)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.module: ModuleType | None = None
        self._spec: ModuleSpec | None = None

    def open(self) -> None:
        """Put the package in sys.modules, its __init__ not yet run."""
        if self.name in sys.modules:
            return
        spec = importlib.util.find_spec(self.name)
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            return
        self.module, self._spec = importlib.util.module_from_spec(spec), spec
        sys.modules[self.name] = self.module

    def close(self) -> None:
        """Run the package's __init__ (its modules are loaded by now)."""
        module, spec, self.module = self.module, self._spec, None
        if module is None or spec is None or spec.loader is None:
            return
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(self.name, None)  # the next import starts over, as usual
            raise
        parent, _, child = self.name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)


def _import(name: str) -> None:
    try:
        importlib.import_module(name)
    except ImportError:  # optional extras (python_socks, the realtime extra)
        log.debug("voice warm-up: %s not importable", name)

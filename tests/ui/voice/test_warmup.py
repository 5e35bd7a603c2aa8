"""Voice's warm-up: its first turn's modules imported one per loop turn before voice starts
(the mic button hovered), a package's __init__ run last, and voice starting mid-way safe."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from presto_desktop.ui.voice.warmup import VoiceWarmup

PACKAGE = "presto_warm_probe"


@pytest.fixture
def probe(tmp_path: Path):
    """A package whose __init__ imports both its modules (like openai.types.realtime)."""
    folder = tmp_path / PACKAGE
    folder.mkdir()
    (folder / "__init__.py").write_text("from .first import A\nfrom .second import B\n")
    (folder / "first.py").write_text("A = 'a'\n")
    (folder / "second.py").write_text("from .first import A\nB = A + 'b'\n")
    sys.path.insert(0, str(tmp_path))
    yield [f"{PACKAGE}.first", f"{PACKAGE}.second"]
    sys.path.remove(str(tmp_path))
    for name in [n for n in sys.modules if n.startswith(PACKAGE)]:
        del sys.modules[name]


def turns(warmup: VoiceWarmup, count: int) -> None:
    """Let `count` warm-up steps run (each is its own loop turn)."""
    for _ in range(count):
        before = warmup.steps_run
        while warmup.busy and warmup.steps_run == before:
            QCoreApplication.processEvents()


def test_modules_are_imported_one_per_turn_and_the_package_init_runs_last(qapp, probe) -> None:
    warmup = VoiceWarmup()
    warmup.start(probe, devices=False, packages=[PACKAGE])
    assert warmup.busy and warmup.steps_run == 0  # nothing runs in the caller's turn
    turns(warmup, 2)  # the package opened, its first module
    assert f"{PACKAGE}.first" in sys.modules and f"{PACKAGE}.second" not in sys.modules
    turns(warmup, 2)  # the second module, then the package's __init__
    assert not warmup.busy and warmup.steps_run == 4
    package = sys.modules[PACKAGE]
    assert (package.A, package.B) == ("a", "ab")
    warmup.start(probe, devices=False, packages=[PACKAGE])  # done already: nothing again
    assert not warmup.busy and warmup.steps_run == 4


def test_voice_starting_mid_warm_up_finishes_it_at_once(qapp, probe) -> None:
    warmup = VoiceWarmup()
    warmup.start(probe, devices=False, packages=[PACKAGE])
    turns(warmup, 1)  # the package is open, its __init__ not yet run
    warmup.finish_now()
    assert not warmup.busy and sys.modules[PACKAGE].B == "ab"


def test_a_missing_module_is_skipped(qapp) -> None:
    warmup = VoiceWarmup()
    warmup.start(["presto_no_such_module_anywhere"], devices=False)
    turns(warmup, 1)
    assert not warmup.busy and "presto_no_such_module_anywhere" not in sys.modules


def test_hovering_the_mic_button_warms_voice_up(qapp, qloop, tmp_path) -> None:
    from tests.factories import assistant_mode, builtin_folder
    from tests.ui.voice.test_voice_window import build

    builtin = builtin_folder(tmp_path / "builtin", assistant_mode())
    comp, _, _ = build(qapp, tmp_path, builtin)
    assert comp.voice.warmup is None
    QCoreApplication.sendEvent(comp.panel.voice.mic_button, QEvent(QEvent.Type.Enter))
    warmup = comp.voice.warmup
    assert warmup is not None
    while warmup.busy:
        QCoreApplication.processEvents()
    assert "presto_desktop.engines.voice_pipeline" in sys.modules  # the offline path's
    qloop.run_until_complete(comp.shutdown())

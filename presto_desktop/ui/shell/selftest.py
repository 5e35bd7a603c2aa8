"""`--self-test` and `--screenshot`: drive the real window headless and report in one line."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from presto_desktop.core.chat import ChatMessage

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from presto_desktop.core.store import ModeStore
    from presto_desktop.ui.chat.controller import ChatController
    from presto_desktop.ui.shell.mode_controller import ModeController
    from presto_desktop.ui.shell.window import MainWindow
    from presto_desktop.ui.theme.manager import ThemeManager

TRIGGER = "Presto-Change-O, you're a beekeeper"
QUESTION = "What can you help me with?"
TIMEOUT_S = 30.0


class Driven(Protocol):
    """The parts of a composed window the self-test drives (the composition root is one)."""

    @property
    def app(self) -> QApplication: ...
    @property
    def window(self) -> MainWindow: ...
    @property
    def panel(self) -> QWidget: ...
    @property
    def modes(self) -> ModeController: ...
    @property
    def chat(self) -> ChatController: ...
    @property
    def theme(self) -> ThemeManager: ...
    @property
    def store(self) -> ModeStore: ...


class SelfTestError(Exception):
    """A self-test step failed; the message says which and why."""


def _next(signal: SignalInstance) -> asyncio.Future[tuple[Any, ...]]:
    """A future resolved with the arguments of the signal's next emission."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def fire(*args: Any) -> None:
        if not future.done():
            future.set_result(args)
        signal.disconnect(fire)

    signal.connect(fire)
    return future


def type_into_composer(panel: QWidget, text: str) -> None:
    """Type `text` into the chat composer and press Enter (or submit directly if none)."""
    from presto_desktop.ui.chat.panel import ChatPanel  # loaded already by the window

    composer: QPlainTextEdit | QTextEdit | None = panel.findChild(
        QPlainTextEdit, "composer") or panel.findChild(QTextEdit, "composer")
    if composer is None:
        if isinstance(panel, ChatPanel):
            panel.submitted.emit(text)
        return
    composer.setFocus()
    composer.clear()
    composer.insertPlainText(text)
    QTest.keyClick(composer, Qt.Key.Key_Return)


async def _first(*futures: asyncio.Future[Any]) -> int:
    """Index of the first future to finish (others are cancelled)."""
    done, pending = await asyncio.wait(futures, return_when=asyncio.FIRST_COMPLETED)
    for future in pending:
        future.cancel()
    return next(i for i, f in enumerate(futures) if f in done)


async def _steps(comp: Driven) -> str:
    window = comp.window
    window.resize(1280, 800)
    window.show()
    await asyncio.sleep(0.05)
    changed, failed = _next(comp.modes.mode_changed), _next(comp.modes.generation_failed)
    type_into_composer(comp.panel, TRIGGER)
    if await _first(changed, failed) == 1:
        raise SelfTestError(f"mode generation failed: {failed.result()[0]}")
    mode = changed.result()[0]
    # The mode made for the trigger's request (its industry label is the knowledge base's,
    # e.g. a beekeeper is a "Honey Farm").
    if not mode.request_key.startswith("beekeeper|"):
        raise SelfTestError(f"wrong mode applied: {mode.industry!r}")
    await asyncio.sleep(0.05)
    colors = comp.theme.colors
    variant = mode.palette.dark if colors is not None and colors.dark else mode.palette.light
    shown = window.palette().color(QPalette.ColorRole.Window).name()
    if shown != variant.background:
        raise SelfTestError(f"window background {shown} is not the mode's {variant.background}")
    if comp.window.header.company.text() != mode.company_name:
        raise SelfTestError("header does not show the new company")
    path = comp.store.path_of(mode.id)
    if not path.is_file() or comp.store.get(mode.id) != mode:
        raise SelfTestError(f"mode file not saved at {path}")
    finished, chat_failed = _next(comp.chat.reply_finished), _next(comp.chat.failed)
    type_into_composer(comp.panel, QUESTION)
    if await _first(finished, chat_failed) == 1:
        raise SelfTestError(f"chat reply failed: {chat_failed.result()[0]}")
    reply = finished.result()[0]
    size = len(reply.content) if isinstance(reply, ChatMessage) else 0
    if size == 0:
        raise SelfTestError("the chat reply was empty")
    return (f"self-test ok: {mode.id} mode applied, saved {path}, reply {size} chars; "
            f"{_voice_check()}")


def _voice_check() -> str:
    """What voice can use here (a bundle missing Qt's audio or speech plugins fails)."""
    from PySide6.QtMultimedia import QMediaDevices
    from PySide6.QtTextToSpeech import QTextToSpeech

    engines = QTextToSpeech.availableEngines()
    if not engines:
        raise SelfTestError("no text-to-speech engine (QtTextToSpeech's plugins are missing)")
    return (f"voice: {len(QMediaDevices.audioInputs())} input(s), "
            f"{len(QMediaDevices.audioOutputs())} output(s), speech {', '.join(engines)}")


async def run_self_test(comp: Driven, timeout: float = TIMEOUT_S) -> tuple[int, str]:
    """Trigger a new industry, check restyle and saved file, chat once; (exit code, line)."""
    try:
        return 0, await asyncio.wait_for(_steps(comp), timeout)
    except TimeoutError:
        return 1, f"self-test FAILED: timed out after {timeout:.0f} s"
    except SelfTestError as exc:
        return 1, f"self-test FAILED: {exc}"
    except Exception as exc:  # noqa: BLE001 - the one line must name any crash
        return 1, f"self-test FAILED: {type(exc).__name__}: {exc}"


async def take_screenshot(comp: Driven, path: Path,
                          size: tuple[int, int]) -> tuple[int, str]:
    """Render the window at `size` to a PNG once charts have finished animating."""
    window = comp.window
    window.resize(*size)
    window.show()
    # Charts animate in for ~1 s; the picture should show them finished.
    await asyncio.sleep(1.2)
    comp.app.processEvents()
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return 1, f"screenshot FAILED: {exc}"
    if not window.grab().save(str(path), "PNG"):
        return 1, f"screenshot FAILED: could not write {path}"
    return 0, f"screenshot saved: {path}"

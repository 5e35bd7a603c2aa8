"""The system voice (QtTextToSpeech) as a core.audio Speaker, for engines that make no audio."""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QObject
from PySide6.QtTextToSpeech import QTextToSpeech, QVoice

log = logging.getLogger(__name__)


def speed_to_rate(speed: float) -> float:
    """Settings' speed (0.25-4, 1 = normal) as QTextToSpeech's rate (-1..1, 0 = normal)."""
    return max(-1.0, min(1.0, math.log2(max(speed, 0.01)) / 2))


def find_voice(voices: list[QVoice], name: str) -> QVoice | None:
    """The voice called `name` (case and spacing ignored), or None."""
    wanted = " ".join(name.split()).casefold()
    return next((v for v in voices if " ".join(v.name().split()).casefold() == wanted), None)


class QtSystemVoice(QObject):
    """Speaker over QTextToSpeech: sentences are queued and spoken in order."""

    def __init__(self, engine: str = "", speed: float = 1.0,
                 parent: QObject | None = None, *, voice: str = "") -> None:
        super().__init__(parent)
        self._tts = QTextToSpeech(engine, self) if engine else QTextToSpeech(self)
        self._wanted = voice.strip()
        self._speed = speed
        self._queued = 0  # sentences enqueued and not yet finished
        self._configured = False
        self._tts.stateChanged.connect(self._state_changed)
        self.spoken: list[str] = []  # what was handed to the voice (tests, the log)
        if self._tts.state() == QTextToSpeech.State.Ready:
            self._configure()  # else once the engine is ready (some load asynchronously)

    def _configure(self) -> None:
        """Settings' voice where the system has one of that name (else its default), and speed."""
        self._configured = True
        if self._wanted:
            # None: every language's voices (PySide6's stub wants a locale).
            match = find_voice(self._tts.allVoices(None), self._wanted)  # type: ignore[arg-type]
            if match is not None:
                self._tts.setVoice(match)  # also switches to the voice's language
            else:
                log.info("system voice: no voice named %r, using %r", self._wanted,
                         self._tts.voice().name())
        # After setVoice: a change of voice may reset the engine's rate.
        self._tts.setRate(speed_to_rate(self._speed))

    @property
    def voice_name(self) -> str:
        """The system voice speaking (Settings' when the system has it, else its default)."""
        return self._tts.voice().name()

    @property
    def rate(self) -> float:
        """QTextToSpeech's rate (-1..1) for Settings' speed."""
        return self._tts.rate()

    @property
    def engine_name(self) -> str:
        """The text-to-speech engine in use (e.g. speechd, mock)."""
        return self._tts.engine()

    @property
    def problem(self) -> str | None:
        """Why the system voice cannot speak (one line), or None."""
        if self._tts.state() != QTextToSpeech.State.Error:
            return None
        why = self._tts.errorString() or "no speech engine"
        return f"The system voice is unavailable ({why}): replies are shown, not spoken."

    @property
    def speaking(self) -> bool:
        """True while a queued sentence is still being spoken."""
        state = self._tts.state()
        return state in (QTextToSpeech.State.Speaking, QTextToSpeech.State.Synthesizing) \
            or self._queued > 0

    def say(self, text: str) -> None:
        """Queue one sentence; never blocks."""
        if not text.strip() or self.problem is not None:
            return
        self.spoken.append(text)
        self._queued += 1
        self._tts.enqueue(text)

    def stop(self) -> None:
        """Stop speaking at once and forget what is queued."""
        self._queued = 0
        self._tts.stop(QTextToSpeech.BoundaryHint.Immediate)

    def _state_changed(self, state: QTextToSpeech.State) -> None:
        if state == QTextToSpeech.State.Ready:
            if not self._configured:
                self._configure()
            self._queued = 0  # the queue ran out
        elif state == QTextToSpeech.State.Error:
            log.warning("system voice: %s", self._tts.errorString())
            self._queued = 0

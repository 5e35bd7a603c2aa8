"""User settings: a pydantic model persisted as JSON in the config folder."""

from __future__ import annotations

import json
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from presto_desktop.core.atomic import atomic_write_bytes
from presto_desktop.core.errors import PrestoError
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.patterns import ThemeScheme
from presto_desktop.core.safe_read import FileTooLargeError, UnreadableFileError, read_limited

log = logging.getLogger(__name__)
MAX_SETTINGS_BYTES = 256_000


class OpenAISettings(BaseModel):
    """How to reach an OpenAI-compatible server (the key is stored elsewhere)."""

    model_config = ConfigDict(extra="ignore")

    preset: Annotated[str, Field(max_length=40)] = "openai"
    base_url: Annotated[str, Field(max_length=500)] = ""
    model: Annotated[str, Field(max_length=120)] = "gpt-4o-mini"
    azure_endpoint: Annotated[str, Field(max_length=500)] = ""
    azure_api_version: Annotated[str, Field(max_length=40)] = ""
    azure_deployment: Annotated[str, Field(max_length=120)] = ""
    connect_timeout_s: Annotated[float, Field(gt=0, le=120)] = 5.0
    timeout_s: Annotated[float, Field(gt=0, le=600)] = 60.0


# The voices OpenAI's speech and realtime models offer; other servers may offer fewer or others.
VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar")


class VoiceSettings(BaseModel):
    """Voice conversation: which path, voice and endpoints (empty URL = the chat server)."""

    model_config = ConfigDict(extra="ignore")

    enabled: bool = True
    # auto: realtime where the server has it, else transcription -> chat -> speech.
    path: Literal["auto", "realtime", "pipeline"] = "auto"
    # Free text: a server may offer voices beyond VOICES (Kokoro, speaches); Settings lists VOICES.
    voice: Annotated[str, Field(max_length=60)] = "marin"
    speed: Annotated[float, Field(ge=0.25, le=4.0)] = 1.0
    realtime_model: Annotated[str, Field(max_length=120)] = "gpt-realtime"
    transcription_base_url: Annotated[str, Field(max_length=500)] = ""
    transcription_model: Annotated[str, Field(max_length=120)] = "gpt-4o-mini-transcribe"
    speech_base_url: Annotated[str, Field(max_length=500)] = ""
    speech_model: Annotated[str, Field(max_length=120)] = "gpt-4o-mini-tts"
    # Device names as the system lists them ("" = the system default); the window resolves them.
    input_device: Annotated[str, Field(max_length=300)] = ""
    output_device: Annotated[str, Field(max_length=300)] = ""


class PresenterSettings(BaseModel):
    """Presenter mode: where the audience window goes and how large its text is."""

    model_config = ConfigDict(extra="ignore")

    screen: Annotated[str, Field(max_length=200)] = ""  # a QScreen name; "" = the window's own
    full_screen: bool = True
    font_size: Annotated[int, Field(ge=8, le=40)] = 16  # never below the usual font_size


class Settings(BaseModel):
    """Everything the app remembers between runs."""

    model_config = ConfigDict(extra="ignore")

    engine: Literal["auto", "offline", "openai"] = "auto"
    theme: ThemeScheme = "system"
    font_size: Annotated[int, Field(ge=8, le=28)] = 11
    # Delay between streamed word chunks of offline replies in the window (0 = all at once).
    offline_pacing_ms: Annotated[int, Field(ge=0, le=200)] = 12
    # With an LLM engine, fetch the mode's tab answers in the background (costs tokens).
    prefetch_tabs: bool = True
    # Kiosk: after this many minutes without input the demo script resets and plays (0 = off).
    demo_idle_minutes: Annotated[float, Field(ge=0, le=1440, allow_inf_nan=False)] = 0.0
    # The soft gradient and pattern behind the dashboard (core/hero.py).
    background_imagery: bool = True
    # Emblems from the server's image model (images.generate; costs tokens): off by default.
    generated_images: bool = False
    image_model: Annotated[str, Field(max_length=120)] = "gpt-image-1"
    last_mode: Annotated[str, Field(max_length=64)] = "default"
    window_geometry: Annotated[str, Field(max_length=4000)] = ""
    openai: OpenAISettings = OpenAISettings()
    voice: VoiceSettings = VoiceSettings()
    presenter: PresenterSettings = PresenterSettings()


class SettingsStore:
    """Loads and saves Settings; a broken file falls back to defaults and is kept aside."""

    def __init__(self, paths: AppPaths) -> None:
        self._path = paths.settings_file
        self._writer: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None

    def load(self) -> Settings:
        """Read settings, or defaults when missing or invalid."""
        try:
            raw = read_limited(self._path, MAX_SETTINGS_BYTES)
        except FileNotFoundError:
            return Settings()
        except FileTooLargeError as exc:
            return self._set_aside(exc.reason)
        except (OSError, UnreadableFileError) as exc:
            # A FIFO or device is left alone (saving replaces it); a file is never waited for.
            log.warning("settings unreadable (%s); using defaults", exc)
            return Settings()
        try:
            return Settings.model_validate(json.loads(raw))
        except (ValueError, ValidationError, RecursionError) as exc:
            return self._set_aside((str(exc).splitlines() or [type(exc).__name__])[0])

    def _set_aside(self, reason: str) -> Settings:
        """Keep an invalid file as settings.invalid.json and use defaults."""
        log.warning("settings file invalid; using defaults: %s", reason)
        try:
            self._path.replace(self._path.with_suffix(".invalid.json"))
        except OSError:
            pass
        return Settings()

    def save(self, settings: Settings) -> None:
        """Write settings atomically (after any `save_soon` still in flight)."""
        self.settle()
        self._write(settings)

    def _write(self, settings: Settings) -> None:
        data = json.dumps(settings.model_dump(mode="json"), indent=2).encode()
        atomic_write_bytes(self._path, data)

    def save_soon(self, settings: Settings) -> None:
        """Write a copy of `settings` on this store's writer thread; a failure is logged.

        For the window's loop: the fsynced write took 10-35 ms there in every mode switch.
        Writes land in the order asked for; `save` and `settle` wait for them.
        """
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="presto-settings")
        self._pending = self._writer.submit(self._write_logged, settings.model_copy(deep=True))

    def _write_logged(self, settings: Settings) -> None:
        try:
            self._write(settings)
        except PrestoError as exc:
            log.warning("settings not saved: %s", exc)

    def settle(self) -> None:
        """Wait until the writes asked for by `save_soon` are done."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

"""Picks and starts the voice engine: realtime where the server has it, else the pipeline.

Offline, voice input needs a configured transcription endpoint; replies are spoken by the
speech endpoint when one is configured, else handed to the system voice (SpeakText).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.models import Mode
from presto_desktop.engines.base import Engine, ServerEngine
from presto_desktop.engines.voice_base import VoiceEngine, VoiceUnavailable

if TYPE_CHECKING:
    from presto_desktop.core.settings import VoiceSettings
    from presto_desktop.engines.openai_config import OpenAIConfig

log = logging.getLogger(__name__)
VOICE_OFF = "Voice is turned off in Settings."
OFFLINE_NO_TRANSCRIPTION = (
    "Offline, voice input needs a transcription endpoint (an OpenAI-compatible "
    "/v1/audio/transcriptions, e.g. a local speaches or LocalAI server); set one in "
    "Settings > Voice. Typed chat still works, and replies can be read by the system voice.")
FALLBACK = "{reason} Using transcription -> chat -> speech instead."
REALTIME_PRESETS = ("openai", "azure")


def wants_realtime(voice: VoiceSettings, config: OpenAIConfig) -> bool:
    """Realtime when asked for, or on auto with OpenAI or Azure OpenAI."""
    if voice.path == "pipeline":
        return False
    if voice.path == "realtime":
        return True
    return config.is_azure or (config.preset in REALTIME_PRESETS and not config.is_local)


def warm_modules(voice: VoiceSettings, chat: Engine) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the voice path for `chat` imports on its first turn: (modules leaf first,
    packages to open first; engines/voice_warm.py)."""
    from presto_desktop.engines import voice_warm as warm

    if isinstance(chat, ServerEngine) and wants_realtime(voice, chat.config):
        return warm.REALTIME_MODULES, warm.REALTIME_PACKAGES
    return warm.PIPELINE_MODULES, ()


async def open_voice(voice: VoiceSettings, chat: Engine, mode: Mode,
                     history: list[ChatMessage], *, api_key: str = "") -> VoiceEngine:
    """A started voice engine for `chat`; raises VoiceUnavailable or EngineError (one line).

    `api_key` is used for audio endpoints when the chat engine has no server (offline).
    """
    if not voice.enabled:
        raise VoiceUnavailable(VOICE_OFF)
    if isinstance(chat, ServerEngine):
        realtime, notice = await _realtime(voice, chat.config, mode, history)
        if realtime is not None:
            return realtime
        engine = _pipeline(voice, chat, notice)
    else:
        engine = _offline(voice, chat, api_key)
    try:
        await engine.start(mode, history)
    except BaseException:
        await engine.aclose()
        raise
    return engine


async def _realtime(voice: VoiceSettings, config: OpenAIConfig, mode: Mode,
                    history: list[ChatMessage]) -> tuple[VoiceEngine | None, str | None]:
    """A started realtime engine, or None and why not (the pipeline's first notice)."""
    if not wants_realtime(voice, config):
        return None, None
    from presto_desktop.engines.voice_realtime import RealtimeUnavailable, RealtimeVoiceEngine

    realtime = RealtimeVoiceEngine(config, model=voice.realtime_model, voice=voice.voice,
                                   speed=voice.speed, transcription_model=voice.transcription_model)
    try:
        await realtime.start(mode, history)
    except RealtimeUnavailable as exc:
        log.info("realtime unavailable: %s", exc)
        await realtime.aclose()
        return None, FALLBACK.format(reason=str(exc))
    except BaseException:
        await realtime.aclose()
        raise
    return realtime, None


def _pipeline(voice: VoiceSettings, chat: Engine, notice: str | None) -> VoiceEngine:
    """Transcription -> the chat engine -> speech, each endpoint defaulting to the chat server."""
    from presto_desktop.engines.voice_http import HttpSynthesizer, HttpTranscriber, endpoint_config
    from presto_desktop.engines.voice_pipeline import PipelineVoiceEngine

    assert isinstance(chat, ServerEngine)
    config = chat.config
    return PipelineVoiceEngine(
        chat,
        HttpTranscriber(endpoint_config(config, voice.transcription_base_url,
                                        voice.transcription_model)),
        HttpSynthesizer(endpoint_config(config, voice.speech_base_url, voice.speech_model),
                        voice.voice, voice.speed),
        notice=notice)


def _offline(voice: VoiceSettings, chat: Engine, api_key: str) -> VoiceEngine:
    """The pipeline over the offline engine, if a transcription endpoint is configured."""
    if not voice.transcription_base_url.strip():
        raise VoiceUnavailable(OFFLINE_NO_TRANSCRIPTION)
    from presto_desktop.engines.openai_config import OpenAIConfig
    from presto_desktop.engines.voice_http import HttpSynthesizer, HttpTranscriber, endpoint_config
    from presto_desktop.engines.voice_pipeline import PipelineVoiceEngine

    base = OpenAIConfig(api_key=api_key, preset="custom")
    synth = None
    if voice.speech_base_url.strip():
        synth = HttpSynthesizer(endpoint_config(base, voice.speech_base_url, voice.speech_model),
                                voice.voice, voice.speed)
    transcriber = HttpTranscriber(endpoint_config(base, voice.transcription_base_url,
                                                  voice.transcription_model))
    return PipelineVoiceEngine(chat, transcriber, synth, path="offline")

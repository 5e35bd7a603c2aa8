"""The two audio endpoints of the pipeline: /v1/audio/transcriptions and /v1/audio/speech.

Imports openai lazily (like openai_engine.py); failures become one-line EngineErrors that
name the endpoint; 429 (short Retry-After) and 5xx are retried (openai_client.with_retries).
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from presto_desktop.core.audio.pcm import (
    REALTIME_FORMAT,
    TRANSCRIPTION_FORMAT,
    AudioFormat,
    resample,
)
from presto_desktop.core.audio.wav import AudioFileError, parse_wav, wav_bytes
from presto_desktop.core.errors import EngineError
from presto_desktop.engines.openai_client import make_client, with_retries

if TYPE_CHECKING:
    from openai import AsyncOpenAI

    from presto_desktop.engines.openai_config import OpenAIConfig

SPEECH_CHUNK = 4_800  # 100 ms of 24 kHz PCM16: the first sound leaves as soon as it arrives
MAX_TRANSCRIPT_CHARS = 8_000
MAX_SPEECH_BYTES = 30 * 1024 * 1024  # a sentence is ~100 KB; a server streaming for ever is cut


def endpoint_config(config: OpenAIConfig, base_url: str, model: str) -> OpenAIConfig:
    """`config` aimed at an audio endpoint: its own base URL (if given) and model."""
    if base_url.strip():
        return dataclasses.replace(config, base_url=base_url.strip().rstrip("/"), model=model,
                                   azure_endpoint="", azure_deployment="", preset="custom")
    # Azure routes by deployment: the audio model names its own deployment, not the chat one.
    return dataclasses.replace(config, model=model, azure_deployment="")


class _Endpoint:
    """One audio endpoint's client, made on first use and closed by `aclose`."""

    what = "audio"

    def __init__(self, config: OpenAIConfig) -> None:
        self.config = config
        self._client: AsyncOpenAI | None = None

    @property
    def model(self) -> str:
        """The endpoint's model."""
        return self.config.model_name

    def client(self) -> AsyncOpenAI:
        """The SDK client (retries are ours)."""
        if self._client is None:
            self._client = make_client(self.config)
        return self._client

    def failed(self, exc: EngineError) -> EngineError:
        """`exc` with the endpoint named."""
        # Audio endpoints are set in Settings > Voice, not with the chat server.
        text = str(exc).replace("in Settings.", "in Settings > Voice.")
        return EngineError(f"{self.what.capitalize()} failed: {text}", retryable=exc.retryable)

    async def aclose(self) -> None:
        """Close the client."""
        client, self._client = self._client, None
        if client is not None:
            await client.close()


class HttpTranscriber(_Endpoint):
    """Speech to text through an OpenAI-compatible /v1/audio/transcriptions."""

    what = "transcription"
    input_format = TRANSCRIPTION_FORMAT

    async def transcribe(self, pcm: bytes, fmt: AudioFormat) -> str:
        """The text of utterance `pcm` ("" when nothing was recognised)."""
        audio = wav_bytes(resample(pcm, fmt.sample_rate, self.input_format.sample_rate),
                          self.input_format)
        client = self.client()

        def call() -> Any:
            return client.audio.transcriptions.create(
                model=self.model, file=("speech.wav", audio, "audio/wav"))

        try:
            result = await with_retries(call, self.config)
        except EngineError as exc:
            raise self.failed(exc) from exc
        text = getattr(result, "text", result if isinstance(result, str) else "")
        return " ".join(str(text or "").split())[:MAX_TRANSCRIPT_CHARS]


class HttpSynthesizer(_Endpoint):
    """Text to speech through an OpenAI-compatible /v1/audio/speech, streamed as PCM."""

    what = "speech"
    output_format = REALTIME_FORMAT

    def __init__(self, config: OpenAIConfig, voice: str, speed: float = 1.0) -> None:
        super().__init__(config)
        self.voice, self.speed = voice, speed

    async def synthesize(self, text: str) -> AsyncIterator[bytes]:
        """PCM16 24 kHz chunks of `text` spoken, the first as soon as the server sends it."""
        speech = self.client().audio.speech.with_streaming_response

        def call() -> Any:
            return speech.create(model=self.model, voice=self.voice, input=text[:4000],
                                 response_format="pcm", speed=self.speed).__aenter__()

        try:
            response = await with_retries(call, self.config)
        except EngineError as exc:
            raise self.failed(exc) from exc
        try:
            async for chunk in _pcm_chunks(response):
                yield chunk
        finally:
            await response.close()


async def _pcm_chunks(response: Any) -> AsyncIterator[bytes]:
    """The response body as 24 kHz PCM; a server answering WAV instead is converted."""
    head = b""
    total = 0
    is_wav: bool | None = None
    async for chunk in response.iter_bytes(SPEECH_CHUNK):
        total += len(chunk)
        if total > MAX_SPEECH_BYTES:
            raise EngineError("Speech failed: the server sent far too much audio.")
        if is_wav is None:
            head += chunk
            if len(head) < 4:
                continue
            is_wav, chunk, head = head.startswith(b"RIFF"), head, b""
        if is_wav:
            head += chunk  # a WAV is parsed whole (its header says the rate)
        elif chunk:
            yield chunk
    if is_wav:
        try:
            pcm, fmt = parse_wav(head, "speech")
        except AudioFileError as exc:
            raise EngineError(f"Speech failed: {exc}") from exc
        yield resample(pcm, fmt.sample_rate, REALTIME_FORMAT.sample_rate)
    elif head:
        yield head

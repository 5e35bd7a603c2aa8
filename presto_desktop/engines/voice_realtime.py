"""The realtime voice engine: OpenAI / Azure `gpt-realtime` over one WebSocket (openai SDK).

Server VAD and input transcription, the mode's prompt + persona facts + the chat tools,
response.cancel on barge-in, one reconnect after a dropped socket. Events are read as raw
JSON so both the GA names (response.output_audio.delta) and the beta ones
(response.audio.delta) work. Imports openai lazily.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import logging
import math
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from presto_desktop.core.audio.pcm import REALTIME_FORMAT, AudioFormat
from presto_desktop.core.audio.vad import MAX_UTTERANCE_S
from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.errors import EngineError
from presto_desktop.core.models import Mode
from presto_desktop.engines.openai_chat import TOOLS, system_prompt, validate_tool_call
from presto_desktop.engines.voice_base import (
    AssistantDelta,
    AudioChunk,
    TurnDone,
    UserSpeechStarted,
    UserTranscript,
    VoiceError,
    VoiceEvent,
    VoiceNotice,
    VoicePath,
    VoiceUnavailable,
    voice_mode,
)

if TYPE_CHECKING:
    from presto_desktop.engines.openai_config import OpenAIConfig

log = logging.getLogger(__name__)
MAX_EVENT_BYTES = 16 * 1024 * 1024
PRIMED_TURNS = 8  # earlier turns sent as context on (re)connect
END_SILENCE_S = 1.0  # appended by end_input so the server's VAD ends the utterance
RECONNECTING = "The voice connection dropped; reconnecting once…"
RECONNECTED = "Voice reconnected; please repeat what was not answered."
LOST_AGAIN = "The voice connection was lost again; turn voice off and on to retry."
CAPPED = "Stopped listening after 10 minutes of speech; answering what was said."
_IGNORED_ERRORS = {"response_cancel_not_active", "conversation_already_has_active_response"}


class RealtimeUnavailable(VoiceUnavailable):
    """The server (or the installed SDK) has no realtime endpoint: use the pipeline."""


class RealtimeVoiceEngine:
    """A VoiceEngine over the Realtime API."""

    def __init__(self, config: OpenAIConfig, *, model: str, voice: str, speed: float = 1.0,
                 transcription_model: str = "gpt-4o-mini-transcribe",
                 max_utterance_s: float = MAX_UTTERANCE_S) -> None:
        self._config, self._model = config, model
        self._voice, self._speed, self._transcribe = voice, speed, transcription_model
        self._events: asyncio.Queue[VoiceEvent | None] = asyncio.Queue()
        self._client: Any = None
        self._conn: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._mode: Mode | None = None
        self._history: list[ChatMessage] = []
        self._reconnected = False
        self._closing = False
        self._turn = _Turn()
        self._cap = REALTIME_FORMAT.bytes_for(max_utterance_s)
        self._speech_bytes: int | None = None  # audio sent since the server heard speech start

    @property
    def label(self) -> str:
        """E.g. 'Realtime (gpt-realtime)'."""
        return f"Realtime ({self._model})"

    @property
    def path(self) -> VoicePath:
        """Always 'realtime'."""
        return "realtime"

    @property
    def input_format(self) -> AudioFormat:
        """24 kHz PCM16 mono."""
        return REALTIME_FORMAT

    @property
    def output_format(self) -> AudioFormat:
        """24 kHz PCM16 mono."""
        return REALTIME_FORMAT

    async def start(self, mode: Mode, history: list[ChatMessage]) -> None:
        """Connect, configure the session and start reading; RealtimeUnavailable -> pipeline."""
        self._mode, self._history = mode, list(history)
        await self._connect()
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def update_mode(self, mode: Mode, history: list[ChatMessage]) -> None:
        """New instructions and persona for the rest of the conversation."""
        self._mode, self._history = mode, list(history)
        await self._send(self._session_update())

    async def send_audio(self, pcm: bytes) -> None:
        """Append microphone audio to the server's input buffer."""
        if not pcm:
            return
        await self._send({"type": "input_audio_buffer.append",
                          "audio": base64.b64encode(pcm).decode("ascii")})
        if self._speech_bytes is not None:
            self._speech_bytes += len(pcm)
            if self._speech_bytes >= self._cap:  # the per-utterance cap: answer what was said
                self._speech_bytes = None
                self._events.put_nowait(VoiceNotice(CAPPED))
                await self._send({"type": "input_audio_buffer.commit"})
                await self._send({"type": "response.create"})

    async def end_input(self) -> None:
        """Trailing silence, so the server's VAD ends the utterance and answers it."""
        await self.send_audio(REALTIME_FORMAT.silence(END_SILENCE_S))

    async def cancel_response(self, played_ms: int | None = None) -> None:
        """response.cancel, and tell the server how much of its audio was heard."""
        turn = self._turn
        if not turn.active:
            return
        await self._send({"type": "response.cancel"})
        if turn.item_id and played_ms is not None:
            await self._send({"type": "conversation.item.truncate", "item_id": turn.item_id,
                              "content_index": 0, "audio_end_ms": max(0, played_ms)})

    async def events(self) -> AsyncIterator[VoiceEvent]:
        """The events, until aclose or a second lost connection."""
        while (event := await self._events.get()) is not None:
            yield event

    async def aclose(self) -> None:
        """Close the socket and the client; the event stream ends."""
        self._closing = True
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        await self._disconnect()
        self._events.put_nowait(None)

    # -- connection ------------------------------------------------------------------------
    async def _connect(self) -> None:
        """Open the WebSocket and send the session configuration and recent turns."""
        from presto_desktop.engines.openai_client import make_client

        if self._client is None:
            # Building the client loads the TLS certificates (tens of ms, the GIL released):
            # off the loop, so starting voice never stalls it.
            self._client = await asyncio.to_thread(make_client, self._config)
        try:
            manager = self._client.realtime.connect(model=self._model)
            self._conn = await manager.enter()
        except AttributeError as exc:
            raise RealtimeUnavailable("The installed openai package has no realtime client.") from exc
        except Exception as exc:  # noqa: BLE001 - websockets/SDK errors become one line
            raise _connect_fault(exc, self._config.server_url) from exc
        await self._send(self._session_update())
        for message in self._history[-PRIMED_TURNS:]:
            if message.content.strip():
                await self._send(_history_item(message))

    async def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.close()

    async def _send(self, event: dict[str, Any]) -> None:
        """Send one client event; a closed socket is left to the reader to notice."""
        conn = self._conn
        if conn is None:
            return
        try:
            await conn.send_raw(json.dumps(event))
        except Exception as exc:  # noqa: BLE001 - the reader reports the drop once
            log.info("realtime send failed: %s", type(exc).__name__)

    def _session_update(self) -> dict[str, Any]:
        """The session: instructions, audio formats, server VAD, transcription, voice, tools."""
        assert self._mode is not None
        pcm = {"type": "audio/pcm", "rate": REALTIME_FORMAT.sample_rate}
        tools = [{"type": "function", **tool["function"]} for tool in TOOLS]
        return {"type": "session.update", "session": {
            "type": "realtime",
            "instructions": system_prompt(voice_mode(self._mode)),
            "output_modalities": ["audio"],
            "audio": {
                "input": {"format": pcm, "transcription": {"model": self._transcribe},
                          "turn_detection": {"type": "server_vad", "silence_duration_ms": 600,
                                             "create_response": True,
                                             "interrupt_response": True}},
                "output": {"format": pcm, "voice": self._voice, "speed": self._speed},
            },
            "tools": tools,
            "tool_choice": "auto",
        }}

    async def _read(self) -> None:
        """Read events until closed; a drop reconnects once, a second one ends the stream."""
        while not self._closing:
            try:
                raw = await self._conn.recv_bytes()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - ConnectionClosed and friends
                if not await self._dropped(exc):
                    return
                continue
            if len(raw) > MAX_EVENT_BYTES:
                continue
            try:
                event = json.loads(raw)
            except (ValueError, RecursionError):
                continue
            if isinstance(event, dict):
                await self._handle(event)

    async def _dropped(self, exc: BaseException) -> bool:
        """The socket dropped: end the reply as 'dropped', reconnect once; False to stop."""
        if self._closing:
            return False
        log.info("realtime connection dropped: %s", type(exc).__name__)
        if self._turn.active:
            self._events.put_nowait(TurnDone(cut_off=True, reason="dropped"))
        self._turn = _Turn()
        if self._reconnected:
            self._events.put_nowait(VoiceError(LOST_AGAIN, retryable=True))
            self._events.put_nowait(None)
            return False
        self._reconnected = True
        self._events.put_nowait(VoiceNotice(RECONNECTING))
        with contextlib.suppress(Exception):
            await self._conn.close()
        try:
            await self._connect()
        except EngineError as error:
            self._events.put_nowait(VoiceError(str(error), error.retryable))
            self._events.put_nowait(None)
            return False
        self._events.put_nowait(VoiceNotice(RECONNECTED))
        return True

    # -- server events ---------------------------------------------------------------------
    async def _handle(self, event: dict[str, Any]) -> None:
        """Map one server event to VoiceEvents (and answer tool calls)."""
        kind, put, turn = str(event.get("type", "")), self._events.put_nowait, self._turn
        if kind == "input_audio_buffer.speech_started":
            self._speech_bytes = 0
            put(UserSpeechStarted())
        elif kind == "input_audio_buffer.speech_stopped":
            self._speech_bytes = None
        elif kind == "conversation.item.input_audio_transcription.delta":
            turn.heard += str(event.get("delta", ""))
            put(UserTranscript(turn.heard, final=False))
        elif kind == "conversation.item.input_audio_transcription.completed":
            text = " ".join(str(event.get("transcript", "")).split())
            turn.heard = ""
            self._history.append(ChatMessage("user", text))
            put(UserTranscript(text, final=True))
        elif kind == "response.created":
            turn.active = True
        elif kind in ("response.output_audio.delta", "response.audio.delta"):
            turn.item_id = str(event.get("item_id") or turn.item_id)
            pcm = _b64(event.get("delta"))
            if pcm:
                put(AudioChunk(pcm))
        elif kind in ("response.output_audio_transcript.delta", "response.audio_transcript.delta",
                      "response.output_text.delta", "response.text.delta"):
            turn.said += str(event.get("delta", ""))
            put(AssistantDelta(str(event.get("delta", ""))))
        elif kind == "response.function_call_arguments.done":
            await self._tool_call(event)
        elif kind == "response.done":
            await self._response_done(event.get("response") or {})
        elif kind == "error":
            self._server_error(event.get("error") or {})

    async def _tool_call(self, event: dict[str, Any]) -> None:
        """Validate and show the call, then tell the model it was shown."""
        result = validate_tool_call(str(event.get("name", "")), str(event.get("arguments", "")))
        if isinstance(result, ToolCall):
            self._events.put_nowait(result)
            output = "shown on the customer's dashboard"
        else:
            log.info("realtime tool call %s", result)
            output = result
        self._turn.follow_up = True
        await self._send({"type": "conversation.item.create", "item": {
            "type": "function_call_output", "call_id": str(event.get("call_id", "")),
            "output": output}})

    async def _response_done(self, response: dict[str, Any]) -> None:
        """A response ended: ask for the spoken follow-up after tool calls, else end the turn."""
        status = str(response.get("status", "completed"))
        turn = self._turn
        if status == "completed" and turn.follow_up and not turn.followed:
            turn.follow_up, turn.followed = False, True
            await self._send({"type": "response.create"})  # speak about what was shown
            return
        if turn.said:
            self._history.append(ChatMessage("assistant", turn.said))
        if status == "failed":
            error = (response.get("status_details") or {}).get("error") or {}
            self._events.put_nowait(VoiceError(
                f"The realtime reply failed: {str(error.get('message') or 'no reason given')[:160]}"))
        reason = {"completed": "stop", "cancelled": "cancelled"}.get(status, "incomplete")
        self._events.put_nowait(TurnDone(cut_off=status != "completed", reason=reason))  # type: ignore[arg-type]
        self._turn = _Turn()

    def _server_error(self, error: dict[str, Any]) -> None:
        code = str(error.get("code") or "")
        if code in _IGNORED_ERRORS:
            return
        message = " ".join(str(error.get("message") or code or "unknown error").split())[:160]
        self._events.put_nowait(VoiceError(f"The realtime server reported: {message}"))


class _Turn:
    """What the current response said and did."""

    def __init__(self) -> None:
        self.active = False
        self.item_id = ""
        self.said = ""
        self.heard = ""
        self.follow_up = False  # a tool call asks for a spoken follow-up response
        self.followed = False


def _b64(value: object) -> bytes:
    try:
        return base64.b64decode(str(value or ""), validate=True)
    except (binascii.Error, ValueError):
        return b""


def _history_item(message: ChatMessage) -> dict[str, Any]:
    kind = "input_text" if message.role == "user" else "output_text"
    return {"type": "conversation.item.create", "item": {
        "type": "message", "role": message.role,
        "content": [{"type": kind, "text": message.content[:4000]}]}}


def _connect_fault(exc: BaseException, url: str) -> EngineError:
    """One line for a failed WebSocket connect; 404/400-style answers mean no realtime here."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) or getattr(exc, "status_code", None)
    if status in (400, 404, 405, 426, 501):
        return RealtimeUnavailable(f"The server at {url} offers no realtime endpoint (HTTP {status}).")
    if status in (401, 403):
        return EngineError(f"The realtime endpoint at {url} refused the API key (HTTP {status}).",
                           retryable=False)
    if status == 429:
        wait = _retry_after(getattr(response, "headers", None))
        when = f"in {math.ceil(wait)} s" if wait else "in a moment"
        return EngineError(f"The realtime endpoint at {url} is rate-limiting (HTTP 429); "
                           f"try voice again {when}.")
    if status and status >= 500:
        return EngineError(f"The realtime endpoint at {url} failed (HTTP {status}); "
                           "try again later.")
    if status:
        return EngineError(f"The realtime endpoint at {url} failed (HTTP {status}).")
    if type(exc).__name__ == "OpenAIError" and "realtime" in str(exc):
        return RealtimeUnavailable("Realtime needs the `openai[realtime]` extra (websockets).")
    return EngineError(f"Could not open the realtime connection to {url} ({type(exc).__name__}).")


def _retry_after(headers: Any) -> float | None:
    """Retry-After from the handshake's answer, in seconds (None when absent or odd)."""
    try:
        value = float((headers or {}).get("Retry-After", ""))
    except (TypeError, ValueError, AttributeError):
        return None
    return value if math.isfinite(value) and value >= 0 else None

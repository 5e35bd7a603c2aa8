"""A loopback fake of the Realtime WebSocket protocol (GA event names), for the real openai SDK.

Serves ws://127.0.0.1:<port>/v1/realtime from a thread (websockets' sync server). Once the
client has appended `speech_bytes` of audio it plays the server's part: speech started and
stopped, the input transcription, then a scripted response (transcript deltas, audio deltas,
optionally a tool call with a spoken follow-up). Scripted faults: a handshake status (no
realtime here), a socket dropped mid-reply, a barge-in that waits for response.cancel.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
from dataclasses import dataclass, field
from typing import Any, Self

from websockets.sync.server import Server, ServerConnection, serve

CHART_ARGS = json.dumps({"type": "bar", "title": "Spending", "unit": "$",
                         "points": [{"label": "Jan", "value": 40}, {"label": "Feb", "value": 80}]})


@dataclass
class RealtimeScript:
    """What the fake server does."""

    handshake_status: int | None = None  # e.g. 404: this server has no realtime endpoint
    handshake_headers: dict[str, str] = field(default_factory=dict)  # e.g. Retry-After
    speech_bytes: int = 24_000  # audio appended before the server "hears" the question
    transcript: str = "How much did I spend on flowers?"
    reply: list[str] = field(default_factory=lambda: ["You spent ", "$240 this year. ",
                                                      "The chart shows each month."])
    audio_delta: bytes = b"\x00\x10" * 2400  # 100 ms of 24 kHz PCM16 per transcript delta
    tool_call: bool = False  # show_chart first, then a spoken follow-up after response.create
    drop_after: int | None = None  # close the socket after this many audio deltas...
    drop_connections: int = 1  # ...on this many connections (2: the reconnect drops too)
    barge_after: int | None = None  # user speaks after this many audio deltas; await cancel


class FakeRealtime:
    """`with FakeRealtime(script) as server: server.base_url`."""

    def __init__(self, script: RealtimeScript | None = None) -> None:
        self.script = script or RealtimeScript()
        self.received: list[dict[str, Any]] = []
        self.connections = 0
        self.first_audio_in: float | None = None
        self._server: Server = serve(self._handle, "127.0.0.1", 0,
                                     process_request=self._process_request)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>/v1 (the SDK turns it into ws://.../v1/realtime)."""
        return f"http://127.0.0.1:{self._server.socket.getsockname()[1]}/v1"

    def types(self) -> list[str]:
        """The client event types received, in order."""
        return [event.get("type", "") for event in self.received]

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._thread.join(5)

    def _process_request(self, connection: ServerConnection, request: Any) -> Any:
        if self.script.handshake_status:
            response = connection.respond(self.script.handshake_status, "no realtime here\n")
            for name, value in self.script.handshake_headers.items():
                response.headers[name] = value
            return response
        return None

    def _handle(self, ws: ServerConnection) -> None:
        self.connections += 1
        number = self.connections
        send = _sender(ws)
        send({"type": "session.created", "session": {"type": "realtime"}})
        appended, answered, dropped = 0, False, False
        try:
            for message in ws:
                event = json.loads(message)
                self.received.append(event)
                kind = event.get("type")
                if dropped:
                    continue  # read until the client gives up on this socket (no RST)
                if kind == "input_audio_buffer.append":
                    appended += len(base64.b64decode(event.get("audio", "")))
                    if not answered and appended >= self.script.speech_bytes:
                        answered = True
                        dropped = not self._answer(send, ws, number)
                elif kind == "response.cancel":
                    send({"type": "response.done", "response": {"status": "cancelled"}})
                elif kind == "response.create" and answered:
                    dropped = not self._reply(send, ws, number, ["I put the chart on screen."],
                                              "item_2")
        except Exception:  # noqa: BLE001 - a client gone is the end of this connection
            return

    def _answer(self, send: Any, ws: ServerConnection, number: int) -> bool:
        """Hear the question, then reply; False when the socket was dropped."""
        send({"type": "input_audio_buffer.speech_started", "audio_start_ms": 0})
        send({"type": "input_audio_buffer.speech_stopped", "audio_end_ms": 1000})
        send({"type": "conversation.item.input_audio_transcription.delta", "item_id": "u1",
              "delta": self.script.transcript[:8]})
        send({"type": "conversation.item.input_audio_transcription.completed", "item_id": "u1",
              "content_index": 0, "transcript": self.script.transcript})
        if self.script.tool_call:
            send({"type": "response.created", "response": {"id": "r0"}})
            send({"type": "response.function_call_arguments.done", "name": "show_chart",
                  "call_id": "call_1", "arguments": CHART_ARGS, "item_id": "fc1",
                  "output_index": 0, "response_id": "r0"})
            send({"type": "response.done", "response": {"status": "completed"}})
            return True
        return self._reply(send, ws, number, self.script.reply, "item_1")

    def _reply(self, send: Any, ws: ServerConnection, number: int, parts: list[str],
               item: str) -> bool:
        script = self.script
        send({"type": "response.created", "response": {"id": item}})
        for index, part in enumerate(parts):
            if script.drop_after == index and number <= script.drop_connections:
                # No close frame: a dropped connection. Only the sending side is shut, and the
                # handler reads on: closing a socket with unread input sends an RST, which
                # can discard the events the client has not read yet.
                ws.socket.shutdown(socket.SHUT_WR)
                return False
            if script.barge_after == index:
                send({"type": "input_audio_buffer.speech_started", "audio_start_ms": 2000})
                return True  # the client's response.cancel ends this response
            send({"type": "response.output_audio_transcript.delta", "item_id": item,
                  "delta": part})
            send({"type": "response.output_audio.delta", "item_id": item,
                  "delta": base64.b64encode(script.audio_delta).decode()})
        send({"type": "response.done", "response": {"status": "completed"}})
        return True


def _sender(ws: ServerConnection) -> Any:
    def send(event: dict[str, Any]) -> None:
        ws.send(json.dumps(event))
    return send

"""A loopback OpenAI-compatible HTTP server with scripted behaviours, for driving the real SDK.

Binds 127.0.0.1 on an ephemeral port, serves from a background thread, stops by itself after
`lifetime_s`. Every loop is bounded. It records requests and whether a client closed early.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

MODEL = "test-model"

SAMPLE_GENERATION: dict[str, Any] = {
    "industry": "florist",
    "company_name": "Petal & Stem",
    "mode_name": "Petal & Stem Florists",
    "tagline": "Fresh flowers, delivered with care",
    "primary_color": "#C2185B",
    "personality": "Warm, cheerful and precise.",
    "system_prompt": "You are the customer assistant of Petal & Stem, a florist.",
    "welcome_message": "Welcome to Petal & Stem! How can I brighten your day?",
    "tabs": [
        {"label": "Orders", "icon": "package", "prompt": "Show my recent orders."},
        {"label": "Deliveries", "icon": "truck", "prompt": "When is my next delivery?"},
        {"label": "Rewards", "icon": "star", "prompt": "How many points do I have?"},
    ],
    "metrics": [
        {"label": "Orders this year", "value": 12, "unit": ""},
        {"label": "On-time delivery", "value": 98.5, "unit": "%"},
    ],
    "persona_kind": "generic",
    "persona_details": [{"label": "Favourite flower", "choices": ["Roses", "Tulips", "Lilies"]}],
    "persona_items": ["Rose bouquet", "Tulip bunch", "Orchid pot"],
    "suggested_prompts": ["Track my order", "Show my spending"],
    "offline_content": [
        {
            "question": "How much did I spend on flowers?",
            "keywords": ["spend", "spending"],
            "answer": "You spent $240 this year.",
            "chart": {"type": "bar", "title": "Spending by month", "unit": "$",
                      "points": [{"label": "Jan", "value": 40}, {"label": "Feb", "value": 80}]},
        },
        {"question": "Do you deliver on Sundays?", "keywords": ["sunday"],
         "answer": "Yes, in the city centre.", "chart": None},
    ],
}
REFINE_ANSWER = {"is_mode_request": True, "industry": "banking", "company": "Wells Fargo"}


def sse(payload: Any) -> bytes:
    """One server-sent event (payload dict, or a raw data string)."""
    data = payload if isinstance(payload, str) else json.dumps(payload)
    return f"data: {data}\n\n".encode()


def chunk(delta: dict, finish: str | None = None) -> dict:
    """A chat.completion.chunk."""
    return {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": MODEL,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def text_chunks(text: str, pieces: int) -> list[dict]:
    """`text` split into `pieces` content deltas (the first one carries the role)."""
    size = max(1, -(-len(text) // pieces))
    parts = [text[i : i + size] for i in range(0, len(text), size)]
    return [chunk({"role": "assistant", "content": parts[0]})] + [
        chunk({"content": p}) for p in parts[1:]
    ]


def tool_chunks(index: int, name: str, arguments: str, fragments: int) -> list[dict]:
    """A tool call streamed as the name first, then the arguments in `fragments` pieces."""
    size = max(1, -(-len(arguments) // fragments))
    first = chunk({"tool_calls": [{"index": index, "id": f"call_{index}", "type": "function",
                                   "function": {"name": name, "arguments": ""}}]})
    rest = [chunk({"tool_calls": [{"index": index, "function": {"arguments": arguments[i:i + size]}}]})
            for i in range(0, len(arguments), size)]
    return [first, *rest]


@dataclass
class Script:
    """What the server does. Queues are consumed first; then the defaults apply."""

    # (status, headers, body) answers returned before anything else, one per request.
    statuses: deque = field(default_factory=deque)
    always_status: tuple[int, dict, dict] | None = None
    reject_formats: set[str] = field(default_factory=set)
    lmstudio: bool = False  # rejects json_object like LM Studio does
    reject_tools: bool = False
    # Contents for non-streamed completions (consumed in order); default: SAMPLE_GENERATION.
    contents: deque = field(default_factory=deque)
    finish_reason: str = "stop"
    refusal: str | None = None
    delay_s: float = 0.0  # before answering
    # Streaming: events (dicts or raw strings), pacing and how the stream ends.
    stream_events: list[Any] = field(default_factory=list)
    chunk_delay_s: float = 0.0
    stream_end: str = "done"  # done | cut (no [DONE]) | abort (socket reset) | hang (until close)
    hang_limit_s: float = 5.0
    # Per request: the stream's events from the request body (instead of stream_events), and
    # gates a stream waits on (up to hang_limit_s) when its last user message contains the key.
    stream_for: Callable[[dict], list[Any]] | None = None
    gates: dict[str, threading.Event] = field(default_factory=dict)
    # Before this stream event, wait (bounded) until /audio/speech was asked: proves speech
    # starts before the reply is complete, without timing.
    pause_stream_at: int | None = None
    # Audio endpoints: the transcript, the speech PCM (24 kHz PCM16), and per-path answers
    # ({"/v1/audio/speech": deque([(status, headers, body)])}) consumed before the defaults.
    transcript: str = "How much did I spend on flowers?"
    speech_pcm: bytes = b"\x00\x08" * 2400
    speech_wav: bool = False  # answer speech as a WAV file (servers that ignore "pcm")
    path_statuses: dict = field(default_factory=dict)
    # /images/generations: (status, body) answers consumed first; then `image_bytes` as b64_json.
    images: deque = field(default_factory=deque)
    image_bytes: bytes = b""


class FakeOpenAI:
    """The server: `with FakeOpenAI(script) as server: server.base_url`."""

    def __init__(self, script: Script | None = None, *, lifetime_s: float = 60.0) -> None:
        self.script = script or Script()
        self.requests: list[dict[str, Any]] = []
        self.client_closed = threading.Event()
        self.stream_started = threading.Event()
        self.speech_requested = threading.Event()
        self.first_event_at: float | None = None  # perf_counter when the first SSE event left
        self.handled_s: list[float] = []  # server time per POST, delays included
        self.active = 0  # POSTs being handled now, and the most at once
        self.max_active = 0
        self._count_lock = threading.Lock()
        self.lifetime_s = lifetime_s
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._timer = threading.Timer(lifetime_s, self.stop)
        self._timer.daemon = True

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>/v1"""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def _serve(self) -> None:
        self._httpd.serve_forever(poll_interval=0.05)

    def start(self) -> FakeOpenAI:
        """Start serving in a background thread."""
        self._thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._timer.cancel()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def bodies(self, path: str = "/v1/chat/completions") -> list[dict]:
        """Request bodies received on `path`."""
        return [r["body"] for r in self.requests if r["path"] == path]


def _handler(server: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # like real servers; avoids 40 ms delayed-ACK stalls

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def _json(self, status: int, body: Any, headers: dict | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            server.requests.append({"path": self.path, "body": None,
                                    "headers": {k.lower(): v for k, v in self.headers.items()}})
            script = server.script
            if script.always_status:
                self._json(*_status(script.always_status))
                return
            if self.path.rstrip("/").endswith("/models"):
                self._json(200, {"object": "list", "data": [
                    {"id": MODEL, "object": "model", "created": 0, "owned_by": "test"},
                    {"id": "other-model", "object": "model", "created": 0, "owned_by": "test"},
                ]})
                return
            self._json(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            started = time.perf_counter()
            with server._count_lock:
                server.active += 1
                server.max_active = max(server.max_active, server.active)
            try:
                self._post()
            finally:
                with server._count_lock:
                    server.active -= 1
                server.handled_s.append(time.perf_counter() - started)

        def _post(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if "/audio/" in self.path:
                self._audio(self.rfile.read(length))
                return
            body = json.loads(self.rfile.read(length) or b"{}")
            server.requests.append({"path": self.path, "body": body,
                                    "headers": {k.lower(): v for k, v in self.headers.items()}})
            script = server.script
            if script.delay_s:
                time.sleep(script.delay_s)
            if self.path.endswith("/images/generations"):
                self._json(*(script.images.popleft() if script.images else (200, {
                    "created": 0, "data": [{"b64_json": base64.b64encode(
                        script.image_bytes).decode()}]})))
                return
            if script.statuses:
                self._json(*_status(script.statuses.popleft()))
                return
            if script.always_status:
                self._json(*_status(script.always_status))
                return
            if body.get("model") not in (MODEL, "other-model"):
                self._json(404, {"error": {"message": f"model {body.get('model')!r} not found",
                                           "code": "model_not_found"}})
                return
            fmt = (body.get("response_format") or {}).get("type")
            if fmt in script.reject_formats:
                self._json(400, {"error": {"message": f"response_format {fmt} is not supported"}})
                return
            if script.lmstudio and fmt == "json_object":
                self._json(400, {"error": "'response_format.type' must be 'json_schema'"})
                return
            if body.get("tools") and script.reject_tools:
                self._json(400, {"error": {"message": "this model does not support tools"}})
                return
            if body.get("stream"):
                self._stream(body)
                return
            self._complete(body)

        def _audio(self, raw: bytes) -> None:
            """The two audio endpoints: multipart transcription, JSON speech."""
            script = server.script
            is_speech = self.path.endswith("/audio/speech")
            body = json.loads(raw or b"{}") if is_speech else {"multipart_bytes": len(raw)}
            server.requests.append({"path": self.path, "body": body,
                                    "headers": {k.lower(): v for k, v in self.headers.items()}})
            if is_speech:
                server.speech_requested.set()
            queued = script.path_statuses.get(self.path)
            if queued:
                self._json(*_status(queued.popleft()))
                return
            if script.always_status:
                self._json(*_status(script.always_status))
                return
            if not is_speech:
                self._json(200, {"text": script.transcript})
                return
            data = script.speech_pcm
            if script.speech_wav:
                data = _wav(data)
            self.send_response(200)
            self.send_header("Content-Type", "audio/wav" if script.speech_wav else "audio/pcm")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _complete(self, body: dict) -> None:
            script = server.script
            system = " ".join(str(m.get("content")) for m in body.get("messages", [])
                              if m.get("role") == "system")
            if script.contents:
                content = script.contents.popleft()
            elif system.startswith("Classify"):
                content = json.dumps(REFINE_ANSWER)
            else:
                content = json.dumps(SAMPLE_GENERATION)
            if script.refusal:
                content = None
            message = {"role": "assistant", "content": content, "refusal": script.refusal}
            self._json(200, {"id": "x", "object": "chat.completion", "created": 0, "model": MODEL,
                             "choices": [{"index": 0, "message": message,
                                          "finish_reason": script.finish_reason}]})

        def _write_chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _stream(self, body: dict) -> None:
            script = server.script
            asked = last_user_message(body)
            for key, gate in script.gates.items():
                if key in asked:
                    gate.wait(script.hang_limit_s)
            events = script.stream_for(body) if script.stream_for else script.stream_events
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            server.stream_started.set()
            try:
                for index, event in enumerate(events):
                    if index == script.pause_stream_at:
                        server.speech_requested.wait(10)
                    self._write_chunk(sse(event))
                    if server.first_event_at is None:
                        server.first_event_at = time.perf_counter()
                    if script.chunk_delay_s:
                        time.sleep(script.chunk_delay_s)
                if script.stream_end == "done":
                    self._write_chunk(sse("[DONE]"))
                elif script.stream_end == "abort":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                               b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    self.connection.close()
                    self.close_connection = True
                    return
                elif script.stream_end == "hang":
                    deadline = time.monotonic() + script.hang_limit_s
                    while time.monotonic() < deadline:
                        self._write_chunk(b": keep-alive\n\n")
                        time.sleep(0.02)
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
                server.client_closed.set()
                self.close_connection = True

    return Handler


def last_user_message(body: dict) -> str:
    """The content of the request's last user message ('' when none)."""
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    return str(users[-1].get("content", "")) if users else ""


def _wav(pcm: bytes, rate: int = 24_000) -> bytes:
    """`pcm` as a mono PCM16 WAV file."""
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(pcm)
    return buffer.getvalue()


def _status(item: tuple[int, dict, dict]) -> tuple[int, dict, dict]:
    status, headers, body = item
    return status, body, headers

"""The offline engine's worker process: builds modes outside the window's process and its GIL.

Started as `presto-desktop --offline-worker` (engines/offline_process.py starts it). It reads
one JSON request per line on stdin and answers one line each on stdout:
`R <id>` (warmed up), `M <id> <mode JSON>` (a mode), `E <id> <reason>` (that request failed),
after a first line `S 0` (started).
It exits when stdin closes, so it never outlives the window that started it.
"""

from __future__ import annotations

import json
import sys
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from presto_desktop.core.triggers import ModeRequest
    from presto_desktop.engines.offline import OfflineEngine

WORKER_FLAG = "--offline-worker"  # the command line's hidden switch that runs serve()
_MAX_LINE = 4 * 1024 * 1024  # a request longer than this is refused, not read into memory


def serve(requests: IO[bytes] | None = None, replies: IO[bytes] | None = None) -> int:
    """Answer requests until stdin closes; returns the exit code (always 0)."""
    requests = requests or sys.stdin.buffer
    replies = replies or sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the replies
    replies.write(b"S 0\n")  # started: the window learns at once that its replies arrive
    replies.flush()
    from presto_desktop.engines.offline import OfflineEngine

    engine = OfflineEngine()
    while True:
        line = requests.readline(_MAX_LINE + 1)
        if not line:
            return 0
        replies.write(answer(engine, line))
        replies.flush()


def answer(engine: OfflineEngine, line: bytes) -> bytes:
    """The reply line to one request line (never raises)."""
    ident = 0
    try:
        message = json.loads(line)
        ident = int(message["id"])
        if message.get("op") == "warm":
            engine.warm()
            return f"R {ident}\n".encode()
        mode = engine.build_mode(_request(message.get("request")),
                                 taken_names={str(n) for n in message.get("taken") or []})
        return f"M {ident} ".encode() + mode.model_dump_json().encode() + b"\n"
    except Exception as exc:  # noqa: BLE001 - one failed request; the window builds it itself
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        return f"E {ident} {reason}\n".encode()


def _request(fields: Any) -> ModeRequest:
    """The ModeRequest a request line carries (TypeError when it is not one)."""
    from presto_desktop.core.triggers import ModeRequest

    if not isinstance(fields, dict) or not all(isinstance(v, str | None) for v in fields.values()):
        raise TypeError("not a mode request")
    return ModeRequest(**fields)


__all__ = ["WORKER_FLAG", "answer", "serve"]

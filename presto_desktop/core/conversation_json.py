"""Conversation messages as JSON: caps on every size, untrusted input checked field by field."""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.patterns import SLUG_PATTERN

FORMAT_VERSION = 1
MAX_MESSAGES = 2_000
MAX_MESSAGE_BYTES = 64 * 1024
MAX_TOOL_CALLS = 16
MAX_TOOL_ARGS_BYTES = 64 * 1024
# A file larger than every cap allows cannot be ours: set it aside rather than parse it.
MAX_FILE_BYTES = 256 * 1024 * 1024
TOOL_NAMES = ("show_chart", "show_metrics")
ROLES = ("user", "assistant")
STATUSES = ("stop", "stopped", "incomplete", "error")
_SLUG_RE = re.compile(SLUG_PATTERN)
_ID_RE = re.compile(r"[A-Za-z0-9-]{1,64}")


def _cap_text(text: str, limit: int = MAX_MESSAGE_BYTES) -> str:
    """Cut `text` to at most `limit` UTF-8 bytes without splitting a character."""
    if len(text) * 4 <= limit:
        return text
    data = text.encode("utf-8", errors="replace")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def _tool_to_json(call: ToolCall) -> dict[str, Any] | None:
    """A tool call as JSON, or None when it is unknown or too big to keep."""
    if call.name not in TOOL_NAMES or not isinstance(call.arguments, dict):
        return None
    try:
        size = len(json.dumps(call.arguments, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError, RecursionError):
        return None
    if size > MAX_TOOL_ARGS_BYTES:
        return None
    return {"name": call.name, "arguments": call.arguments}


def message_to_json(message: ChatMessage) -> dict[str, Any]:
    """One message as a JSON object, capped."""
    tools = [t for t in (_tool_to_json(c) for c in message.tool_calls[:MAX_TOOL_CALLS]) if t]
    status = message.status if message.status in STATUSES else "stop"
    return {
        "role": message.role,
        "content": _cap_text(message.content),
        "status": status,
        "tool_calls": tools,
        "id": message.id,
        "at": message.at,
    }


def tool_call_from_json(item: Any) -> ToolCall | None:
    """A chart or metrics call from untrusted JSON, or None when it is not one (or too big)."""
    if not isinstance(item, dict) or item.get("name") not in TOOL_NAMES:
        return None
    if not isinstance(item.get("arguments"), dict):
        return None
    call = ToolCall(item["name"], item["arguments"])
    return call if _tool_to_json(call) is not None else None


def _legacy_id(index: int, role: str, content: str) -> str:
    """A stable id for a message saved before messages had ids (same file, same id everywhere)."""
    digest = hashlib.sha256(f"{index}\0{role}\0{content}".encode("utf-8", "replace")).hexdigest()
    return f"legacy-{digest[:24]}"


def message_from_json(raw: Any, index: int = 0) -> ChatMessage | None:
    """A message from untrusted JSON (entry `index` of its file), or None when it is not one."""
    if not isinstance(raw, dict):
        return None
    role, content = raw.get("role"), raw.get("content")
    if role not in ROLES or not isinstance(content, str):
        return None
    status = raw.get("status", "stop")
    if status not in STATUSES:
        status = "stop"
    calls: list[ToolCall] = []
    raw_calls = raw.get("tool_calls", [])
    if isinstance(raw_calls, list):
        for item in raw_calls[:MAX_TOOL_CALLS]:
            call = tool_call_from_json(item)
            if call is not None:
                calls.append(call)
    message_id = raw.get("id")
    if not isinstance(message_id, str) or not _ID_RE.fullmatch(message_id):
        message_id = _legacy_id(index, role, content)
    at = raw.get("at")
    if isinstance(at, bool) or not isinstance(at, (int, float)) or not math.isfinite(at):
        at = 0.0  # older files: before every new message, in file order
    return ChatMessage(role, _cap_text(content), tuple(calls), status, message_id, float(at))


# -- which conversation a file holds (conversation history) ---------------------------------
MAX_TITLE_CHARS = 200
_CONVERSATION_ID_RE = re.compile(r"[0-9]{13}-[a-z0-9]{1,24}")


def conversation_id(created_at: float, salt: str | None = None) -> str:
    """An id that sorts by creation time: milliseconds, then 8 hex digits (random or from `salt`)."""
    import uuid

    tail = (hashlib.sha256(salt.encode("utf-8", "replace")).hexdigest() if salt is not None
            else uuid.uuid4().hex)[:8]
    ms = min(max(0, int(created_at * 1000)), 10**13 - 1)
    return f"{ms:013d}-{tail}"


def is_conversation_id(value: Any) -> bool:
    """True for an id `conversation_id` could have made (safe as a file name)."""
    return isinstance(value, str) and _CONVERSATION_ID_RE.fullmatch(value) is not None


def meta_from_json(raw: Any) -> dict[str, Any] | None:
    """A file's `conversation` object (id, title, created_at) from untrusted JSON, else None."""
    if not isinstance(raw, dict) or not is_conversation_id(raw.get("id")):
        return None
    title, created = raw.get("title", ""), raw.get("created_at", 0.0)
    if not isinstance(title, str):
        title = ""
    if isinstance(created, bool) or not isinstance(created, (int, float)) or not math.isfinite(created):
        created = 0.0
    return {"id": raw["id"], "title": title[:MAX_TITLE_CHARS], "created_at": float(created)}


def legacy_meta(mode_id: str, messages: list[ChatMessage], now: float) -> dict[str, Any]:
    """The meta of a file written before conversations had one: stable while its first message is."""
    first = messages[0] if messages else None
    # Files older still have messages without times (0.0): their id sorts before every other.
    created = first.at if first is not None else now
    salt = f"{mode_id}\0{first.id}" if first is not None else None
    return {"id": conversation_id(created, salt), "title": "", "created_at": created}


def dump_document(doc: dict[str, Any]) -> bytes:
    """A conversation file's bytes: one top-level key per line and one message per line.

    Readable in an editor like the indented form, but encoded by json's C encoder: indent=
    switches to the pure-Python one (3x slower, measured), which held the GIL in Python for
    the whole save on a worker thread while the window painted. Raises what json.dumps does.
    """
    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    lines = []
    for key, value in doc.items():
        if key == "messages" and isinstance(value, list) and value:
            inner = ",\n  ".join(one(message) for message in value)
            lines.append(f"{one(key)}: [\n  {inner}\n ]")
        else:
            lines.append(f"{one(key)}: {one(value)}")
    return ("{\n " + ",\n ".join(lines) + "\n}\n").encode("utf-8")

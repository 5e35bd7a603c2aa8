"""Per-mode conversation files: JSON with tool calls, atomic writes, caps, corrupt files set aside."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import time
from pathlib import Path
from typing import Any

from presto_desktop.core.atomic import atomic_write_bytes
from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.errors import StoreError
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.patterns import SLUG_PATTERN

log = logging.getLogger(__name__)

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
    except (TypeError, ValueError):
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
    }


def message_from_json(raw: Any) -> ChatMessage | None:
    """A message from untrusted JSON, or None when it is not one."""
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
            if (
                isinstance(item, dict)
                and item.get("name") in TOOL_NAMES
                and isinstance(item.get("arguments"), dict)
            ):
                call = ToolCall(item["name"], item["arguments"])
                if _tool_to_json(call) is not None:
                    calls.append(call)
    return ChatMessage(role, _cap_text(content), tuple(calls), status)


class ConversationStore:
    """Loads and saves one conversation per mode under `paths.conversations_dir`."""

    def __init__(self, paths: AppPaths) -> None:
        self._dir = paths.conversations_dir

    def path_for(self, mode_id: str) -> Path:
        """The conversation file of `mode_id`; an id that is not a slug raises StoreError."""
        if not isinstance(mode_id, str) or not _SLUG_RE.fullmatch(mode_id):
            raise StoreError(f"not a valid mode id: {mode_id!r:.80}")
        return self._dir / f"{mode_id}.json"

    def load(self, mode_id: str) -> list[ChatMessage]:
        """The saved messages of `mode_id`; missing gives [], corrupt is moved aside and gives []."""
        try:
            path = self.path_for(mode_id)
        except StoreError as exc:
            log.warning("%s", exc)
            return []
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self._set_aside(path, "file too large")
                return []
            data = path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            log.warning("could not read conversation %s: %s", path, exc)
            return []
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            self._set_aside(path, f"not valid JSON: {exc}")
            return []
        if not isinstance(doc, dict) or not isinstance(doc.get("messages"), list):
            self._set_aside(path, "not a conversation file (no 'messages' list)")
            return []
        raw_messages = doc["messages"][-MAX_MESSAGES:]
        messages = [m for m in (message_from_json(r) for r in raw_messages) if m is not None]
        if len(messages) != len(raw_messages):
            log.warning(
                "conversation %s: skipped %d invalid messages",
                path,
                len(raw_messages) - len(messages),
            )
        return messages

    def save(self, mode_id: str, messages: list[ChatMessage]) -> None:
        """Atomically write the last MAX_MESSAGES messages of `mode_id` (raises StoreError)."""
        path = self.path_for(mode_id)
        doc = {
            "format_version": FORMAT_VERSION,
            "mode_id": mode_id,
            "messages": [message_to_json(m) for m in list(messages)[-MAX_MESSAGES:]],
        }
        try:
            data = json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8")
        except (TypeError, ValueError) as exc:
            raise StoreError(f"conversation for {mode_id} is not serialisable: {exc}") from exc
        atomic_write_bytes(path, data)

    def clear(self, mode_id: str) -> None:
        """Forget the conversation of `mode_id`."""
        path = self.path_for(mode_id)
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StoreError(f"could not delete {path}: {exc.strerror or exc}") from exc

    def _set_aside(self, path: Path, reason: str) -> None:
        """Move a bad file next to itself with a `.corrupt-<time>` suffix and log why."""
        target = path.with_name(f"{path.name}.corrupt-{int(time.time() * 1000)}")
        log.warning("conversation %s is unusable (%s); moved to %s", path, reason, target.name)
        with contextlib.suppress(OSError):
            os.replace(path, target)

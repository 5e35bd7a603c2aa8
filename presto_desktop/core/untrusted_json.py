"""Untrusted JSON files (demo scripts, recordings): bytes in, a validated model or one line out.

The same rules as mode files (core/modefile.py): a size cap checked before reading, no FIFO
or device ever opened, UTF-8 only, nesting depth checked before parsing, a number with more
than 4,300 digits or an unforeseen parser failure reported as a bad file, never a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from presto_desktop.core.chat import json_too_deep
from presto_desktop.core.errors import DemoFileError, one_line_file_errors
from presto_desktop.core.modefile import json_problem, validation_problems
from presto_desktop.core.safe_read import UnreadableFileError, read_limited

M = TypeVar("M", bound=BaseModel)
MAX_DEPTH = 48  # deep enough for any chart argument, far below the parser's recursion limit


def read_untrusted(path: Path, limit: int) -> bytes:
    """The bytes of `path` (a regular file of at most `limit` bytes), else DemoFileError."""
    try:
        return read_limited(path, limit)
    except UnreadableFileError as exc:
        raise DemoFileError(f"{path.name}: {exc.reason}") from None
    except OSError as exc:
        raise DemoFileError(f"{path.name}: cannot read it ({exc.strerror or exc})") from None


def decode_json(data: bytes, origin: str, limit: int) -> tuple[str, Any]:
    """The text and parsed JSON of `data`, else DemoFileError with one line naming the cause."""
    if len(data) > limit:
        raise DemoFileError(f"{origin}: file too large ({len(data):,} bytes; the limit is {limit:,})")
    if not data.strip():
        raise DemoFileError(f"{origin}: file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DemoFileError(f"{origin}: not UTF-8 text (bad byte 0x{data[exc.start]:02x} "
                            f"at offset {exc.start})") from None
    if json_too_deep(text, MAX_DEPTH):
        raise DemoFileError(f"{origin}: JSON is nested too deeply (more than {MAX_DEPTH} levels)")
    try:
        return text, json.loads(text)
    except RecursionError:
        raise DemoFileError(f"{origin}: JSON is nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, or int() refusing a 4,300-digit number
        raise DemoFileError(f"{origin}: {json_problem(text, exc)}") from None


def validate(model: type[M], text: str, origin: str, tags: tuple[str, ...] = ()) -> M:
    """`text` (already known to be JSON) validated as `model`; problems give one line.

    `tags` are a tagged union's tags, left out of the places named (`steps.2.pause`, not
    `steps.2.pause.pause`).
    """
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        problems = validation_problems(exc)
    if tags:
        tag = re.compile(r"(\.\d+)\.(?:" + "|".join(map(re.escape, tags)) + r")(?=[.: ])")
        problems = tuple(tag.sub(r"\1", p) for p in problems)
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    raise DemoFileError(f"{origin}: {problems[0]}{more}")


def check_version(raw: Any, key: str, supported: int, origin: str, what: str) -> None:
    """Refuse a JSON object whose `key` is a version newer than `supported`, saying so."""
    if not isinstance(raw, dict):
        raise DemoFileError(f"{origin}: top level must be a JSON object")
    version = raw.get(key)
    if isinstance(version, int) and not isinstance(version, bool) and version > supported:
        raise DemoFileError(f"{origin}: {what} {key} {version} is newer than this app supports "
                            f"({supported}); update Presto-Change-O Desktop to open it")


def parse_untrusted(model: type[M], data: bytes, origin: str, limit: int,
                    check: Callable[[Any], None] | None = None, tags: tuple[str, ...] = ()) -> M:
    """Bytes of an untrusted file validated as `model`; any failure is one DemoFileError line.

    `check` sees the parsed JSON first (e.g. check_version) and raises DemoFileError.
    """
    with one_line_file_errors(origin, DemoFileError):
        text, raw = decode_json(data, origin, limit)
        if check is not None:
            check(raw)
        return validate(model, text, origin, tags)

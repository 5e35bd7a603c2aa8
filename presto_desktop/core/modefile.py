"""Reading and writing mode files: bytes in, a validated Mode or a one-line reason out."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pydantic import ValidationError

from presto_desktop.core.errors import ModeValidationError

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode

MAX_MODE_BYTES = 1_000_000


_SHAPE_ERRORS = {"string_pattern_mismatch", "string_too_long", "string_too_short"}


def _first_problem(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0]
    loc = [str(part) for part in first["loc"]]
    where = ".".join(loc) or "file"
    message = first["msg"]
    if first["type"] in _SHAPE_ERRORS and loc[:1] == ["palette"] and len(loc) > 1:
        message = "must be a colour written #rrggbb (lower-case hex)"
    elif first["type"] in _SHAPE_ERRORS and loc[-1:] == ["id"]:
        message = "must be 1-64 characters of a-z, 0-9 and '-' (starting with a letter or digit)"
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}"


def parse_mode(data: bytes, origin: str = "mode file") -> Mode:
    """Validate raw bytes as a mode; raise ModeValidationError with one line naming the cause."""
    # The full model is imported on first parse: listing from the index never needs it.
    from presto_desktop.core.models import SCHEMA_VERSION, Mode

    if len(data) > MAX_MODE_BYTES:
        raise ModeValidationError(
            f"{origin}: file is {len(data):,} bytes; mode files are limited to {MAX_MODE_BYTES:,}"
        )
    if not data.strip():
        raise ModeValidationError(f"{origin}: file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ModeValidationError(
            f"{origin}: not UTF-8 text (bad byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    try:
        # Fast path: one parse for the common, valid case; diagnose only on failure.
        return Mode.model_validate_json(text)
    except ValidationError as exc:
        first_error = exc
    except RecursionError:
        raise ModeValidationError(f"{origin}: JSON is nested too deeply") from None
    try:
        raw = json.loads(text)
    except RecursionError:
        raise ModeValidationError(f"{origin}: JSON is nested too deeply") from None
    except json.JSONDecodeError as exc:
        stripped = text.rstrip()
        cut = exc.pos >= len(stripped) - 1 or exc.msg.startswith("Unterminated")
        hint = " (file looks truncated)" if cut or stripped[-1:] not in "}]" else ""
        raise ModeValidationError(
            f"{origin}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}{hint}"
        ) from None
    if not isinstance(raw, dict):
        raise ModeValidationError(f"{origin}: top level must be a JSON object")
    version = raw.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise ModeValidationError(
            f"{origin}: schema_version {version} is newer than this app supports "
            f"({SCHEMA_VERSION}); update Presto-Change-O Desktop to open it"
        )
    raise ModeValidationError(f"{origin}: {_first_problem(first_error)}") from None


def dump_mode(mode: Mode) -> bytes:
    """Serialise a mode as pretty JSON bytes."""
    return (mode.model_dump_json(indent=2) + "\n").encode("utf-8")

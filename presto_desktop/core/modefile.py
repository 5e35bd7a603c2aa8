"""Reading and writing mode files: bytes in, a validated Mode or a one-line reason out."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from presto_desktop.core.errors import ModeValidationError, one_line_file_errors

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode

MAX_MODE_BYTES = 1_000_000
_SHAPE_ERRORS = {"string_pattern_mismatch", "string_too_long", "string_too_short"}
_TYPE_SUFFIXES = ("_type", "_parsing")
_COLOUR = "must be a colour written #rrggbb"
_ID = "must be 1-64 characters of a-z, 0-9 and '-' (starting with a letter or digit)"


def _describe(error: Any) -> str:
    """One pydantic error as `where: what` in words a person can act on."""
    loc = [str(part) for part in error["loc"]]
    where = ".".join(loc) or "file"
    kind, message = error["type"], error["msg"]
    if kind in _SHAPE_ERRORS and loc[:1] == ["palette"] and len(loc) > 1:
        return f"{where}: {_COLOUR}"
    if kind in _SHAPE_ERRORS and loc[-1:] == ["id"]:
        return f"{where}: {_ID}"
    if kind == "missing":
        return f"missing field {where}"
    if kind == "extra_forbidden":
        return f"unknown field {where}"
    if kind.endswith(_TYPE_SUFFIXES) or kind == "model_attributes_type":
        return f"wrong type at {where} ({message[:1].lower()}{message[1:]})"
    return f"{where}: {message}"


def validation_problems(exc: ValidationError) -> tuple[str, ...]:
    """Every problem of a failed validation, one line each."""
    errors = exc.errors(include_url=False, include_input=False, include_context=False)
    return tuple(" ".join(_describe(e).split()) for e in errors)


def json_problem(text: str, exc: ValueError) -> str:
    """Why `text` is not JSON: plain text, truncated, too-long number or a syntax error."""
    stripped = text.strip()
    if not isinstance(exc, json.JSONDecodeError):
        if "integer string conversion" in str(exc):
            return "not valid JSON: a number has more than 4,300 digits"
        return f"not valid JSON: {str(exc).splitlines()[0][:120]}"
    if stripped[:1] not in ("{", "["):
        start = stripped[:12].encode("unicode_escape").decode("ascii")
        return f"not valid JSON: this is plain text, not JSON (it starts with {start!r})"
    if exc.pos >= len(stripped) - 1 or exc.msg.startswith("Unterminated"):
        return (f"not valid JSON: the file looks truncated (it ends at line {exc.lineno} "
                f"column {exc.colno} in the middle of a value)")
    return f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"


def parse_mode(data: bytes, origin: str = "mode file") -> Mode:
    """Validate raw bytes as a mode; raise ModeValidationError with one line naming the cause.

    Whatever goes wrong inside the parsers (deep nesting, a 5,000-digit number, an error
    nobody foresaw) is a bad file, never an exception of another type.
    """
    with one_line_file_errors(origin, ModeValidationError):
        return _parse(data, origin)


def _parse(data: bytes, origin: str) -> Mode:
    # The full model is imported on first parse: listing from the index never needs it.
    from presto_desktop.core.models import SCHEMA_VERSION, Mode

    if len(data) > MAX_MODE_BYTES:
        raise ModeValidationError(f"{origin}: file too large ({len(data):,} bytes; mode files "
                                  f"are limited to {MAX_MODE_BYTES:,})")
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
    try:
        raw = json.loads(text)
    except ValueError as exc:  # JSONDecodeError, or int() refusing a huge number
        raise ModeValidationError(f"{origin}: {json_problem(text, exc)}") from None
    if not isinstance(raw, dict):
        raise ModeValidationError(f"{origin}: top level must be a JSON object")
    version = raw.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise ModeValidationError(
            f"{origin}: schema_version {version} is newer than this app supports "
            f"({SCHEMA_VERSION}); update Presto-Change-O Desktop to open it"
        )
    problems = validation_problems(first_error)
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    raise ModeValidationError(f"{origin}: {problems[0]}{more}",
                              tuple(f"{origin}: {p}" for p in problems))


def dump_mode(mode: Mode) -> bytes:
    """Serialise a mode as pretty JSON bytes."""
    # Files without a brand stay exactly as before the field existed.
    exclude: Any = {"brand"} if mode.brand is None else None
    if mode.brand is not None and mode.brand.mark is None:
        exclude = {"brand": {"mark"}}  # readable by apps from before brand.mark
    return (mode.model_dump_json(indent=2, exclude=exclude) + "\n").encode("utf-8")

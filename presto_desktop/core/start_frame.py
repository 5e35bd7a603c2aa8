"""The window's first frame, remembered from the last run as plain JSON (read without pydantic).

Start-up paints it before the mode models, the engine and the event loop are imported; the
validated mode then takes over with the same values, so nothing visibly changes. It is used
only while the settings file and the mode's file are byte-for-byte where they were when it
was written (same size and modification time); anything else falls back to the full start.
Its strings are display text like any mode text: shown as plain text, capped in length.

A fresh data dir has nothing remembered: resources/first_frame.json, derived from the default
mode when the app is built (ui/shell/shipped_frame.py), stands in until the first exit. It is used
only while no settings file exists and the default mode's file has exactly the content it
was derived from (same size and CRC-32).
"""

from __future__ import annotations

import json
import logging
import os
import re
import zlib
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from presto_desktop.core.atomic import atomic_write_bytes
from presto_desktop.core.errors import StoreError
from presto_desktop.core.patterns import HEX_PATTERN, PALETTE_ROLES, SLUG_PATTERN, THEME_SCHEMES
from presto_desktop.core.safe_read import read_limited, read_limited_stat

log = logging.getLogger(__name__)
FRAME_VERSION = 1
MAX_FRAME_BYTES = 64_000
MAX_TEXT = 2000
MAX_ITEMS = 12
SHIPPED_FRAME = "first_frame.json"  # in resources/
SHIPPED_MODE_ID = "default"  # the mode a fresh data dir opens (core.triggers.DEFAULT_MODE_ID)
MAX_SOURCE_BYTES = 1_000_000  # a mode file's limit (core.modefile.MAX_MODE_BYTES)
_HEX = re.compile(HEX_PATTERN)
_SLUG = re.compile(SLUG_PATTERN)
_ICON = re.compile(r"^[a-z0-9-]{0,32}$")  # a bundled icon's name (core/models.IconName) or ""
_LAYOUTS = ("", "badge", "shield", "square", "ring", "split", "hexagon")  # core/emblem.LAYOUTS


@dataclass(frozen=True)
class StartFrame:
    """What the first frame shows, already formatted as the widgets show it."""

    mode_id: str
    company_name: str
    tagline: str
    light: dict[str, str]  # palette role -> #rrggbb
    dark: dict[str, str]
    theme: str  # system, light or dark
    font_size: int
    geometry: str  # base64 of QWidget.saveGeometry()
    persona: tuple[str, str, tuple[tuple[str, str], ...]]  # name, meta line, figures
    metrics: tuple[tuple[str, str, str], ...]  # label, shown value, unit
    tabs: tuple[tuple[str, str, str], ...]  # label, prompt, icon name
    suggestions: tuple[str, ...]
    engine_label: str
    engine_inputs: tuple[str, ...]  # what the label was derived from (never a key)
    settings_stamp: tuple[int, int]
    source: str  # the mode's file
    source_stamp: tuple[int, int]
    # The drawn emblem's industry icon and layout (core/emblem.py), so the first paint shows
    # the mode's own mark; "" in frames written before they were remembered (a generic icon).
    icon: str = ""
    layout: str = ""


def file_stamp(path: Path | str) -> tuple[int, int] | None:
    """(size, mtime in ns) of a file, or None if it cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)


def frame_key(frame: StartFrame) -> str:
    """A short fingerprint of everything `frame` shows (its picture is of this frame only)."""
    text = json.dumps(asdict(frame), sort_keys=True, ensure_ascii=True)
    return f"{FRAME_VERSION}-{zlib.crc32(text.encode('ascii')):08x}-{len(text)}"


def write_start_frame(path: Path, frame: StartFrame) -> None:
    """Write the frame atomically (best effort: a failure only costs the next start speed)."""
    data = json.dumps({"version": FRAME_VERSION, **asdict(frame)}, ensure_ascii=False)
    try:
        atomic_write_bytes(path, data.encode("utf-8"))
    except StoreError as exc:
        log.warning("start frame not saved: %s", exc)


def read_start_frame(path: Path, *, settings_file: Path, mode_id: str | None = None,
                     engine_inputs: tuple[str, ...] | None = None) -> StartFrame | None:
    """The remembered frame if it is still current (and for `mode_id`, if given), else None.

    An engine label derived from other inputs than `engine_inputs` is dropped, not trusted.
    """
    try:
        # Never blocks on a FIFO, never reads a device: it is only a cache.
        frame = _parse(json.loads(read_limited(path, MAX_FRAME_BYTES)))
    except (OSError, ValueError, TypeError, KeyError, RecursionError, StoreError):
        return None
    if frame is None or (mode_id is not None and frame.mode_id != mode_id):
        return None
    if (file_stamp(settings_file) != frame.settings_stamp
            or file_stamp(frame.source) != frame.source_stamp):
        return None
    if engine_inputs is not None and engine_inputs != frame.engine_inputs:
        frame = replace(frame, engine_label="")
    return frame


def content_stamp(data: bytes) -> tuple[int, int]:
    """(size, CRC-32) of a file's bytes: what the shipped frame was derived from."""
    return (len(data), zlib.crc32(data))


def read_shipped_frame(path: Path, *, source: Path, settings_file: Path,
                       mode_id: str | None = None,
                       engine_inputs: tuple[str, ...] | None = None) -> StartFrame | None:
    """The shipped frame for a fresh data dir (no settings file yet), if `source` still matches.

    `source` is the default mode's file; the frame names the same content by its size and
    CRC-32 (a build-time file cannot know the installed file's modification time).
    """
    if mode_id not in (None, SHIPPED_MODE_ID) or os.path.lexists(settings_file):
        return None
    try:
        frame = _parse(json.loads(read_limited(path, MAX_FRAME_BYTES)))
        content, info = read_limited_stat(source, MAX_SOURCE_BYTES)
    except (OSError, ValueError, TypeError, KeyError, RecursionError, StoreError):
        return None
    if (frame is None or frame.mode_id != SHIPPED_MODE_ID
            or frame.source_stamp != content_stamp(content)):
        return None
    if engine_inputs is not None and engine_inputs != frame.engine_inputs:
        frame = replace(frame, engine_label="")
    return replace(frame, source=str(source), source_stamp=(info.st_size, info.st_mtime_ns))


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise TypeError("not a short string")
    return value


def _texts(value: Any, width: int) -> tuple[Any, ...]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise TypeError("not a short list")
    if width == 1:
        return tuple(_text(item) for item in value)
    rows = []
    for item in value:
        if not isinstance(item, list) or len(item) != width:
            raise TypeError("bad row")
        rows.append(tuple(_text(cell) for cell in item))
    return tuple(rows)


def _colors(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(PALETTE_ROLES):
        raise TypeError("bad colours")
    for color in value.values():
        if not isinstance(color, str) or not _HEX.match(color):
            raise TypeError("bad colour")
    return dict(value)


def _stamp(value: Any) -> tuple[int, int]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(type(part) is int for part in value)):
        raise TypeError("bad stamp")
    return (value[0], value[1])


def _parse(data: Any) -> StartFrame | None:
    """Check every field's type, size and shape; None for anything else."""
    if not isinstance(data, dict) or data.get("version") != FRAME_VERSION:
        return None
    mode_id = _text(data["mode_id"], 64)
    font_size = data["font_size"]
    if (not _SLUG.match(mode_id) or data["theme"] not in THEME_SCHEMES
            or type(font_size) is not int or not 6 <= font_size <= 48):
        return None
    persona = data["persona"]
    if not isinstance(persona, list) or len(persona) != 3:
        return None
    return StartFrame(
        mode_id=mode_id,
        company_name=_text(data["company_name"], 200),
        tagline=_text(data["tagline"], 400),
        light=_colors(data["light"]),
        dark=_colors(data["dark"]),
        theme=data["theme"],
        font_size=font_size,
        geometry=_text(data["geometry"], 4000),
        persona=(_text(persona[0], 200), _text(persona[1], 400), _texts(persona[2], 2)),
        metrics=_texts(data["metrics"], 3),
        tabs=_texts(data["tabs"], 3),
        suggestions=_texts(data["suggestions"], 1),
        engine_label=_text(data["engine_label"], 200),
        engine_inputs=_texts(data["engine_inputs"], 1),
        settings_stamp=_stamp(data["settings_stamp"]),
        source=_text(data["source"], 4000),
        source_stamp=_stamp(data["source_stamp"]),
        icon=_choice(data.get("icon", ""), _ICON),
        layout=_choice(data.get("layout", ""), _LAYOUTS),
    )


def _choice(value: Any, allowed: re.Pattern[str] | tuple[str, ...]) -> str:
    """A name the frame may carry: matching `allowed` (a pattern or the list of names)."""
    text = _text(value, 32)
    ok = allowed.match(text) if isinstance(allowed, re.Pattern) else text in allowed
    if not ok:
        raise TypeError("bad name")
    return text

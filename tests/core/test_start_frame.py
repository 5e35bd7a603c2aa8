"""The remembered first frame: round trip, used only while current, hostile files refused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from presto_desktop.core.patterns import PALETTE_ROLES
from presto_desktop.core.start_frame import (
    MAX_FRAME_BYTES,
    StartFrame,
    content_stamp,
    file_stamp,
    read_shipped_frame,
    read_start_frame,
    write_start_frame,
)

INPUTS = ("auto", "", "", "")


def make_frame(tmp_path: Path, **changes: object) -> tuple[StartFrame, Path, Path]:
    settings = tmp_path / "settings.json"
    settings.write_text("{}", encoding="utf-8")
    source = tmp_path / "florist.json"
    source.write_text("{}", encoding="utf-8")
    values: dict[str, object] = dict(
        mode_id="florist", company_name="Petal & Stem <b>", tagline="Fresh daily",
        light=dict.fromkeys(PALETTE_ROLES, "#112233"), dark=dict.fromkeys(PALETTE_ROLES, "#ddeeff"),
        theme="system", font_size=11, geometry="AdnQywADAAA=",
        persona=("Ana Diaz", "Austin · customer since 2019", (("Orders", "12"),)),
        metrics=(("Bouquets", "1,204", "sold"),), tabs=(("Orders", "Show my orders", "box"),),
        suggestions=("What's fresh?",), engine_label="Offline", engine_inputs=INPUTS,
        settings_stamp=file_stamp(settings), source=str(source), source_stamp=file_stamp(source))
    values.update(changes)
    return StartFrame(**values), settings, source  # type: ignore[arg-type]


def test_round_trip(tmp_path):
    frame, settings, _ = make_frame(tmp_path)
    path = tmp_path / "frame.json"
    write_start_frame(path, frame)
    assert read_start_frame(path, settings_file=settings, engine_inputs=INPUTS) == frame
    assert read_start_frame(path, settings_file=settings, mode_id="florist") == frame


def test_only_for_the_requested_mode(tmp_path):
    frame, settings, _ = make_frame(tmp_path)
    path = tmp_path / "frame.json"
    write_start_frame(path, frame)
    assert read_start_frame(path, settings_file=settings, mode_id="banking") is None


@pytest.mark.parametrize("changed", ["settings", "source"])
def test_stale_when_a_file_changed(tmp_path, changed):
    frame, settings, source = make_frame(tmp_path)
    path = tmp_path / "frame.json"
    write_start_frame(path, frame)
    target = settings if changed == "settings" else source
    target.write_text('{"theme": "dark"}', encoding="utf-8")
    assert read_start_frame(path, settings_file=settings) is None


def test_stale_when_the_mode_file_is_gone(tmp_path):
    frame, settings, source = make_frame(tmp_path)
    path = tmp_path / "frame.json"
    write_start_frame(path, frame)
    source.unlink()
    assert read_start_frame(path, settings_file=settings) is None


def test_same_size_but_touched_is_stale(tmp_path):
    frame, settings, source = make_frame(tmp_path)
    path = tmp_path / "frame.json"
    write_start_frame(path, frame)
    info = source.stat()
    os.utime(source, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    assert read_start_frame(path, settings_file=settings) is None


def test_engine_label_dropped_when_its_inputs_changed(tmp_path):
    frame, settings, _ = make_frame(tmp_path)
    path = tmp_path / "frame.json"
    write_start_frame(path, frame)
    other = ("auto", "key", "", "")
    seen = read_start_frame(path, settings_file=settings, engine_inputs=other)
    assert seen is not None and seen.engine_label == "" and seen.company_name == frame.company_name


def hostile(tmp_path: Path, mutate) -> StartFrame | None:  # noqa: ANN001
    frame, settings, _ = make_frame(tmp_path)
    path = tmp_path / "frame.json"
    write_start_frame(path, frame)
    data = json.loads(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return read_start_frame(path, settings_file=settings)


@pytest.mark.parametrize("mutate", [
    lambda d: d.update(version=2),
    lambda d: d.update(mode_id="../etc"),
    lambda d: d.update(theme="neon"),
    lambda d: d.update(font_size=400),
    lambda d: d.update(font_size="11"),
    lambda d: d["light"].update(primary="red; background: url(x)"),
    lambda d: d["dark"].pop("primary"),
    lambda d: d.update(company_name="x" * 5000),
    lambda d: d.update(company_name=["not", "text"]),
    lambda d: d.update(tabs=[["a", "b", "c"]] * 50),
    lambda d: d.update(metrics=[["only two", "cells"]]),
    lambda d: d.update(persona=["name"]),
    lambda d: d.update(settings_stamp=[1.5, 2]),
    lambda d: d.pop("source"),
])
def test_hostile_or_damaged_frames_are_refused(tmp_path, mutate):
    assert hostile(tmp_path, mutate) is None


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"null", b"\xff\xfe", b"[" * 100_000,
                                 b" " * (MAX_FRAME_BYTES + 1)])
def test_garbage_files_are_refused(tmp_path, raw):
    frame, settings, _ = make_frame(tmp_path)
    path = tmp_path / "frame.json"
    path.write_bytes(raw)
    assert read_start_frame(path, settings_file=settings) is None


def test_missing_file_and_unwritable_folder(tmp_path):
    frame, settings, _ = make_frame(tmp_path)
    assert read_start_frame(tmp_path / "none.json", settings_file=settings) is None
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    write_start_frame(blocker / "frame.json", frame)  # logged, never raised
    assert not (blocker / "frame.json").exists()


def make_shipped(tmp_path: Path, **changes: object) -> tuple[Path, Path, Path]:
    """A shipped frame for a default mode file, as the build writes it; (frame, source, settings)."""
    source = tmp_path / "default.json"
    source.write_text('{"id": "default"}', encoding="utf-8")
    frame, _, _ = make_frame(tmp_path, mode_id="default", settings_stamp=(0, 0),
                             source="modes/default.json",
                             source_stamp=content_stamp(source.read_bytes()), **changes)
    path = tmp_path / "first_frame.json"
    write_start_frame(path, frame)
    return path, source, tmp_path / "fresh" / "settings.json"


def test_shipped_frame_for_a_fresh_data_dir(tmp_path):
    path, source, settings = make_shipped(tmp_path)
    frame = read_shipped_frame(path, source=source, settings_file=settings, engine_inputs=INPUTS)
    assert frame is not None and frame.mode_id == "default" and frame.engine_label == "Offline"
    assert frame.source == str(source) and frame.source_stamp == file_stamp(source)
    assert read_shipped_frame(path, source=source, settings_file=settings,
                              mode_id="default") is not None


def test_shipped_frame_only_without_settings_and_for_the_default_mode(tmp_path):
    path, source, settings = make_shipped(tmp_path)
    assert read_shipped_frame(path, source=source, settings_file=settings,
                              mode_id="banking") is None
    settings.parent.mkdir()
    settings.write_text("{}", encoding="utf-8")
    assert read_shipped_frame(path, source=source, settings_file=settings) is None


@pytest.mark.parametrize("edit", ['{"id": "Default"}', '{"id": "default", "x": 1}', None])
def test_shipped_frame_stale_when_the_default_mode_changed(tmp_path, edit):
    path, source, settings = make_shipped(tmp_path)
    if edit is None:
        source.unlink()
    else:
        source.write_text(edit, encoding="utf-8")  # same size, or another size
    assert read_shipped_frame(path, source=source, settings_file=settings) is None


def test_shipped_frame_drops_the_engine_label_for_other_inputs(tmp_path):
    path, source, settings = make_shipped(tmp_path)
    seen = read_shipped_frame(path, source=source, settings_file=settings,
                              engine_inputs=("offline", "", "", ""))
    assert seen is not None and seen.engine_label == ""


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"\xff\xfe", b" " * (MAX_FRAME_BYTES + 1)])
def test_damaged_shipped_frames_are_refused(tmp_path, raw):
    path, source, settings = make_shipped(tmp_path)
    path.write_bytes(raw)
    assert read_shipped_frame(path, source=source, settings_file=settings) is None
    frame, _, _ = make_frame(tmp_path, settings_stamp=(0, 0),
                             source_stamp=content_stamp(source.read_bytes()))
    write_start_frame(path, frame)  # a valid frame, but for another mode
    assert read_shipped_frame(path, source=source, settings_file=settings) is None


def test_the_emblem_icon_and_layout_are_remembered(tmp_path):
    frame, settings, _ = make_frame(tmp_path, icon="flower", layout="hexagon")
    path = tmp_path / "frame.json"
    write_start_frame(path, frame)
    read = read_start_frame(path, settings_file=settings)
    assert read is not None and (read.icon, read.layout) == ("flower", "hexagon")


def test_a_frame_without_emblem_fields_still_reads(tmp_path):
    frame, settings, _ = make_frame(tmp_path)
    path = tmp_path / "frame.json"
    write_start_frame(path, frame)
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["icon"], data["layout"]
    path.write_text(json.dumps(data), encoding="utf-8")
    read = read_start_frame(path, settings_file=settings)
    assert read is not None and (read.icon, read.layout) == ("", "")


@pytest.mark.parametrize(("field", "value"), [
    ("icon", "../../etc/passwd"), ("icon", "x" * 40), ("icon", 7), ("icon", "Bank"),
    ("layout", "spiral"), ("layout", ["ring"]),
])
def test_a_hostile_emblem_field_drops_the_frame(tmp_path, field, value):
    frame, settings, _ = make_frame(tmp_path)
    path = tmp_path / "frame.json"
    write_start_frame(path, frame)
    data = json.loads(path.read_text(encoding="utf-8"))
    data[field] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_start_frame(path, settings_file=settings) is None

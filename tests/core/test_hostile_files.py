"""Files that are not what they seem: FIFOs, devices, huge numbers. Refused at once, in one line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.errors import ModeValidationError, StoreError
from presto_desktop.core.modefile import dump_mode, parse_mode
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.safe_read import (
    FileTooLargeError,
    NotRegularFileError,
    read_limited,
)
from presto_desktop.core.secrets import KeyStore
from presto_desktop.core.settings import SettingsStore
from presto_desktop.core.start_frame import read_start_frame
from presto_desktop.core.store import ModeStore
from tests.factories import make_mode

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
# A hang is the bug these tests catch: fail fast instead of waiting for the suite timeout.
pytestmark = pytest.mark.timeout(60)


def huge_int_mode() -> bytes:
    """A valid mode whose schema_version has 5,000 digits (int() refuses > 4,300)."""
    text = dump_mode(make_mode()).decode()
    return text.replace('"schema_version": 1', '"schema_version": ' + "9" * 5000, 1).encode()


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths.resolve(tmp_path / "data")


def test_huge_integer_is_a_one_line_error() -> None:
    with pytest.raises(ModeValidationError) as info:
        parse_mode(huge_int_mode(), "x.json")
    assert "\n" not in str(info.value) and "digits" in str(info.value)


def test_any_parser_exception_becomes_a_validation_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise LookupError("something nobody foresaw")

    monkeypatch.setattr("presto_desktop.core.modefile.json.loads", explode)
    with pytest.raises(ModeValidationError) as info:
        parse_mode(b'{"id": 3}', "x.json")
    assert "LookupError" in str(info.value) and "\n" not in str(info.value)


def test_huge_integer_in_the_library_is_quarantined(paths: AppPaths) -> None:
    paths.modes_dir.mkdir(parents=True)
    (paths.modes_dir / "florist.json").write_bytes(huge_int_mode())
    ids = [s.id for s in ModeStore(paths).list_modes()]
    assert "florist" not in ids
    reasons = list(paths.quarantine_dir.glob("florist.json.*.reason.txt"))
    assert len(reasons) == 1 and "digits" in reasons[0].read_text()


def test_plain_text_is_not_json_and_not_truncated() -> None:
    with pytest.raises(ModeValidationError) as info:
        parse_mode(b"Dear colleague, here is the mode you asked for.", "x.json")
    assert "not JSON" in str(info.value) and "truncated" not in str(info.value)


def test_upper_case_colours_are_accepted_and_stored_lower_case(paths: AppPaths,
                                                              tmp_path: Path) -> None:
    data = json.loads(dump_mode(make_mode()))
    data["palette"]["primary"] = data["palette"]["primary"].upper()
    data["palette"]["light"]["text"] = data["palette"]["light"]["text"].upper()
    source = tmp_path / "upper.json"
    source.write_text(json.dumps(data))
    mode = ModeStore(paths).import_file(source)
    saved = ModeStore(paths).path_of(mode.id).read_text()
    assert data["palette"]["primary"] not in saved and data["palette"]["primary"].lower() in saved
    assert mode.palette.light.text == data["palette"]["light"]["text"].lower()


def test_read_limited_refuses_large_files(tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_bytes(b"x" * 101)
    with pytest.raises(FileTooLargeError):
        read_limited(path, 100)
    assert read_limited(path, 101) == b"x" * 101


@posix_only
def test_read_limited_never_blocks_on_a_fifo_or_reads_a_device(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFileError, match="named pipe"):
        read_limited(fifo, 100)
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    with pytest.raises(NotRegularFileError, match="device"):
        read_limited(zero, 100)
    with pytest.raises(NotRegularFileError, match="folder"):
        read_limited(tmp_path, 100)


@posix_only
@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_special_mode_files_are_quarantined(paths: AppPaths, kind: str) -> None:
    paths.modes_dir.mkdir(parents=True)
    target = paths.modes_dir / "x.json"
    os.mkfifo(target) if kind == "fifo" else target.symlink_to("/dev/zero")
    store = ModeStore(paths)
    with pytest.raises(ModeValidationError, match="not a regular file"):
        store.get("x")
    assert not os.path.lexists(target)
    reasons = list(paths.quarantine_dir.glob("x.json.*.reason.txt"))
    assert len(reasons) == 1 and "not a regular file" in reasons[0].read_text()


@posix_only
def test_listing_quarantines_special_files(paths: AppPaths) -> None:
    paths.modes_dir.mkdir(parents=True)
    os.mkfifo(paths.modes_dir / "pipe.json")
    (paths.modes_dir / "zero.json").symlink_to("/dev/zero")
    ModeStore(paths).save(make_mode())
    ids = [s.id for s in ModeStore(paths).list_modes()]
    assert "florist" in ids and "pipe" not in ids and "zero" not in ids
    assert len(list(paths.quarantine_dir.glob("*.reason.txt"))) == 2


@posix_only
def test_special_files_elsewhere_fall_back_without_blocking(paths: AppPaths) -> None:
    for folder in (paths.conversations_dir, paths.config_dir):
        folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(paths.conversations_dir / "default.json")
    os.mkfifo(paths.settings_file)
    os.mkfifo(paths.config_dir / "api_key")
    paths.start_frame_file.symlink_to("/dev/zero")
    assert ConversationStore(paths).load("default") == []
    assert SettingsStore(paths).load().theme == "system"
    assert KeyStore(paths, use_keyring=False).get() is None
    assert read_start_frame(paths.start_frame_file, settings_file=paths.settings_file) is None


@posix_only
def test_importing_a_fifo_is_refused(paths: AppPaths, tmp_path: Path) -> None:
    fifo = tmp_path / "incoming.json"
    os.mkfifo(fifo)
    with pytest.raises(ModeValidationError, match="not a regular file"):
        ModeStore(paths).import_file(fifo)


def test_missing_import_is_one_line(paths: AppPaths, tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        ModeStore(paths).import_file(tmp_path / "nope.json")
    assert "\n" not in str(info.value)


def test_big_settings_file_is_set_aside(paths: AppPaths) -> None:
    paths.config_dir.mkdir(parents=True)
    paths.settings_file.write_bytes(b" " * 300_000 + b"{}")
    assert SettingsStore(paths).load().theme == "system"
    assert paths.settings_file.with_suffix(".invalid.json").exists()

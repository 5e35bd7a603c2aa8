"""Exports are shareable and never clobber or create folders; imports settle id conflicts."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from presto_desktop.core.atomic import TargetExistsError
from presto_desktop.core.errors import StoreError
from presto_desktop.core.modefile import dump_mode, parse_mode
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeConflictError, ModeStore
from tests.factories import make_mode


@pytest.fixture
def store(tmp_path: Path) -> ModeStore:
    return ModeStore(AppPaths.resolve(tmp_path / "data"))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_export_is_readable_by_others_less_the_umask(store: ModeStore, tmp_path: Path) -> None:
    saved = store.save(make_mode())
    old = os.umask(0o027)
    try:
        out = store.export(saved.id, tmp_path / "shared.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    out2 = store.export(saved.id, tmp_path / "shared2.json")
    assert stat.S_IMODE(out2.stat().st_mode) == 0o644 & ~old


def test_export_refuses_a_missing_folder(store: ModeStore, tmp_path: Path) -> None:
    saved = store.save(make_mode())
    with pytest.raises(StoreError, match="does not exist"):
        store.export(saved.id, tmp_path / "missing" / "dir" / "x.json")
    assert not (tmp_path / "missing").exists()


def test_export_never_overwrites_unless_asked(store: ModeStore, tmp_path: Path) -> None:
    saved = store.save(make_mode())
    target = tmp_path / "x.json"
    target.write_text("my notes")
    with pytest.raises(TargetExistsError):
        store.export(saved.id, target)
    assert target.read_text() == "my notes"
    store.export(saved.id, target, overwrite=True)
    assert parse_mode(target.read_bytes()) == saved


def test_import_conflicts(store: ModeStore, tmp_path: Path) -> None:
    first = store.save(make_mode())
    other = make_mode(company="Other Florist")
    with pytest.raises(ModeConflictError) as info:
        store.import_mode(other, "error")
    assert info.value.mode_id == first.id and not info.value.builtin
    renamed = store.import_mode(other)
    assert renamed.outcome == "renamed" and renamed.mode.id == "florist-2"
    assert "kept both" in renamed.describe() and "florist-2" in renamed.describe()
    again = store.import_mode(other)  # identical to florist-2: not duplicated
    assert again.outcome == "unchanged" and again.mode.id == "florist-2"
    replaced = store.import_mode(other, "replace")
    assert replaced.outcome == "replaced" and store.get("florist").company_name == "Other Florist"
    assert store.import_mode(other, "error").outcome == "unchanged"


def test_import_over_a_builtin_is_renamed_never_replaced(store: ModeStore) -> None:
    mode = make_mode("banking", company="My Bank")
    with pytest.raises(ModeConflictError) as info:
        store.import_mode(mode, "error")
    assert info.value.builtin
    with pytest.raises(StoreError):
        store.import_mode(mode, "replace")
    assert store.import_mode(mode).mode.id == "banking-2"


def test_import_file_keeps_its_old_signature(store: ModeStore, tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(dump_mode(make_mode()))
    assert store.import_file(path).id == "florist"
    path.write_bytes(dump_mode(make_mode(company="Second")))
    assert store.import_file(path).id == "florist-2"
    assert store.import_file(path, on_conflict="replace").id == "florist"

"""Mode store: built-ins, atomic saves, reuse, ids never clobbered, quarantine of bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presto_desktop.core.errors import ModeNotFoundError, ModeValidationError, StoreError
from presto_desktop.core.modefile import dump_mode, parse_mode
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeStore
from tests.factories import make_mode


@pytest.fixture
def store(tmp_path: Path) -> ModeStore:
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    default = make_mode("default", industry="assistant", company="Presto", request_key="")
    (builtin / "default.json").write_bytes(dump_mode(default))
    banking = make_mode("banking", industry="banking", company="Bank", kind="banking")
    (builtin / "banking.json").write_bytes(dump_mode(banking))
    return ModeStore(AppPaths.resolve(tmp_path / "data"), builtin_dir=builtin)


def test_save_get_roundtrip(store: ModeStore) -> None:
    saved = store.save(make_mode())
    assert store.path_of(saved.id).exists()
    assert store.get(saved.id) == saved
    assert [s.id for s in store.list_modes()] == ["default", "banking", "florist"]


def test_same_request_reuses_and_regenerates_in_place(store: ModeStore) -> None:
    first = store.save(make_mode())
    assert store.find_by_request("florist|") == first
    again = store.replace(first.id, make_mode(company="Other"))
    assert again.id == first.id
    assert store.get(first.id).company_name == "Other"


def test_import_never_overwrites_a_different_mode(store: ModeStore, tmp_path: Path) -> None:
    first = store.save(make_mode())
    other = tmp_path / "other.json"
    other.write_bytes(dump_mode(make_mode(company="Totally Different")))
    imported = store.import_file(other)
    assert imported.id == "florist-2"
    assert store.get(first.id).company_name == "Petal & Stem"
    # The same file imported twice is not duplicated.
    assert store.import_file(other).id == "florist-2"
    assert [s.id for s in store.list_modes()].count("florist-3") == 0


def test_regenerating_a_builtin_saves_a_user_copy(store: ModeStore) -> None:
    saved = store.replace("banking", make_mode("banking", request_key="banking|"))
    assert saved.id == "banking-2" and not store.is_builtin(saved.id)


def test_new_request_never_overwrites(store: ModeStore) -> None:
    first = store.save(make_mode())
    second = store.save(make_mode(request_key="florist|bloom"))
    assert second.id == "florist-2"
    assert store.get(first.id).company_name == "Petal & Stem"


def test_builtin_alias_and_protection(store: ModeStore) -> None:
    assert store.find_by_request("bank|").id == "banking"
    with pytest.raises(StoreError):
        store.delete("banking")
    saved = store.save(make_mode("banking", request_key="banking|acme"))
    assert saved.id == "banking-2"


def test_delete_and_missing(store: ModeStore) -> None:
    saved = store.save(make_mode())
    store.delete(saved.id)
    with pytest.raises(ModeNotFoundError):
        store.get(saved.id)
    with pytest.raises(ModeNotFoundError):
        store.delete(saved.id)


@pytest.mark.parametrize("bad_id", ["../etc", "UPPER", "a" * 65, "", "-x", "a/b"])
def test_bad_ids_refused(store: ModeStore, bad_id: str) -> None:
    with pytest.raises(ModeValidationError):
        store.get(bad_id)


def test_bad_file_is_quarantined_and_listing_goes_on(store: ModeStore, tmp_path: Path) -> None:
    store.save(make_mode())
    modes = tmp_path / "data" / "modes"
    (modes / "broken.json").write_text('{"schema_version": 1, "id": "broken"')
    (modes / "evil.json").write_bytes(b"\xff\xfe garbage")
    ids = [s.id for s in store.list_modes()]
    assert ids == ["default", "banking", "florist"]
    quarantined = sorted(p.name for p in (modes / ".quarantine").iterdir())
    assert any(name.startswith("broken.json") and name.endswith(".reason.txt") for name in quarantined)
    assert not (modes / "broken.json").exists()


def test_index_reused_and_invalidated(store: ModeStore, tmp_path: Path) -> None:
    saved = store.save(make_mode())
    store.list_modes()
    index = json.loads((tmp_path / "data" / "modes" / ".index.json").read_text())
    assert "florist.json" in index
    path = store.path_of(saved.id)
    path.write_text("not json")
    assert [s.id for s in store.list_modes()] == ["default", "banking"]


def test_import_export_roundtrip(store: ModeStore, tmp_path: Path) -> None:
    saved = store.save(make_mode())
    out = store.export(saved.id, tmp_path / "shared.json")
    store.delete(saved.id)
    imported = store.import_file(out)
    assert imported == saved


def test_id_mismatch_rejected(store: ModeStore, tmp_path: Path) -> None:
    modes = tmp_path / "data" / "modes"
    modes.mkdir(parents=True)
    (modes / "other.json").write_bytes(dump_mode(make_mode()))
    with pytest.raises(ModeValidationError):
        store.get("other")


def test_crash_mid_save_leaves_old_file(store: ModeStore, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = store.save(make_mode())
    before = store.path_of(saved.id).read_bytes()

    def boom(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(StoreError):
        store.save(make_mode(company="New"))
    monkeypatch.undo()
    assert store.path_of(saved.id).read_bytes() == before
    leftovers = [p for p in store.path_of(saved.id).parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert parse_mode(before).company_name == "Petal & Stem"

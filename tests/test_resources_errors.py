"""Bad input for the packaged app: damaged bundle resources, read-only or full data dirs.

A bundle is simulated with a copied `resources/` folder under a fake `sys._MEIPASS`, which
is exactly where core.paths.resources_root() looks first in a PyInstaller build.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from presto_desktop.cli import main
from presto_desktop.core import paths as paths_module
from presto_desktop.core.errors import ResourceError, StoreError
from presto_desktop.core.modefile import dump_mode, parse_mode
from presto_desktop.core.paths import AppPaths, resource_path, resources_root
from presto_desktop.core.settings import SettingsStore
from presto_desktop.core.store import ModeStore
from tests.factories import make_mode

ROOT = Path(__file__).resolve().parents[1]
REPO_RESOURCES = ROOT / "resources"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(err: str, *needles: str) -> None:
    """A single stderr line from the CLI that mentions every needle, and no traceback."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], err


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake PyInstaller bundle: `<_MEIPASS>/resources` holding valid built-in modes."""
    root = tmp_path / "bundle"
    resources = root / "resources"
    shutil.copytree(REPO_RESOURCES, resources,
                    ignore=shutil.ignore_patterns("__pycache__", "modes"))
    modes = resources / "modes"
    modes.mkdir()
    shipped = sorted((REPO_RESOURCES / "modes").glob("*.json"))
    if shipped:
        for path in shipped:
            shutil.copy2(path, modes / path.name)
    else:  # built-ins not written yet: stand-ins with the same ids
        for mode_id in ("default", "banking", "insurance", "healthcare"):
            kind = mode_id if mode_id != "default" else "generic"
            mode = make_mode(mode_id, industry=mode_id, kind=kind, request_key="")
            (modes / f"{mode_id}.json").write_bytes(dump_mode(mode))
    monkeypatch.setattr(sys, "_MEIPASS", str(root), raising=False)
    return resources


# -- the one resource locator -----------------------------------------------------------------

def test_bundle_resources_are_found_through_meipass(bundle: Path) -> None:
    assert resources_root() == bundle
    assert resource_path("modes", "default.json") == bundle / "modes" / "default.json"


def test_missing_resource_file_names_it(bundle: Path) -> None:
    with pytest.raises(ResourceError, match=r"qss/missing\.qss"):
        resource_path("qss", "missing.qss")


def test_no_resources_folder_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_package = tmp_path / "site" / "presto_desktop" / "core"
    fake_package.mkdir(parents=True)
    monkeypatch.setattr(paths_module, "__file__", str(fake_package / "paths.py"))
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    with pytest.raises(ResourceError, match="resources folder not found") as caught:
        resources_root()
    assert "\n" not in str(caught.value)


def test_no_resources_folder_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    fake_package = tmp_path / "site" / "presto_desktop" / "core"
    fake_package.mkdir(parents=True)
    monkeypatch.setattr(paths_module, "__file__", str(fake_package / "paths.py"))
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "d"), "modes", "list")
    assert code == 1
    assert_one_line(err, "resources folder not found")


# -- damaged built-in modes -------------------------------------------------------------------

def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("damage", ["truncated", "missing", "empty", "not-utf8", "wrong-type"])
def test_damaged_default_mode(bundle: Path, damage: str, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    target = bundle / "modes" / "default.json"
    if damage == "truncated":
        _truncate(target)
    elif damage == "missing":
        target.unlink()
    elif damage == "empty":
        target.write_bytes(b"")
    elif damage == "not-utf8":
        target.write_bytes(b"\xff\xfe{\x00")
    else:
        raw = json.loads(target.read_bytes())
        raw["palette"] = "red"
        target.write_text(json.dumps(raw), "utf-8")
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "d"), "modes", "list")
    assert code == 1 and out == ""
    assert_one_line(err, "default.json")


def test_damaged_other_builtin_names_it(bundle: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _truncate(bundle / "modes" / "banking.json")
    # Built-ins are parsed on first use: the default still works, banking names its file.
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "d"), "modes", "show", "default")
    assert code == 0, err
    for argv in (["modes", "show", "banking"], ["modes", "list"]):
        code, _, err = run(capsys, "--data-dir", str(tmp_path / "d"), *argv)
        assert code == 1
        assert_one_line(err, "banking.json")


def test_unreadable_builtin_names_it(bundle: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    # A directory where a file should be: reading it fails with an OSError on every OS.
    target = bundle / "modes" / "insurance.json"
    target.unlink()
    target.mkdir()
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "d"), "modes", "list")
    assert code == 1
    assert_one_line(err, "insurance.json")


def test_store_builtin_dir_override(tmp_path: Path) -> None:
    folder = tmp_path / "modes"
    folder.mkdir()
    (folder / "default.json").write_bytes(b'{"schema_version": 1, "id": "def')
    store = ModeStore(AppPaths.resolve(tmp_path / "d"), builtin_dir=folder)
    with pytest.raises(ResourceError, match=r"modes/default\.json"):
        store.list_modes()


def test_damaged_bundle_in_a_real_process(bundle: Path, tmp_path: Path) -> None:
    """What a user of the bundle sees: exit 1 and one line, from a separate process."""
    _truncate(bundle / "modes" / "default.json")
    code = ("import sys; sys._MEIPASS = sys.argv.pop(1); from presto_desktop.cli import main; "
            "raise SystemExit(main(sys.argv[1:]))")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PRESTO_"))}
    result = subprocess.run(
        [sys.executable, "-c", code, str(bundle.parent), "--data-dir", str(tmp_path / "d"),
         "modes", "list"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,
    )
    assert result.returncode == 1
    assert_one_line(result.stderr, "default.json")


# -- damaged lexicon --------------------------------------------------------------------------

def _lexicon_class():
    module = pytest.importorskip("presto_desktop.engines.lexicon")
    return module.Lexicon


@pytest.mark.parametrize("damage", ["truncated", "missing", "not-json", "wrong-type"])
def test_damaged_lexicon_names_it(bundle: Path, damage: str) -> None:
    lexicon_cls = _lexicon_class()
    target = bundle / "lexicon.json"
    if not target.exists():
        pytest.skip("resources/lexicon.json not shipped yet")
    if damage == "truncated":
        _truncate(target)
    elif damage == "missing":
        target.unlink()
    elif damage == "not-json":
        target.write_bytes(b"\x00\x01 not json")
    else:
        target.write_text(json.dumps({"industries": "florist"}), "utf-8")
    with pytest.raises(ResourceError) as caught:
        lexicon_cls().lookup("ski resort")
    message = str(caught.value)
    assert "lexicon.json" in message
    assert "\n" not in message, message


@pytest.mark.parametrize("damage", ["truncated", "missing"])
def test_damaged_lexicon_cli_generate(bundle: Path, damage: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("presto_desktop.engines.offline")
    target = bundle / "lexicon.json"
    if not target.exists():
        pytest.skip("resources/lexicon.json not shipped yet")
    if damage == "truncated":
        _truncate(target)
    else:
        target.unlink()
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "d"), "modes", "generate",
                       "ski resort", "--offline")
    assert code == 1
    assert_one_line(err, "lexicon.json")


# -- read-only or full data dir ---------------------------------------------------------------

@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, Path, bytes]:
    """A data dir that already holds one saved mode; returns (data dir, file, its bytes)."""
    data = tmp_path / "data"
    store = ModeStore(AppPaths.resolve(data))
    mode = store.save(make_mode("florist"))
    path = store.path_of(mode.id)
    return data, path, path.read_bytes()


def _mode_file(tmp_path: Path, mode_id: str, company: str = "Petal & Stem") -> Path:
    path = tmp_path / "incoming" / f"{mode_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(dump_mode(make_mode(mode_id, industry="baker", company=company,
                                         request_key=f"baker|{mode_id}")))
    return path


def _assert_nothing_lost(data: Path, path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    assert parse_mode(before).id == path.stem
    leftovers = [p.name for p in (data / "modes").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.parametrize(("code", "text"), [(errno.EROFS, "Read-only file system"),
                                            (errno.ENOSPC, "No space left on device"),
                                            (errno.EACCES, "Permission denied")])
def test_failed_replace_is_one_line_and_loses_nothing(
    saved: tuple[Path, Path, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], code: int, text: str,
) -> None:
    data, path, before = saved

    def refuse(*_args: object) -> None:
        raise OSError(code, text)

    monkeypatch.setattr(os, "replace", refuse)
    incoming = _mode_file(tmp_path, "bakery")
    exit_code, out, err = run(capsys, "--data-dir", str(data), "modes", "import", str(incoming))
    assert exit_code == 1 and out == ""
    assert_one_line(err, text, "bakery.json")
    monkeypatch.undo()
    _assert_nothing_lost(data, path, before)
    assert not (data / "modes" / "bakery.json").exists()
    listed, out, _ = run(capsys, "--data-dir", str(data), "modes", "list")
    assert listed == 0 and "florist" in out


def _refuse_temp_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """A really read-only folder fails at creating the temp file, before any replace."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)


def test_read_only_folder_fails_at_the_temp_file(
    saved: tuple[Path, Path, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data, path, before = saved
    (data / "modes" / ".index.json").unlink(missing_ok=True)
    _refuse_temp_files(monkeypatch)
    incoming = _mode_file(tmp_path, "bakery")
    code, out, err = run(capsys, "--data-dir", str(data), "modes", "import", str(incoming))
    assert code == 1 and out == ""
    assert_one_line(err, "Read-only file system", "bakery.json")
    # Listing, showing and offline chat still work; only the listing cache is not written.
    code, out, err = run(capsys, "--data-dir", str(data), "modes", "list")
    assert code == 0 and "florist" in out, err
    code, out, err = run(capsys, "--data-dir", str(data), "chat", "--offline", "--mode",
                         "florist", "hello")
    assert code == 0 and out.strip(), err
    monkeypatch.undo()
    _assert_nothing_lost(data, path, before)


def test_full_disk_while_overwriting_keeps_the_old_file(
    saved: tuple[Path, Path, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Regenerating in place (same request) on a full disk keeps the previous version."""
    data, path, before = saved
    newer = tmp_path / "florist.json"
    newer.write_bytes(dump_mode(make_mode("florist", company="Other Name")))

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    exit_code, _, err = run(capsys, "--data-dir", str(data), "modes", "import", str(newer))
    assert exit_code == 1
    assert_one_line(err, "No space left on device")
    monkeypatch.undo()
    _assert_nothing_lost(data, path, before)


def test_listing_a_read_only_data_dir_still_works(
    saved: tuple[Path, Path, bytes], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The listing cache cannot be written; listing goes on without it."""
    data, path, before = saved
    (data / "modes" / ".index.json").unlink(missing_ok=True)

    def refuse(*_args: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    code, out, err = run(capsys, "--data-dir", str(data), "modes", "list")
    assert code == 0 and "florist" in out and "Traceback" not in err
    code, out, _ = run(capsys, "--data-dir", str(data), "modes", "show", "florist")
    assert code == 0 and "Petal & Stem" in out
    monkeypatch.undo()
    _assert_nothing_lost(data, path, before)


def test_export_to_a_read_only_place(
    saved: tuple[Path, Path, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data, path, before = saved

    def refuse(*_args: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    target = tmp_path / "out" / "florist.json"
    target.parent.mkdir()  # export refuses a missing folder (it never creates one)
    code, _, err = run(capsys, "--data-dir", str(data), "modes", "export", "florist", str(target))
    assert code == 1
    assert_one_line(err, "Read-only file system")
    monkeypatch.undo()
    assert not target.exists()
    _assert_nothing_lost(data, path, before)


def test_settings_save_failure_keeps_old_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    store = SettingsStore(paths)
    settings = store.load()
    store.save(settings)
    before = paths.settings_file.read_bytes()

    def refuse(*_args: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(StoreError) as caught:
        store.save(settings)
    assert "\n" not in str(caught.value) and "settings.json" in str(caught.value)
    monkeypatch.undo()
    assert paths.settings_file.read_bytes() == before


def test_data_dir_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("I am a file", "utf-8")
    incoming = _mode_file(tmp_path, "bakery")
    code, _, err = run(capsys, "--data-dir", str(not_a_dir), "modes", "import", str(incoming))
    assert code == 1
    assert_one_line(err)
    assert not_a_dir.read_text("utf-8") == "I am a file"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root ignores permission bits; the os.replace tests cover this")
def test_read_only_modes_folder_by_permissions(
    saved: tuple[Path, Path, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    data, path, before = saved
    modes = data / "modes"
    modes.chmod(0o500)
    try:
        incoming = _mode_file(tmp_path, "bakery")
        code, _, err = run(capsys, "--data-dir", str(data), "modes", "import", str(incoming))
        assert code == 1
        assert_one_line(err, "bakery.json")
    finally:
        modes.chmod(0o700)
    _assert_nothing_lost(data, path, before)

"""The command line with hostile files, closed pipes and sharing flags: one line, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from presto_desktop.cli import main
from presto_desktop.core.modefile import dump_mode
from tests.core.test_hostile_files import huge_int_mode
from tests.factories import make_mode

ROOT = Path(__file__).resolve().parents[1]
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
pytestmark = pytest.mark.timeout(120)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and "Traceback" not in err


def test_huge_integer_mode_file(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(huge_int_mode())
    code, _, err = run(capsys, "modes", "import", str(bad))
    assert code == 1 and one_line(err) and "digits" in err
    (data_dir / "modes").mkdir(parents=True)
    (data_dir / "modes" / "florist.json").write_bytes(huge_int_mode())
    code, out, err = run(capsys, "modes", "list")
    assert code == 0 and "florist" not in out and "Traceback" not in err
    assert list((data_dir / "modes" / ".quarantine").glob("florist.json.*.reason.txt"))


@posix_only
def test_fifo_mode_is_refused_not_waited_for(capsys: pytest.CaptureFixture[str],
                                            data_dir: Path) -> None:
    (data_dir / "modes").mkdir(parents=True)
    os.mkfifo(data_dir / "modes" / "x.json")
    code, _, err = run(capsys, "modes", "show", "x")
    assert code == 1 and one_line(err) and "not a regular file" in err
    assert list((data_dir / "modes" / ".quarantine").glob("x.json.*.reason.txt"))
    os.mkfifo(data_dir / "modes" / "y.json")
    code, _, err = run(capsys, "chat", "--offline", "--mode", "y", "hello")
    assert code == 1 and one_line(err) and "not a regular file" in err


@posix_only
def test_fifo_settings_and_conversation_do_not_block_a_command(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "conversations").mkdir(parents=True)
    os.mkfifo(data_dir / "config" / "settings.json")
    os.mkfifo(data_dir / "conversations" / "default.json")
    code, out, _ = run(capsys, "chat", "--offline", "--mode", "banking", "What is my balance?")
    assert code == 0 and out.strip()


def test_validate_all_errors_lists_every_problem(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    data = json.loads(dump_mode(make_mode()))
    data["tabs"], data["name"], data["surprise"] = "many", 5, True
    data["palette"]["light"]["text"] = "red"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    code, _, err = run(capsys, "modes", "validate", str(bad))
    assert code == 1 and one_line(err) and "more problems" in err and "--all-errors" in err
    code, _, err = run(capsys, "modes", "validate", "--all-errors", str(bad))
    assert code == 1 and err.count("\n") == 4 and "Traceback" not in err
    for expected in ("tabs", "name", "unknown field surprise", "palette.light.text"):
        assert expected in err


def test_validate_accepts_upper_case_colours(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    data = json.loads(dump_mode(make_mode()))
    data["palette"]["primary"] = "#D63384"
    path = tmp_path / "upper.json"
    path.write_text(json.dumps(data).replace(json.dumps(data["palette"]["light"]["text"]),
                                             json.dumps(data["palette"]["light"]["text"].upper())))
    code, out, err = run(capsys, "modes", "validate", str(path))
    assert code == 0 and "ok" in out, err


def test_export_refuses_missing_folders_and_existing_files(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "modes", "export", "banking", str(tmp_path / "missing" / "x.json"))
    assert code == 1 and one_line(err) and not (tmp_path / "missing").exists()
    target = tmp_path / "x.json"
    target.write_text("keep me")
    code, _, err = run(capsys, "modes", "export", "banking", str(target))
    assert code == 1 and one_line(err) and "--force" in err and target.read_text() == "keep me"
    code, out, _ = run(capsys, "modes", "export", "banking", str(target), "--force")
    assert code == 0 and json.loads(target.read_text())["id"] == "banking"


def test_import_keeps_both_and_says_so(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                       tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_bytes(dump_mode(make_mode()))
    second.write_bytes(dump_mode(make_mode(company="Another Florist")))
    assert run(capsys, "modes", "import", str(first))[0] == 0
    code, out, err = run(capsys, "modes", "import", str(second))
    assert code == 0 and Path(out.strip()).name == "florist-2.json"
    assert one_line(err) and "kept both" in err
    code, out, err = run(capsys, "modes", "import", "--replace", str(second))
    assert code == 0 and Path(out.strip()).name == "florist.json" and "replaced" in err


def test_plain_text_import_says_not_json(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                         tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text("These are my notes, not a mode.")
    code, _, err = run(capsys, "modes", "import", str(path))
    assert code == 1 and one_line(err) and "not JSON" in err and "truncated" not in err


def test_a_closed_stdout_ends_quietly() -> None:
    child = subprocess.Popen([sys.executable, "-m", "presto_desktop", "schema"], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.read(1)
    child.stdout.close()  # like `| head -c 1`
    err = child.stderr.read()
    assert child.wait(timeout=60) == 0 and err == b""


def test_stale_temp_files_are_removed_by_the_cli(capsys: pytest.CaptureFixture[str],
                                                 data_dir: Path) -> None:
    (data_dir / "config").mkdir(parents=True)
    leftover = data_dir / "config" / ".api_key.ab12cd34.tmp"
    leftover.write_text("sk-old-key-0123456789")
    past = time.time() - 3600
    os.utime(leftover, (past, past))
    assert run(capsys, "modes", "list")[0] == 0
    assert not leftover.exists()


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "logs" not in p.parts}


@pytest.mark.parametrize("flag", ["--self-test", "--screenshot"])
def test_headless_runs_leave_the_data_dir_as_they_found_it(tmp_path: Path, flag: str) -> None:
    data = tmp_path / "data"
    (data / "modes").mkdir(parents=True)
    (data / "modes" / "florist.json").write_bytes(dump_mode(make_mode()))
    (data / "config").mkdir()
    (data / "config" / "settings.json").write_text('{"last_mode": "banking"}')
    before = _tree(data)
    extra = [str(tmp_path / "shot.png")] if flag == "--screenshot" else []
    result = subprocess.run(
        [sys.executable, "-m", "presto_desktop", "--data-dir", str(data), flag, *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=110, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert _tree(data) == before
    if extra:
        assert Path(extra[0]).stat().st_size > 1000


def test_an_unforeseen_error_is_one_line(capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def explode() -> int:
        raise LookupError("nobody saw this coming")

    monkeypatch.setattr("presto_desktop.cli._schema", explode)
    code, _, err = run(capsys, "schema")
    assert code == 1 and one_line(err) and "LookupError" in err

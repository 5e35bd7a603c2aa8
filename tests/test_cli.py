"""The command line: headless subcommands, one-line errors, exit codes, no Qt/openai imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from presto_desktop.cli import main
from presto_desktop.core.contrast import check_palette_contrast
from presto_desktop.core.modefile import parse_mode
from tests.core.test_modefile import CASES


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_builtins(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "modes", "list", "--json")
    assert code == 0
    ids = [m["id"] for m in json.loads(out)]
    assert ids[0] == "default"
    assert {"banking", "insurance", "healthcare"} <= set(ids)


def test_generate_validate_show_export_delete(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--data-dir", str(data_dir), "modes", "generate", "florist",
                         "--offline")
    assert code == 0, err
    path = Path(out.strip())
    assert path == data_dir / "modes" / f"{path.stem}.json" and path.exists()
    mode = parse_mode(path.read_bytes())
    assert check_palette_contrast(mode.palette.light.model_dump()) is None
    assert check_palette_contrast(mode.palette.dark.model_dump()) is None
    assert run(capsys, "modes", "validate", str(path))[0] == 0
    # The same request reuses the saved mode.
    code, again, _ = run(capsys, "--data-dir", str(data_dir), "modes", "generate", "Florist")
    assert code == 0 and again.strip() == str(path)
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "modes", "show", mode.id)
    assert code == 0 and mode.company_name in out
    target = tmp_path / "export.json"
    assert run(capsys, "--data-dir", str(data_dir), "modes", "export", mode.id, str(target))[0] == 0
    assert parse_mode(target.read_bytes()) == mode
    assert run(capsys, "--data-dir", str(data_dir), "modes", "delete", mode.id)[0] == 0
    code, _, err = run(capsys, "--data-dir", str(data_dir), "modes", "show", mode.id)
    assert code == 1 and err.count("\n") == 1
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "modes", "import", str(target))
    assert code == 0 and Path(out.strip()).exists()


def test_chat_answers_with_persona_balance(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(capsys, "--data-dir", str(data_dir), "chat", "--offline", "--mode",
                         "banking", "What's my checking balance?")
    assert code == 0, err
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.core.store import ModeStore

    persona = ModeStore(AppPaths.resolve(data_dir)).get("banking").persona
    assert f"${persona.checking_balance:,.2f}" in out


def test_chat_prints_tool_lines(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "chat", "--offline", "--mode",
                       "banking", "Show my balance history")
    assert code == 0
    tool_lines = [line for line in out.splitlines() if line.startswith("tool: ")]
    assert tool_lines
    payload = json.loads(tool_lines[0][len("tool: "):])
    assert payload["name"] == "show_chart"


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_and_import_reject_bad_files(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path, name: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(CASES[name][0])
    code, _, err = run(capsys, "modes", "validate", str(bad))
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    code, _, err = run(capsys, "--data-dir", str(data_dir), "modes", "import", str(bad))
    assert code == 1 and err.count("\n") == 1
    assert not [p for p in data_dir.glob("modes/*.json") if not p.name.startswith(".")]


def test_bad_files_in_library_are_quarantined(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    modes = data_dir / "modes"
    modes.mkdir(parents=True)
    for index, name in enumerate(sorted(CASES)):
        (modes / f"bad-{index}.json").write_bytes(CASES[name][0])
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "modes", "list")
    assert code == 0 and "banking" in out
    assert not list(modes.glob("bad-*.json"))
    assert len(list((modes / ".quarantine").glob("*.reason.txt"))) == len(CASES)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["modes", "frobnicate"])
    assert info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_bad_id_one_line(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, _, err = run(capsys, "--data-dir", str(data_dir), "modes", "show", "../../etc/passwd")
    assert code == 1 and err.count("\n") == 1


def test_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and "palette" in schema["properties"]


def test_headless_imports_no_qt_or_openai(data_dir: Path) -> None:
    script = (
        "import sys; from presto_desktop.cli import main\n"
        f"main(['--data-dir', {str(data_dir)!r}, 'modes', 'generate', 'bakery'])\n"
        f"main(['--data-dir', {str(data_dir)!r}, 'modes', 'list'])\n"
        f"main(['--data-dir', {str(data_dir)!r}, 'chat', '--mode', 'banking', 'hi'])\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync', 'openai')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr


def test_version_and_module_entry() -> None:
    result = subprocess.run([sys.executable, "-m", "presto_desktop", "--version"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and result.stdout.startswith("presto-desktop ")


def test_no_third_party_pydantic_plugins_are_looked_for(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Looking for them (every installed package's entry points) cost ~26 ms at start-up."""
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert main(["--data-dir", str(data_dir), "modes", "list"]) == 0
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "logfire")  # a user's own choice stays
    assert main(["--data-dir", str(data_dir), "modes", "list"]) == 0
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "logfire"

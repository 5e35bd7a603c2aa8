"""`--version`: version and build commit, worked out without Qt (issue 17)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from presto_desktop import BUILD_COMMIT_FILE, __version__, build_commit, version_string

ROOT = Path(__file__).resolve().parents[1]
VERSION_LINE = re.compile(r"^presto-desktop \d+\.\d+\.\d+\S* \(([0-9a-f]{7,40}|unknown)\)$")


def test_version_string_format() -> None:
    line = version_string()
    assert VERSION_LINE.match(line), line
    assert line.startswith(f"presto-desktop {__version__} (")


def test_recorded_commit_wins(tmp_path: Path) -> None:
    package = tmp_path / "presto_desktop"
    package.mkdir()
    (package / BUILD_COMMIT_FILE).write_text("abc1234\n", encoding="utf-8")
    assert build_commit(package) == "abc1234"


def test_unknown_outside_a_checkout(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "presto_desktop"
    package.mkdir(parents=True)
    assert build_commit(package) == "unknown"
    # Another project's repository around an installed copy is not our commit.
    (tmp_path / "site-packages" / ".git").mkdir()
    assert build_commit(package) == "unknown"
    (package / BUILD_COMMIT_FILE).write_text("", encoding="utf-8")
    assert build_commit(package) == "unknown"


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                    reason="needs a git checkout")
def test_checkout_reports_head() -> None:
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert build_commit(ROOT / "presto_desktop") == head


def test_version_flag_prints_the_line_and_imports_no_qt() -> None:
    script = (
        "import sys\n"
        "from presto_desktop.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync', 'openai')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert VERSION_LINE.match(result.stdout.strip()), result.stdout
    assert result.stdout.strip() == version_string()

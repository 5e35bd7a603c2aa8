"""The import-linter contracts hold: ui -> session -> engines -> core, Qt-free below ui, openai isolated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_colour_literals_in_widgets() -> None:
    """Colours live only in palette code and QSS templates."""
    import re

    pattern = re.compile(r"#[0-9a-fA-F]{6}\b|QColor\(\s*['\"]?\d|Qt\.(red|blue|green|black|white)\b")
    offenders = []
    for path in (ROOT / "presto_desktop" / "ui").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []


def test_ruff_clean() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "presto_desktop", "tests", "packaging", "scripts"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr

"""Shared test setup: Qt offscreen, and every test gets its own data dir."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("OPENAI_BASE_URL", None)
os.environ.pop("PRESTO_MODEL", None)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp data dir, also exported as PRESTO_DATA_DIR so nothing touches the real one."""
    path = tmp_path / "data"
    monkeypatch.setenv("PRESTO_DATA_DIR", str(path))
    return path

"""Shared test setup: Qt offscreen, and every test gets its own data dir."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("OPENAI_BASE_URL", None)
os.environ.pop("PRESTO_MODEL", None)
# Tests (and the subprocesses they start) never touch the OS keyring: its D-Bus backends are
# slow to probe on a headless machine and once crashed a run. The key store then uses its file.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp data dir, also exported as PRESTO_DATA_DIR so nothing touches the real one."""
    path = tmp_path / "data"
    monkeypatch.setenv("PRESTO_DATA_DIR", str(path))
    return path


# mypy's cold run (a fresh clone) is the longest test by far, ~25 s of CPU in one subprocess:
# started first, it overlaps the rest of the suite instead of ending the run on one core.
_FIRST = "tests/test_typing.py::test_mypy_reports_no_errors"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slowest test first (a stable sort: the rest keep their order)."""
    items.sort(key=lambda item: item.nodeid != _FIRST)

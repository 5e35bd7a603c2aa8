"""Bundle figures: size of dist/presto-desktop and start-to-exit time of `--self-test`.

Goals (issue 5): bundle <= 150 MB on Linux, `--self-test` from the bundle <= 1.5 s.
Returns no rows (and no error) when the bundle has not been built (`make package`).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist" / "presto-desktop"


def _exe() -> Path:
    names = {"win32": "presto-desktop-cli.exe", "darwin": "presto-desktop-cli"}
    return DIST / names.get(sys.platform, "presto-desktop")


def _bundle_bytes() -> int:
    """Bytes of the bundle's files; symlinks count as links, not as their targets."""
    return sum(p.lstat().st_size for p in DIST.rglob("*") if not p.is_dir() or p.is_symlink())


def _self_test_seconds(runs: int) -> tuple[float, bool]:
    """Median wall time of `--self-test` with a fresh data dir each run, and whether it passed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PRESTO_"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    times, ok = [], True
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="presto-bench-") as tmp:
            started = time.perf_counter()
            result = subprocess.run([str(_exe()), "--data-dir", tmp, "--self-test"], env=env,
                                    capture_output=True, text=True, timeout=120, check=False)
            times.append(time.perf_counter() - started)
            ok = ok and result.returncode == 0
    return statistics.median(times), ok


def run(quick: bool) -> list[tuple[str, float, str]]:
    """Figures for the packaged executable, or [] when there is no bundle."""
    if not _exe().exists():
        return []
    rows: list[tuple[str, float, str]] = [
        ("bundle_size", round(_bundle_bytes() / 1e6, 1), "MB"),
    ]
    started = time.perf_counter()
    subprocess.run([str(_exe()), "--version"], capture_output=True, timeout=60, check=False)
    rows.append(("bundle_version_exit", round(time.perf_counter() - started, 3), "s"))
    if (ROOT / "presto_desktop" / "ui" / "app.py").exists():
        seconds, ok = _self_test_seconds(1 if quick else 5)
        rows.append(("bundle_self_test_exit", round(seconds, 3), "s"))
        rows.append(("bundle_self_test_passed", 1.0 if ok else 0.0, "bool"))
    return rows


if __name__ == "__main__":
    for name, value, unit in run(quick="--quick" in sys.argv):
        print(name, value, unit)

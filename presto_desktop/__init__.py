"""Presto-Change-O Desktop: a chat assistant that turns itself into any business's assistant."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

# Written by build.spec into the bundle (never committed): the commit it was built from.
BUILD_COMMIT_FILE = "BUILD_COMMIT"


def build_commit(package: Path | None = None) -> str:
    """The short commit this copy was built from, else the checkout's HEAD, else 'unknown'."""
    package = package or Path(__file__).resolve().parent
    try:
        recorded = (package / BUILD_COMMIT_FILE).read_text("utf-8").strip()
    except OSError:
        recorded = ""
    if recorded:
        return recorded
    root = package.parent
    # Only this project's own checkout: an installed copy inside some other repository
    # must not report that repository's commit.
    if not (root / ".git").exists() or not (root / "pyproject.toml").is_file():
        return "unknown"
    import subprocess

    try:
        result = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and commit else "unknown"


def version_string() -> str:
    """What `--version` prints: `presto-desktop 0.1.0 (abc1234)`."""
    return f"presto-desktop {__version__} ({build_commit()})"

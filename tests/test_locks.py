"""requirements/*.lock: hash-pinned, index-free, and in step with pyproject.toml (issue 17)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCKS = {"runtime": ROOT / "requirements" / "runtime.lock",
         "dev": ROOT / "requirements" / "dev.lock"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)(?:\s*;\s*(.*?))?\s*\\?$")
# Anything that would tie a lock to one package index or host.
INDEX = re.compile(r"--(index-url|extra-index-url|find-links|trusted-host)\b|^-[if]\s|://",
                   re.MULTILINE)


def pins(lock: Path) -> dict[str, tuple[Version, int]]:
    """{canonical name: (version, number of hashes)} of a lock file."""
    found: dict[str, tuple[Version, int]] = {}
    name = None
    for line in lock.read_text("utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            found[name] = (Version(match.group(2)), 0)
        elif line.strip().startswith("--hash=sha256:") and name is not None:
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
    return found


def declared() -> dict[str, list[Requirement]]:
    """pyproject.toml's requirements: the runtime set and runtime + dev."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    dev = [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    return {"runtime": runtime, "dev": runtime + dev}


@pytest.mark.parametrize("kind", sorted(LOCKS))
def test_lock_is_hash_pinned_and_names_no_index(kind: str) -> None:
    text = LOCKS[kind].read_text("utf-8")
    assert not INDEX.search(text), INDEX.search(text)
    locked = pins(LOCKS[kind])
    assert locked, f"no pins in {LOCKS[kind]}"
    unhashed = [name for name, (_, hashes) in locked.items() if hashes == 0]
    assert not unhashed, f"pins without hashes: {unhashed}"
    assert "make lock" in text.splitlines()[1], "the header names the command that writes it"


@pytest.mark.parametrize("kind", sorted(LOCKS))
def test_lock_satisfies_pyproject(kind: str) -> None:
    locked = pins(LOCKS[kind])
    for requirement in declared()[kind]:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is not in {LOCKS[kind].name}: run `make lock`"
        version = locked[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{LOCKS[kind].name} pins {name}=={version}, pyproject.toml wants {requirement}: "
            "run `make lock`")


def test_pyside_is_split_and_below_6_12() -> None:
    for lock in LOCKS.values():
        locked = pins(lock)
        assert "pyside6" not in locked, "the PySide6 metapackage pulls in what the app never uses"
        for name in ("pyside6-essentials", "pyside6-addons", "shiboken6"):
            assert locked[name][0] < Version("6.12"), f"{lock.name}: {name}"


def test_dev_lock_keeps_the_runtime_versions() -> None:
    runtime, dev = pins(LOCKS["runtime"]), pins(LOCKS["dev"])
    differ = {n: (v, dev.get(n, (None,))[0]) for n, (v, _) in runtime.items()
              if dev.get(n, (None,))[0] != v}
    assert not differ, f"runtime.lock vs dev.lock: {differ}"

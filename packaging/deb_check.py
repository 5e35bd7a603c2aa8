"""Check of the Debian package (`make deb-check`, run by CI as root); exits non-zero on failure.

Builds the .deb from the existing bundle (`make package-check` built it; nothing is rebuilt
unless it is stale), checks its size and contents, installs it with `dpkg -i`, runs the
installed `presto-desktop --version`, `modes list` and `--self-test` (offscreen, temp home and
data dir), then removes it with `dpkg -r` and checks that no file of it is left, including
/opt/presto-desktop.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deb import DESKTOP_FILE, INSTALL_DIR, MAX_BYTES, MIME_FILE, NAME, build_deb, need_commands
from smoke import DIST, bundle_commit, clean_env, snapshot

TIMEOUT = 120
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


class Check:
    """Prints one line per step and remembers the failures."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    def step(self, label: str, problem: str | None, started: float) -> bool:
        """Record one result; True when it passed."""
        seconds = time.perf_counter() - started
        print(f"{'FAIL' if problem else 'ok  '} {seconds:6.2f} s  {label}", flush=True)
        if problem:
            print(f"    {problem}", flush=True)
            self.failures.append(label)
        return problem is None

    def run(self, label: str, cmd: list[str], *, env: dict[str, str] | None = None,
            expect_out: str | None = None) -> bool:
        """Run a command; it passes on exit 0, no traceback and `expect_out` in stdout."""
        started = time.perf_counter()
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, env=env,
                                    timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return self.step(label, f"{type(exc).__name__}: {exc}", started)
        problem = None
        if result.returncode != 0 or "Traceback" in result.stderr:
            problem = f"exit {result.returncode}: {(result.stderr or result.stdout)[-1500:]}"
        elif expect_out is not None and expect_out not in result.stdout:
            problem = f"expected {expect_out!r} in the output, got {result.stdout[-400:]!r}"
        return self.step(label, problem, started)


def package_files(deb: Path) -> list[str]:
    """Absolute paths of the files and links the package installs (folders left out)."""
    listing = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True,
                             check=True).stdout
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(listing)) as tar:
        return sorted("/" + m.name.removeprefix("./") for m in tar.getmembers() if not m.isdir())


def contents_problem(files: list[str]) -> str | None:
    """None when the package has the launcher, menu entry, icons and bundle."""
    required = [f"/usr/bin/{NAME}", f"{INSTALL_DIR}/{NAME}",
                f"/usr/share/applications/{DESKTOP_FILE.name}",
                f"/usr/share/mime/packages/{MIME_FILE.name}",
                f"/usr/share/icons/hicolor/scalable/apps/{NAME}.svg",
                *(f"/usr/share/icons/hicolor/{n}x{n}/apps/{NAME}.png" for n in ICON_SIZES)]
    missing = [path for path in required if path not in files]
    stray = [p for p in files if not p.startswith((f"{INSTALL_DIR}/", "/usr/"))]
    if missing or stray:
        return f"missing: {missing}; outside /opt/{NAME} and /usr: {stray[:5]}"
    return None


def installed_status() -> str:
    """dpkg's status of the package ('not-installed' when dpkg does not know it)."""
    result = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", NAME],
                            capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else "not-installed"


def install(check: Check, deb: Path) -> bool:
    """dpkg -i; missing dependencies are then fetched the usual way (apt-get -f install)."""
    started = time.perf_counter()
    result = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0 and "dependency problems" in result.stderr:
        print("dpkg -i: dependencies missing; running apt-get -f install", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        result = subprocess.run(["apt-get", "-f", "install", "-y", "--no-install-recommends"],
                                capture_output=True, text=True, env=env, check=False)
    ok = result.returncode == 0 and installed_status() == "installed"
    return check.step(f"dpkg -i {deb.name}", None if ok else
                      f"exit {result.returncode}: {result.stderr[-1500:]}", started)


def run_installed(check: Check, work: Path) -> None:
    """The installed copy: version with commit, headless commands, offscreen self-test."""
    from presto_desktop import __version__

    env = clean_env(work / "home")
    launcher = shutil.which(NAME, path="/usr/bin") or f"/usr/bin/{NAME}"
    data = ["--data-dir", str(work / "data")]
    check.run(f"{launcher} --version", [launcher, "--version"], env=env,
              expect_out=f"{NAME} {__version__} ({bundle_commit(DIST)})")
    check.run(f"{launcher} modes list", [launcher, *data, "modes", "list"], env=env,
              expect_out="default")
    check.run(f"{launcher} --self-test (offscreen)", [launcher, *data, "--self-test"], env=env)


def main() -> int:
    """Build, install, run and remove the package."""
    if not sys.platform.startswith("linux") or shutil.which("dpkg") is None:
        print(f"{NAME}: deb-check needs a Debian-based Linux (dpkg)", file=sys.stderr)
        return 1
    if os.geteuid() != 0:
        print(f"{NAME}: deb-check installs the package with dpkg -i and needs root: run it as "
              "root (CI does) or `sudo make deb-check`", file=sys.stderr)
        return 1
    if installed_status() != "not-installed" or INSTALL_DIR.exists():
        print(f"{NAME}: already installed here ({installed_status()}, {INSTALL_DIR}); "
              f"deb-check would remove it: `dpkg -r {NAME}` first", file=sys.stderr)
        return 1
    need_commands({"dpkg-deb": "dpkg", "desktop-file-validate": "desktop-file-utils"})
    check = Check()
    started = time.perf_counter()
    deb = build_deb()
    size = deb.stat().st_size
    check.step(f"make deb: {deb.name} {size / 1e6:.1f} MB (<= {MAX_BYTES / 1e6:.0f} MB)",
               None if size <= MAX_BYTES else "too large", started)
    started = time.perf_counter()
    files = package_files(deb)
    check.step(f"contents: launcher, menu entry, .presto type, {len(ICON_SIZES)}+1 icons, bundle "
               f"({len(files)} files)", contents_problem(files), started)
    check.run("desktop-file-validate", ["desktop-file-validate", str(DESKTOP_FILE)])

    if install(check, deb):
        before = snapshot(INSTALL_DIR)
        check.run(f"dpkg --verify {NAME}", ["dpkg", "--verify", NAME])
        with tempfile.TemporaryDirectory(prefix="presto-deb-") as tmp:
            run_installed(check, Path(tmp))
        started = time.perf_counter()
        check.step(f"nothing was written into {INSTALL_DIR}",
                   None if snapshot(INSTALL_DIR) == before else "the bundle changed", started)
    started = time.perf_counter()
    removed = subprocess.run(["dpkg", "-r", NAME], capture_output=True, text=True, check=False)
    left = [p for p in [*files, str(INSTALL_DIR)] if os.path.lexists(p)]
    problem = None
    if removed.returncode != 0:
        problem = f"exit {removed.returncode}: {removed.stderr[-800:]}"
    elif left or installed_status() != "not-installed":
        problem = f"left behind ({installed_status()}): {left[:10]}"
    check.step(f"dpkg -r {NAME}: no file left, {INSTALL_DIR} gone", problem, started)
    print(f"\n{len(check.failures)} failed; .deb {size / 1e6:.1f} MB")
    return 1 if check.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

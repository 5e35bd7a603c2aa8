"""Debian package from the PyInstaller bundle (`make deb`): dist/presto-desktop_<ver>_<arch>.deb.

Uses the bundle in dist/presto-desktop (builds it first when missing or stale, like
`make package-check`). The package holds:

    /opt/presto-desktop/                      the bundle folder, unchanged
    /usr/bin/presto-desktop                   symlink to /opt/presto-desktop/presto-desktop
    /usr/share/applications/presto-desktop.desktop    the menu entry (opens .presto files)
    /usr/share/mime/packages/presto-desktop.xml       the .presto type, application/x-presto-recording
    /usr/share/icons/hicolor/<N>x<N>/apps/presto-desktop.png (16..512) and scalable/ SVG
    /usr/share/doc/presto-desktop/copyright

No maintainer scripts and no conffiles: the icon cache and the menu database are refreshed by
the triggers of hicolor-icon-theme, desktop-file-utils and shared-mime-info, and `dpkg -r`
removes every file.
Built with dpkg-deb alone (xz, root:root owners), so no fakeroot or debhelper is needed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from packaging.version import Version
from smoke import DIST, ROOT, bundle_commit, bundle_exe, fresh_bundle

NAME = "presto-desktop"
INSTALL_DIR = Path("/opt") / NAME
DESKTOP_FILE = ROOT / "packaging" / "linux" / f"{NAME}.desktop"
MIME_FILE = ROOT / "packaging" / "linux" / f"{NAME}.xml"  # the .presto recording type
STAGE_ROOT = ROOT / "build" / "deb"
MAX_BYTES = 80 * 1000 * 1000  # issue 17: the .deb stays <= 80 MB compressed
# Libraries Qt's xcb and wayland plugins load from the system when they are present (the
# README's list; the bundle carries the rest). Needed to open the window, not for
# --self-test or the subcommands: apt installs them by default, and `dpkg -i` on a headless
# machine still succeeds. Depends is worked out from the bundle itself (see depends()).
RECOMMENDS = ["libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
              "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1",
              "libxkbcommon-x11-0", "libegl1", "libwayland-client0", "libwayland-cursor0",
              "libwayland-egl1", "hicolor-icon-theme", "desktop-file-utils", "shared-mime-info"]
COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: presto-desktop

Files: *
Copyright: Presto-Change-O Desktop contributors
License: MIT
 The bundled Python, Qt (LGPL-3.0) and Python packages keep their own licenses.
"""


def need_commands(commands: dict[str, str]) -> None:
    """Install the Debian packages behind missing `commands` ({command: package}) with apt.

    Only when missing, only as root (CI runs as root); otherwise exit with what to run.
    """
    missing = sorted({pkg for cmd, pkg in commands.items() if shutil.which(cmd) is None})
    if not missing:
        return
    names = ", ".join(cmd for cmd in commands if shutil.which(cmd) is None)
    if shutil.which("apt-get") is None:
        raise SystemExit(f"{NAME}: needs {names} (Debian package {' '.join(missing)}), and "
                         "this system has no apt-get: build the .deb on Debian or Ubuntu")
    if os.geteuid() != 0:
        raise SystemExit(f"{NAME}: needs {names}; install it once with "
                         f"`sudo apt-get install -y {' '.join(missing)}` (or run as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    print(f"installing {' '.join(missing)} with apt-get ...", flush=True)
    if subprocess.run(install, env=env, check=False).returncode != 0:
        # A fresh machine may have no package lists yet.
        subprocess.run(["apt-get", "update"], env=env, check=True)
        subprocess.run(install, env=env, check=True)


def elf_files(folder: Path) -> list[Path]:
    """The executables and shared libraries in `folder`."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def owners(libraries: set[str]) -> set[str]:
    """The installed Debian packages that hold `libraries` (absolute paths), one dpkg call."""
    # /lib and /usr/lib are one folder on merged-/usr systems; dpkg may know either name.
    candidates = set()
    for library in libraries:
        for path in (library, os.path.realpath(library)):
            bare = path.removeprefix("/usr")
            candidates.update({bare, "/usr" + bare})
    result = subprocess.run(["dpkg-query", "-S", *sorted(candidates)], capture_output=True,
                            text=True, check=False)
    packages = set()
    for line in result.stdout.splitlines():
        package, sep, _ = line.partition(": ")
        if sep and " " not in package:
            packages.update(name.split(":")[0] for name in package.split(", "))
    return packages


def depends(folder: Path) -> list[str]:
    """Depends: the packages of the system libraries the bundle links (ldd), glibc versioned.

    Libraries the bundle carries itself are left out (ldd does not see the bundle's own
    search path, so it may resolve them to system copies).
    """
    elves = elf_files(folder)
    inside = {path.name for path in folder.rglob("*")}
    system: set[str] = set()
    for start in range(0, len(elves), 50):
        chunk = [str(p) for p in elves[start:start + 50]]
        out = subprocess.run(["ldd", *chunk], capture_output=True, text=True, check=False)
        for line in out.stdout.splitlines():
            name, arrow, target = line.strip().partition(" => ")
            library = target.split(" (")[0].strip()
            if arrow and library.startswith("/") and name not in inside:
                system.add(library)
    glibc = "2.17"
    for path in elves:
        for found in re.findall(rb"GLIBC_(2\.\d+)", path.read_bytes()):
            if Version(found.decode()) > Version(glibc):
                glibc = found.decode()
    packages = owners(system) - {"libc6"}
    return [f"libc6 (>= {glibc})", *sorted(packages)]


def architecture() -> str:
    """The Debian architecture name of this machine (amd64, arm64, ...)."""
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()


def deb_path(version: str) -> Path:
    """Where `make deb` writes the package."""
    return ROOT / "dist" / f"{NAME}_{version}_{architecture()}.deb"


def normalise_modes(root: Path) -> None:
    """0755 folders and executables, 0644 everything else (the umask must not leak in)."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir() or path.stat().st_mode & 0o111:
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def stage(stage_dir: Path) -> None:
    """Lay out the package's files under `stage_dir` (the future `/`)."""
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    opt = stage_dir / INSTALL_DIR.relative_to("/")
    opt.parent.mkdir(parents=True)
    shutil.copytree(DIST, opt, symlinks=True)
    usr_bin = stage_dir / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    (usr_bin / NAME).symlink_to(INSTALL_DIR / bundle_exe(DIST).name)
    share = stage_dir / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copyfile(DESKTOP_FILE, share / "applications" / DESKTOP_FILE.name)
    (share / "mime" / "packages").mkdir(parents=True)
    shutil.copyfile(MIME_FILE, share / "mime" / "packages" / MIME_FILE.name)
    subprocess.run([sys.executable, str(ROOT / "packaging" / "make_icons.py"),
                    "--hicolor", str(share / "icons" / "hicolor")], check=True,
                   env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    doc = share / "doc" / NAME
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT, encoding="utf-8")
    normalise_modes(stage_dir)


def control(stage_dir: Path, version: str, commit: str) -> str:
    """The DEBIAN/control text (Installed-Size in KiB, as dpkg counts it)."""
    size = sum(p.lstat().st_size for p in stage_dir.rglob("*") if not p.is_dir())
    needs = depends(stage_dir / INSTALL_DIR.relative_to("/"))
    return "\n".join([
        f"Package: {NAME}",
        f"Version: {version}",
        f"Architecture: {architecture()}",
        "Maintainer: Presto-Change-O Desktop developers <presto-desktop@localhost>",
        f"Installed-Size: {(size + 1023) // 1024}",
        f"Depends: {', '.join(needs)}",
        f"Recommends: {', '.join(r for r in RECOMMENDS if r not in needs)}",
        "Section: misc",
        "Priority: optional",
        "Description: chat assistant that turns itself into any business's assistant",
        " Presto-Change-O Desktop: type \"Presto-Change-O, you're a florist\" and the window",
        " becomes a florist's customer assistant. Works offline; an OpenAI-compatible",
        " server is optional. Self-contained build (Python and Qt inside /opt/presto-desktop).",
        f" Built from commit {commit}.",
        "",
    ])


def md5sums(stage_dir: Path) -> str:
    """DEBIAN/md5sums: what `dpkg --verify` checks the installed files against."""
    lines = []
    for path in sorted(stage_dir.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.parts:
            digest = hashlib.md5(path.read_bytes()).hexdigest()  # noqa: S324 - dpkg's format
            lines.append(f"{digest}  {path.relative_to(stage_dir)}")
    return "\n".join(lines) + "\n"


def build_deb() -> Path:
    """Stage the files, write DEBIAN/ and run dpkg-deb; returns the .deb's path."""
    from presto_desktop import __version__

    need_commands({"dpkg-deb": "dpkg"})
    if not fresh_bundle():
        raise SystemExit(1)
    commit = bundle_commit(DIST) or "unknown"
    stage_dir = STAGE_ROOT / NAME
    stage(stage_dir)
    debian = stage_dir / "DEBIAN"
    debian.mkdir()
    (debian / "md5sums").write_text(md5sums(stage_dir), encoding="utf-8")
    (debian / "control").write_text(control(stage_dir, __version__, commit), encoding="utf-8")
    normalise_modes(debian)
    out = deb_path(__version__)
    out.unlink(missing_ok=True)
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(stage_dir),
                    str(out)], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(stage_dir)
    return out


def main() -> int:
    """Build the .deb and report its size against the 80 MB goal."""
    if not sys.platform.startswith("linux"):
        print(f"{NAME}: a .deb is built on Linux only", file=sys.stderr)
        return 1
    started = time.perf_counter()
    out = build_deb()
    size = out.stat().st_size
    print(f"built {out} ({size / 1e6:.1f} MB, goal <= {MAX_BYTES / 1e6:.0f} MB) "
          f"in {time.perf_counter() - started:.1f} s", flush=True)
    if size > MAX_BYTES:
        print(f"{NAME}: the .deb is larger than {MAX_BYTES / 1e6:.0f} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())

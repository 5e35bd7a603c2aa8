"""Wheel check (`make wheel-check`): build the wheel, install it into a fresh venv, run it.

Checks the wheel holds presto_desktop/resources (lexicon.json, modes/*.json, qss, icons),
installs it with its dependencies from PyPI into a new venv, and runs `--version`,
`modes list` and `--self-test` (once presto_desktop/ui/app.py exists) from outside the source
tree with a temp data dir and no API key. Exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILTIN_MODES = ("default", "banking", "insurance", "healthcare")
TIMEOUT = 120


def step(label: str, started: float, problem: str | None, failures: list[str]) -> None:
    """Print one result line and remember failures."""
    print(f"{'FAIL' if problem else 'ok  '} {time.perf_counter() - started:6.1f} s  {label}",
          flush=True)
    if problem:
        print(f"    {problem}", flush=True)
        failures.append(label)


def check_contents(wheel: Path) -> str | None:
    """None when the wheel carries the resources the app needs, else what is missing."""
    names = set(zipfile.ZipFile(wheel).namelist())
    prefix = "presto_desktop/resources/"
    required = [f"{prefix}lexicon.json", f"{prefix}qss/app.qss"]
    required += [f"{prefix}modes/{m}.json" for m in BUILTIN_MODES]
    missing = [name for name in required if name not in names]
    if not any(n.startswith(f"{prefix}icons/") and n.endswith(".svg") for n in names):
        missing.append(f"{prefix}icons/*.svg")
    stray = [n for n in names if n.startswith(("tests/", "resources/", "packaging/"))]
    if missing:
        return f"missing from the wheel: {', '.join(missing)}"
    if stray:
        return f"unexpected top-level files in the wheel: {', '.join(stray[:5])}"
    return None


def main() -> int:
    """Build, inspect, install and run the wheel."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args()
    failures: list[str] = []
    total = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="presto-wheel-"))
    print(f"work folder: {tmp}", flush=True)

    started = time.perf_counter()
    wheels = tmp / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                            "--wheel-dir", str(wheels), str(ROOT)],
                           capture_output=True, text=True, timeout=600, check=False)
    found = sorted(wheels.glob("presto_desktop-*.whl"))
    step("build the wheel", started,
         None if build.returncode == 0 and found else build.stderr.strip()[-1500:], failures)
    if not found:
        return 1
    wheel = found[-1]
    started = time.perf_counter()
    step(f"wheel contents ({wheel.name})", started, check_contents(wheel), failures)

    started = time.perf_counter()
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                              "--disable-pip-version-check", str(wheel)],
                             capture_output=True, text=True, timeout=1200, check=False)
    step("fresh venv + pip install <wheel> (deps from PyPI)", started,
         None if install.returncode == 0 else install.stderr.strip()[-1500:], failures)
    if install.returncode != 0:
        return 1

    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENAI_", "AZURE_OPENAI", "PRESTO_", "PYTHON", "VIRTUAL_ENV"))}
    env.update({"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp / "home"),
                "XDG_DATA_HOME": str(tmp / "home" / "data"),
                "XDG_CONFIG_HOME": str(tmp / "home" / "config"),
                "XDG_STATE_HOME": str(tmp / "home" / "state")})
    exe = bin_dir / ("presto-desktop.exe" if os.name == "nt" else "presto-desktop")
    data = ["--data-dir", str(tmp / "data")]
    runs = [("--version", ["--version"]), ("modes list", [*data, "modes", "list"])]
    if (ROOT / "presto_desktop" / "ui" / "app.py").exists():
        runs.append(("--self-test (offscreen)", [*data, "--self-test"]))
    else:
        print("SKIP          --self-test: presto_desktop/ui/app.py does not exist yet", flush=True)
    for label, argv in runs:
        started = time.perf_counter()
        # Run from the temp folder so nothing can come from the source checkout.
        result = subprocess.run([str(exe), *argv], cwd=tmp, env=env, capture_output=True,
                                text=True, timeout=TIMEOUT, check=False)
        problem = None
        if result.returncode != 0 or "Traceback" in result.stderr:
            problem = f"exit {result.returncode}: {result.stderr.strip()[-1500:]}"
        elif label == "modes list" and not all(m in result.stdout for m in BUILTIN_MODES):
            problem = f"built-in modes missing from: {result.stdout.strip()[:400]!r}"
        step(f"installed wheel: {label}", started, problem, failures)

    probe = "from presto_desktop.core.paths import resources_root; print(resources_root())"
    where = subprocess.run([str(python), "-c", probe], cwd=tmp, env=env,
                           capture_output=True, text=True, timeout=TIMEOUT, check=False)
    started = time.perf_counter()
    inside = str(env_dir.resolve()) in where.stdout and str(ROOT) not in where.stdout
    step("resources_root() is inside the installed package", started,
         None if inside else f"resources_root() = {where.stdout.strip() or where.stderr}",
         failures)

    if not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{len(failures)} failed; wheel check took {time.perf_counter() - total:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

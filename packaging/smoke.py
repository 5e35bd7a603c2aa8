"""Smoke test of the PyInstaller bundle (`make package-check`); exits non-zero on any failure.

Builds dist/presto-desktop when it is missing or older than the sources (or with --rebuild),
then, with temp data dirs, no API key and no network, runs from the bundle: --version,
--self-test (with voice's Qt modules), voice and modes brand headless, modes generate/list,
offline replay of a mode exported by the source tree, the window, and a damaged-resources
check on a copy of the bundle.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from smoke_features import feature_steps

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist" / "presto-desktop"
SOURCES = [ROOT / "presto_desktop", ROOT / "resources", ROOT / "packaging" / "entry.py",
           ROOT / "packaging" / "hooks", ROOT / "build.spec"]
TIMEOUT = 120


def bundle_exe(folder: Path = DIST) -> Path:
    """The bundle's console executable (Windows and macOS ship a separate -cli one)."""
    if sys.platform == "win32":
        return folder / "presto-desktop-cli.exe"
    if sys.platform == "darwin":
        return folder / "presto-desktop-cli"
    return folder / "presto-desktop"


def bundle_bytes(folder: Path = DIST) -> int:
    """Bytes on disk of the bundle's regular files (symlinks counted once, as links)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir() or p.is_symlink())


def newest_source_mtime() -> float:
    """Latest modification time of anything that goes into the bundle."""
    newest = 0.0
    for source in SOURCES:
        files = [source] if source.is_file() else source.rglob("*")
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                newest = max(newest, path.stat().st_mtime)
    return newest


def bundle_commit(folder: Path = DIST) -> str | None:
    """The commit recorded in the bundle at build time (BUILD_COMMIT), None when absent."""
    found = next(folder.rglob("presto_desktop/BUILD_COMMIT"), None) if folder.is_dir() else None
    return found.read_text("utf-8").strip() if found else None


def fresh_bundle(*, rebuild: bool = False, no_build: bool = False) -> bool:
    """Build the bundle when asked, missing or stale (sources or commit); False if absent."""
    from presto_desktop import build_commit

    exe = bundle_exe()
    if rebuild:
        build("--rebuild")
    elif not exe.exists():
        if no_build:
            print(f"no bundle at {exe}; run `make package`", file=sys.stderr)
            return False
        build("no bundle yet")
    elif not no_build and exe.stat().st_mtime < newest_source_mtime():
        build("sources changed since the last build")
    elif not no_build and bundle_commit() != build_commit():
        build(f"built from {bundle_commit()}, the checkout is at {build_commit()}")
    return True


def build(reason: str) -> float:
    """Run PyInstaller on build.spec; returns seconds taken."""
    print(f"building the bundle ({reason}) ...", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                    "--log-level", "WARN", str(ROOT / "build.spec")],
                   cwd=ROOT, check=True, timeout=1800)
    seconds = time.perf_counter() - started
    print(f"built in {seconds:.1f} s", flush=True)
    return seconds


def clean_env(home: Path) -> dict[str, str]:
    """No key, no base URL, no network, offscreen Qt, and a throwaway home for platformdirs."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENAI_", "AZURE_OPENAI", "PRESTO_"))}
    dead_proxy = "http://127.0.0.1:9"  # any network attempt fails at once instead of hanging
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home), "USERPROFILE": str(home),
        "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache"),
        "HTTP_PROXY": dead_proxy, "HTTPS_PROXY": dead_proxy, "ALL_PROXY": dead_proxy,
        "http_proxy": dead_proxy, "https_proxy": dead_proxy, "NO_PROXY": "",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return env


class Smoke:
    """Runs the steps, records pass/fail and timings, prints a summary."""

    def __init__(self, exe: Path, env: dict[str, str], work: Path) -> None:
        self.exe, self.env, self.work = exe, env, work
        self.failures: list[str] = []
        self.rows: list[tuple[str, str, float]] = []

    def run(self, label: str, argv: list[str], *, exe: Path | list[str] | None = None,
            expect: int = 0, check=None, cwd: Path | None = None,
            env: dict[str, str] | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str] | None:
        """Run one command (the bundle unless `exe`); `check(result)` may return an error."""
        prefix = exe if isinstance(exe, list) else [str(exe or self.exe)]
        cmd = [*prefix, *argv]
        started = time.perf_counter()
        try:
            result = subprocess.run(cmd, check=False, env=env or self.env, cwd=cwd or self.work,
                                    capture_output=True, text=True, timeout=TIMEOUT,
                                    input=stdin)
        except subprocess.TimeoutExpired:
            return self._record(label, f"timed out after {TIMEOUT} s", started)
        problem = None
        if result.returncode != expect:
            problem = f"exit {result.returncode}, expected {expect}"
        elif "Traceback" in result.stderr:
            problem = "printed a traceback"
        elif check is not None:
            problem = check(result)
        if problem:
            detail = (result.stderr.strip() or result.stdout.strip())[-1500:]
            self._record(label, f"{problem}\n    $ {' '.join(cmd)}\n    {detail}", started)
            return None
        self._record(label, None, started)
        return result

    def _record(self, label: str, problem: str | None, started: float) -> None:
        seconds = time.perf_counter() - started
        self.rows.append((label, "FAIL" if problem else "ok", seconds))
        print(f"{'FAIL' if problem else 'ok  '} {seconds:6.2f} s  {label}", flush=True)
        if problem:
            print(f"    {problem}", flush=True)
            self.failures.append(label)

    def skip(self, label: str, why: str) -> None:
        """Report a step that cannot run yet."""
        self.rows.append((label, "SKIP", 0.0))
        print(f"SKIP          {label}: {why}", flush=True)


def one_line_naming(name: str):
    """A check: stderr is one line that names `name`."""
    def check(result: subprocess.CompletedProcess[str]) -> str | None:
        lines = result.stderr.strip().splitlines()
        if len(lines) != 1 or name not in lines[0]:
            return f"expected one stderr line naming {name}, got {result.stderr.strip()[:400]!r}"
        return None
    return check


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """File list with sizes and mtimes, to prove nothing writes into the bundle."""
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in folder.rglob("*")}


def window_step(smoke: Smoke, data_args: list[str], work: Path) -> None:
    """The real window (not headless): it stays open, and a second start on the same data
    dir exits 0 saying the window is already open (one window per data dir)."""
    log = work / "window.log"
    started = time.perf_counter()
    with log.open("w") as out:
        first = subprocess.Popen([str(smoke.exe), *data_args, "--offline"], env=smoke.env,
                                 stdout=out, stderr=subprocess.STDOUT, cwd=smoke.work)
        try:
            time.sleep(6)  # the window paints, takes the lock and starts listening
            if first.poll() is not None:
                smoke._record("bundle: the window opens and stays open",
                              f"exited {first.returncode}: {log.read_text()[-1500:]}", started)
                return
            smoke._record("bundle: the window opens and stays open", None, started)
            smoke.run("bundle: a second window on the same data dir exits 0",
                      [*data_args, "--offline"],
                      check=lambda r: None if "already open" in r.stderr
                      else f"no 'already open' line: {r.stderr.strip()[-300:]}")
        finally:
            first.terminate()
            try:
                first.wait(15)
            except subprocess.TimeoutExpired:
                first.kill()


def main() -> int:
    """Build or reuse the bundle and smoke-test it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true", help="always rebuild the bundle")
    parser.add_argument("--no-build", action="store_true", help="fail if the bundle is missing")
    args = parser.parse_args()

    if not fresh_bundle(rebuild=args.rebuild, no_build=args.no_build):
        return 1
    from presto_desktop import __version__

    exe = bundle_exe()
    size_mb = bundle_bytes(DIST) / 1e6
    print(f"bundle: {DIST} ({size_mb:.1f} MB)", flush=True)
    before = snapshot(DIST)

    with tempfile.TemporaryDirectory(prefix="presto-smoke-") as tmp:
        work = Path(tmp)
        env = clean_env(work / "home")
        smoke = Smoke(exe, env, work)
        data = work / "bundle-data"
        dd = ["--data-dir", str(data)]

        # The bundle names its version and the commit it was built from (issue 17).
        expected = f"presto-desktop {__version__} ({bundle_commit()})"
        smoke.run("--version (version and build commit)", ["--version"],
                  check=lambda r: None if r.stdout.strip() == expected
                  and bundle_commit() not in (None, "", "unknown")
                  else f"expected {expected!r} with a real commit, got {r.stdout.strip()!r}")
        smoke.run("--self-test (offscreen, voice's Qt modules too)", [*dd, "--self-test"])
        feature_steps(smoke, dd, work)

        generated: dict[str, str] = {}

        def saved_in_data(result: subprocess.CompletedProcess[str]) -> str | None:
            path = Path(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else None
            if path is None or not path.is_file() or data not in path.parents:
                return f"expected a saved file under {data}, got {result.stdout.strip()!r}"
            generated["id"] = path.stem
            return None

        smoke.run('modes generate "ski resort" --offline',
                  [*dd, "modes", "generate", "ski resort", "--offline"], check=saved_in_data)
        smoke.run("modes list", [*dd, "modes", "list"],
                  check=lambda r: None if generated.get("id", "\0") in r.stdout
                  and "default" in r.stdout else "generated mode or default missing from list")

        # Offline replay: a mode exported by the source tree is imported into the bundle.
        source_data = work / "source-data"
        exported = work / "shared" / "florist-mode.json"
        exported.parent.mkdir(parents=True, exist_ok=True)  # export never creates folders
        py = [sys.executable, "-m", "presto_desktop", "--data-dir", str(source_data)]
        src = {}

        def remember(key: str):
            def check(result: subprocess.CompletedProcess[str]) -> str | None:
                src[key] = result.stdout.strip()
                return None
            return check

        smoke.run("source tree: modes generate florist --company 'Petal & Stem'",
                  ["modes", "generate", "florist", "--company", "Petal & Stem", "--offline"],
                  exe=py, cwd=ROOT, check=remember("path"))
        mode_id = Path(src["path"]).stem if src.get("path") else ""
        if mode_id:
            smoke.run("source tree: modes export", ["modes", "export", mode_id, str(exported)],
                      exe=py, cwd=ROOT, check=lambda r: None if exported.is_file()
                      else f"{exported} not written")
        # Same request, same person: the bundle's trimmed Faker (en_US only) must make
        # exactly the persona the source tree makes.
        if generated.get("id"):
            smoke.run('source tree: modes generate "ski resort"',
                      ["modes", "generate", "ski resort", "--offline"], exe=py, cwd=ROOT,
                      check=remember("ski"))
            if src.get("ski"):
                source_mode = json.loads(Path(src["ski"]).read_text("utf-8"))
                bundle_mode = json.loads(
                    (data / "modes" / f"{generated['id']}.json").read_text("utf-8"))
                started = time.perf_counter()
                same = source_mode["persona"] == bundle_mode["persona"]
                smoke._record("bundle persona == source persona (Faker en_US complete)",
                              None if same else "personas differ", started)

        if mode_id and exported.is_file():
            replay = work / "replay-data"
            rd = ["--data-dir", str(replay)]
            smoke.run("bundle: modes import <exported file>",
                      [*rd, "modes", "import", str(exported)],
                      check=lambda r: None if (replay / "modes" / f"{mode_id}.json").is_file()
                      else f"{mode_id}.json not in {replay}/modes")
            original = json.loads(exported.read_text("utf-8"))

            def same_mode(result: subprocess.CompletedProcess[str]) -> str | None:
                shown = json.loads(result.stdout)
                for key in ("palette", "persona", "company_name", "tabs", "metrics"):
                    if shown.get(key) != original.get(key):
                        return f"{key} differs from the exported file"
                return None

            smoke.run("bundle: modes show --json (palette, persona intact)",
                      [*rd, "modes", "show", mode_id, "--json"], check=same_mode)
            smoke.run("bundle: chat --offline --mode <id> (no key, no network)",
                      [*rd, "chat", "--offline", "--mode", mode_id, "What can you help me with?"],
                      check=lambda r: None if len(r.stdout.strip()) > 20 else "empty reply")
            question = next(iter(_sample_questions(original)), None)
            if question:
                smoke.run("bundle: chat replays the mode's offline content",
                          [*rd, "chat", "--offline", "--mode", mode_id, question],
                          check=lambda r: None if r.stdout.strip() else "empty reply")
            shot = work / "replay.png"
            smoke.run("bundle: window applies the imported mode (--screenshot)",
                      [*rd, "--offline", "--mode", mode_id, "--screenshot", str(shot)],
                      check=lambda r: None if shot.is_file() and shot.stat().st_size > 1000
                      else "no screenshot written")
            window_step(smoke, rd, work)

        online_step(smoke, env, work)

        # A damaged bundle: clear one-line errors naming the file, never a traceback.
        broken = work / "broken-bundle"
        shutil.copytree(DIST, broken, symlinks=True)
        resources = next(broken.rglob("resources/modes")).parent
        bexe = bundle_exe(broken)
        bd = ["--data-dir", str(work / "broken-data")]
        original_resources = next(DIST.rglob("resources/modes")).parent
        for name, argv in (("modes/default.json", ["modes", "list"]),
                           ("lexicon.json", ["modes", "generate", "ski resort", "--offline"])):
            target, pristine = resources / name, original_resources / name
            if not pristine.exists():
                smoke.skip(f"damaged bundle: {name}", "not in resources/ yet")
                continue
            target.write_bytes(pristine.read_bytes()[: max(1, pristine.stat().st_size // 2)])
            smoke.run(f"damaged bundle: truncated {name}", [*bd, *argv], exe=bexe, expect=1,
                      check=one_line_naming(Path(name).name))
            target.unlink()
            smoke.run(f"damaged bundle: missing {name}", [*bd, *argv], exe=bexe, expect=1,
                      check=one_line_naming(Path(name).name))
            shutil.copy2(pristine, target)
        shutil.rmtree(broken, ignore_errors=True)

    changed = sorted(set(snapshot(DIST).items()) ^ set(before.items()))
    if changed:
        print(f"FAIL the run wrote into the bundle: {[c[0] for c in changed][:10]}")
        smoke.failures.append("bundle unchanged")
    else:
        print("ok            nothing was written into the bundle folder")

    print(f"\n{len(smoke.failures)} failed, {sum(r[1] == 'ok' for r in smoke.rows)} passed, "
          f"{sum(r[1] == 'SKIP' for r in smoke.rows)} skipped; bundle {size_mb:.1f} MB")
    for failure in smoke.failures:
        print(f"  failed: {failure}")
    return 1 if smoke.failures else 0


def online_step(smoke: Smoke, env: dict[str, str], work: Path) -> None:
    """The OpenAI engine from the bundle against a loopback fake server (openai is lazy)."""
    try:
        from tests.engines.fake_openai_server import MODEL, FakeOpenAI
    except ImportError:
        smoke.skip("bundle: OpenAI engine", "tests/engines/fake_openai_server.py not present")
        return
    key = "sk-smoke-test-key-never-saved-0123456789"
    data = work / "online-data"
    online_env = {**env, "OPENAI_API_KEY": key, "NO_PROXY": "127.0.0.1,localhost",
                  "no_proxy": "127.0.0.1,localhost"}
    with FakeOpenAI(lifetime_s=60) as server:
        result = smoke.run("bundle: modes generate with the OpenAI engine (loopback server)",
                           ["--data-dir", str(data), "--base-url", server.base_url,
                            "--model", MODEL, "modes", "generate", "florist"], env=online_env)
    if result is None:
        return
    started = time.perf_counter()
    path = Path(result.stdout.strip().splitlines()[-1])
    mode = json.loads(path.read_text("utf-8")) if path.is_file() else {}
    leaked = [p.name for p in data.rglob("*") if p.is_file() and key.encode() in p.read_bytes()]
    problem = None
    if mode.get("source", {}).get("engine") == "offline":
        problem = "the mode came from the offline engine"
    elif leaked:
        problem = f"the API key reached {leaked}"
    smoke._record("bundle: online mode saved, API key in no file", problem, started)


def _sample_questions(mode: dict) -> list[str]:
    """Questions the mode's offline content answers, whatever the field is called."""
    questions = []
    for value in mode.values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and isinstance(item.get("question"), str):
                    questions.append(item["question"])
        elif isinstance(value, dict):
            questions += _sample_questions(value)
    return questions


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())

"""Benchmarks: prints `name value unit` lines (never asserted in tests; machines are noisy).

Usage: python tests/benchmarks/run.py [--quick] [--only core,chat,window,openai,bundle,session,prefetch,voice,demo,replay,history]
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SUITES = {
    "core": "tests.benchmarks.core_bench",
    "chat": "tests.benchmarks.chat_bench",
    "window": "tests.benchmarks.window_bench",
    "openai": "tests.benchmarks.openai_bench",
    "bundle": "tests.benchmarks.bundle_bench",
    "session": "tests.benchmarks.session_bench",
    "prefetch": "tests.benchmarks.prefetch_bench",
    "voice": "tests.benchmarks.voice_bench",
    "demo": "tests.benchmarks.demo_bench",  # Reset demo's time, a clicker press's reaction
    "replay": "tests.benchmarks.replay_bench",
    "history": "tests.benchmarks.history_bench",  # History dialog: loop CPU, max loop gap
}


def main() -> int:
    """Run the selected suites and print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="reduced sizes, under a minute")
    parser.add_argument("--only", default=",".join(SUITES), help="comma-separated suites")
    args = parser.parse_args()
    # Qt's plugin notes (offscreen: propagateSizeHints, once per window) go to the log, as in
    # the app; otherwise they bury the figures.
    from presto_desktop.ui.common.qt_messages import route_qt_messages

    route_qt_messages()
    failures = 0
    for name in args.only.split(","):
        module_name = SUITES.get(name.strip())
        if module_name is None:
            print(f"# unknown suite {name}", file=sys.stderr)
            continue
        started = time.perf_counter()
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            print(f"# {name}: skipped ({exc})")
            continue
        try:
            rows = module.run(quick=args.quick)
        except Exception:  # noqa: BLE001 - one suite failing must not hide the others
            failures += 1
            print(f"# {name}: FAILED\n" + traceback.format_exc(), file=sys.stderr)
            continue
        for row_name, value, unit in rows:
            print(f"{row_name} {value} {unit}", flush=True)
        print(f"# {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

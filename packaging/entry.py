"""PyInstaller entry script: the bundled `presto-desktop` runs the same main() as the wheel."""

from __future__ import annotations

import os
import sys


def _ensure_streams() -> None:
    """A windowed (no-console) build has no stdout/stderr; give print() somewhere to go."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    _ensure_streams()
    from presto_desktop.cli import main

    raise SystemExit(main())

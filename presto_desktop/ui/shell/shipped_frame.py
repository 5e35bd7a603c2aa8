"""The first frame shipped for a fresh data dir, derived from the default mode at build time.

A fresh data dir remembers no frame, so without this its first start imported the models
(pydantic), asyncio and the controllers before anything painted (~3x a bare window). This
module derives resources/first_frame.json from resources/modes/default.json exactly as a
remembered frame is derived at exit, with the settings a fresh data dir starts with.
Regenerate it after editing the default mode: `python -m presto_desktop.ui.shell.shipped_frame`
(tests/ui/shell/test_first_frame.py fails while it is stale; the app then ignores it).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from presto_desktop.core.modefile import MAX_MODE_BYTES, parse_mode
from presto_desktop.core.paths import resources_root
from presto_desktop.core.safe_read import read_limited
from presto_desktop.core.settings import Settings
from presto_desktop.core.start_frame import (
    FRAME_VERSION,
    SHIPPED_FRAME,
    SHIPPED_MODE_ID,
    content_stamp,
)
from presto_desktop.engines.env_names import engine_inputs
from presto_desktop.ui.shell.first_frame import frame_with

# What the header says before the engine is built with default settings and no key or server
# in the environment (engines/labels.py provisional_label); other inputs drop it at start-up.
FRESH_INPUTS = engine_inputs({}, offline=False)
FRESH_LABEL = "Offline"


def shipped_frame_json(resources: Path | None = None) -> str:
    """The shipped frame's file content for the default mode in `resources` (JSON text)."""
    folder = resources or resources_root()
    content = read_limited(folder / "modes" / f"{SHIPPED_MODE_ID}.json", MAX_MODE_BYTES)
    mode = parse_mode(content, f"built-in {SHIPPED_MODE_ID}.json")
    frame = frame_with(mode, settings=Settings(), geometry="", engine_label=FRESH_LABEL,
                       inputs=FRESH_INPUTS, settings_stamp=(0, 0),
                       source=f"modes/{SHIPPED_MODE_ID}.json",
                       source_stamp=content_stamp(content))
    return json.dumps({"version": FRAME_VERSION, **asdict(frame)}, ensure_ascii=False,
                      indent=1) + "\n"


def main() -> int:
    """Write resources/first_frame.json from the default mode."""
    path = resources_root() / SHIPPED_FRAME
    path.write_text(shipped_frame_json(), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

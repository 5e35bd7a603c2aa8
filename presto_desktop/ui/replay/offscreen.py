"""`demo play FILE.presto --screenshot-dir DIR`: the recording replayed into the real window
offscreen, one PNG per step (step-001.png, ...) once that step's effects are painted.

Two plays of one recording give the same bytes: a fixed window size, a fresh data dir (default
settings, no saved conversations), charts drawn without their animation, no text cursor (the
composer is read-only during a replay), nothing time-dependent on screen, and each picture
taken only once the mode change, charts and long replies of its step are done.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from presto_desktop.ui.replay.runner import ReplayRunner, settle

if TYPE_CHECKING:
    from presto_desktop.core.recording import Recording
    from presto_desktop.ui.shell.window import MainWindow

PICTURE_SIZE = (1280, 800)
# PNG quality in Qt is zlib effort: a little lighter than the default keeps 50 pictures well
# inside the time goal, the bytes still the same for the same picture.
PNG_QUALITY = 50


def picture_name(step: int) -> str:
    """The file of step `step` (1-based)."""
    return f"step-{step:03d}.png"


async def take_replay_pictures(window: MainWindow, runner: ReplayRunner, recording: Recording,
                               out_dir: Path, *, speed: float | None) -> tuple[int, str]:
    """Play `recording` into `window`, writing a PNG per step to `out_dir`; (exit code, line)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return 1, f"cannot write pictures to {out_dir}: {exc.strerror or exc}"
    window.resize(*PICTURE_SIZE)
    window.setFixedSize(*PICTURE_SIZE)  # no window manager may change it between plays
    window.dashboard.chart.animate = False
    window.show()
    await settle(window)
    written: list[Path] = []
    failed: list[str] = []

    async def picture(step: int) -> None:
        path = out_dir / picture_name(step)
        image = window.grab().toImage()
        saved = image.save(str(path), "PNG", PNG_QUALITY)  # type: ignore[call-overload]
        if saved:
            written.append(path)
        else:
            failed.append(str(path))

    await runner.play(recording, speed=speed, step_done=picture)
    if failed:
        return 1, f"could not write {failed[0]}"
    return 0, f"pictures: {len(written)} in {out_dir}"


__all__ = ["PICTURE_SIZE", "picture_name", "take_replay_pictures"]

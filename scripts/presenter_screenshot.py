"""Render presenter mode (audience window + console) to a PNG, e.g. docs/images/presenter-mode.png.

    .venv/bin/python scripts/presenter_screenshot.py OUT.png [--one-screen] [--dark]

Two offscreen screens by default ("Laptop" 1440x900 and "Projector" 1280x800, given to the
offscreen platform as a config file): the audience window goes full screen on the projector,
the console on the laptop, and the picture shows both side by side. With --one-screen the
console floats over the audience window. The demo's progress is a made-up DemoState (the
stepper that publishes real ones is another part of the app); everything else is the real
window on the offline engine, in a temporary data dir.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

SCREENS = [
    {"name": "Laptop", "x": 0, "y": 0, "width": 1440, "height": 900},
    {"name": "Projector", "x": 1440, "y": 0, "width": 1280, "height": 800},
]
SCRIPT = {"title": "Florist in five steps", "steps": [
    {"say": "Presto-Change-O, you're a florist"},
    {"say": "Show my recent orders", "note": "Point at the chart: orders by week"},
    {"pause": 2.0, "note": "Let the chart settle; ask the room what they sell"},
    {"tab": "Inventory"},
    {"say": "Presto-Change-O, back to normal"}]}


def _platform(tmp: Path, one_screen: bool) -> None:
    """Offscreen with one or two named screens (set before Qt starts)."""
    screens = SCREENS[1:] if one_screen else SCREENS
    config = {"screens": [dict(screen, logicalDpi=96, logicalBaseDpi=96, dpr=1)
                          for screen in screens]}
    path = tmp / "screens.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={path}"


async def _settle(seconds: float) -> None:
    """Let the loop run (replies stream, charts animate in)."""
    await asyncio.sleep(seconds)


async def _idle(comp: object, seconds: float, limit: float = 30.0) -> None:
    """Wait until the window has made the mode or the reply (a loaded machine takes longer
    than a fixed pause: the next message sent too soon was lost), then `seconds` more."""
    def busy() -> bool:
        return bool(comp.chat.busy or comp.modes.busy  # type: ignore[attr-defined]
                    or comp.window.mode_change.pending("content"))  # type: ignore[attr-defined]

    deadline = time.monotonic() + limit
    await _settle(0.2)
    while busy() and time.monotonic() < deadline:
        await _settle(0.1)
    await _settle(seconds)


async def _shoot(app: object, data: Path, out: Path, one_screen: bool, dark: bool) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from presto_desktop.core.demo_script import parse_script
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.session.demo_state import DemoState
    from presto_desktop.ui.composition import Composition

    assert isinstance(app, QApplication)
    comp = Composition(app, AppPaths.resolve(data), offline=True, persist=False)
    comp.settings.theme = "dark" if dark else "light"
    comp.start(None, restore_geometry=False)
    comp.window.resize(1280, 800)
    comp.window.show()
    comp.window.route("Presto-Change-O, you're a florist")
    await _idle(comp, 1.0)
    comp.window.route("Show my recent orders")
    await _idle(comp, 2.0)
    script = parse_script(json.dumps(SCRIPT).encode())
    steps = script.steps
    comp.presenter_mode.show_state(DemoState(
        title=script.title, index=2, total=len(steps), current=steps[1], next=steps[2],
        started_at=time.monotonic() - 94))
    comp.settings.presenter.screen = SCREENS[-1]["name"]  # the projector (or the one screen)
    comp.presenter_mode.enter()
    await _settle(2.0)
    audience, console = comp.window, comp.presenter_mode.console
    print(f"audience {audience.geometry().getRect()} on {audience.screen().name()}, "
          f"full screen {audience.isFullScreen()}; console {console.geometry().getRect()} "
          f"on {console.screen().name()}")
    shot_a, shot_c = audience.grab().toImage(), console.grab().toImage()
    if one_screen:
        image = shot_a.copy()
        painter = QPainter(image)
        offset = console.geometry().topLeft() - audience.geometry().topLeft()
        painter.drawImage(QPoint(offset.x(), offset.y()), shot_c)
        painter.end()
    else:
        gap = 24
        width = shot_c.width() + gap + shot_a.width()
        image = QImage(width, max(shot_a.height(), shot_c.height()), QImage.Format.Format_RGB32)
        image.fill(QColor("#20242a"))  # the desk between the two screens, not app colour
        painter = QPainter(image)
        painter.drawImage(QPoint(0, (image.height() - shot_c.height()) // 2), shot_c)
        painter.drawImage(QPoint(shot_c.width() + gap, 0), shot_a)
        painter.end()
        image = image.scaledToWidth(1600, Qt.TransformationMode.SmoothTransformation)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"could not write {out}")
    print(f"presenter screenshot: {out} ({image.width()}x{image.height()})")
    comp.presenter_mode.leave()
    comp.window.hide()
    await comp.shutdown()


def main() -> int:
    """Parse the arguments, start Qt on the chosen screens, write the PNG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--one-screen", action="store_true")
    parser.add_argument("--dark", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="presto-presenter-") as name:
        tmp = Path(name)
        _platform(tmp, args.one_screen)
        import qasync
        from PySide6.QtWidgets import QApplication

        app = QApplication(sys.argv[:1])
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            loop.run_until_complete(_shoot(app, tmp / "data", args.out, args.one_screen,
                                            args.dark))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

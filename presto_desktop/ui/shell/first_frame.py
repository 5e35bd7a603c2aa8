"""The window's first frame: painted from the remembered start frame before the models load.

Measured on a 2-core box: the mode models (pydantic) cost ~110 ms to import and asyncio with
qasync ~40 ms, more than a bare PySide6 window takes to paint. The window, its theme and its
widgets need neither, so a GUI start shows the last mode as it looked (the same texts and
colours the validated mode then sets again) and only then imports the rest.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from presto_desktop.core.paths import AppPaths, resources_root
from presto_desktop.core.patterns import THEME_SCHEMES
from presto_desktop.core.start_frame import (
    SHIPPED_FRAME,
    SHIPPED_MODE_ID,
    StartFrame,
    file_stamp,
    read_shipped_frame,
    read_start_frame,
)
from presto_desktop.engines.openai_config import BASE_URL_ENV, KEY_ENV, MODEL_ENV
from presto_desktop.ui.chat.panel import ChatPanel
from presto_desktop.ui.dashboard.panel import MAX_KPIS, metric_view, persona_view, tab_view
from presto_desktop.ui.shell.window import MainWindow
from presto_desktop.ui.theme.manager import Scheme, ThemeManager, palette_variants

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode
    from presto_desktop.core.settings import Settings

# If the window is never exposed (e.g. started minimised), start-up goes on after this long.
PAINT_WAIT_MS = 300


@dataclass
class WindowParts:
    """The window and what it was built with, handed to the composition root."""

    window: MainWindow
    panel: ChatPanel  # tests pass a stand-in with the same methods
    theme: ThemeManager
    painted_at: float = 0.0  # time.monotonic() of the first paint, 0 if it never came


def engine_inputs(env: Mapping[str, str], *, offline: bool) -> tuple[str, ...]:
    """What decides the engine label besides the settings (whether a key is set, not the key)."""
    return ("offline" if offline else "auto", "key" if (env.get(KEY_ENV) or "").strip() else "",
            (env.get(BASE_URL_ENV) or "").strip(), (env.get(MODEL_ENV) or "").strip())


def _scheme(theme: str) -> Scheme:
    """A theme name from a frame file as the theme manager's scheme ("system" if unknown)."""
    return next((scheme for scheme in THEME_SCHEMES if scheme == theme), "system")


def build_window(app: QApplication, *, font_size: int = 11, engine_label: str = "",
                 panel: ChatPanel | None = None) -> WindowParts:
    """The window with its widgets and theme manager, not yet attached to controllers."""
    theme = ThemeManager(app, font_size=font_size)
    panel = panel if panel is not None else ChatPanel()
    window = MainWindow(chat_panel=panel, engine_label=engine_label)
    theme.set_target(window, window.mode_change)  # the restyle's steps join the window's
    theme.theme_changed.connect(window.set_colors)
    return WindowParts(window, panel, theme)


def show_first_frame(app: QApplication, paths: AppPaths, *, offline: bool,
                     mode_id: str | None) -> WindowParts | None:
    """Show the remembered (or, in a fresh data dir, the shipped) frame and wait for its paint.

    None if there is no usable frame.
    """
    inputs = engine_inputs(os.environ, offline=offline)
    frame = read_start_frame(paths.start_frame_file, settings_file=paths.settings_file,
                             mode_id=mode_id, engine_inputs=inputs)
    if frame is None:
        resources = resources_root()
        frame = read_shipped_frame(resources / SHIPPED_FRAME,
                                   source=resources / "modes" / f"{SHIPPED_MODE_ID}.json",
                                   settings_file=paths.settings_file, mode_id=mode_id,
                                   engine_inputs=inputs)
    if frame is None:
        return None
    parts = build_window(app, font_size=frame.font_size)
    parts.theme.apply_variants((frame.light, frame.dark), _scheme(frame.theme))
    parts.window.show_start_frame(frame)
    parts.window.header.emblem.set_start_emblem(frame.company_name, frame.icon, frame.layout)
    if frame.geometry:
        parts.window.restoreGeometry(QByteArray.fromBase64(frame.geometry.encode("ascii")))
    parts.window.show()
    _wait_for_paint(parts)
    return parts


def _wait_for_paint(parts: WindowParts) -> None:
    """Run Qt's loop until the window has painted (user input waits for the real loop)."""
    waiter = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(waiter.quit)
    timer.start(PAINT_WAIT_MS)

    def painted() -> None:
        parts.painted_at = time.monotonic()
        waiter.quit()

    parts.window.after_first_paint(painted)
    if not parts.painted_at:
        waiter.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    timer.stop()


def frame_of(mode: Mode, *, settings: Settings, paths: AppPaths, source: str,
             geometry: str, engine_label: str, offline: bool) -> StartFrame | None:
    """What the next start paints first: `mode` as the widgets show it; None if unstampable."""
    settings_stamp, source_stamp = file_stamp(paths.settings_file), file_stamp(source)
    if settings_stamp is None or source_stamp is None:
        return None
    return frame_with(mode, settings=settings, geometry=geometry, engine_label=engine_label,
                      inputs=engine_inputs(os.environ, offline=offline),
                      settings_stamp=settings_stamp, source=source, source_stamp=source_stamp)


def frame_with(mode: Mode, *, settings: Settings, geometry: str, engine_label: str,
               inputs: tuple[str, ...], settings_stamp: tuple[int, int], source: str,
               source_stamp: tuple[int, int]) -> StartFrame:
    """`mode` as the widgets show it, with the given stamps (remembered or shipped frame)."""
    from presto_desktop.core.emblem import mode_spec

    light, dark = palette_variants(mode.palette)
    name, meta, figures = persona_view(mode.persona)
    spec = mode_spec(mode)
    return StartFrame(
        mode_id=mode.id, company_name=mode.company_name, tagline=mode.tagline,
        light=light, dark=dark, theme=settings.theme, font_size=settings.font_size,
        geometry=geometry, persona=(name, meta, tuple(figures)),
        metrics=tuple(metric_view(m) for m in mode.metrics[:MAX_KPIS]),
        tabs=tuple(tab_view(t) for t in mode.tabs),
        suggestions=tuple(mode.suggested_prompts), engine_label=engine_label,
        engine_inputs=inputs, settings_stamp=settings_stamp, source=source,
        source_stamp=source_stamp, icon=spec.icon, layout=spec.layout)

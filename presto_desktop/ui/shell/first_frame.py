"""The window's first frame: painted from the remembered start frame before the models load.

Measured on a 2-core box: the mode models (pydantic) cost ~110 ms to import and asyncio with
qasync ~40 ms, more than a bare PySide6 window takes to paint. The window, its theme and its
widgets need neither, so a GUI start shows the last mode as it looked (the same texts and
colours the validated mode then sets again) and only then imports the rest.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
)
from presto_desktop.engines.env_names import engine_inputs
from presto_desktop.ui.chat.panel import ChatPanel
from presto_desktop.ui.common.turns import next_turn
from presto_desktop.ui.dashboard.panel import MAX_KPIS, metric_view, persona_view, tab_view
from presto_desktop.ui.shell.frame_picture import (
    PictureShell,
    picture_scheme,
    wait_for_paint,
)
from presto_desktop.ui.shell.window import MainWindow
from presto_desktop.ui.theme.manager import Scheme, ThemeManager, palette_variants

if TYPE_CHECKING:
    from collections.abc import Callable

    from presto_desktop.core.models import Mode
    from presto_desktop.core.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class WindowParts:
    """The window and what it was built with, handed to the composition root."""

    window: MainWindow
    panel: ChatPanel  # tests pass a stand-in with the same methods
    theme: ThemeManager
    painted_at: float = 0.0  # time.monotonic() of the first paint, 0 if it never came


def _scheme(theme: str) -> Scheme:
    """A theme name from a frame file as the theme manager's scheme ("system" if unknown)."""
    return next((scheme for scheme in THEME_SCHEMES if scheme == theme), "system")


def build_window(app: QApplication, *, font_size: int = 11, engine_label: str = "",
                 panel: ChatPanel | None = None) -> WindowParts:
    """The window with its widgets and theme manager, not yet attached to controllers."""
    theme = ThemeManager(app, font_size=font_size)
    panel = panel if panel is not None else ChatPanel()
    return _joined(MainWindow(chat_panel=panel, engine_label=engine_label), panel, theme)


def _joined(window: MainWindow, panel: ChatPanel, theme: ThemeManager) -> WindowParts:
    theme.set_target(window, window.mode_change)  # the restyle's steps join the window's
    theme.theme_changed.connect(window.set_colors)
    return WindowParts(window, panel, theme)


def dress(parts: WindowParts, frame: StartFrame) -> None:
    """Theme and texts of `frame` (its picture, ui/shell/frame_picture.py, is drawn so too)."""
    _theme_of(parts.theme, frame)
    _texts_of(parts.window, frame)


def _theme_of(theme: ThemeManager, frame: StartFrame) -> None:
    theme.apply_variants((frame.light, frame.dark), _scheme(frame.theme))


def _texts_of(window: MainWindow, frame: StartFrame) -> None:
    for step in _text_steps(window, frame):
        step()


def _text_steps(window: MainWindow, frame: StartFrame) -> list[Callable[[], None]]:
    """`frame`'s texts in pieces (all at once, ~8 ms, was one loop turn of a warm start)."""
    emblem = window.header.emblem
    return [*window.start_frame_steps(frame),
            lambda: emblem.set_start_emblem(frame.company_name, frame.icon, frame.layout)]


def show_frame(app: QApplication, paths: AppPaths, remembered: StartFrame | None, *,
               offline: bool, mode_id: str | None) -> WindowParts | None:
    """Show `remembered` (the remembered frame, already read), or without one the shipped
    frame, and wait for its paint; None if there is no usable frame."""
    inputs = engine_inputs(os.environ, offline=offline)
    frame = remembered
    if frame is None:
        resources = resources_root()
        frame = read_shipped_frame(resources / SHIPPED_FRAME,
                                   source=resources / "modes" / f"{SHIPPED_MODE_ID}.json",
                                   settings_file=paths.settings_file, mode_id=mode_id,
                                   engine_inputs=inputs)
    if frame is None:
        return None
    parts = build_window(app, font_size=frame.font_size)
    dress(parts, frame)
    if frame.geometry:
        parts.window.restoreGeometry(QByteArray.fromBase64(frame.geometry.encode("ascii")))
    parts.window.show()
    parts.painted_at = wait_for_paint(parts.window)
    return parts


def finish_picture(app: QApplication, shell: PictureShell) -> WindowParts:
    """Build the parts of the window that shows the remembered picture, over loop turns (user
    input waits), then let them replace it: no turn of the painted window's loop holds
    them all (~40 ms, measured)."""
    window, frame = shell.window, shell.frame
    made: dict[str, Any] = {}  # what each step made, for the next

    def theme() -> None:
        made["theme"] = ThemeManager(app, font_size=frame.font_size)

    def panel() -> None:
        made["panel"] = ChatPanel()

    def parts() -> None:
        window.build(made["panel"])  # under the picture, which covers the window until revealed
        made["parts"] = _joined(window, made["panel"], made["theme"])

    _in_turns([theme, panel, parts, lambda: _theme_of(made["theme"], frame)])
    _in_turns(_text_steps(window, frame))  # the texts' pieces too, each on a turn
    picture = window.picture
    if picture is not None and shell.scheme != picture_scheme(app, frame):
        # Made in the other colour scheme (the system switched since): replaced at once.
        log.info("the first frame's picture was in another colour scheme")
        picture.deleteLater()
        window.picture = None
    elif picture is not None:  # each part's first paint on a turn of its own
        reveals = [lambda part=part: picture.reveal(part) for part in window.paint_units()]
        _in_turns([*reveals, picture.deleteLater])
        window.picture = None
    built: WindowParts = made["parts"]
    built.painted_at = shell.painted_at
    return built


def _in_turns(steps: list[Callable[[], None]]) -> None:
    """Run `steps` on loop turns of their own (input held back), an error re-raised here."""
    waiter = QEventLoop()
    errors: list[BaseException] = []
    pending = list(steps)

    def run_next() -> None:
        try:
            pending.pop(0)()
        except BaseException as exc:  # noqa: BLE001 - re-raised below, out of Qt's loop
            errors.append(exc)
            pending.clear()
        if pending:  # timers due meanwhile (a repaint, an animation) run in between
            next_turn(waiter, run_next)
        else:
            waiter.quit()

    QTimer.singleShot(0, run_next)
    waiter.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    if errors:
        raise errors[0]


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

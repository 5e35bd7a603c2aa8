"""Emblems from the server's image model: optional (Settings, off by default), never blocking.

After a switch the offline emblem is already on screen; if the setting is on, the engine has
an images endpoint (engines/base.ImageMaker) and the mode shows no logo of its own, the
cached image is read (worker thread) or asked for (a background task), checked like a logo
file (core/generated_images.py, Pillow on a worker thread), kept in the data dir and faded in
over the emblem, if that mode is still on screen. Any failure is logged and the offline
emblem stays.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from presto_desktop.core.errors import PrestoError
from presto_desktop.core.generated_images import GeneratedImages, emblem_prompt
from presto_desktop.engines.base import Engine, ImageMaker
from presto_desktop.session.brand import has_logo
from presto_desktop.ui.theme.emblems import decoded

if TYPE_CHECKING:
    from presto_desktop.core.logo import LoadedLogo
    from presto_desktop.core.models import Mode
    from presto_desktop.core.settings import Settings
    from presto_desktop.ui.shell.header import Emblem
    from presto_desktop.ui.theme.emblems import Mark

log = logging.getLogger(__name__)


class GeneratedEmblems(QObject):
    """Asks the image model for the current mode's mark, at most one request at a time."""

    mark_changed = Signal(str)  # a mode id whose generated mark was shown or dropped

    def __init__(self, emblem: Emblem, cache: GeneratedImages, *,
                 engine: Callable[[], Engine], settings: Callable[[], Settings]) -> None:
        super().__init__(emblem)
        self._emblem, self._cache = emblem, cache
        self._engine, self._settings = engine, settings
        self.task: asyncio.Task[None] | None = None
        self.failures = 0  # requests that kept the offline emblem (tests, logs)
        # Marks shown this session by mode id: the library's rows show them too (no disk read).
        self.marks: dict[str, Mark] = {}

    def show(self, mode: Mode, settings: Settings | None = None) -> None:
        """The mode now on screen: its generated mark when wanted and possible."""
        if self.task is not None:
            self.task.cancel()  # a newer mode supersedes it (its image is cached when done)
            self.task = None
        self._emblem.set_generated(mode.id, None)
        engine = self._engine()
        wanted = (settings or self._settings()).generated_images
        if not wanted or not isinstance(engine, ImageMaker):
            self._forget_all()  # no generated mark shows anywhere
            return
        if has_logo(mode) or (mode.brand is not None and mode.brand.mark is not None):
            self._remember(mode.id, None)  # its own mark shows
            return
        model = (settings or self._settings()).image_model
        self.task = asyncio.ensure_future(self._fetch(mode, engine, model))

    async def _fetch(self, mode: Mode, engine: ImageMaker, model: str) -> None:
        prompt = emblem_prompt(mode)
        image: LoadedLogo | None = await asyncio.to_thread(self._cache.get, model, prompt)
        if image is None:
            try:
                raw = await engine.generate_image(prompt, model)
                image = await asyncio.to_thread(self._cache.put, model, prompt, raw)
            except (PrestoError, OSError) as exc:
                self.failures += 1
                log.warning("generated emblem not used (the offline one stays): %s", exc)
                return
        mark = (image.media_type, image.data)
        await asyncio.to_thread(decoded, mark)  # decoded off the GUI thread: paints only scale
        self._emblem.set_generated(mode.id, mark)
        self._remember(mode.id, mark)

    def _remember(self, mode_id: str, mark: Mark | None) -> None:
        """Keep (or drop) `mode_id`'s shown mark for the library's rows."""
        if mark is None and mode_id not in self.marks:
            return
        if mark is None:
            del self.marks[mode_id]
        else:
            self.marks[mode_id] = mark
        self.mark_changed.emit(mode_id)

    def _forget_all(self) -> None:
        """The setting is off: no row shows a generated mark."""
        for mode_id in list(self.marks):
            self._remember(mode_id, None)

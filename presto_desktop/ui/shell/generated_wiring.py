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

from PySide6.QtCore import QObject

from presto_desktop.core.errors import PrestoError
from presto_desktop.core.generated_images import GeneratedImages, emblem_prompt
from presto_desktop.engines.base import Engine, ImageMaker
from presto_desktop.session.brand import has_logo

if TYPE_CHECKING:
    from presto_desktop.core.logo import LoadedLogo
    from presto_desktop.core.models import Mode
    from presto_desktop.core.settings import Settings
    from presto_desktop.ui.shell.header import Emblem

log = logging.getLogger(__name__)


class GeneratedEmblems(QObject):
    """Asks the image model for the current mode's mark, at most one request at a time."""

    def __init__(self, emblem: Emblem, cache: GeneratedImages, *,
                 engine: Callable[[], Engine], settings: Callable[[], Settings]) -> None:
        super().__init__(emblem)
        self._emblem, self._cache = emblem, cache
        self._engine, self._settings = engine, settings
        self.task: asyncio.Task[None] | None = None
        self.failures = 0  # requests that kept the offline emblem (tests, logs)

    def show(self, mode: Mode, settings: Settings | None = None) -> None:
        """The mode now on screen: its generated mark when wanted and possible."""
        if self.task is not None:
            self.task.cancel()  # a newer mode supersedes it (its image is cached when done)
            self.task = None
        self._emblem.set_generated(mode.id, None)
        engine = self._engine()
        wanted = (settings or self._settings()).generated_images
        if not wanted or has_logo(mode) or not isinstance(engine, ImageMaker):
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
        self._emblem.set_generated(mode.id, (image.media_type, image.data))

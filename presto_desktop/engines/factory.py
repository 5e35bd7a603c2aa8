"""Picks the active engine: offline unless an OpenAI-compatible server is configured."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from presto_desktop.core.settings import Settings
from presto_desktop.engines.base import Engine

if TYPE_CHECKING:
    from presto_desktop.core.secrets import KeyStore

log = logging.getLogger(__name__)


def make_engine(
    settings: Settings,
    *,
    force_offline: bool = False,
    env: Mapping[str, str] | None = None,
    base_url: str | None = None,
    model: str | None = None,
    keys: KeyStore | None = None,
    offline_chunk_delay: float = 0.0,
    taken_names: Callable[[], set[str]] | None = None,
    offline_worker: bool = False,
) -> Engine:
    """Build the engine the settings and environment ask for (offline by default).

    The OpenAI-compatible engine is used when `settings.engine` is "openai" or "auto" and a
    key or base URL is configured (Settings, KeyStore, OPENAI_API_KEY / OPENAI_BASE_URL,
    or the --base-url flag), unless `force_offline`. Importing this module imports no openai.
    `taken_names` lists the company names the library already uses (offline avoids them).
    With `offline_worker`, offline modes are built in a worker process (the window's choice).
    """
    env = os.environ if env is None else env
    if not force_offline and settings.engine != "offline":
        from presto_desktop.engines.openai_config import config_from

        stored = None
        if keys is not None and not env.get("OPENAI_API_KEY"):
            stored = keys.get()
        config = config_from(settings.openai, env, base_url=base_url, model=model,
                             stored_key=stored)
        if config is not None:
            from presto_desktop.engines.openai_engine import OpenAIEngine

            return OpenAIEngine(config)
        if settings.engine == "openai":
            log.warning("OpenAI engine selected but no key or base URL configured; using offline")
    from presto_desktop.engines.offline import OfflineEngine

    offline = OfflineEngine(chunk_delay=offline_chunk_delay, taken_names=taken_names)
    if offline_worker:
        from presto_desktop.engines.offline_process import ProcessOfflineEngine

        return ProcessOfflineEngine(offline)
    return offline

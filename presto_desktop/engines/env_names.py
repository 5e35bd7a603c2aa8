"""The environment variables that configure the OpenAI-compatible engine, and what of them a
remembered first frame's engine label depends on.

Apart from engines/openai_config.py so the window's first frame can check them without loading
the presets (~3 ms before its first paint).
"""

from __future__ import annotations

from collections.abc import Mapping

KEY_ENV = "OPENAI_API_KEY"
BASE_URL_ENV = "OPENAI_BASE_URL"
MODEL_ENV = "PRESTO_MODEL"


def engine_inputs(env: Mapping[str, str], *, offline: bool) -> tuple[str, ...]:
    """What decides the engine label besides the settings (whether a key is set, not the key)."""
    return ("offline" if offline else "auto", "key" if (env.get(KEY_ENV) or "").strip() else "",
            (env.get(BASE_URL_ENV) or "").strip(), (env.get(MODEL_ENV) or "").strip())

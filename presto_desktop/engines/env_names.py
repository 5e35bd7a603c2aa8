"""The environment variables that configure the OpenAI-compatible engine (names only).

Apart from engines/openai_config.py so the window's first frame can check them without loading
the presets (~3 ms before its first paint).
"""

KEY_ENV = "OPENAI_API_KEY"
BASE_URL_ENV = "OPENAI_BASE_URL"
MODEL_ENV = "PRESTO_MODEL"

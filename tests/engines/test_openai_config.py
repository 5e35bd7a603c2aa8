"""Configuration merging: Settings, environment, flags, presets; no openai import."""

from __future__ import annotations

from presto_desktop.core.settings import OpenAISettings, Settings
from presto_desktop.engines.openai_config import (
    OPENAI_URL,
    PRESETS,
    OpenAIConfig,
    config_from,
    is_local_url,
    preset,
)


def test_nothing_configured_means_no_config() -> None:
    assert config_from(OpenAISettings(), {}) is None


def test_env_key_activates_openai() -> None:
    config = config_from(OpenAISettings(), {"OPENAI_API_KEY": "sk-env-1234567890"})
    assert config is not None
    assert (config.base_url, config.model, config.api_key) == (OPENAI_URL, "gpt-4o-mini",
                                                               "sk-env-1234567890")
    assert config.key_from_env and not config.missing_key


def test_env_overrides_settings_and_flags_override_env() -> None:
    settings = OpenAISettings(base_url="http://settings.example/v1", model="s-model")
    env = {"OPENAI_BASE_URL": "http://localhost:9999/v1/", "PRESTO_MODEL": "env-model"}
    config = config_from(settings, env)
    assert (config.base_url, config.model) == ("http://localhost:9999/v1", "env-model")
    flagged = config_from(settings, env, base_url="http://127.0.0.1:1/v1", model="flag-model")
    assert (flagged.base_url, flagged.model) == ("http://127.0.0.1:1/v1", "flag-model")


def test_stored_key_is_used_but_env_key_wins() -> None:
    settings = OpenAISettings()
    assert config_from(settings, {}, stored_key="sk-stored-123").api_key == "sk-stored-123"
    both = config_from(settings, {"OPENAI_API_KEY": "sk-env-456"}, stored_key="sk-stored-123")
    assert both.api_key == "sk-env-456"


def test_local_presets_need_no_key() -> None:
    for preset_id, url in [("ollama", "http://localhost:11434/v1"),
                           ("lmstudio", "http://localhost:1234/v1"),
                           ("llamacpp", "http://localhost:8080/v1"),
                           ("vllm", "http://localhost:8000/v1")]:
        config = config_from(OpenAISettings(preset=preset_id, model="m"), {})
        assert config is not None and config.base_url == url
        assert config.is_local and not config.missing_key


def test_remote_base_url_without_key_is_active_but_missing_key() -> None:
    config = config_from(OpenAISettings(preset="custom", base_url="https://llm.example/v1"), {})
    assert config is not None and config.missing_key


def test_azure_settings() -> None:
    settings = OpenAISettings(preset="azure", azure_endpoint="https://r.openai.azure.com",
                              azure_api_version="2024-10-21", azure_deployment="gpt4o")
    config = config_from(settings, {}, stored_key="abc")
    assert config.is_azure and config.model_name == "gpt4o"
    assert config.server_url == "https://r.openai.azure.com"
    # An explicit base URL wins over Azure.
    assert not config_from(settings, {"OPENAI_BASE_URL": "http://localhost:1/v1"}).is_azure


def test_presets_table() -> None:
    labels = {p.label for p in PRESETS}
    assert {"OpenAI", "Azure OpenAI", "Ollama", "LM Studio", "llama.cpp server", "vLLM",
            "Custom"} <= labels
    assert preset("nope").id == "custom"


def test_is_local_url() -> None:
    assert is_local_url("http://localhost:1234/v1") and is_local_url("http://127.0.0.1:8/v1")
    assert is_local_url("http://[::1]:8000/v1")
    assert not is_local_url("https://api.openai.com/v1") and not is_local_url("::not a url")


def test_key_is_not_in_the_repr() -> None:
    assert "sk-hidden" not in repr(OpenAIConfig(api_key="sk-hidden-123456"))


def test_settings_timeouts_flow_through() -> None:
    settings = Settings(openai=OpenAISettings(preset="ollama", connect_timeout_s=2,
                                              timeout_s=30)).openai
    config = config_from(settings, {})
    assert (config.connect_timeout_s, config.timeout_s) == (2, 30)


def test_factory_picks_the_openai_engine_when_configured() -> None:
    from presto_desktop.engines.factory import make_engine

    env = {"OPENAI_BASE_URL": "http://localhost:1234/v1", "PRESTO_MODEL": "qwen"}
    engine = make_engine(Settings(), env=env)
    assert (engine.kind, engine.label) == ("openai", "qwen")
    flagged = make_engine(Settings(), env=env, base_url="http://localhost:2/v1", model="m2")
    assert (flagged.config.base_url, flagged.label) == ("http://localhost:2/v1", "m2")


def test_factory_stays_offline_when_forced_or_unconfigured() -> None:
    import pytest

    pytest.importorskip("presto_desktop.engines.offline")
    from presto_desktop.engines.factory import make_engine

    env = {"OPENAI_API_KEY": "sk-env-0123456789"}
    assert make_engine(Settings(), env=env, force_offline=True).kind == "offline"
    assert make_engine(Settings(engine="offline"), env=env).kind == "offline"
    assert make_engine(Settings(), env={}).kind == "offline"
    assert make_engine(Settings(engine="openai"), env={}).kind == "offline"

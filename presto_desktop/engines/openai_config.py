"""OpenAI-compatible server configuration and presets (no openai import: cheap to load)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

# Re-exported: the engine's and the settings' code reads them from here.
from presto_desktop.engines.env_names import BASE_URL_ENV as BASE_URL_ENV
from presto_desktop.engines.env_names import KEY_ENV as KEY_ENV
from presto_desktop.engines.env_names import MODEL_ENV as MODEL_ENV

if TYPE_CHECKING:
    from presto_desktop.core.settings import OpenAISettings

OPENAI_URL = "https://api.openai.com/v1"
# Local servers ignore the key, but the SDK insists on one.
PLACEHOLDER_KEY = "not-needed"
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "host.docker.internal"}


@dataclass(frozen=True)
class Preset:
    """A server kind offered in Settings, with its default base URL and model."""

    id: str
    label: str
    base_url: str
    model: str
    needs_key: bool
    azure: bool = False


PRESETS: tuple[Preset, ...] = (
    Preset("openai", "OpenAI", OPENAI_URL, "gpt-4o-mini", needs_key=True),
    Preset("azure", "Azure OpenAI", "", "", needs_key=True, azure=True),
    Preset("ollama", "Ollama", "http://localhost:11434/v1", "llama3.1", needs_key=False),
    Preset("lmstudio", "LM Studio", "http://localhost:1234/v1", "", needs_key=False),
    Preset("llamacpp", "llama.cpp server", "http://localhost:8080/v1", "", needs_key=False),
    Preset("vllm", "vLLM", "http://localhost:8000/v1", "", needs_key=False),
    Preset("custom", "Custom", "", "", needs_key=False),
)


def preset(preset_id: str) -> Preset:
    """The preset with `preset_id`, or the custom one."""
    for item in PRESETS:
        if item.id == preset_id:
            return item
    return PRESETS[-1]


def is_local_url(url: str) -> bool:
    """True when `url` points at this machine (no key needed there)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return host in _LOCAL_HOSTS or host.startswith("127.") or host.endswith(".localhost")


@dataclass(frozen=True)
class OpenAIConfig:
    """Everything the OpenAI-compatible engine needs to reach its server."""

    base_url: str = OPENAI_URL
    model: str = "gpt-4o-mini"
    api_key: str = field(default="", repr=False)  # never shown in reprs or logs
    preset: str = "openai"
    azure_endpoint: str = ""
    azure_api_version: str = ""
    azure_deployment: str = ""
    connect_timeout_s: float = 5.0
    timeout_s: float = 60.0
    refine_timeout_s: float = 3.0
    max_retries: int = 2
    # Retry-After longer than this fails at once with "try again in N s" instead of waiting.
    max_retry_wait_s: float = 5.0
    backoff_s: float = 0.5
    key_from_env: bool = False

    @property
    def is_azure(self) -> bool:
        """True when the Azure client is used."""
        return bool(self.azure_endpoint)

    @property
    def server_url(self) -> str:
        """The URL people know the server by (for messages)."""
        return self.azure_endpoint or self.base_url

    @property
    def is_local(self) -> bool:
        """True for a server on this machine."""
        return is_local_url(self.server_url)

    @property
    def model_name(self) -> str:
        """The model (or Azure deployment) requests name."""
        return (self.azure_deployment or self.model) if self.is_azure else self.model

    @property
    def missing_key(self) -> bool:
        """True when a remote server is configured without a key."""
        return not self.api_key and not self.is_local


def config_from(
    settings: OpenAISettings,
    env: Mapping[str, str],
    *,
    base_url: str | None = None,
    model: str | None = None,
    stored_key: str | None = None,
) -> OpenAIConfig | None:
    """Merge Settings, environment and command-line flags; None when nothing is configured.

    Precedence: flags, then OPENAI_API_KEY / OPENAI_BASE_URL / PRESTO_MODEL, then Settings
    (and `stored_key` from the KeyStore). Active when a key or a base URL is configured.
    """
    env_key = (env.get(KEY_ENV) or "").strip()
    key = env_key or (stored_key or "").strip()
    chosen = preset(settings.preset)
    override_url = (base_url or "").strip() or (env.get(BASE_URL_ENV) or "").strip()
    # An explicit base URL (flag or environment) wins over the Azure settings.
    azure_endpoint = settings.azure_endpoint.strip() if chosen.azure and not override_url else ""
    url = override_url or settings.base_url.strip() or chosen.base_url or OPENAI_URL
    url_configured = bool(
        override_url or settings.base_url.strip() or azure_endpoint
        or (chosen.base_url and not chosen.needs_key)
    )
    if not key and not url_configured:
        return None
    chosen_model = (
        (model or "").strip()
        or (env.get(MODEL_ENV) or "").strip()
        or settings.model.strip()
        or chosen.model
    )
    return OpenAIConfig(
        base_url=url.rstrip("/"),
        model=chosen_model,
        api_key=key,
        preset=chosen.id,
        azure_endpoint=azure_endpoint,
        azure_api_version=settings.azure_api_version.strip() or "2024-10-21",
        azure_deployment=settings.azure_deployment.strip(),
        connect_timeout_s=settings.connect_timeout_s,
        timeout_s=settings.timeout_s,
        key_from_env=bool(env_key),
    )

"""The images endpoint (`images.generate`: gpt-image-1, dall-e-3, an Azure deployment).

Through openai_engine.py's client (this module imports no openai itself). The image comes
back inline as base64, never as a URL to fetch: dall-e models are asked for `b64_json`,
gpt-image models always answer that way. On Azure the model is the image deployment, so the
request goes through a client for that deployment. Any failure is one EngineError line; the
caller keeps the offline emblem.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
from typing import TYPE_CHECKING, Any

from presto_desktop.core.errors import EngineError
from presto_desktop.engines.openai_client import fault, make_client

if TYPE_CHECKING:
    from openai import AsyncOpenAI

    from presto_desktop.engines.openai_config import OpenAIConfig

IMAGE_SIZE = "1024x1024"


async def request_image(client: AsyncOpenAI, config: OpenAIConfig, model: str,
                        prompt: str) -> bytes:
    """The image's bytes as the server sent them (checked later, like a logo file)."""
    own = None
    if config.is_azure and model != config.azure_deployment:
        own = client = make_client(dataclasses.replace(config, azure_deployment=model))
    options: dict[str, Any] = {"model": model, "prompt": prompt, "n": 1, "size": IMAGE_SIZE}
    if not model.startswith("gpt-image"):
        options["response_format"] = "b64_json"  # never a URL to download
    try:
        result = await client.images.generate(**options)
    except Exception as exc:  # noqa: BLE001 - any SDK/transport failure becomes one line
        raise fault(exc, config) from None
    finally:
        if own is not None:
            await own.close()
    encoded = result.data[0].b64_json if result.data else None
    if not encoded:
        raise EngineError("the images endpoint answered without inline image data",
                          retryable=False)
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise EngineError("the images endpoint answered with damaged image data",
                          retryable=False) from None

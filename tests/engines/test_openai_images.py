"""The images endpoint against a loopback fake: inline base64 only, failures one line."""

from __future__ import annotations

import asyncio
import base64
import io
from collections import deque

import pytest
from PIL import Image

from presto_desktop.core.errors import EngineError
from presto_desktop.engines.base import ImageMaker
from presto_desktop.engines.openai_engine import OpenAIEngine
from tests.engines.fake_openai_server import FakeOpenAI, Script
from tests.engines.test_openai_engine import config


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def _ask(server: FakeOpenAI, model: str = "gpt-image-1") -> bytes | EngineError:
    engine = OpenAIEngine(config(server))
    assert isinstance(engine, ImageMaker)

    async def run() -> bytes | EngineError:
        try:
            return await engine.generate_image("a logo", model)
        except EngineError as exc:
            return exc
        finally:
            await engine.aclose()

    return asyncio.run(run())


def test_gpt_image_answers_inline_and_dall_e_is_asked_for_base64() -> None:
    with FakeOpenAI(Script(image_bytes=_png())) as server:
        assert _ask(server) == _png()
        assert _ask(server, "dall-e-3") == _png()
        first, second = server.bodies("/v1/images/generations")
    assert "response_format" not in first and first["model"] == "gpt-image-1"
    assert second["response_format"] == "b64_json"  # never a URL to download


@pytest.mark.parametrize(("answer", "words"), [
    ((400, {"error": {"message": "images are not supported"}}), "not supported"),
    ((404, {"error": {"message": "model not found"}}), "not found"),
    ((200, {"created": 0, "data": [{"url": "http://127.0.0.1:9/evil.png"}]}), "inline"),
    ((200, {"created": 0, "data": []}), "inline"),
    ((200, {"created": 0, "data": [{"b64_json": "%%%not base64"}]}), "damaged"),
])
def test_a_failed_or_odd_answer_is_one_line(answer, words) -> None:
    with FakeOpenAI(Script(images=deque([answer]))) as server:
        result = _ask(server)
        paths = [r["path"] for r in server.requests]
    assert isinstance(result, EngineError) and words in str(result)
    assert "\n" not in str(result)
    assert all(p.endswith("/images/generations") for p in paths)  # the URL was not fetched


def test_base64_of_anything_comes_back_unchecked_for_the_caller_to_check() -> None:
    junk = base64.b64encode(b"MZ not an image").decode()
    with FakeOpenAI(Script(images=deque([(200, {"created": 0,
                                                "data": [{"b64_json": junk}]})]))) as server:
        assert _ask(server) == b"MZ not an image"

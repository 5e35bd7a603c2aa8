"""ModeService: the one mode pipeline (reset, reuse, refine, generate, save), no Qt."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.errors import EngineError
from presto_desktop.core.models import Mode
from presto_desktop.core.store import ModeStore
from presto_desktop.core.triggers import ASK_EXAMPLES, ASK_REPLY, ModeRequest, parse_trigger
from presto_desktop.engines.base import ChatEvent, Done, Engine, RequestRefiner
from presto_desktop.session.modes import Answer, ModeResult, ModeService, request_from_mode
from tests.factories import make_mode, store_with_default


class FakeEngine:
    """Generates a plain mode per request and records the requests (no request key stamped)."""

    kind = "offline"
    label = "Fake"

    def __init__(self, fail: str | None = None) -> None:
        self.fail = fail
        self.requests: list[ModeRequest] = []

    async def detect_mode_request(self, text: str) -> ModeRequest | None:
        return None

    async def generate_mode(self, request: ModeRequest) -> Mode:
        self.requests.append(request)
        if self.fail:
            raise EngineError(self.fail, retryable=True)
        # request_key="" leaves stamping to the service.
        return make_mode(request.slug, industry=request.industry,
                         company=request.company or f"{request.industry.title()} Co",
                         request_key="")

    async def stream_chat(self, mode: Mode, history: list[ChatMessage],
                          message: str) -> AsyncIterator[ChatEvent]:
        yield Done()

    async def aclose(self) -> None:
        return None


class RefiningEngine(FakeEngine):
    """An LLM-like engine that knows "Wells Fargo" is a bank."""

    async def refine_request(self, request: ModeRequest) -> ModeRequest:
        if request.company == "Wells Fargo":
            return ModeRequest("switch", "banking", "Wells Fargo", request.raw)
        return request


def trigger(text: str) -> ModeRequest:
    request = parse_trigger(text)
    assert request is not None
    return request


@pytest.fixture
def store(tmp_path: Path) -> ModeStore:
    return store_with_default(tmp_path)


def test_fakes_match_the_protocols() -> None:
    assert isinstance(FakeEngine(), Engine) and not isinstance(FakeEngine(), RequestRefiner)
    assert isinstance(RefiningEngine(), RequestRefiner)


def test_reset_resolves_to_the_default_without_the_engine(store: ModeStore) -> None:
    engine = FakeEngine()
    result = asyncio.run(ModeService(store, engine).resolve(trigger("Presto, back to normal")))
    assert isinstance(result, ModeResult)
    assert (result.how, result.mode.id) == ("reset", "default") and engine.requests == []


def test_ask_resolves_to_an_answer(store: ModeStore) -> None:
    engine = FakeEngine()
    result = asyncio.run(ModeService(store, engine).resolve(trigger("Presto-Change-O, you're a")))
    assert result == Answer(ASK_REPLY, ASK_EXAMPLES) and engine.requests == []


def test_saved_mode_for_the_same_request_is_reused(store: ModeStore) -> None:
    saved = store.save(make_mode("florist-petal", company="Petal", request_key="florist|petal"))
    engine = FakeEngine()
    service = ModeService(store, engine)
    result = asyncio.run(service.resolve(trigger("Presto-Change-O, you're a Florist called PETAL")))
    assert result == ModeResult(saved, "saved") and engine.requests == []


def test_slug_fallback_only_when_no_company_is_named(store: ModeStore) -> None:
    saved = store.save(make_mode("florist", company="Old", request_key="someone|else"))
    engine = FakeEngine()
    service = ModeService(store, engine)
    assert service.lookup(trigger("Presto-Change-O, you're a florist")) == ModeResult(saved, "saved")
    assert service.lookup(trigger("Presto-Change-O, you're a florist called Bloom")) is None


def test_new_request_is_generated_stamped_and_saved_off_the_loop(
    store: ModeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    save = store.save

    def recording_save(mode: Mode) -> Mode:
        threads.append(threading.current_thread().name)
        return save(mode)

    monkeypatch.setattr(store, "save", recording_save)
    engine = FakeEngine()
    result = asyncio.run(ModeService(store, engine).resolve(trigger("Presto, you're a bakery")))
    assert isinstance(result, ModeResult) and result.how == "generated"
    assert result.mode.request_key == "bakery|"
    assert store.get(result.mode.id) == result.mode
    assert threads and threads[0] != threading.main_thread().name
    # Asked again: reused, not generated twice.
    again = asyncio.run(ModeService(store, engine).resolve(trigger("Presto, you're a Bakery")))
    assert again == ModeResult(result.mode, "saved") and len(engine.requests) == 1


def test_refined_request_reuses_a_known_mode(store: ModeStore) -> None:
    engine = RefiningEngine()
    service = ModeService(store, engine)
    request = trigger("Presto-Change-O, you're Wells Fargo")
    first = asyncio.run(service.resolve(request))
    assert isinstance(first, ModeResult) and first.how == "generated"
    assert first.mode.industry == "banking" and first.mode.request_key == "banking|wells fargo"
    # The local parse ("wells fargo|wells fargo") finds nothing; the refined one finds it.
    again = asyncio.run(service.resolve(request))
    assert again == ModeResult(first.mode, "refined-known") and len(engine.requests) == 1


def test_regenerate_replaces_in_place_without_refining(store: ModeStore) -> None:
    store.save(make_mode("florist", company="Old Name", request_key="florist|old name"))
    second = store.save(make_mode("florist", company="Other", request_key="florist|other"))
    engine = RefiningEngine()
    request = request_from_mode(second)
    assert (request.industry, request.company) == ("florist", "Other")
    result = asyncio.run(ModeService(store, engine).create(request, replace_id=second.id))
    assert result.how == "generated" and result.mode.id == "florist-2"
    assert store.get("florist").company_name == "Old Name"
    assert store.get("florist-2").request_key == "florist|other"


def test_engine_failure_saves_nothing(store: ModeStore) -> None:
    before = store.list_modes()
    with pytest.raises(EngineError):
        asyncio.run(ModeService(store, FakeEngine(fail="down")).resolve(trigger("Presto, you're a spa")))
    assert store.list_modes() == before

"""ModeController: Regenerate saves in place; a new generation never overwrites another mode."""

from __future__ import annotations

from pathlib import Path

from presto_desktop.core.triggers import parse_trigger
from presto_desktop.ui.shell.mode_controller import ModeController
from tests.factories import make_mode, store_with_default
from tests.ui.fakes import FakeEngine


def test_regenerate_replaces_the_saved_mode(qapp, qloop, tmp_path: Path) -> None:
    store = store_with_default(tmp_path)
    saved = store.save(make_mode("florist", company="Old Name", request_key="florist|petal"))
    second = store.save(make_mode("florist", company="Other", request_key="florist|other"))
    assert second.id == "florist-2"
    controller = ModeController(store, FakeEngine())
    result = qloop.run_until_complete(controller.regenerate(second.id))
    assert result is not None and result.id == "florist-2"
    assert store.get("florist-2").company_name == "Other"
    assert store.get(saved.id).company_name == "Old Name"


def test_generation_for_a_new_request_gets_a_free_id(qapp, qloop, tmp_path: Path) -> None:
    store = store_with_default(tmp_path)
    store.save(make_mode("florist-petal", company="Petal", request_key="someone|else"))
    controller = ModeController(store, FakeEngine())
    request = parse_trigger("Presto-Change-O, you're a florist called Petal")
    result = qloop.run_until_complete(controller.generate(request))
    assert result is not None and result.id == "florist-petal-2"
    assert store.get("florist-petal").request_key == "someone|else"


class RefiningEngine(FakeEngine):
    """An LLM-like engine that knows "Wells Fargo" is a bank."""

    async def refine_request(self, request):
        from presto_desktop.core.triggers import ModeRequest

        if request.company == "Wells Fargo":
            return ModeRequest("switch", "banking", "Wells Fargo", request.raw)
        return request


def test_llm_refinement_decides_industry_and_reuses(qapp, qloop, tmp_path: Path) -> None:
    store = store_with_default(tmp_path)
    engine = RefiningEngine()
    controller = ModeController(store, engine)
    request = parse_trigger("Presto-Change-O, you're Wells Fargo")
    first = qloop.run_until_complete(controller.generate(request))
    assert first is not None and first.industry == "banking"
    assert first.request_key == "banking|wells fargo"
    again = qloop.run_until_complete(controller.generate(request))
    assert again == first and len(engine.requests) == 1  # refined to a saved mode: reused


def test_refinement_reaches_through_the_deferred_engine(qapp, qloop, tmp_path: Path) -> None:
    """The window's engine stands in until built; its refine capability must still be seen."""
    from presto_desktop.ui.composition import DeferredEngine

    store = store_with_default(tmp_path)
    controller = ModeController(store, DeferredEngine(RefiningEngine, "Fake"))
    request = parse_trigger("Presto-Change-O, you're Wells Fargo")
    mode = qloop.run_until_complete(controller.generate(request))
    assert mode is not None and mode.request_key == "banking|wells fargo"

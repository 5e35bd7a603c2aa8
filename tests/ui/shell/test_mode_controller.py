"""ModeController: Regenerate saves in place; a new generation never overwrites another mode."""

from __future__ import annotations

import asyncio
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


def _watched(controller: ModeController, store, events: list[tuple[str, object]]) -> None:
    """Record the controller's prepare/preview/end_preview calls, and what was saved then."""
    import threading

    main = threading.get_ident()
    controller.prepare = lambda mode: events.append(
        ("prepare", threading.get_ident() != main))
    controller.preview = lambda mode: events.append(
        ("preview", any(s.request_key == mode.request_key for s in store.list_modes())))
    controller.end_preview = lambda: events.append(("end", controller.current.company_name))


def test_a_generated_mode_is_prepared_off_the_loop_and_previewed_before_its_save(
        qapp, qloop, tmp_path: Path) -> None:
    store = store_with_default(tmp_path)
    controller = ModeController(store, FakeEngine())
    events: list[tuple[str, object]] = []
    _watched(controller, store, events)
    request = parse_trigger("Presto-Change-O, you're a florist")
    task = controller.generate(request)
    result = qloop.run_until_complete(task)
    qloop.run_until_complete(asyncio.sleep(0.01))  # the task's done callbacks
    assert result is not None
    # prepared in a worker thread, previewed before it was saved; once applied, the theme
    # follows mode_changed (which releases the preview's repaint): nothing more to settle
    assert events == [("prepare", True), ("preview", False)]


def test_a_preview_of_an_unchanged_mode_is_settled(qapp, qloop, tmp_path: Path) -> None:
    store = store_with_default(tmp_path)
    controller = ModeController(store, FakeEngine())
    events: list[tuple[str, object]] = []
    _watched(controller, store, events)
    first = qloop.run_until_complete(controller.generate(parse_trigger("Presto, you're a bakery")))
    assert first is not None
    events.clear()
    changes: list[object] = []
    controller.mode_changed.connect(changes.append)
    again = qloop.run_until_complete(controller.regenerate(first.id))  # the same mode again
    qloop.run_until_complete(asyncio.sleep(0.01))
    assert again == first and changes == []  # no mode_changed: the task end settles it
    assert events[-1] == ("end", first.company_name)


def test_a_failed_save_after_the_preview_ends_it(qapp, qloop, tmp_path: Path,
                                                 monkeypatch) -> None:
    from presto_desktop.core.errors import StoreError

    store = store_with_default(tmp_path)
    controller = ModeController(store, FakeEngine())
    events: list[tuple[str, object]] = []
    _watched(controller, store, events)
    failures: list[str] = []
    controller.generation_failed.connect(lambda message, _retry: failures.append(message))

    def broken(mode):
        raise StoreError("disk full")

    monkeypatch.setattr(store, "save", broken)
    before = controller.current.company_name
    result = qloop.run_until_complete(controller.generate(parse_trigger("Presto, you're a bakery")))
    qloop.run_until_complete(asyncio.sleep(0.01))
    assert result is None and failures
    assert events[-1] == ("end", before)  # the window restyles back to the current mode

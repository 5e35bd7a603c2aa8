"""Emblems from an image model: off by default, never blocking, cached, checked, faded in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from presto_desktop.core.errors import EngineError
from presto_desktop.core.modefile import dump_mode
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeStore
from presto_desktop.ui.composition import Composition
from tests.factories import make_mode
from tests.ui.fakes import FakeEngine


def _png(size: int = 64, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (size, size), (200, 40, 40) if mode == "RGB" else 0).save(out, "PNG")
    return out.getvalue()


class ImageEngine(FakeEngine):
    """The fake engine with an images endpoint that answers `answer` (bytes or an error)."""

    def __init__(self, answer: bytes | Exception) -> None:
        super().__init__()
        self.answer = answer
        self.prompts: list[tuple[str, str]] = []

    async def generate_image(self, prompt: str, model: str) -> bytes:
        self.prompts.append((prompt, model))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def _comp(qapp, tmp_path: Path, engine: FakeEngine, *, on: bool = True) -> Composition:
    folder = tmp_path / "builtin"
    folder.mkdir(exist_ok=True)
    (folder / "default.json").write_bytes(dump_mode(make_mode("default", request_key="")))
    paths = AppPaths.resolve(tmp_path / "data")
    store = ModeStore(paths, builtin_dir=folder)
    store.save(make_mode("florist", company="Petal & Stem", primary="#8e24aa"))
    comp = Composition(qapp, paths, offline=True, persist=False, store=store, engine=engine)
    comp.settings.theme = "light"
    comp.settings.generated_images = on
    comp.window.show()
    return comp


def test_off_by_default_nothing_is_asked(qapp, qloop, tmp_path) -> None:
    engine = ImageEngine(_png())
    comp = _comp(qapp, tmp_path, engine, on=False)
    from presto_desktop.core.settings import Settings

    assert Settings().generated_images is False  # off unless turned on in Settings
    comp.start("florist")
    assert comp.brand.generated.task is None and engine.prompts == []


def test_the_generated_mark_fades_in_after_the_offline_one_and_is_cached(qapp, qloop, qtbot,
                                                                        tmp_path) -> None:
    engine = ImageEngine(_png())
    comp = _comp(qapp, tmp_path, engine)
    comp.start("florist")
    emblem = comp.window.header.emblem
    offline = emblem.mark()
    assert offline is not None and offline[0] == "image/svg+xml"  # shown first, at once
    assert emblem.generated() is None
    task = comp.brand.generated.task
    assert task is not None
    qloop.run_until_complete(task)
    shown = emblem.generated()
    assert shown is not None and shown[0] == "image/png" and shown[1] == _png()
    assert emblem.mark() == offline  # underneath, unchanged
    assert len(list(comp.paths.images_dir.iterdir())) == 1
    (prompt, model), = engine.prompts
    assert "Petal & Stem" in prompt and model == "gpt-image-1"
    comp.modes.switch_to("default")
    if comp.brand.generated.task is not None:
        qloop.run_until_complete(comp.brand.generated.task)
    assert emblem.generated() is not None  # the default mode's own (a second request)
    comp.modes.switch_to("florist")
    qloop.run_until_complete(comp.brand.generated.task)
    assert len(engine.prompts) == 2  # florist came from the cache
    comp.window.close()


@pytest.mark.parametrize("answer", [
    EngineError("images are not supported"),
    b"MZ an executable",
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
    "bomb",
    "cut",
])
def test_a_failed_or_hostile_image_keeps_the_offline_emblem(qapp, qloop, tmp_path, answer):
    if answer == "bomb":
        answer = _png(5000, "1")
    elif answer == "cut":
        answer = _png(300)[:150]
    comp = _comp(qapp, tmp_path, ImageEngine(answer))
    comp.start("florist")
    qloop.run_until_complete(comp.brand.generated.task)
    emblem = comp.window.header.emblem
    assert emblem.generated() is None and emblem.mark()[0] == "image/svg+xml"
    assert comp.brand.generated.failures == 1
    assert not comp.paths.images_dir.exists() or not list(comp.paths.images_dir.iterdir())
    comp.window.close()


def test_a_mode_with_a_logo_asks_nothing(qapp, qloop, tmp_path) -> None:
    from tests.factories import make_logo_mode

    engine = ImageEngine(_png())
    comp = _comp(qapp, tmp_path, engine)
    comp.store.save(make_logo_mode("shop", company="Logo Shop"))
    comp.start("shop")
    assert comp.brand.generated.task is None and engine.prompts == []
    comp.window.close()

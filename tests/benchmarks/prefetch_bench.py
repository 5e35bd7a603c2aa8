"""Tab click -> first words on screen, live vs prefetched vs cached, against a server that
answers in 2 s (the fake server in its own process; the real SDK; the window's ChatController
on a qasync loop, so the frame batching is counted too).

- prefetch_tab_click_first_words_live: a tab click with nothing fetched ahead (goal: none;
  it is the "before" figure, about the server's 2 s)
- prefetch_tab_click_first_words_prefetched: the same click once the tabs were fetched ahead
  (goal <= 50 ms)
- prefetch_repeat_question_first_words: a question asked again (goal <= 50 ms)
- prefetch_loop_gap_while_prefetching: how late a 5 ms heartbeat woke up at worst while the
  tabs were being fetched (goal <= 16.7 ms)
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.openai_bench import Heartbeat, RemoteServer, Row, _config
from tests.engines.fake_openai_server import Script
from tests.session.test_prefetch import answer_for

SERVER_DELAY_S = 2.0


def _app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


async def _first_words(controller: Any, text: str) -> float:
    """Seconds from asking `text` to the first reply_delta; waits for the reply to end."""
    got: list[float] = []

    def seen(_text: str) -> None:
        if not got:
            got.append(time.perf_counter())

    controller.reply_delta.connect(seen)
    started = time.perf_counter()
    task = controller.submit(text)
    assert task is not None
    await task
    controller.reply_delta.disconnect(seen)
    return got[0] - started


async def _measure(server: RemoteServer, data_dir: Path, quick: bool) -> dict[str, Any]:
    from presto_desktop.core.conversations import ConversationStore
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.engines.openai_engine import OpenAIEngine
    from presto_desktop.ui.chat.controller import ChatController
    from tests.engines.test_openai_engine import MODE

    engine = OpenAIEngine(_config(server))
    await engine.prepare()
    live = ChatController(engine, ConversationStore(AppPaths.resolve(data_dir / "a")))
    live.set_mode(MODE)
    tabs = [tab.prompt for tab in MODE.tabs]
    before = await _first_words(live, tabs[1])  # nothing fetched ahead: a live request
    controller = ChatController(engine, ConversationStore(AppPaths.resolve(data_dir / "b")),
                                prefetch=True)
    with Heartbeat() as beat:
        controller.set_mode(MODE)
        task = controller.prefetcher.task
        assert task is not None
        await task
    after = [await _first_words(controller, tab) for tab in tabs]
    repeat = [await _first_words(controller, tabs[0]) for _ in range(2 if quick else 5)]
    await controller.shutdown()
    await live.shutdown()
    await engine.aclose()
    return {"before": before, "after": after, "repeat": repeat, "gap": beat.worst_s,
            "fetched": len(controller.prefetcher.fetched)}


def run(quick: bool = False) -> list[Row]:
    """Tab click latency before/after prefetch, and the loop gap while prefetching."""
    import qasync

    app = _app()
    with tempfile.TemporaryDirectory() as tmp, \
            RemoteServer(Script(stream_for=answer_for, delay_s=SERVER_DELAY_S)) as server:
        with qasync.QEventLoop(app) as loop:
            figures = loop.run_until_complete(_measure(server, Path(tmp), quick))
    return [
        ("prefetch_tab_click_first_words_live", round(figures["before"] * 1000, 1), "ms"),
        ("prefetch_tab_click_first_words_prefetched",
         round(statistics.median(figures["after"]) * 1000, 1), "ms"),
        ("prefetch_tab_click_first_words_prefetched_max",
         round(max(figures["after"]) * 1000, 1), "ms"),
        ("prefetch_repeat_question_first_words",
         round(statistics.median(figures["repeat"]) * 1000, 1), "ms"),
        ("prefetch_loop_gap_while_prefetching", round(figures["gap"] * 1000, 2), "ms"),
        ("prefetch_tabs_fetched", figures["fetched"], "tabs"),
    ]


if __name__ == "__main__":
    for name, value, unit in run(quick=False):
        print(name, value, unit)

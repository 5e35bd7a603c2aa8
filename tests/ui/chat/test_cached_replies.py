"""The chat controller with the reply cache and tab prefetch: tab clicks, Regenerate, off switches."""

from __future__ import annotations

from pathlib import Path

import pytest

from presto_desktop.core.chat import ToolCall
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
from presto_desktop.engines import openai_engine as oe
from presto_desktop.session.replies import ReplyService
from presto_desktop.session.reply_cache import ReplyCache
from presto_desktop.ui.chat.controller import ChatController
from tests.engines.fake_openai_server import FakeOpenAI, Script, last_user_message
from tests.engines.test_openai_engine import MODE, config
from tests.factories import make_mode
from tests.session.test_prefetch import TABS, answer_for
from tests.ui.fake_engine import FakeEngine


@pytest.fixture
def conversations(tmp_path: Path) -> ConversationStore:
    return ConversationStore(AppPaths.resolve(tmp_path))


def _record(controller: ChatController) -> dict[str, list]:
    seen: dict[str, list] = {"origin": [], "tools": [], "finished": []}
    controller.reply_origin.connect(seen["origin"].append)
    controller.tool_called.connect(seen["tools"].append)
    controller.reply_finished.connect(seen["finished"].append)
    return seen


def test_a_tab_click_shows_the_prefetched_answer_with_its_chart_and_regenerate_asks_again(
        qtbot, qloop, conversations) -> None:
    with FakeOpenAI(Script(stream_for=answer_for)) as server:
        engine = oe.OpenAIEngine(config(server))
        controller = ChatController(engine, conversations, prefetch=True,
                                    replies=ReplyService(ReplyCache(), chunk_s=0))
        seen = _record(controller)

        async def go() -> None:
            controller.set_mode(MODE)  # the mode is applied: its tabs are fetched ahead
            task = controller.prefetcher.task
            assert task is not None
            await task
            await controller.send(TABS[0])  # the tab click
            assert seen["origin"][-1].kind == "prefetch"
            await controller._replay()  # Regenerate
            assert seen["origin"][-1].kind == "live"
            await controller.shutdown()
            await engine.aclose()

        qloop.run_until_complete(go())
    asked = [last_user_message(b) for b in server.bodies()]
    assert asked == [*TABS, TABS[0]]  # the click itself asked nothing; Regenerate did
    assert [c.name for c in seen["tools"]] == ["show_chart", "show_chart"]
    first = seen["finished"][0]
    assert first.content.startswith("Answer to") and first.status == "stop"
    assert isinstance(first.tool_calls[0], ToolCall)
    assert server.max_active == 1


def test_no_prefetch_on_the_offline_engine_or_when_switched_off(qtbot, qloop, conversations):
    offline = ChatController(FakeEngine(["ok"]), conversations, prefetch=True)
    with FakeOpenAI(Script(stream_for=answer_for)) as server:
        engine = oe.OpenAIEngine(config(server))
        off = ChatController(engine, conversations, prefetch=False)

        async def go() -> None:
            offline.set_mode(make_mode("florist"))
            off.set_mode(MODE)
            assert offline.prefetcher.task is None and off.prefetcher.task is None
            off.set_prefetch(True)
            assert off.prefetcher.task is not None
            off.follow(make_mode("bakery", industry="bakery"))  # the next switch cancels it
            await off.shutdown()
            await engine.aclose()

        qloop.run_until_complete(go())

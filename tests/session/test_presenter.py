"""WindowPresenter: the window's decisions driven with plain fakes (no Qt, no widget)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.errors import ModeNotFoundError
from presto_desktop.core.models import Mode
from presto_desktop.core.triggers import ASK_EXAMPLES, ASK_REPLY, ModeRequest
from presto_desktop.engines.labels import OFFLINE_NOTE, welcome_for
from presto_desktop.session.presenter import SAME_MODE_NOTE, WindowPresenter, same_content
from tests.factories import make_mode

LATER = datetime(2030, 1, 1, tzinfo=UTC)
DEFAULT = make_mode("default", industry="assistant", company="Presto Assistant")
BANK = make_mode("banking", industry="bank", company="First Bank")
OFFLINE_MADE = BANK.model_copy(update={"welcome_message": (
    f"Welcome to First Bank! Banking. I'm the bank assistant{OFFLINE_NOTE} Ask me about it.")})


class View:
    """Records what the presenter shows."""

    def __init__(self) -> None:
        self.messages: list[ChatMessage] = []
        self.suggestions: list[str] = []
        self.errors: list[tuple[str, bool]] = []
        self.tool_calls: list[ToolCall] = []
        self.progress_hidden = 0
        self.later: list[Callable[[], None]] = []

    def set_messages(self, messages: list[ChatMessage]) -> None:
        self.messages = list(messages)

    def append_message(self, message: ChatMessage) -> None:
        self.messages.append(message)

    def set_suggestions(self, prompts: list[str]) -> None:
        self.suggestions = list(prompts)

    def show_error(self, message: str, retryable: bool, *, reply: bool = True) -> None:
        self.errors.append((message, retryable))

    def show_tool_call(self, call: ToolCall) -> bool:
        self.tool_calls.append(call)
        return call.arguments.get("draws", True) is True

    def replay_tool_call(self, call: ToolCall) -> bool:
        return self.show_tool_call(call)

    def hide_progress(self) -> None:
        self.progress_hidden += 1

    def call_soon(self, callback: Callable[[], None]) -> None:
        self.later.append(callback)

    def run_later(self) -> None:
        callbacks, self.later = self.later, []
        for callback in callbacks:
            callback()

    @property
    def texts(self) -> list[str]:
        return [m.content for m in self.messages]


class Chat:
    """Keeps conversations per mode; loading one hands it to the presenter, as the window does."""

    def __init__(self) -> None:
        self.presenter: WindowPresenter | None = None
        self.conversations: dict[str, list[ChatMessage]] = {}
        self.mode: Mode | None = None
        self.calls: list[tuple[str, str]] = []

    def submit(self, text: str) -> None:
        self.calls.append(("submit", text))

    def retry(self) -> None:
        self.calls.append(("retry", ""))

    def add_message(self, message: ChatMessage) -> None:
        assert self.mode is not None
        self.conversations.setdefault(self.mode.id, []).append(message)

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        assert self.presenter is not None
        self.presenter.conversation_loaded(list(self.conversations.get(mode.id, [])))


class Modes:
    """The mode controller: saved modes switch at once, anything else generates."""

    def __init__(self, saved: dict[str, Mode]) -> None:
        self.saved = saved
        self.current = DEFAULT
        self.busy = False
        self.presenter: WindowPresenter | None = None
        self.calls: list[tuple[str, str]] = []

    def apply(self, mode: Mode) -> None:
        changed = mode != self.current
        self.current = mode
        if changed:
            assert self.presenter is not None
            self.presenter.show_chat(mode)  # the window's chat step

    def switch_to(self, mode_id: str) -> Mode:
        mode = self.saved.get(mode_id)
        if mode is None:
            raise ModeNotFoundError(f"No mode “{mode_id}”.")
        self.apply(mode)
        return mode

    def handle_trigger(self, request: ModeRequest) -> None:
        if request.kind == "reset":
            self.apply(DEFAULT)
        elif request.industry in self.saved:
            self.apply(self.saved[request.industry])
        else:
            self.calls.append(("generate", request.industry))
            self.busy = True

    def finish(self, mode: Mode) -> None:
        self.busy = False
        assert self.presenter is not None
        self.presenter.generation_finished(mode)
        self.apply(mode)

    def regenerate(self, mode_id: str) -> None:
        self.calls.append(("regenerate", mode_id))
        self.busy = True

    def retry(self) -> None:
        self.calls.append(("retry", ""))
        self.busy = True


class Store:
    """Modes by id."""

    def __init__(self, *modes: Mode) -> None:
        self.modes = {mode.id: mode for mode in modes}

    def get(self, mode_id: str) -> Mode:
        if mode_id not in self.modes:
            raise ModeNotFoundError(mode_id)
        return self.modes[mode_id]


class Rig:
    """A presenter wired to the fakes, started in the default mode."""

    def __init__(self, *saved: Mode, start: bool = True) -> None:
        self.view = View()
        self.chat = Chat()
        self.modes = Modes({key: mode for mode in saved for key in (mode.industry, mode.id)})
        self.store = Store(DEFAULT, *saved)
        self.presenter = WindowPresenter(self.view, self.modes, self.chat, self.store)
        self.chat.presenter = self.modes.presenter = self.presenter
        if start:
            self.presenter.show_chat(DEFAULT)


@pytest.fixture
def rig() -> Rig:
    return Rig(BANK)


def test_a_new_conversation_is_welcomed_with_the_modes_chips(rig: Rig) -> None:
    assert rig.view.texts == [DEFAULT.welcome_message]
    assert rig.view.suggestions == list(DEFAULT.suggested_prompts)
    assert rig.chat.conversations["default"][-1].content == DEFAULT.welcome_message


def test_plain_text_goes_to_chat(rig: Rig) -> None:
    rig.presenter.route("What are your hours?")
    assert rig.chat.calls == [("submit", "What are your hours?")]
    assert rig.modes.calls == []


def test_a_trigger_without_a_business_asks_with_examples(rig: Rig) -> None:
    rig.presenter.route("Presto-Change-O, you're a")
    # The composer drew the typed text; the presenter keeps it and shows the question once.
    assert rig.view.texts[-1:] == [ASK_REPLY]
    assert "Presto-Change-O, you're a" not in rig.view.texts
    assert [m.content for m in rig.chat.conversations[DEFAULT.id][-2:]] == [
        "Presto-Change-O, you're a", ASK_REPLY]
    assert rig.view.suggestions == list(ASK_EXAMPLES)
    assert rig.modes.current is DEFAULT and not rig.modes.busy and rig.chat.calls == []


def test_a_known_trigger_shows_the_trigger_once_then_the_welcome(rig: Rig) -> None:
    rig.presenter.route("Presto-Change-O, you're a bank")
    assert rig.modes.current is BANK
    assert rig.view.texts == ["Presto-Change-O, you're a bank", BANK.welcome_message]
    saved = [m.content for m in rig.chat.conversations["banking"]]
    assert saved == ["Presto-Change-O, you're a bank", BANK.welcome_message]


def test_a_mode_met_again_says_welcome_back_once(rig: Rig) -> None:
    rig.presenter.route("Presto-Change-O, you're a bank")
    rig.presenter.route("Presto-Change-O, back to normal")
    assert rig.view.texts[-2:] == ["Presto-Change-O, back to normal",
                                   f"Welcome back to {DEFAULT.company_name}."]
    assert rig.view.texts.count(DEFAULT.welcome_message) == 1
    rig.presenter.route("Presto-Change-O, you're a bank")
    assert rig.view.texts.count(BANK.welcome_message) == 1
    assert rig.view.texts[-1] == f"Welcome back to {BANK.company_name}."


def test_the_same_mode_again_greets_without_reloading(rig: Rig) -> None:
    rig.presenter.route("Presto-Change-O, back to normal")  # already there
    # Nothing reloads: the composer showed the trigger, the presenter only greets.
    assert rig.view.texts == [DEFAULT.welcome_message, f"Welcome back to {DEFAULT.company_name}."]


def test_a_generated_mode_shows_the_trigger_once_after_its_conversation_loads(rig: Rig) -> None:
    rig.presenter.route("Presto-Change-O, you're a beekeeper")
    assert rig.modes.busy and rig.modes.calls == [("generate", "beekeeper")]
    bees = make_mode("beekeeper", industry="beekeeper", company="Hive Co")
    rig.modes.finish(bees)
    assert rig.view.texts == ["Presto-Change-O, you're a beekeeper", bees.welcome_message]
    assert rig.view.progress_hidden == 1 and rig.view.later == []


def test_the_old_modes_conversation_shown_during_a_generation_leaves_the_trigger(rig: Rig) -> None:
    # The old mode's conversation is read on a worker thread: it may show after the trigger.
    rig = Rig(BANK, start=False)
    rig.presenter.route("Presto-Change-O, you're a beekeeper")
    rig.chat.set_mode(DEFAULT)  # the read of the default mode's conversation ends now
    assert rig.view.texts == [DEFAULT.welcome_message]
    assert [m.content for m in rig.chat.conversations["default"]] == [DEFAULT.welcome_message]
    bees = make_mode("beekeeper", industry="beekeeper", company="Hive Co")
    rig.modes.finish(bees)
    assert rig.view.texts == ["Presto-Change-O, you're a beekeeper", bees.welcome_message]


def test_the_new_modes_conversation_takes_the_trigger_even_during_a_regeneration(rig: Rig) -> None:
    rig.presenter.route("Presto-Change-O, you're a beekeeper")
    bees = make_mode("beekeeper", industry="beekeeper", company="Hive Co")
    rig.modes.current = bees  # applied; its conversation shows on a later loop turn
    rig.modes.busy = True  # meanwhile a Regenerate of it started
    rig.chat.set_mode(bees)
    assert rig.view.texts == ["Presto-Change-O, you're a beekeeper", bees.welcome_message]


def test_a_cancelled_generation_keeps_the_trigger_and_says_still(rig: Rig) -> None:
    rig.presenter.route("Presto-Change-O, you're a beekeeper")
    rig.modes.busy = False
    rig.presenter.generation_cancelled()
    assert rig.view.texts[-1] == f"Cancelled — still {DEFAULT.company_name}."
    # The composer drew the trigger: it is saved, not drawn twice.
    assert rig.view.texts.count("Presto-Change-O, you're a beekeeper") == 0
    saved = [m.content for m in rig.chat.conversations["default"]]
    assert saved[-2:] == ["Presto-Change-O, you're a beekeeper",
                          f"Cancelled — still {DEFAULT.company_name}."]


def test_a_cancel_replaced_by_a_newer_generation_says_nothing(rig: Rig) -> None:
    rig.presenter.route("Presto-Change-O, you're a beekeeper")
    before = list(rig.view.texts)
    rig.presenter.generation_cancelled()  # still busy: the newer one runs
    assert rig.view.texts == before and rig.view.progress_hidden == 0


def test_retry_after_a_failed_generation_generates_once_then_chats(rig: Rig) -> None:
    rig.presenter.route("Presto-Change-O, you're a beekeeper")
    rig.modes.busy = False
    rig.presenter.generation_failed("server down", True)
    assert rig.view.errors == [("The new mode could not be created: server down", True)]
    assert rig.presenter.retry_target == "mode"
    rig.presenter.retry()
    assert rig.modes.calls[-1] == ("retry", "") and rig.chat.calls == []
    rig.presenter.retry()
    assert rig.chat.calls == [("retry", "")]


def test_a_chat_failure_or_a_problem_points_retry_at_chat(rig: Rig) -> None:
    rig.presenter.generation_failed("server down", True)
    rig.presenter.chat_failed("timeout", True)
    assert rig.presenter.retry_target == "chat"
    rig.presenter.generation_failed("server down", True)
    rig.presenter.show_problem("Mode “x” was not opened")
    assert rig.presenter.retry_target == "chat"
    assert rig.view.errors[-1] == ("Mode “x” was not opened", False)


def test_a_failed_generation_forgets_its_trigger(rig: Rig) -> None:
    rig.presenter.route("Presto-Change-O, you're a beekeeper")
    rig.modes.busy = False
    rig.presenter.generation_failed("no", False)
    rig.chat.set_mode(DEFAULT)  # e.g. a reload: the trigger is not posted again
    assert "Presto-Change-O, you're a beekeeper" not in rig.view.texts


def test_regenerating_an_identical_mode_says_so_after_it_is_shown(rig: Rig) -> None:
    rig.presenter.regenerate_mode("banking")
    assert rig.modes.calls == [("regenerate", "banking")]
    rig.modes.finish(BANK.model_copy(update={"created_at": LATER}))
    assert SAME_MODE_NOTE not in rig.view.texts  # said on a later loop turn
    rig.view.run_later()
    assert rig.view.texts[-1] == SAME_MODE_NOTE


def test_regenerating_a_changed_or_missing_mode_says_nothing(rig: Rig) -> None:
    rig.presenter.regenerate_mode("banking")
    rig.modes.finish(BANK.model_copy(update={"company_name": "Second Bank"}))
    rig.presenter.regenerate_mode("gone")
    rig.modes.finish(BANK)
    assert rig.view.later == []


def test_a_tab_click_is_shown_and_asked(rig: Rig) -> None:
    rig.presenter.ask("Show my accounts")
    assert rig.view.texts[-1] == "Show my accounts"
    assert rig.chat.calls == [("submit", "Show my accounts")]


def test_suggested_prompts_become_chips_other_tools_draw(rig: Rig) -> None:
    rig.presenter.tool_called(ToolCall("suggest_prompts", {"prompts": ["a" * 300, 7, *"bcdefghij"]}))
    assert rig.view.suggestions == ["a" * 200, "7", *"bcdefg"]
    rig.presenter.tool_called(ToolCall("suggest_prompts", {"prompts": "not a list"}))
    assert rig.view.suggestions == ["a" * 200, "7", *"bcdefg"]
    chart = ToolCall("show_chart", {"title": "Sales"})
    rig.presenter.tool_called(chart)
    assert rig.view.tool_calls == [chart]


def test_a_held_conversation_loads_on_release() -> None:
    rig = Rig(start=False)
    rig.presenter.hold_chat()
    rig.presenter.show_chat(DEFAULT)
    assert rig.presenter.holding_chat and rig.chat.mode is None and rig.view.messages == []
    assert rig.view.suggestions == list(DEFAULT.suggested_prompts)  # chips at once
    rig.presenter.release_chat()
    assert not rig.presenter.holding_chat and rig.chat.mode is DEFAULT
    assert rig.view.texts == [DEFAULT.welcome_message]


def test_same_content_ignores_only_the_timestamp() -> None:
    later = BANK.model_copy(update={"created_at": LATER})
    assert same_content(BANK, later)
    assert not same_content(BANK, BANK.model_copy(update={"tagline": "New"}))


def test_a_loaded_conversation_redraws_its_last_drawing_chart_and_every_other_tool(
        rig: Rig) -> None:
    calls = [ToolCall("show_chart", {"title": "Old"}), ToolCall("show_metrics", {}),
             ToolCall("show_chart", {"title": "Good"}),
             ToolCall("show_chart", {"title": "Broken", "draws": False})]
    history = [ChatMessage(role="user", content="Chart it"),
               ChatMessage(role="assistant", content="Here.", tool_calls=tuple(calls))]
    rig.chat.conversations["banking"] = history
    rig.presenter.route("Presto-Change-O, you're a bank")
    drawn = [(c.name, c.arguments.get("title")) for c in rig.view.tool_calls]
    assert drawn == [("show_chart", "Broken"), ("show_chart", "Good"), ("show_metrics", None)]
    # No welcome in that history yet: it gets one (not "welcome back").
    assert rig.view.texts == ["Chart it", "Here.", "Presto-Change-O, you're a bank",
                              BANK.welcome_message]


def test_a_problem_while_the_chat_is_held_shows_after_the_conversation() -> None:
    rig = Rig(start=False)
    rig.presenter.hold_chat()
    rig.presenter.show_chat(DEFAULT)
    rig.presenter.show_problem("Mode “x” was not opened")
    assert rig.view.errors == []
    rig.presenter.release_chat()
    assert rig.view.texts == [DEFAULT.welcome_message]
    assert rig.view.errors == [("Mode “x” was not opened", False)]


def test_held_problems_wait_for_a_conversation_still_being_read_on_release() -> None:
    rig = Rig(start=False)
    shown: list[Mode] = []

    def set_mode(mode: Mode) -> None:  # the conversation is read on a worker thread: shown later
        shown.append(mode)
        rig.chat.mode = mode

    rig.chat.set_mode = set_mode  # type: ignore[method-assign]
    rig.presenter.hold_chat()
    rig.presenter.show_chat(DEFAULT)
    rig.presenter.show_problem("Mode “x” was not opened")
    rig.presenter.release_chat()
    rig.presenter.show_problem("Mode “y” was not opened")
    assert shown == [DEFAULT] and rig.view.errors == []  # or the conversation would wipe them
    rig.presenter.conversation_loaded([])
    assert rig.view.texts == [DEFAULT.welcome_message]
    assert [e[0] for e in rig.view.errors] == ["Mode “x” was not opened", "Mode “y” was not opened"]


def test_the_library_applies_a_mode_or_says_why_not(rig: Rig) -> None:
    rig.presenter.apply_saved("banking")
    assert rig.modes.current is BANK and rig.view.texts[-1] == BANK.welcome_message
    rig.presenter.apply_saved("gone")
    assert rig.modes.current is BANK and "gone" in rig.view.errors[-1][0]
    assert rig.presenter.retry_target == "chat"


def test_an_import_reapplies_only_the_current_mode(rig: Rig) -> None:
    rig.presenter.mode_replaced("banking")  # not current: nothing changes
    assert rig.modes.current is DEFAULT
    rig.presenter.route("Presto-Change-O, you're a bank")
    new_bank = BANK.model_copy(update={"tagline": "Fresh"})
    rig.modes.saved["banking"] = new_bank
    rig.presenter.mode_replaced("banking")
    assert rig.modes.current is new_bank


def test_an_llm_engine_never_says_it_runs_offline(rig: Rig) -> None:
    """Built-in and offline-made welcomes say "running offline"; only the offline engine may."""
    rig.presenter.offline = False  # the window names an LLM engine
    rig.modes.current = OFFLINE_MADE
    rig.presenter.conversation_loaded([])  # a new conversation is welcomed
    shown = rig.view.texts[-1]
    assert shown == "Welcome to First Bank! Banking. I'm the bank assistant. Ask me about it."
    rig.presenter.offline = True
    rig.presenter.conversation_loaded([])
    assert rig.view.texts[-1] == OFFLINE_MADE.welcome_message


def test_a_conversation_welcomed_online_counts_as_welcomed(rig: Rig) -> None:
    rig.presenter.offline = False
    rig.modes.current = OFFLINE_MADE
    online = welcome_for(OFFLINE_MADE.welcome_message, offline=False)
    rig.presenter.conversation_loaded([ChatMessage(role="assistant", content=online)])
    rig.presenter.greet(OFFLINE_MADE)
    assert rig.view.texts[-1] == f"Welcome back to {OFFLINE_MADE.company_name}."

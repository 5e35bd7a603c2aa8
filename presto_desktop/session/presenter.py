"""WindowPresenter: what the window decides (routing, greeting, retry, Regenerate) as plain Python.

The window renders and forwards intents here; the presenter answers through a small view
protocol and asks the mode and chat controllers through protocols of their own. No Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, Protocol

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.errors import PrestoError
from presto_desktop.core.triggers import ASK_EXAMPLES, ASK_REPLY, ModeRequest, parse_trigger

if TYPE_CHECKING:
    # Types only: the window imports this before the models load (first-frame speed).
    from presto_desktop.core.models import Mode

SAME_MODE_NOTE = "The offline engine is deterministic: same request, same mode."
MAX_CHIPS = 8  # suggestion chips a reply may offer
MAX_CHIP_CHARS = 200


class WindowView(Protocol):
    """What the presenter asks the window to show."""

    def set_messages(self, messages: list[ChatMessage]) -> None:
        """Show `messages` as the whole chat."""

    def append_message(self, message: ChatMessage) -> None:
        """Show one message at the end of the chat."""

    def set_suggestions(self, prompts: list[str]) -> None:
        """Offer `prompts` as chips under the chat."""

    def show_error(self, message: str, retryable: bool, *, reply: bool = True) -> None:
        """Show an error bubble (with Retry when `retryable`; `reply`: a failed reply)."""

    def show_tool_call(self, call: ToolCall) -> bool:
        """Show what a tool call draws on the dashboard; False when it drew nothing."""

    def replay_tool_call(self, call: ToolCall) -> bool:
        """Like `show_tool_call`, for a loaded conversation: a chart may draw on later turns."""

    def hide_progress(self) -> None:
        """Take the generation overlay away."""

    def call_soon(self, callback: Callable[[], None]) -> None:
        """Run `callback` on a later loop turn, after a mode change under way is shown."""


class ModeSource(Protocol):
    """The mode controller as the presenter sees it: the one owner of the current mode."""

    @property
    def current(self) -> Mode:
        """The current mode."""

    @property
    def busy(self) -> bool:
        """Whether a mode is being generated."""

    def handle_trigger(self, request: ModeRequest) -> object:
        """Reset, reuse or start generating for `request`."""

    def switch_to(self, mode_id: str) -> object:
        """Apply a saved or built-in mode (raises PrestoError or OSError)."""

    def regenerate(self, mode_id: str) -> object:
        """Generate `mode_id` afresh."""

    def retry(self) -> object:
        """Try the last failed generation again."""


class ChatSession(Protocol):
    """The chat controller as the presenter sees it."""

    def submit(self, text: str) -> object:
        """Send `text` as the user's turn."""

    def retry(self) -> object:
        """Ask again for the last user turn."""

    def add_message(self, message: ChatMessage) -> None:
        """Keep a message the window showed itself in the saved conversation."""

    def set_mode(self, mode: Mode) -> None:
        """Load `mode`'s conversation."""


class ModeLookup(Protocol):
    """The mode store, for the mode a Regenerate replaces."""

    def get(self, mode_id: str) -> Mode:
        """The saved or built-in mode `mode_id` (raises PrestoError)."""


def same_content(old: Mode, new: Mode) -> bool:
    """True when a regenerated mode differs only in its timestamp."""
    skip = {"created_at"}
    return old.model_dump(exclude=skip) == new.model_dump(exclude=skip)


class WindowPresenter:
    """Decides what the window does with typed text, loaded conversations and mode events."""

    def __init__(self, view: WindowView, modes: ModeSource, chat: ChatSession,
                 store: ModeLookup) -> None:
        self._view, self._modes, self._chat, self._store = view, modes, chat, store
        self._pending_trigger: str | None = None  # typed trigger waiting for its conversation
        self._retry_target: Literal["chat", "mode"] = "chat"
        self._welcomed = False  # the current conversation has its welcome
        self.offline = True  # the engine in use is the offline one (the window says which)
        self._regenerating: Mode | None = None  # the saved mode a Regenerate replaces
        self._trigger_from: Mode | None = None  # the mode a generating trigger was typed in
        self._hold_chat = False
        self._held_mode: Mode | None = None
        self._held_problems: list[str] = []
        self._problems_held = False  # until the conversation held back at start-up shows

    @property
    def retry_target(self) -> Literal["chat", "mode"]:
        """What Retry runs next: the failed mode generation or the chat reply."""
        return self._retry_target

    @property
    def holding_chat(self) -> bool:
        """True while conversations wait for the window's first paint."""
        return self._hold_chat

    # -- typed text ------------------------------------------------------------------------
    def route(self, text: str) -> None:
        """A trigger goes to the mode controller, one without a business asks, else chat."""
        request = parse_trigger(text)
        if request is None:
            self._chat.submit(text)
        elif request.kind == "ask":
            self.ask_which_business(text)
        else:
            self.switch(request, text)

    def ask_which_business(self, text: str) -> None:
        """A trigger that names no business: ask which one, with examples as chips.

        The composer already drew the typed text (no mode change clears it), so it is only
        kept in the conversation, then the question is shown.
        """
        self._chat.add_message(ChatMessage(role="user", content=text))
        self.post(ChatMessage(role="assistant", content=ASK_REPLY))
        self._view.set_suggestions(list(ASK_EXAMPLES))

    def switch(self, request: ModeRequest, text: str) -> None:
        """Apply a mode request typed as `text`; the trigger and the welcome show in the chat."""
        before = self._modes.current
        # Set first: an instant switch loads the conversation inside handle_trigger.
        self._pending_trigger = text
        self._regenerating = None
        self._modes.handle_trigger(request)
        self._trigger_from = before if self._modes.busy else None
        if not self._modes.busy and self._modes.current is before:
            # Same mode again: nothing reloads, so answer right here.
            self._pending_trigger = None
            self.greet(before)

    def ask(self, prompt: str) -> None:
        """Ask the assistant `prompt` as if typed (tab clicks)."""
        self._view.append_message(ChatMessage(role="user", content=prompt))
        self._chat.submit(prompt)

    def retry(self) -> None:
        """Retry what failed last: the mode generation once, else the chat reply."""
        if self._retry_target == "mode":
            self._retry_target = "chat"
            self._modes.retry()
        else:
            self._chat.retry()

    # -- conversations ---------------------------------------------------------------------
    def show_chat(self, mode: Mode) -> None:
        """The mode's chips, and its conversation (held until the first paint if asked to)."""
        self._view.set_suggestions(list(mode.suggested_prompts))
        if self._hold_chat:
            self._held_mode = mode
        else:
            self._chat.set_mode(mode)

    def hold_chat(self) -> None:
        """Keep conversations from loading until `release_chat` (start-up speed)."""
        self._hold_chat = self._problems_held = True

    def release_chat(self) -> None:
        """Load the conversation held back since `hold_chat`, if any."""
        self._hold_chat = False
        mode, self._held_mode = self._held_mode, None
        if mode is not None:
            self._chat.set_mode(mode)  # shown once read (a worker thread): the problems after it
        else:
            self._show_held_problems()

    def _show_held_problems(self) -> None:
        self._problems_held = False
        problems, self._held_problems = self._held_problems, []
        for message in problems:
            self.show_problem(message)

    def conversation_loaded(self, messages: list[ChatMessage]) -> None:
        """Show a loaded conversation, what its tool calls drew, the pending trigger, a greeting."""
        self._view.set_messages(list(messages))
        self.replay_tool_calls(messages)
        current = self._modes.current
        welcomes = {current.welcome_message, self.welcome(current)}
        self._welcomed = any(m.role == "assistant" and m.content in welcomes for m in messages)
        # The mode shown when a generation's trigger was typed (its conversation is read on a
        # worker thread and may show after the trigger): the trigger waits for the new mode.
        if self._pending_trigger is not None and current is not self._trigger_from:
            self.post(ChatMessage(role="user", content=self._pending_trigger))
            self._pending_trigger = None
            self.greet(current)
        elif not messages:
            self.greet(current)
        if self._problems_held and not self._hold_chat:
            self._show_held_problems()

    def replay_tool_calls(self, messages: list[ChatMessage]) -> None:
        """Show what a loaded conversation's tool calls left on the dashboard.

        Only the last chart that draws: each chart replaces the one before, and building
        every one of them (~4 ms each) stalled the switch to a mode with a long conversation;
        that one is drawn over later loop turns (building and setting it is one long turn).
        """
        calls = [call for message in messages for call in message.tool_calls]
        for call in reversed([c for c in calls if c.name == "show_chart"]):
            if self._view.replay_tool_call(call):
                break
        for call in calls:
            if call.name != "show_chart":
                self._view.replay_tool_call(call)

    def greet(self, mode: Mode) -> None:
        """The welcome, once per conversation; a mode met again only says it is back."""
        if self._welcomed:
            self.post(ChatMessage(role="assistant",
                                  content=f"Welcome back to {mode.company_name}."))
            return
        self._welcomed = True
        self.post(ChatMessage(role="assistant", content=self.welcome(mode)))

    def welcome(self, mode: Mode) -> str:
        """The mode's welcome as the engine in use may say it (no offline claim online)."""
        from presto_desktop.engines.labels import welcome_for  # after the first paint

        return welcome_for(mode.welcome_message, offline=self.offline)

    def post(self, message: ChatMessage) -> None:
        """Show a message the window adds itself and keep it in the saved conversation."""
        self._view.append_message(message)
        self._chat.add_message(message)

    def tool_called(self, call: ToolCall) -> None:
        """Suggested prompts become chips; any other tool call draws on the dashboard."""
        if call.name != "suggest_prompts":  # the offline engine's "try one of these" chips
            self._view.show_tool_call(call)
            return
        prompts = call.arguments.get("prompts")
        if isinstance(prompts, list):
            self._view.set_suggestions([str(p)[:MAX_CHIP_CHARS] for p in prompts[:MAX_CHIPS]])

    def show_problem(self, message: str) -> None:
        """An error bubble without Retry (start-up, library); Retry then means chat again."""
        if self._problems_held:
            self._held_problems.append(message)  # after the held conversation, or it is wiped
            return
        self._retry_target = "chat"
        self._view.show_error(message, False, reply=False)

    def chat_failed(self, message: str, retryable: bool) -> None:
        """A chat reply failed: its Retry asks again."""
        self._retry_target = "chat"
        self._view.show_error(message, retryable)

    # -- the mode library ------------------------------------------------------------------
    def apply_saved(self, mode_id: str) -> None:
        """Switch to a mode from the library; a file that fails to load is said in the chat."""
        try:
            self._modes.switch_to(mode_id)
        except (PrestoError, OSError) as exc:
            self.show_problem(str(exc))

    def mode_replaced(self, mode_id: str) -> None:
        """An import replaced `mode_id`: show its new content if it is the current mode."""
        if mode_id == self._modes.current.id:
            self.apply_saved(mode_id)

    # -- mode generation -------------------------------------------------------------------
    def regenerate_mode(self, mode_id: str) -> None:
        """Generate `mode_id` afresh (library); say so if the engine made the same mode."""
        try:
            self._regenerating = self._store.get(mode_id)
        except PrestoError:
            self._regenerating = None
        self._modes.regenerate(mode_id)

    def generation_finished(self, mode: Mode) -> None:
        """A generated mode is saved: note it when a Regenerate changed nothing."""
        self._view.hide_progress()
        old, self._regenerating = self._regenerating, None
        if old is not None and same_content(old, mode):
            # Said after the mode's conversation is shown (apply follows this signal).
            self._view.call_soon(
                lambda: self.post(ChatMessage(role="assistant", content=SAME_MODE_NOTE)))

    def generation_cancelled(self) -> None:
        """The trigger stays in the conversation, with a note that the mode did not change."""
        if self._modes.busy:
            return  # a newer generation replaced this one: its overlay and trigger stay
        self._view.hide_progress()
        self._regenerating = None
        trigger, self._pending_trigger = self._pending_trigger, None
        if trigger is not None:
            self._chat.add_message(ChatMessage(role="user", content=trigger))  # shown already
        company = self._modes.current.company_name
        self.post(ChatMessage(role="assistant", content=f"Cancelled — still {company}."))

    def generation_failed(self, message: str, retryable: bool) -> None:
        """The mode could not be made: the old one stays, Retry generates again."""
        self._view.hide_progress()
        self._pending_trigger = None
        self._retry_target = "mode"
        self._view.show_error(f"The new mode could not be created: {message}", retryable,
                              reply=False)


__all__ = ["SAME_MODE_NOTE", "ChatSession", "ModeLookup", "ModeSource", "WindowPresenter",
           "WindowView", "same_content"]

"""`chat` understands triggers as the window does: transform, reset, ask; then chat in that mode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from presto_desktop.cli import main
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.settings import SettingsStore
from presto_desktop.core.store import ModeStore
from presto_desktop.core.triggers import ASK_EXAMPLES, ASK_REPLY
from tests.factories import make_mode


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def last_mode(data_dir: Path) -> str:
    return SettingsStore(AppPaths.resolve(data_dir)).load().last_mode


def test_trigger_transforms_saves_and_is_remembered(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, err = run(capsys, data_dir, "chat", "--offline", "Presto-Change-O, you're a bakery")
    assert code == 0, err
    store = ModeStore(AppPaths.resolve(data_dir))
    [summary] = [s for s in store.list_modes() if not s.builtin]
    mode = store.get(summary.id)
    assert mode.request_key == "bakery|"
    assert out.splitlines()[0] == f"switched to {mode.company_name} ({mode.id})"
    assert mode.welcome_message in out
    assert last_mode(data_dir) == mode.id
    # The same trigger again reuses the saved mode; nothing new is generated.
    code, again, _ = run(capsys, data_dir, "chat", "--offline", "presto change-o, you're a Bakery")
    assert code == 0 and again == out
    assert [s.id for s in store.list_modes() if not s.builtin] == [mode.id]


def test_following_chat_continues_in_the_switched_mode(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    assert run(capsys, data_dir, "chat", "--offline", "Presto-Change-O, you're a bank")[0] == 0
    assert last_mode(data_dir) == "banking"  # the built-in mode, as the window picks it
    code, out, err = run(capsys, data_dir, "chat", "--offline", "What's my checking balance?")
    assert code == 0, err
    persona = ModeStore(AppPaths.resolve(data_dir)).get("banking").persona
    assert f"${persona.checking_balance:,.2f}" in out


def test_back_to_normal_switches_to_the_default(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    assert run(capsys, data_dir, "chat", "--offline", "Presto-Change-O, you're a bank")[0] == 0
    code, out, _ = run(capsys, data_dir, "chat", "--offline", "Presto-Change-O, back to normal")
    default = ModeStore(AppPaths.resolve(data_dir)).get("default")
    assert code == 0
    assert out.splitlines()[0] == f"switched to {default.company_name} (default)"
    assert default.welcome_message in out and last_mode(data_dir) == "default"


def test_trigger_naming_no_business_asks_which(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    assert run(capsys, data_dir, "chat", "--offline", "--mode", "banking", "hello")[0] == 0
    code, out, _ = run(capsys, data_dir, "chat", "--offline", "Presto-Change-O, you're a")
    assert code == 0
    assert out.splitlines() == [ASK_REPLY, *(f"  {example}" for example in ASK_EXAMPLES)]
    assert not [s for s in ModeStore(AppPaths.resolve(data_dir)).list_modes() if not s.builtin]


def test_slug_fallback_reuses_a_saved_mode(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    store = ModeStore(AppPaths.resolve(data_dir))
    saved = store.save(make_mode("florist", company="Petal & Stem", request_key="flowers|petal"))
    code, out, _ = run(capsys, data_dir, "chat", "--offline", "Presto-Change-O, you're a florist")
    assert code == 0 and out.splitlines()[0] == "switched to Petal & Stem (florist)"
    # `modes generate` runs the same pipeline: the same saved mode, no second file.
    code, out, _ = run(capsys, data_dir, "modes", "generate", "florist", "--offline")
    assert code == 0 and out.strip() == str(store.path_of(saved.id))
    assert [s.id for s in store.list_modes() if not s.builtin] == ["florist"]


def test_ordinary_text_still_chats(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, data_dir, "chat", "--offline", "--mode", "banking",
                       "Show my balance history")
    assert code == 0 and not out.startswith("switched to")
    tools = [json.loads(line[len("tool: "):]) for line in out.splitlines() if line.startswith("tool: ")]
    assert tools and tools[0]["name"] == "show_chart"
    assert last_mode(data_dir) == "default"  # chatting alone remembers nothing new


def test_trigger_chat_imports_no_qt_or_openai(data_dir: Path) -> None:
    script = (
        "import sys; from presto_desktop.cli import main\n"
        f"assert main(['--data-dir', {str(data_dir)!r}, 'chat', \"Presto, you're a bakery\"]) == 0\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync', 'openai')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr

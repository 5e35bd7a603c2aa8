"""Two processes on one data dir: nothing is lost, nothing of the other's is deleted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.errors import StoreError
from presto_desktop.core.modefile import dump_mode
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeStore
from tests.factories import make_mode

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(120)


def _start(code: str, *args: str) -> subprocess.Popen:
    """A Python child that waits for a line on stdin, then runs `code` (so all start together)."""
    script = "import sys; sys.stdin.readline()\n" + code
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _run_together(children: list[subprocess.Popen]) -> list[str]:
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = []
    for child in children:
        out, err = child.communicate(timeout=90)
        assert child.returncode == 0, err
        outputs.append(out)
    return outputs


def test_concurrent_imports_of_one_id_keep_every_mode(tmp_path: Path) -> None:
    data = tmp_path / "data"
    files = []
    for n in range(6):
        path = tmp_path / f"in-{n}.json"
        path.write_bytes(dump_mode(make_mode(company=f"Florist number {n}")))
        files.append(path)
    code = "from presto_desktop.cli import main; raise SystemExit(main(sys.argv[1:]))"
    children = [_start(code, "--data-dir", str(data), "modes", "import", str(f)) for f in files]
    printed = [out.strip() for out in _run_together(children)]
    assert len(set(printed)) == 6, printed
    store = ModeStore(AppPaths.resolve(data))
    companies = {store.get(Path(p).stem).company_name for p in printed}
    assert companies == {f"Florist number {n}" for n in range(6)}


def test_delete_refuses_a_mode_replaced_since_it_was_listed(tmp_path: Path) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    mine = ModeStore(paths)
    saved = mine.save(make_mode())
    listed = next(s for s in mine.list_modes() if s.id == saved.id)
    # Another process regenerates the mode in place.
    ModeStore(paths).replace(saved.id, make_mode(company="Someone Else"))
    with pytest.raises(StoreError, match="changed by another"):
        mine.delete(saved.id, expected=listed)
    assert mine.get(saved.id).company_name == "Someone Else"
    mine.delete(saved.id, expected=mine.get(saved.id))
    assert not mine.path_of(saved.id).exists()


def test_listing_tolerates_files_vanishing_mid_scan(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    store = ModeStore(paths)
    saved = [store.save(make_mode(company=f"Shop {n}", request_key=f"florist|{n}"))
             for n in range(3)]
    real_scandir = os.scandir

    class Vanishing:
        """scandir whose entries are deleted (by 'another process') before they are read."""

        def __init__(self, folder: object) -> None:
            self._entries = list(real_scandir(folder))

        def __enter__(self) -> list:
            for entry in self._entries:
                if entry.name.startswith("florist"):
                    os.unlink(entry.path)
            return self._entries

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(os, "scandir", Vanishing)
    ids = [s.id for s in store.list_modes()]
    monkeypatch.undo()
    assert not {m.id for m in saved} & set(ids)
    assert not paths.quarantine_dir.exists()  # vanished is not bad


def test_a_save_keeps_messages_another_process_wrote(tmp_path: Path) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    a, b = ConversationStore(paths), ConversationStore(paths)
    a_msgs, b_msgs = a.load("bank"), b.load("bank")
    for n in range(5):
        a_msgs.append(ChatMessage("user", f"a{n}"))
        a.save("bank", a_msgs)
        b_msgs.append(ChatMessage("user", f"b{n}"))
        b.save("bank", b_msgs)
    contents = [m.content for m in ConversationStore(paths).load("bank")]
    assert contents == [f"{w}{n}" for n in range(5) for w in "ab"]


def test_a_dropped_reply_stays_dropped(tmp_path: Path) -> None:
    store = ConversationStore(AppPaths.resolve(tmp_path / "data"))
    question, first = ChatMessage("user", "q"), ChatMessage("assistant", "first try")
    store.save("bank", [question, first])
    store.save("bank", [question, ChatMessage("assistant", "second try")])  # regenerate
    assert [m.content for m in store.load("bank")] == ["q", "second try"]


def test_old_files_without_ids_merge_without_duplicates(tmp_path: Path) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    legacy = {"format_version": 1, "mode_id": "bank",
              "messages": [{"role": "user", "content": "old"},
                           {"role": "assistant", "content": "old reply"}]}
    paths.conversations_dir.mkdir(parents=True)
    ConversationStore(paths).path_for("bank").write_text(json.dumps(legacy))
    a, b = ConversationStore(paths), ConversationStore(paths)
    a_msgs, b_msgs = a.load("bank"), b.load("bank")
    a.save("bank", [*a_msgs, ChatMessage("user", "from a")])
    b.save("bank", [*b_msgs, ChatMessage("user", "from b")])
    contents = [m.content for m in ConversationStore(paths).load("bank")]
    assert contents == ["old", "old reply", "from a", "from b"]


CHATTER = """
import time
from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
store = ConversationStore(AppPaths.resolve(sys.argv[1]))
messages = store.load("bank")
for n in range(20):
    messages.append(ChatMessage("user", f"{sys.argv[2]}{n}"))
    store.save("bank", messages)
print("done")
"""


def test_two_processes_chatting_in_one_mode_keep_all_40_messages(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _run_together([_start(CHATTER, str(data), "a"), _start(CHATTER, str(data), "b")])
    contents = [m.content for m in ConversationStore(AppPaths.resolve(data)).load("bank")]
    assert sorted(contents) == sorted([f"a{n}" for n in range(20)] + [f"b{n}" for n in range(20)])
    for who in "ab":  # each process's messages keep their order
        mine = [c for c in contents if c[0] == who]
        assert mine == [f"{who}{n}" for n in range(20)]

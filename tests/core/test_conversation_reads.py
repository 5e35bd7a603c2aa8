"""A conversation read on one thread while another saves it sees one whole snapshot, never a mix."""

from __future__ import annotations

import threading

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths


def test_reads_under_the_transaction_see_whole_saves_from_other_threads(tmp_path):
    store = ConversationStore(AppPaths.resolve(tmp_path))
    snapshots = [[ChatMessage("user", f"turn {j}") for j in range(i + 1)] for i in range(40)]
    seen: list[list[str]] = []
    done = threading.Event()

    def save_all() -> None:
        for snapshot in snapshots:
            store.save("florist", snapshot)
        done.set()

    def read_all() -> None:
        while not done.is_set():
            with store.transaction():  # how ui/chat/reads.py reads on its worker
                seen.append([m.content for m in store.load("florist")])

    threads = [threading.Thread(target=save_all), threading.Thread(target=read_all)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    whole = [[m.content for m in s] for s in snapshots]
    assert all(read == [] or read in whole for read in seen)
    # Reads only ever move forward: each one is a snapshot at least as new as the one before.
    assert [len(r) for r in seen] == sorted(len(r) for r in seen)
    assert store.load("florist") == snapshots[-1]
    assert not list(tmp_path.rglob("*.corrupt-*"))

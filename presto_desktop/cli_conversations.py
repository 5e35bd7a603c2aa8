"""`presto-desktop conversations list|search`: conversation history, headless (no Qt)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from presto_desktop.core.paths import AppPaths


def add_conversations_parser(commands: argparse._SubParsersAction[Any],
                             common: Callable[[argparse.ArgumentParser], None]) -> None:
    """The `conversations` command and its actions."""
    parser = commands.add_parser("conversations", help="list or search past conversations")
    common(parser)
    actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
    listing = actions.add_parser("list", help="a mode's conversations, the current one first, "
                                 "numbered as `chat export --conversation N` takes them")
    listing.add_argument("--mode", metavar="ID", help="the mode (default: every mode with one)")
    search = actions.add_parser("search", help="messages and titles holding every word of QUERY")
    search.add_argument("query")
    search.add_argument("--mode", metavar="ID", help="search only this mode")
    for sub in (listing, search):
        common(sub)
        sub.add_argument("--json", action="store_true")


def run_conversations(args: argparse.Namespace, paths: AppPaths) -> int:
    """`conversations list|search`: the exit code."""
    from dataclasses import asdict

    from presto_desktop.core.conversation_history import ConversationHistory
    from presto_desktop.core.conversations import ConversationStore

    history = ConversationHistory(ConversationStore(paths))
    if args.action == "search":
        hits = history.search(args.query, mode_id=args.mode)
        if args.json:
            print(json.dumps([asdict(h) for h in hits], indent=2, ensure_ascii=False))
        for hit in [] if args.json else hits:
            where = "title" if hit.index < 0 else f"#{hit.index + 1} {hit.role}"
            tag = " (current)" if hit.current else ""
            print(f"{hit.mode_id} {hit.conversation_id}{tag} {where}: {hit.snippet}")
        return 0
    # Numbered per mode as `chat export --conversation N` counts them (cli_export.pick).
    numbered = [(number, info) for mode in ([args.mode] if args.mode else history.mode_ids())
                for number, info in enumerate(history.list_conversations(mode), start=1)]
    if args.json:
        print(json.dumps([{**asdict(i), "number": n, "display_title": i.display_title}
                          for n, i in numbered], indent=2, ensure_ascii=False))
        return 0
    for number, info in numbered:
        when = datetime.fromtimestamp(info.updated_at).strftime("%Y-%m-%d %H:%M") if info.updated_at else "-"
        tag = "*" if info.current else " "
        title = " ".join(info.display_title.split())[:60]
        print(f"{tag} {info.mode_id:<24} {number:>3}  {info.id} {when} {info.message_count:>4} msgs  "
              f"{title}")
    return 0

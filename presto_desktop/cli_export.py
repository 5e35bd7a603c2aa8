"""`presto-desktop chat export [--mode ID] [--conversation N] --format md|html|pdf OUT`.

`chat MESSAGE` asks the assistant; `chat export` followed by more arguments exports instead
(to ask the single word "export", write `chat -- export`). Markdown and HTML are written
without Qt; PDF prints the HTML with Qt, offscreen (ui/common/pdf.py).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from presto_desktop.core.conversation_history import ConversationHistory, ConversationInfo
    from presto_desktop.core.models import Mode
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.core.settings import Settings
    from presto_desktop.core.store import ModeStore

COMMAND = "chat export"
# The options before the command that take a value (`--data-dir DIR chat export ...`).
VALUE_OPTIONS = ("--data-dir", "--base-url", "--model", "--mode", "--screenshot")


def split_export(argv: Sequence[str]) -> list[str] | None:
    """The arguments of `chat export ...` (options before `chat` kept); None if not an export."""
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "chat":
            rest = list(argv[index + 2:])
            return list(argv[:index]) + rest if argv[index + 1:index + 2] == ["export"] and rest else None
        if not token.startswith("-") or token == "--":
            return None
        index += 2 if token in VALUE_OPTIONS else 1
    return None


def export_parser(parser_class: type[argparse.ArgumentParser],
                  common: Callable[[argparse.ArgumentParser], None]) -> argparse.ArgumentParser:
    """The grammar of `chat export`."""
    parser = parser_class(prog=f"presto-desktop {COMMAND}",
                          description="Export a conversation as Markdown, HTML (charts as PNG) "
                                      "or PDF.")
    common(parser)
    parser.add_argument("--mode", metavar="ID", help="the mode (default: the last mode)")
    parser.add_argument("--conversation", metavar="N",
                        help="1 = the current conversation (default), 2 = the one before, ... "
                             "as `conversations list` orders them; or a conversation id")
    parser.add_argument("--format", choices=("md", "html", "pdf"),
                        help="default: from OUT's suffix (.md, .html, .pdf)")
    parser.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    parser.add_argument("out", metavar="OUT")
    parser.set_defaults(command=COMMAND)
    return parser


def pick(history: ConversationHistory, mode_id: str, which: str | None) -> ConversationInfo:
    """The conversation `--conversation` names (StoreError/ExportError when there is none)."""
    from presto_desktop.core.conversation_export import ExportError

    infos = history.list_conversations(mode_id)
    if not infos:
        raise ExportError(f"mode {mode_id!r} has no conversations (see `conversations list`)")
    if which is None:
        return infos[0]
    if which.isdigit():
        number = int(which)
        if not 1 <= number <= len(infos):
            raise ExportError(f"--conversation {number}: {mode_id!r} has {len(infos)}")
        return infos[number - 1]
    found = next((info for info in infos if info.id == which), None)
    if found is None:
        raise ExportError(f"no conversation {which[:80]!r} in {mode_id!r}")
    return found


def _mode(store: ModeStore, mode_id: str) -> Mode:
    """The mode, or (its file is gone) the default's colours under its id."""
    from presto_desktop.core.errors import PrestoError

    try:
        return store.get(mode_id)
    except PrestoError:
        default = store.default_mode()
        return default.model_copy(update={"company_name": mode_id, "industry": mode_id})


def _generated(paths: AppPaths, mode: Mode, settings: Settings) -> tuple[str, bytes] | None:
    """The image model's mark the window shows for `mode` (from the cache), if any."""
    from presto_desktop.core.brand_mark import generated_mark
    from presto_desktop.core.generated_images import GeneratedImages

    image = generated_mark(mode, GeneratedImages(paths.images_dir), settings)
    return None if image is None else (image.media_type, image.data)


def run_export(args: argparse.Namespace, paths: AppPaths, store: ModeStore,
               settings: Settings) -> int:
    """Write the chosen conversation to OUT; prints OUT. The exit code."""
    from presto_desktop.core.atomic import atomic_write_bytes
    from presto_desktop.core.conversation_export import (
        ExportError,
        format_of,
        to_html,
        to_markdown,
        transcript_of,
    )
    from presto_desktop.core.conversation_history import ConversationHistory
    from presto_desktop.core.conversations import ConversationStore

    out = Path(args.out)
    kind = format_of(out, args.format)
    if out.exists() and not args.force:
        raise ExportError(f"{out} exists (use --force to overwrite it)")
    mode_id = args.mode or settings.last_mode or "default"
    history = ConversationHistory(ConversationStore(paths))
    info = pick(history, mode_id, args.conversation)
    mode = _mode(store, mode_id)
    doc = transcript_of(history.messages(mode_id, info.id), title=info.display_title,
                        mode=mode, exported_at=time.time(), mark=_generated(paths, mode, settings))
    if kind == "pdf":
        from presto_desktop.ui.common.pdf import write_pdf  # Qt, offscreen

        write_pdf(doc, out)
    else:
        text = to_markdown(doc) if kind == "md" else to_html(doc)
        atomic_write_bytes(out, text.encode("utf-8"))
    print(out)
    return 0

"""Command line: `presto-desktop` opens the window; subcommands work headless (no Qt, no openai)."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from presto_desktop import version_string
from presto_desktop.cli_brand import add_brand_parser, export_bundle, run_brand
from presto_desktop.core.errors import PrestoError

if TYPE_CHECKING:  # types only: headless commands import their modules where first used
    from presto_desktop.core.models import Mode
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.core.settings import Settings
    from presto_desktop.core.store import ModeStore

PROG = "presto-desktop"


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        raise SystemExit(2)


class _VersionAction(argparse.Action):
    """`--version`: version and commit, worked out only when asked (git may be slow)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0,
                         help=help or "print the version and commit, then exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> NoReturn:
        print(version_string())
        parser.exit()


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", default=default, metavar="DIR",
                        help="keep data, config and logs under DIR (also $PRESTO_DATA_DIR)")
    parser.add_argument("--offline", action="store_true",
                        default=argparse.SUPPRESS if suppress else False,
                        help="use the built-in offline engine even if an API is configured")
    parser.add_argument("--base-url", default=default, help="OpenAI-compatible server URL")
    parser.add_argument("--model", default=default, help="model name for the OpenAI engine")


# The subcommands' names: a plain window start (none of these, no --help) parses with the
# top-level options only, as building every subcommand's parser costs ~16 ms before the paint.
COMMANDS = frozenset({"modes", "schema", "chat", "demo", "conversations", "voice"})


def _window_parser() -> argparse.ArgumentParser:
    """The top-level options (the window's), without the subcommands."""
    parser = _Parser(prog=PROG, description="Presto-Change-O Desktop: a shape-shifting assistant.")
    parser.add_argument("--version", action=_VersionAction)
    _common(parser, suppress=False)
    parser.add_argument("--mode", metavar="ID", help="start the window in this mode")
    parser.add_argument("--demo", metavar="SCRIPT", help="open the window with this demo script")
    parser.add_argument("--screenshot", metavar="PATH", help="render the window to a PNG and exit")
    parser.add_argument("--self-test", action="store_true", help="offscreen end-to-end check")
    return parser


def parse_words(words: list[str]) -> argparse.Namespace:
    """`words` parsed; the subcommands' parsers are built only when a word may need them."""
    if not COMMANDS.intersection(words) and not {"-h", "--help"}.intersection(words):
        args, extra = _window_parser().parse_known_args(words)
        if not extra:
            args.command = None
            return args
    return build_parser().parse_args(words)  # a subcommand, --help, or an error to report


def build_parser() -> argparse.ArgumentParser:
    """The whole command-line grammar."""
    parser = _window_parser()
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    modes = commands.add_parser("modes", help="manage saved modes")
    _common(modes, suppress=True)
    actions = modes.add_subparsers(dest="action", required=True, parser_class=_Parser)
    listing = actions.add_parser("list", help="list built-in and saved modes")
    listing.add_argument("--json", action="store_true")
    show = actions.add_parser("show", help="print one mode")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    generate = actions.add_parser("generate", help="generate and save a mode for an industry")
    generate.add_argument("industry")
    generate.add_argument("--company", help="company name")
    importing = actions.add_parser("import", help="validate a mode file and add it "
                                   "(an id already taken by another mode gets -2, -3 ...)")
    importing.add_argument("file")
    importing.add_argument("--replace", action="store_true",
                           help="overwrite the saved mode with the same id instead of keeping both")
    export = actions.add_parser("export", help="write a mode to one file (its logo or generated "
                                "mark embedded; see docs/BRAND.md)")
    export.add_argument("id")
    export.add_argument("file")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    validate = actions.add_parser("validate", help="check mode files")
    validate.add_argument("files", nargs="+")
    validate.add_argument("--all-errors", action="store_true",
                          help="list every problem of a file, not only the first")
    delete = actions.add_parser("delete", help="delete a saved mode")
    delete.add_argument("id")
    brand = add_brand_parser(actions)
    for sub in (listing, show, generate, importing, export, validate, delete, brand):
        _common(sub, suppress=True)

    schema = commands.add_parser("schema", help="print the mode file's JSON Schema")
    schema.add_argument("--demo", action="store_true", help="the demo script's schema instead")
    schema.add_argument("--recording", action="store_true", help="the .presto recording's")
    chat = commands.add_parser("chat", help="ask the assistant one question, or transform it "
                               "(\"Presto-Change-O, you're a bakery\"); `chat export --help`: "
                               "export a conversation")
    _common(chat, suppress=True)
    chat.add_argument("--mode", metavar="ID", help="mode to chat in (default: the last mode)")
    chat.add_argument("message")
    from presto_desktop.cli_demo import add_presenter_parsers  # demo, conversations

    add_presenter_parsers(commands, lambda sub: _common(sub, suppress=True))
    voice = commands.add_parser("voice", help="one spoken question from a WAV file: prints "
                                "you:/assistant:/tool: lines, writes the spoken reply")
    _common(voice, suppress=True)
    voice.add_argument("--mode", metavar="ID", help="mode to talk to (default: the last mode)")
    voice.add_argument("--input", required=True, metavar="QUESTION.wav", help="16-bit PCM WAV")
    voice.add_argument("--output", metavar="REPLY.wav", help="write the spoken reply here")
    return parser


def _fail(message: str, code: int = 1) -> int:
    from presto_desktop.cli_chat import fail  # one owner of the one-line error

    return fail(message, code)


def _services(args: argparse.Namespace) -> tuple[AppPaths, ModeStore, Settings]:
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.core.settings import SettingsStore
    from presto_desktop.core.store import ModeStore

    paths = AppPaths.resolve(args.data_dir)
    _setup_logging(paths)
    _tidy(paths)
    args.paths = paths
    return paths, ModeStore(paths), SettingsStore(paths).load()


def _setup_logging(paths: AppPaths) -> None:
    try:
        from presto_desktop.core.logs import setup_logging
    except ImportError:  # logging module not present in minimal builds
        return
    try:
        setup_logging(paths)
    except OSError:
        # No writable log folder: stay quiet rather than let logging print to stderr.
        import logging

        logging.getLogger().addHandler(logging.NullHandler())


def _tidy(paths: AppPaths) -> None:
    """Remove temp files a crash mid-save left behind (old API keys among them)."""
    from presto_desktop.core.atomic import remove_stale_temp_files

    remove_stale_temp_files(paths)


def _print_mode(mode: Mode, as_json: bool) -> None:
    if as_json:
        print(mode.model_dump_json(indent=2))
        return
    print(f"{mode.company_name} — {mode.tagline}")
    print(f"id: {mode.id}   industry: {mode.industry}   engine: {mode.source.engine}")
    print(f"palette: {mode.palette.primary}   tabs: {', '.join(t.label for t in mode.tabs)}")
    print(f"persona: {mode.persona.name} ({mode.persona.kind})")


def _modes(args: argparse.Namespace) -> int:
    if args.action == "validate":
        return _validate(args.files, all_errors=args.all_errors)
    _paths, store, settings = _services(args)
    if args.action == "list":
        summaries = store.list_modes()
        if args.json:
            # The roles are the library's emblem cache; `modes show` prints the palette.
            print(json.dumps([s.model_dump(mode="json", exclude={"light", "dark"})
                              for s in summaries], indent=2))
        else:
            for s in summaries:
                tag = "built-in" if s.builtin else s.created_at.strftime("%Y-%m-%d")
                print(f"{s.id:<32} {s.company_name[:34]:<34} {s.industry[:24]:<24} {s.primary} {tag}")
        return 0
    if args.action == "show":
        _print_mode(store.get(args.id), args.json)
        return 0
    if args.action == "generate":
        import asyncio

        from presto_desktop.cli_chat import generate

        return asyncio.run(generate(args, store, settings))
    if args.action == "import":
        from presto_desktop.core.mode_transfer import load_import

        result = store.import_mode(load_import(Path(args.file)),
                                   "replace" if args.replace else "rename")
        print(result.path)
        if result.outcome != "new":
            sys.stderr.write(f"{PROG}: note: {result.describe()}\n")
        return 0
    if args.action == "export":
        from presto_desktop.core.atomic import TargetExistsError

        try:
            print(export_bundle(args, store, settings))  # with its generated mark (cli_brand)
        except TargetExistsError as exc:
            return _fail(f"{exc}; add --force to overwrite it")
        return 0
    if args.action == "brand":
        return run_brand(args, store)
    if args.action == "delete":
        store.delete(args.id)
        print(f"deleted {args.id}")
        return 0
    return _fail(f"unknown action {args.action}", 2)


def _validate(files: list[str], *, all_errors: bool) -> int:
    """Check files without touching the library: one line each (every problem with --all-errors)."""
    from presto_desktop.core.errors import ModeValidationError
    from presto_desktop.core.mode_transfer import load_import

    bad = 0
    for name in files:
        try:
            mode = load_import(Path(name))
            print(f"{name}: ok ({mode.id})")
        except ModeValidationError as exc:
            bad += 1
            if all_errors:
                for problem in exc.problems:
                    sys.stderr.write(f"{PROG}: {problem}\n")
            else:
                hint = "; --all-errors lists them" if len(exc.problems) > 1 else ""
                sys.stderr.write(f"{PROG}: {exc}{hint}\n")
        except PrestoError as exc:
            bad += 1
            sys.stderr.write(f"{PROG}: {exc}\n")
    return 1 if bad else 0


def _schema() -> int:
    from presto_desktop.core.models import Mode

    print(json.dumps(Mode.model_json_schema(), indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    # No third-party pydantic plugins in our models: looking for them (every installed
    # package's entry points) cost ~26 ms of CPU at the first model class, inside start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from presto_desktop.cli_demo import split_recording
    from presto_desktop.cli_export import export_parser, split_export

    words, recording = list(sys.argv[1:] if argv is None else argv), None
    if len(words) == 1:  # maybe the window's offline worker (engines/offline_process.py)
        from presto_desktop.engines.offline_worker import WORKER_FLAG, serve

        if words[0] == WORKER_FLAG:
            return serve()
    rest = split_export(words)
    if rest is not None:  # `chat export ...`; any other `chat` argument is a question
        args = export_parser(_Parser, lambda sub: _common(sub, suppress=False)).parse_args(rest)
    else:
        words, recording = split_recording(words)
        args = parse_words(words)
    args.open_file = recording  # `presto-desktop FILE.presto` (a file manager's double-click)
    try:
        code = _run(args)
        if sys.stdout is not None:
            sys.stdout.flush()  # a closed pipe shows up here, while it can still be handled
        return code
    except PrestoError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except OSError as exc:
        if _stdout_gone(exc):
            return 0
        return _fail(f"{getattr(exc, 'filename', '') or ''} {exc.strerror or exc}".strip())
    except Exception as exc:  # noqa: BLE001 - a person gets one line; the log gets the trace
        import logging

        if logging.getLogger().handlers:  # the log file; never logging's stderr fallback
            logging.getLogger(__name__).exception("%s failed", PROG)
        detail = " ".join(str(exc).split())[:200]
        return _fail(f"unexpected error: {type(exc).__name__}: {detail}")


def _run(args: argparse.Namespace) -> int:
    if args.command == "modes":
        return _modes(args)
    if args.command == "schema":
        if args.demo or args.recording:  # a script's or recording's, else a mode file's
            from presto_desktop.cli_demo import print_schema

            return print_schema(recording=args.recording)
        return _schema()
    if args.command == "chat":
        import asyncio

        from presto_desktop.cli_chat import chat

        _, store, settings = _services(args)
        return asyncio.run(chat(args, store, settings))
    if args.command == "chat export":
        from presto_desktop.cli_export import run_export

        return run_export(args, *_services(args))
    if args.command in ("demo", "conversations"):
        from presto_desktop.cli_chat import engine_for
        from presto_desktop.cli_demo import run_presenter

        return run_presenter(PROG, args, _services, engine_for)
    if args.command == "voice":
        import asyncio

        from presto_desktop.cli_chat import voice

        _, store, settings = _services(args)
        return asyncio.run(voice(args, store, settings))
    if args.open_file is not None and (args.screenshot or args.self_test or args.demo):
        return _fail("a recording plays in the window, without --demo; for pictures use "
                     "`demo play FILE.presto --screenshot-dir DIR`", 2)
    if args.open_file is not None and not args.open_file.is_file():
        return _fail(f"{args.open_file}: no such file")
    from presto_desktop.core.paths import AppPaths

    paths = AppPaths.resolve(args.data_dir)
    _tidy(paths)
    from presto_desktop.ui.app import run_gui  # sets up its own logging

    screenshot = Path(args.screenshot).resolve() if args.screenshot else None
    if screenshot is None and not args.self_test:
        from presto_desktop.core.errors import PrestoError

        try:
            demo = _demo_script(args.demo)
        except PrestoError as exc:  # a refused script: one line, before any window opens
            return _fail(str(exc), 2)
        return run_gui(paths=paths, offline=args.offline, mode_id=args.mode, screenshot=None,
                       self_test=False, demo=args.open_file or demo)
    from presto_desktop.core.scratch import scratch_copy

    # The window saves as it goes: headless checks run on a copy and change nothing.
    with scratch_copy(paths) as scratch:
        return run_gui(paths=scratch, offline=args.offline, mode_id=args.mode,
                       screenshot=screenshot, self_test=args.self_test)


def _demo_script(name: str | None) -> Path | None:
    """--demo's script, checked before the window opens (DemoFileError with one line)."""
    if not name:
        return None
    from presto_desktop.core.demo_script import load_script

    load_script(Path(name))
    return Path(name).resolve()


def _stdout_gone(exc: OSError) -> bool:
    """True when stdout's reader went away (`| head -1`): end quietly, like a pipe should.

    Later writes (the interpreter's own flush at exit) then go to the null device, so no
    "Broken pipe" message follows.
    """
    if not isinstance(exc, BrokenPipeError) and exc.errno not in (errno.EPIPE, errno.EBADF):
        return False
    try:
        fileno = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return isinstance(exc, BrokenPipeError)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fileno)
    finally:
        os.close(devnull)
    return True

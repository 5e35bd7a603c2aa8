"""The command line's parsing: a plain window start skips the subcommands' parsers, same result."""

from __future__ import annotations

import argparse

import pytest

from presto_desktop import cli
from presto_desktop.cli import COMMANDS, build_parser, parse_words

WINDOW_STARTS = [
    [],
    ["--data-dir", "/tmp/x", "--offline"],
    ["--mode", "banking", "--base-url", "http://h", "--model", "m"],
    ["--demo", "script.json", "--screenshot", "out.png", "--self-test"],
    ["--data-dir=/tmp/y", "--offl"],  # argparse's abbreviations, as before
]


def test_commands_are_the_parsers_subcommands() -> None:
    subparsers = next(a for a in build_parser()._actions
                      if isinstance(a, argparse._SubParsersAction))
    assert set(subparsers.choices) == COMMANDS


@pytest.mark.parametrize("words", WINDOW_STARTS)
def test_window_start_parses_as_the_full_grammar(words: list[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    expected = vars(build_parser().parse_args(words))
    monkeypatch.setattr(cli, "build_parser", lambda: pytest.fail("subparsers built"))
    assert vars(parse_words(words)) == expected


@pytest.mark.parametrize("words", [
    ["schema", "--demo"],  # --demo is a flag here, a value option at the top
    ["--offline", "modes", "list", "--json"],
    ["--data-dir", "d", "chat", "--mode", "x", "hello"],
])
def test_subcommands_use_the_full_grammar(words: list[str]) -> None:
    assert vars(parse_words(words)) == vars(build_parser().parse_args(words))


@pytest.mark.parametrize("words", [["--bogus"], ["stray"], ["--mode"]])
def test_errors_are_the_full_grammars(words: list[str],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as full:
        build_parser().parse_args(words)
    expected = capsys.readouterr().err
    with pytest.raises(SystemExit) as lazy:
        parse_words(words)
    assert (lazy.value.code, capsys.readouterr().err) == (full.value.code, expected)


def test_help_is_the_full_grammars(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    expected = capsys.readouterr().out
    with pytest.raises(SystemExit):
        parse_words(["--offline", "--help"])
    assert capsys.readouterr().out == expected and "modes" in expected

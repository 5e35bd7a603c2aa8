"""Hostile and broken mode files are refused with one line; odd-but-valid strings are data."""

from __future__ import annotations

import json

import pytest

from presto_desktop.core.errors import ModeValidationError
from presto_desktop.core.modefile import dump_mode, parse_mode
from tests.factories import make_mode


def _valid() -> dict:
    return json.loads(dump_mode(make_mode()))


def _with(**changes: object) -> bytes:
    data = _valid()
    data.update(changes)
    return json.dumps(data).encode()


def _palette_with(role: str, value: str) -> bytes:
    data = _valid()
    data["palette"]["light"][role] = value
    return json.dumps(data).encode()


CASES = {
    "empty": (b"", "empty"),
    "whitespace": (b"  \n", "empty"),
    "truncated": (dump_mode(make_mode())[:300], "truncated"),
    "not json": (b"hello there", "not valid JSON"),
    "array": (b"[1, 2, 3]", "JSON object"),
    "wrong type": (_with(tabs="many"), "tabs"),
    "dotdot id": (_with(id="../../etc/passwd"), "id: must be 1-64 characters"),
    "long id": (_with(id="a" * 65), "id"),
    "css colour": (_palette_with("primary", "red; background-image: url(file:///etc/passwd)"),
                   "primary: must be a colour written #rrggbb"),
    "qss break": (_palette_with("text", "#fff}QWidget{background:url(x)"), "text"),
    "short hex": (_palette_with("text", "#fff"), "text"),
    "future": (_with(schema_version=7), "schema_version 7 is newer"),
    "unknown key": (_with(surprise=True), "surprise"),
    "huge": (_with(tagline="x" * 5_000_000), "limited"),
    "deep": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "latin1": ("{\"name\": \"caf\xe9\"}".encode("latin-1"), "not UTF-8"),
    "low contrast": (_palette_with("text", "#fafafa"), "contrast"),
    "nan metric": (dump_mode(make_mode()).replace(b'"value": 12.0', b'"value": NaN'), "value"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_one_line(name: str) -> None:
    data, expected = CASES[name]
    with pytest.raises(ModeValidationError) as info:
        parse_mode(data, "x.json")
    message = str(info.value)
    assert "\n" not in message
    assert expected.lower() in message.lower(), message
    assert len(message) < 400


def test_html_and_markdown_in_strings_are_data() -> None:
    data = _with(company_name="<b>Evil</b> <img src=file:///etc/passwd>",
                 tagline="![x](file:///etc/passwd) [y](javascript:alert(1))")
    mode = parse_mode(data)
    assert mode.company_name.startswith("<b>Evil")


def test_roundtrip_and_bom() -> None:
    mode = make_mode()
    assert parse_mode(dump_mode(mode)) == mode
    assert parse_mode(b"\xef\xbb\xbf" + dump_mode(mode)) == mode

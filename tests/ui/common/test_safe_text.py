"""Untrusted strings never reach a Qt rich-text renderer: a hostile mode on the real window."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from PySide6.QtGui import Qt, QTextDocument
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from presto_desktop.core.models import Mode
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeStore
from presto_desktop.ui.common.safe_text import button_text, tooltip
from presto_desktop.ui.composition import Composition
from tests.factories import make_mode
from tests.ui.fakes import FakeEngine

HOSTILE = '<img src="file:///tmp/evil.png"><b>x</b> & co'
SHORT = "<b>x</b>&"  # for fields with a small length limit
# Fields that are not free text (ids, dates, enums, colours) keep their valid values.
KEEP = {"id", "schema_version", "created_at", "request_key", "palette", "kind", "engine", "icon",
        "type", "date", "seed", "model", "as_of", "relationship"}
TAGS = ("<img", "<b>")


def _poison(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: v if k in KEEP else _poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(item, key) for item in value]
    return HOSTILE if isinstance(value, str) else value


def _set(data: Any, loc: tuple[Any, ...], value: str) -> None:
    for part in loc[:-1]:
        if isinstance(data, dict) and part not in data:
            continue  # a discriminated union's tag in the error location
        data = data[part]
    data[loc[-1]] = value


def hostile_mode() -> Mode:
    """A valid mode whose every free-text field is markup (shortened where limits demand)."""
    base = json.loads(make_mode("evil", company="x").model_dump_json())
    base["tabs"] *= 3
    base["suggested_prompts"] = ["a", "b", "a much longer prompt " * 4]
    base["metrics"] = [dict(base["metrics"][0], unit=u) for u in ("", "$", "x")]
    base["offline_content"][0]["chart"] = {
        "type": "bar", "title": "t", "unit": "u", "points": [{"label": "l", "value": 1.0}]}
    data = _poison(base)
    data["suggested_prompts"][2] = HOSTILE * 2  # long enough to be elided, with a tooltip
    for _ in range(5):
        try:
            return Mode.model_validate_json(json.dumps(data))
        except ValidationError as exc:
            for error in exc.errors():
                if error["type"] != "string_too_long":
                    raise
                _set(data, error["loc"], SHORT)
    raise AssertionError("no valid hostile mode")


def rendered_as_rich_text(text: str, fmt: Qt.TextFormat) -> bool:
    """Whether Qt would lay `text` out as HTML (AutoText guesses like tooltips do)."""
    return fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and Qt.mightBeRichText(text))


def unsafe(text: str, fmt: Qt.TextFormat) -> bool:
    """True when a raw tag from untrusted text would reach a rich-text renderer."""
    return rendered_as_rich_text(text, fmt) and any(tag in text.lower() for tag in TAGS)


def shown(text: str) -> str:
    """What a tooltip displays."""
    if not Qt.mightBeRichText(text):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def test_tooltip_helper_shows_markup_literally() -> None:
    assert tooltip("") == ""
    text = tooltip(HOSTILE + "\nline two")
    assert not unsafe(text, Qt.TextFormat.AutoText)
    assert shown(text) == HOSTILE + "\nline two"
    assert button_text("Q&A") == "Q&&A"


@pytest.fixture
def hostile_window(qapp, qloop, tmp_path: Path):
    """The real window (real chat panel) showing a hostile mode, engine label and overlay."""
    from presto_desktop.core.chat import ToolCall
    from presto_desktop.core.modefile import dump_mode

    builtin = tmp_path / "builtin"
    builtin.mkdir()
    (builtin / "default.json").write_bytes(dump_mode(make_mode("default", company="Presto")))
    paths = AppPaths.resolve(tmp_path / "data")
    comp = Composition(qapp, paths, offline=True, persist=False,
                       store=ModeStore(paths, builtin_dir=builtin), engine=FakeEngine())
    comp.settings.theme = "light"
    comp.start(None)
    comp.window.show()
    comp.modes.apply(hostile_mode())
    comp.window.set_engine_label(HOSTILE)
    comp.window.overlay.start(HOSTILE, HOSTILE)
    comp.window.dashboard.show_tool_call(
        ToolCall("show_metrics", {"metrics": [{"label": SHORT, "value": 1, "unit": SHORT}]}))
    qapp.processEvents()
    yield comp.window
    comp.window.overlay.stop()
    qloop.run_until_complete(comp.shutdown())


def offenders(window: QWidget, *, chips: bool) -> list[str]:
    """Every tooltip and label of `window` that would render untrusted markup."""
    bad: list[str] = []
    for widget in [window, *window.findChildren(QWidget)]:
        name = widget.objectName() or type(widget).__name__
        if (name == "chip") != chips:
            continue
        if unsafe(widget.toolTip(), Qt.TextFormat.AutoText):
            bad.append(f"tooltip of {name}: {widget.toolTip()!r}")
        if isinstance(widget, QLabel) and unsafe(widget.text(), widget.textFormat()):
            bad.append(f"label {name}: {widget.text()!r}")
    return bad


def test_hostile_mode_shows_literally_everywhere(hostile_window) -> None:
    window = hostile_window
    assert offenders(window, chips=False) == []
    # The markup is there, shown as text: in the title, the header, the tabs and tooltips.
    assert HOSTILE in window.windowTitle()
    assert window.header.company.text() == HOSTILE
    assert shown(window.dashboard.tab_buttons[0].toolTip()) == HOSTILE
    assert shown(window.header.engine.toolTip()) == f"Engine: {HOSTILE}"
    for button in window.dashboard.tab_buttons:
        assert "&&" in button.text()  # a literal '&', not a mnemonic
    texts = [w.text() for kind in (QLabel, QAbstractButton) for w in window.findChildren(kind)]
    assert any(HOSTILE in text for text in texts)


def test_chip_tooltips_show_markup_literally(hostile_window) -> None:
    assert offenders(hostile_window, chips=True) == []

"""The header's quiet note when an answer came from the cache."""

from __future__ import annotations

from presto_desktop.session.replies import Origin
from presto_desktop.ui.shell.header import Header


def test_the_header_says_quietly_when_an_answer_came_from_the_cache(qtbot) -> None:
    header = Header()
    qtbot.addWidget(header)
    header.set_engine_label("gpt-4o-mini")
    header.set_reply_origin(Origin("prefetch", 125.0))
    assert header.engine.text() == "gpt-4o-mini · fetched ahead"
    assert "2 min ago" in header.engine.toolTip() and "Regenerate" in header.engine.toolTip()
    header.set_reply_origin(Origin("cache", 5.0))
    assert header.engine.text() == "gpt-4o-mini · cached"
    header.set_reply_origin(Origin())
    assert header.engine.text() == "gpt-4o-mini"

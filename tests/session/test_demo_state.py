"""DemoState: the snapshot the presenter console shows."""

from __future__ import annotations

from presto_desktop.core.demo_script import parse_script
from presto_desktop.session.demo_state import DemoState


def test_state_describes_current_and_next_steps_and_keeps_errors_one_line():
    script = parse_script(b'{"title": "Florist", "steps": [{"say": "Hi"}, '
                          b'{"pause": 2, "note": "point at the chart"}]}')
    empty = DemoState()
    assert not empty.loaded and not empty.done and empty.next_text() == ""
    state = DemoState(title=script.title, index=1, total=2, current=script.steps[0],
                      next=script.steps[1], auto=True, running=True)
    assert state.current_text() == "say: Hi"
    assert state.next_text() == "pause: 2 s"
    assert state.next_note() == "point at the chart"
    failed = state.with_error("The server said no")
    assert failed.error == "The server said no" and not failed.auto and not failed.running
    assert DemoState(title="x", index=2, total=2).done

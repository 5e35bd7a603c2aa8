"""core.pacing.Pacer: the one "at most once per interval" of streamed replies (a fake clock)."""

from __future__ import annotations

from presto_desktop.core.pacing import Pacer


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_due_at_once_then_once_per_interval() -> None:
    clock = Clock()
    pacer = Pacer(0.5, clock=clock)
    assert pacer.take()  # never marked: due at once
    assert not pacer.take()
    clock.now += 0.2
    assert not pacer.due()
    assert abs(pacer.wait() - 0.3) < 1e-9
    clock.now += 0.3
    assert pacer.take()


def test_mark_starts_the_interval_and_reset_forgets_it() -> None:
    clock = Clock()
    pacer = Pacer(1.0, clock=clock)
    pacer.mark()
    assert not pacer.due()
    pacer.reset()
    assert pacer.due()

"""Which screen each presenter window goes to, and the console's timer text: no Qt needed."""

from __future__ import annotations

import pytest

from presto_desktop.ui.presenter.placement import (
    CONSOLE_SIZE,
    FLOATING_SIZE,
    MARGIN,
    Rect,
    ScreenInfo,
    audience_screen,
    console_placement,
    elapsed_text,
    one_line,
    presenter_font_size,
)

LAPTOP = ScreenInfo("Laptop", Rect(0, 0, 1440, 900), Rect(0, 0, 1440, 870), primary=True)
PROJECTOR = ScreenInfo("Projector", Rect(1440, 0, 1920, 1080), Rect(1440, 0, 1920, 1080))
MONITOR = ScreenInfo("Monitor", Rect(-1280, 0, 1280, 1024), Rect(-1280, 0, 1280, 1024))


def test_audience_screen_is_the_named_one_else_the_windows_own():
    screens = [LAPTOP, PROJECTOR]
    assert audience_screen(screens, "Projector", 0) == 1
    assert audience_screen(screens, "", 0) == 0  # no choice: where the window is
    assert audience_screen(screens, "", 1) == 1
    assert audience_screen(screens, "Unplugged TV", 1) == 1  # gone since: where the window is
    assert audience_screen(screens, "", 7) == 0  # a stale index cannot point past the list


def test_two_screens_put_the_console_on_the_other_one_centred():
    placement = console_placement([LAPTOP, PROJECTOR], audience=1)
    assert placement.screen == 0 and not placement.floating
    width, height = CONSOLE_SIZE
    assert placement.rect == Rect((1440 - width) // 2, (870 - height) // 2, width, height)
    # The audience on the laptop: the console goes to the projector.
    other = console_placement([LAPTOP, PROJECTOR], audience=0)
    assert other.screen == 1 and not other.floating
    assert PROJECTOR.available.x <= other.rect.x < PROJECTOR.available.x + 1920


def test_three_screens_prefer_the_primary_for_the_console():
    assert console_placement([MONITOR, PROJECTOR, LAPTOP], audience=1).screen == 2
    # The primary is the audience's: the first other screen.
    assert console_placement([MONITOR, PROJECTOR, LAPTOP], audience=2).screen == 0


def test_a_small_screen_shrinks_the_console_to_fit():
    tiny = ScreenInfo("Tiny", Rect(0, 0, 800, 480), Rect(0, 0, 800, 480))
    placement = console_placement([PROJECTOR, tiny], audience=0)
    assert placement.rect == Rect(0, 0, 800, 480)


def test_one_screen_floats_small_in_the_bottom_right_corner():
    placement = console_placement([LAPTOP], audience=0)
    assert placement.floating and placement.screen == 0
    width, height = FLOATING_SIZE
    assert placement.rect == Rect(1440 - width - MARGIN, 870 - height - MARGIN, width, height)
    assert console_placement([LAPTOP], audience=5).screen == 0
    with pytest.raises(ValueError):
        console_placement([], audience=0)


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0:00"), (-3, "0:00"), (59.9, "0:59"), (75, "1:15"), (3600, "1:00:00"),
    (3725, "1:02:05")])
def test_elapsed_text(seconds, text):
    assert elapsed_text(seconds) == text


def test_one_line_and_font_size():
    assert one_line("engine failed:\n  timeout\tafter 5 s") == "engine failed: timeout after 5 s"
    long = one_line("x" * 500, limit=20)
    assert len(long) == 20 and long.endswith("…")
    assert presenter_font_size(11, 16) == 16
    assert presenter_font_size(20, 16) == 20  # never smaller than the usual text

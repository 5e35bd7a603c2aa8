"""kept_for_good: no cyclic collection during the block, its objects frozen after."""

from __future__ import annotations

import gc

import pytest

from presto_desktop.ui.common.collect import kept_for_good


@pytest.fixture
def unfrozen():
    """Whatever the test freezes is unfrozen after (the suite's own freeze is redone)."""
    yield
    gc.unfreeze()
    gc.freeze()


@pytest.mark.parametrize("collecting", [True, False])
def test_collection_is_off_during_and_as_before_after(unfrozen, collecting):
    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        with kept_for_good():
            assert not gc.isenabled()
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()


def test_what_the_block_loaded_is_frozen(unfrozen):
    before = gc.get_freeze_count()
    with kept_for_good():
        loaded = [[index] for index in range(1000)]  # lists are always tracked
    assert gc.get_freeze_count() >= before + len(loaded)


def test_an_error_in_the_block_still_restores(unfrozen):
    was = gc.isenabled()
    with pytest.raises(ValueError), kept_for_good():
        raise ValueError("warm-up failed")
    assert gc.isenabled() is was

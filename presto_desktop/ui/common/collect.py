"""Cyclic garbage collection around loading what lives as long as the process."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def kept_for_good() -> Iterator[None]:
    """No cyclic collection while the block loads long-lived objects; frozen after it.

    A full collection walks every tracked object holding the GIL: during a warm-up (a worker
    thread loading the lexicon and knowledge base) one held the loop 22-36 ms, and after it,
    walking what the warm-up had loaded, 20-60 ms (measured). Frozen objects are left out of
    later collections (cyclic garbage present then is kept too: a one-off, bounded cost).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()

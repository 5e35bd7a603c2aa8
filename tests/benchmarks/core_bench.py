"""Headless figures: offline generation, listing a 1,000-mode library, `modes list` as a process."""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

Row = tuple[str, float, str]


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def bench_offline_generation(quick: bool = False) -> list[Row]:
    """Median time to generate a NEW mode offline (warm process; the worker thread included)."""
    from presto_desktop.core.triggers import ModeRequest
    from presto_desktop.engines.offline import OfflineEngine

    engine = OfflineEngine()
    asyncio.run(engine.generate_mode(ModeRequest("switch", "warm up")))
    words = ["florist", "bakery", "ski resort", "dentist", "law firm", "zoo", "brewery",
             "vet clinic", "hotel", "gym", "library", "car wash", "tattoo studio", "airline"]
    count = 8 if quick else 40
    samples = []
    for index in range(count):
        request = ModeRequest("switch", words[index % len(words)], f"Co {index}")
        start = time.perf_counter()
        asyncio.run(engine.generate_mode(request))
        samples.append(time.perf_counter() - start)
    return [("offline_generate_new_mode", _median_ms(samples), "ms")]


_COLD = """
import sys, time
sys.path.insert(0, {root!r})
from presto_desktop.engines.lexicon import Lexicon
start = time.perf_counter()
lexicon = Lexicon()
lexicon.keys
loaded = time.perf_counter()
from presto_desktop.core.triggers import ModeRequest
from presto_desktop.engines.offline import OfflineEngine
engine = OfflineEngine(lexicon)
made = time.perf_counter()
engine.build_mode(ModeRequest("switch", {industry!r}))
done = time.perf_counter()
print(loaded - start, done - made)
"""


def bench_offline_cold(quick: bool = False) -> list[Row]:
    """A fresh process: knowledge-base load (modules imported), then the first new mode.

    The first mode pays first use of Faker, coloraide and pydantic's validators; it runs on a
    worker thread in the app.
    """
    root = str(Path(__file__).resolve().parents[2])
    loads, firsts, composed = [], [], []
    for _ in range(2 if quick else 5):
        for industry, into in (("florist", firsts), ("zorbing arena", composed)):
            out = subprocess.run([sys.executable, "-c", _COLD.format(root=root,
                                                                     industry=industry)],
                                 check=True, capture_output=True, text=True).stdout.split()
            loads.append(float(out[0]))
            into.append(float(out[1]))
    return [("lexicon_load_cold", _median_ms(loads), "ms"),
            ("offline_generate_new_mode_cold", _median_ms(firsts), "ms"),
            ("offline_generate_composed_mode_cold", _median_ms(composed), "ms")]


def bench_lexicon_warm(quick: bool = False) -> list[Row]:
    """Loading the knowledge base again in a warm process (files cached by the OS)."""
    from presto_desktop.engines.lexicon import Lexicon

    samples = []
    for _ in range(3 if quick else 10):
        start = time.perf_counter()
        _ = Lexicon().keys
        samples.append(time.perf_counter() - start)
    return [("lexicon_load_warm", _median_ms(samples), "ms")]


def _fill_library(folder: Path, count: int) -> None:
    from presto_desktop.core.modefile import dump_mode
    from tests.factories import make_mode

    modes = folder / "modes"
    modes.mkdir(parents=True, exist_ok=True)
    template = make_mode("bench-0")
    for index in range(count):
        mode = template.model_copy(update={"id": f"bench-{index}", "request_key": f"bench|{index}"})
        (modes / f"bench-{index}.json").write_bytes(dump_mode(mode))


def bench_library_listing(quick: bool = False) -> list[Row]:
    """Listing 1,000 saved modes: first (cold, builds the index) and repeated (warm)."""
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.core.store import ModeStore

    count = 200 if quick else 1000
    with tempfile.TemporaryDirectory() as tmp:
        _fill_library(Path(tmp), count)
        paths = AppPaths.resolve(tmp)
        start = time.perf_counter()
        cold = ModeStore(paths).list_modes()
        cold_s = time.perf_counter() - start
        warm = []
        for _ in range(5):
            start = time.perf_counter()
            listed = ModeStore(paths).list_modes()
            warm.append(time.perf_counter() - start)
        assert len(listed) == len(cold) >= count
    return [
        (f"list_{count}_modes_cold", round(cold_s * 1000, 2), "ms"),
        (f"list_{count}_modes", _median_ms(warm), "ms"),
    ]


def bench_cli_list_process(quick: bool = False) -> list[Row]:
    """`presto-desktop modes list` as a whole process on a 1,000-mode library."""
    count = 200 if quick else 1000
    with tempfile.TemporaryDirectory() as tmp:
        _fill_library(Path(tmp), count)
        command = [sys.executable, "-m", "presto_desktop", "--data-dir", tmp, "modes", "list"]
        subprocess.run(command, check=True, capture_output=True)
        samples = []
        for _ in range(3 if quick else 7):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            samples.append(time.perf_counter() - start)
        bare = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            bare.append(time.perf_counter() - start)
    return [
        ("cli_modes_list_process", _median_ms(samples), "ms"),
        ("python_bare_process", _median_ms(bare), "ms"),
    ]


def bench_emblem(quick: bool = False) -> list[Row]:
    """Median time to draw a new mode's emblem (SVG text; a fresh palette each time)."""
    from presto_desktop.core.emblem import emblem_svg, mode_spec
    from tests.factories import make_mode

    modes = [make_mode(f"co-{index}", company=f"Company {index} Ltd",
                       primary=f"#{(index * 2654435761) % 0xffffff:06x}")
             for index in range(8 if quick else 40)]
    samples = []
    for mode in modes:
        start = time.perf_counter()
        svg = emblem_svg(mode_spec(mode))
        samples.append(time.perf_counter() - start)
        assert svg.endswith("</svg>")
    return [("emblem_generate", _median_ms(samples), "ms")]


def bench_hero(quick: bool = False) -> list[Row]:
    """Median time for a new mode's hero colours (a fresh palette and company each time)."""
    from presto_desktop.core.hero import hero_for
    from tests.factories import make_mode

    modes = [make_mode(f"hero-{index}", company=f"Hero {index} Ltd",
                       primary=f"#{(index * 40503 + 7) % 0xffffff:06x}")
             for index in range(8 if quick else 40)]
    samples = []
    for mode in modes:
        roles = mode.palette.light.model_dump()
        start = time.perf_counter()
        hero_for(mode.company_name, roles)
        samples.append(time.perf_counter() - start)
    return [("hero_colours", _median_ms(samples), "ms")]


def run(quick: bool = False) -> list[Row]:
    """All headless figures."""
    return (bench_offline_generation(quick) + bench_offline_cold(quick)
            + bench_lexicon_warm(quick) + bench_library_listing(quick)
            + bench_cli_list_process(quick) + bench_emblem(quick) + bench_hero(quick))

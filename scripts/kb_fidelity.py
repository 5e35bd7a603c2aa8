"""Fidelity report: how convincing offline modes are for a list of industries.

    .venv/bin/python scripts/kb_fidelity.py                  # the review list's requests
    .venv/bin/python scripts/kb_fidelity.py FILE [--show N]  # one industry per line

Prints `name value unit` lines: template-like modes, how requests matched, repeated tab and
KPI sets, reused company names, colour collisions (CIEDE2000 < 5), date and number checks,
and generation times; --show N describes N modes side by side.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections import Counter
from datetime import date
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from presto_desktop.core.triggers import ModeRequest  # noqa: E402
from presto_desktop.engines.lexicon import Lexicon, normalise_words  # noqa: E402
from presto_desktop.engines.offline import OfflineEngine  # noqa: E402

TODAY = date(2026, 12, 6)
FILLER = re.compile(r"your trusted|made simple|made easy|, every day|quality you can trust|"
                    r"solutions|inside out|one-stop|partner\b", re.IGNORECASE)
SUFFIXES = {"works", "labs", "studio", "co", "co.", "associates", "group", "partners", "hub",
            "collective", "& co.", "company"}


def template_like(request: str, mode: object) -> list[str]:
    """Why a mode reads like a template filled with the request (empty: it does not)."""
    why = []
    phrase = " ".join(normalise_words(request))
    name_words = normalise_words(mode.company_name)  # type: ignore[attr-defined]
    if len(name_words) > 1 and " ".join(name_words[:-1]) == phrase and (
            mode.company_name.split()[-1].lower() in SUFFIXES):  # type: ignore[attr-defined]
        why.append("name echoes the request")
    if FILLER.search(mode.tagline) or FILLER.search(mode.personality):  # type: ignore[attr-defined]
        why.append("filler tagline or personality")
    if phrase and phrase in " ".join(normalise_words(mode.tagline)):  # type: ignore[attr-defined]
        why.append("tagline echoes the request")
    for answer in mode.offline_content:  # type: ignore[attr-defined]
        if answer.chart and any("gift card" in p.label.lower() and phrase in " ".join(
                normalise_words(p.label)) for p in answer.chart.points):
            why.append("'<industry> gift card' product")
            break
    return why


def colour_collisions(primaries: list[str]) -> tuple[int, int]:
    """(pairs closer than CIEDE2000 5, all pairs)."""
    from coloraide import Color

    colours = [Color(p) for p in primaries]
    pairs = list(combinations(colours, 2))
    close = sum(1 for a, b in pairs if a.delta_e(b, method="2000") < 5)
    return close, len(pairs)


def checks(mode: object) -> list[str]:
    """Date and number problems in one mode's persona."""
    p = mode.persona  # type: ignore[attr-defined]
    bad = []
    if p.kind != "generic":
        return bad
    if p.orders:
        newest = date.fromisoformat(p.orders[-1].date)
        if (TODAY - newest).days > 30:
            bad.append("newest activity older than 30 days")
        if [o.date for o in p.orders] != sorted(o.date for o in p.orders):
            bad.append("orders not in time order")
    if p.lifetime_spend + 0.005 < p.year_spend:
        bad.append("lifetime below 12-month spend")
    prices = {}
    for answer in mode.offline_content:  # type: ignore[attr-defined]
        if answer.chart and answer.chart.title == "Price list":
            prices = {pt.label: pt.value for pt in answer.chart.points}
    for order in p.orders:
        for line in order.lines:
            if prices and p.priced and prices.get(line.name) != line.price:
                bad.append(f"{line.name} priced {line.price} but listed {prices.get(line.name)}")
    return bad


def main(argv: list[str]) -> int:
    """Print the report for the industries in argv[0] (default: the review lists)."""
    show = int(argv[argv.index("--show") + 1]) if "--show" in argv else 0
    files = [a for a in argv if not a.startswith("--") and not a.isdigit()]
    if files:
        requests = [line.strip() for line in Path(files[0]).read_text().splitlines()
                    if line.strip() and not line.startswith("#")]
    else:
        requests = [line.split("\t")[0] for f in sorted((ROOT / "tests/data/kb_review").glob(
            "*.tsv")) for line in f.read_text().splitlines() if "\t" in line]
    started = time.perf_counter()
    lexicon = Lexicon()
    engine = OfflineEngine(lexicon, today=lambda: TODAY)
    taken: set[str] = set()
    modes, times, how = [], [], Counter()
    for request in requests:
        began = time.perf_counter()
        mode = engine.build_mode(ModeRequest("switch", request.lower()), taken_names=taken)
        times.append((time.perf_counter() - began) * 1000)
        taken.add(mode.company_name)
        how[lexicon.lookup(request.lower()).how] += 1
        modes.append((request, mode))
    total = time.perf_counter() - started
    templated = [(r, w) for r, m in modes if (w := template_like(r, m))]
    tabsets = Counter(tuple(sorted(t.label for t in m.tabs)) for _, m in modes)
    kpisets = Counter(tuple(sorted(k.label for k in m.metrics)) for _, m in modes)
    names = Counter(m.company_name.lower() for _, m in modes)
    close, pairs = colour_collisions([m.palette.primary for _, m in modes])
    problems = [(r, x) for r, m in modes for x in checks(m)]
    n = len(modes)
    print(f"industries {n} count")
    for kind in ("exact", "corrected", "partial", "brand", "composed"):
        print(f"matched_{kind} {how[kind]} count")
    print(f"template_like {100 * len(templated) / n:.1f} %")
    print(f"tab_set_most_shared {max(tabsets.values())} industries")
    print(f"kpi_set_most_shared {max(kpisets.values())} industries")
    print(f"company_names_reused {sum(c - 1 for c in names.values() if c > 1)} count")
    print(f"colour_pairs_within_de5 {100 * close / max(pairs, 1):.2f} %")
    print(f"persona_problems {len(problems)} count")
    print(f"generate_median {statistics.median(times):.2f} ms")
    print(f"generate_max {max(times):.2f} ms")
    print(f"report_total {total:.2f} s")
    for request, why in templated[:20]:
        print(f"# template-like: {request}: {', '.join(why)}")
    for request, problem in problems[:20]:
        print(f"# persona: {request}: {problem}")
    for request, mode in modes[:show]:
        print(f"\n## {request} -> {mode.industry} ({lexicon.lookup(request.lower()).how})")
        print(f"   {mode.company_name} — {mode.tagline}  [{mode.palette.primary}]")
        print(f"   tabs: {', '.join(t.label for t in mode.tabs)}")
        print(f"   KPIs: {', '.join(f'{k.label} {k.value:g}{k.unit}' for k in mode.metrics)}")
        p = mode.persona
        print(f"   persona: {p.name}, since {p.customer_since}, "
              f"{getattr(p, 'status', p.kind)}; {getattr(p, 'noun', '')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The knowledge base: complete entries, careful matching, and modes that read like real businesses."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import pytest

from presto_desktop.core.triggers import ModeRequest
from presto_desktop.engines.lexicon import Lexicon, normalise_words
from presto_desktop.engines.offline import OfflineEngine

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import kb_check  # noqa: E402
import kb_fidelity  # noqa: E402

TODAY = date(2026, 12, 6)
REVIEW = sorted((ROOT / "tests" / "data" / "kb_review").glob("*.tsv"))
TRAPS = {  # a shared surface word never decides the match
    "blood bank": "bank", "food bank": "bank", "stained glass studio": "eyewear store",
    "cat cafe": "coffee shop", "bike sharing": "bike shop", "piano tuner": "music store",
    "pool hall": "pool service", "wine bar": "wine shop", "dog grooming": "hair salon",
    "tree surgeon": "hospital", "record label": "record store",
}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon()


@pytest.fixture(scope="module")
def engine(lexicon: Lexicon) -> OfflineEngine:
    return OfflineEngine(lexicon, today=lambda: TODAY)


def _review_lines() -> list[tuple[str, str]]:
    lines = []
    for path in REVIEW:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "\t" in line and not line.startswith("#"):
                request, expected = line.split("\t")[:2]
                lines.append((request.strip(), expected.strip()))
    return lines


def test_every_entry_passes_the_checks() -> None:
    files = kb_check.load()
    assert kb_check.check_all(files) == []
    assert sum(len(entries) for entries in files.values()) >= 800


def test_every_entry_validates(lexicon: Lexicon) -> None:
    industries = lexicon.industries
    assert len({i.key for i in industries}) == len(industries)
    for industry in industries:
        assert all(item.price > 0 for item in industry.items) or industry.free, industry.key


def test_review_list_has_300_requests_and_every_one_matches(lexicon: Lexicon) -> None:
    lines = _review_lines()
    assert len(lines) >= 300
    wrong = []
    for request, expected in lines:
        found = lexicon.find(request)
        got = found[0] if found else "~"
        if got != expected:
            wrong.append((request, expected, got))
    assert wrong == []


@pytest.mark.parametrize(("request_text", "never"), sorted(TRAPS.items()))
def test_a_shared_surface_word_never_decides(lexicon: Lexicon, request_text: str,
                                            never: str) -> None:
    match = lexicon.lookup(request_text)
    assert match.industry.key != never
    assert match.industry.key not in (lexicon.find(never) or ("-",))[:1]


@pytest.mark.parametrize("typed", ["florrist", "a florist in Paris", "small organic florist",
                                   "FLORISTS", "the local florist shop"])
def test_misspellings_qualifiers_and_places(lexicon: Lexicon, typed: str) -> None:
    assert lexicon.find(typed) is not None
    assert lexicon.find(typed)[0] == lexicon.find("florist")[0]


def test_holdout_industries_read_like_real_businesses(engine: OfflineEngine) -> None:
    requests = [line for line in (ROOT / "tests/data/holdout_industries.txt").read_text()
                .splitlines() if line and not line.startswith("#")]
    taken: set[str] = set()
    templated, tabsets, names = [], {}, set()
    for request in requests:
        mode = engine.build_mode(ModeRequest("switch", request), taken_names=taken)
        taken.add(mode.company_name)
        if kb_fidelity.template_like(request, mode):
            templated.append(request)
        key = tuple(sorted(t.label for t in mode.tabs))
        tabsets[key] = tabsets.get(key, 0) + 1
        assert mode.company_name.lower() not in names, request
        names.add(mode.company_name.lower())
        assert kb_fidelity.checks(mode) == [], request
    assert len(templated) <= 5, templated
    assert max(tabsets.values()) <= 3


def test_composed_modes_do_not_echo_the_request(engine: OfflineEngine) -> None:
    for request in ("quantum widget repair", "zorbing arena", "moss terrarium atelier"):
        mode = engine.build_mode(ModeRequest("switch", request))
        phrase = " ".join(normalise_words(request))
        assert phrase not in " ".join(normalise_words(mode.tagline)), mode.tagline
        assert not kb_fidelity.template_like(request, mode)
        assert not any(re.search(r"gift card", a.answer, re.IGNORECASE) and phrase in a.answer
                       for a in mode.offline_content)


def test_company_names_in_use_are_not_reused(engine: OfflineEngine) -> None:
    first = engine.build_mode(ModeRequest("switch", "florist"))
    second = engine.build_mode(ModeRequest("switch", "florist"),
                               taken_names={first.company_name.upper()})
    assert second.company_name != first.company_name


def test_the_fallback_data_passes_the_checks() -> None:
    import json

    data = json.loads((ROOT / "resources/kb/_fallback.json").read_text(encoding="utf-8"))
    assert kb_check.check_fallback(data) == []


def test_lexicon_json_is_compiled_from_the_sources() -> None:
    import make_lexicon

    assert (ROOT / "resources/lexicon.json").read_bytes() == make_lexicon.compile_lexicon()

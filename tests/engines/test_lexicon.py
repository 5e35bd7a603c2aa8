"""The industry lexicon: size, distinct content, validation and forgiving lookup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presto_desktop.core.errors import ResourceError
from presto_desktop.core.paths import resource_path
from presto_desktop.engines.lexicon import Lexicon, normalise_words


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon()


def test_at_least_800_industries_all_validate(lexicon: Lexicon) -> None:
    industries = lexicon.industries  # validates every entry
    assert len(industries) >= 800
    assert len({i.key for i in industries}) == len(industries)


def test_each_industry_is_complete(lexicon: Lexicon) -> None:
    icons = set(json.loads(resource_path("lexicon.json").read_text())["icons"])
    for industry in lexicon.industries:
        assert industry.synonyms, industry.key
        assert 5 <= len(industry.tabs) <= 6, industry.key
        assert len(industry.metrics) == 4, industry.key
        assert 4 <= len(industry.qa) <= 6, industry.key
        assert industry.persona_fields and 6 <= len(industry.items) <= 8, industry.key
        assert len(industry.company_names) >= 3 and len(industry.taglines) >= 3, industry.key
        for tab in industry.tabs:
            assert tab.icon in icons, (industry.key, tab.icon)
            if tab.topic.startswith("qa:"):
                assert int(tab.topic[3:]) < len(industry.qa)
        for qa in industry.qa:
            assert "{" not in qa.answer.replace("{company}", ""), (industry.key, qa.answer)


def test_company_names_and_taglines_are_distinct_across_industries(lexicon: Lexicon) -> None:
    names: dict[str, str] = {}
    taglines: dict[str, str] = {}
    for industry in lexicon.industries:
        for name in industry.company_names:
            assert names.setdefault(name.lower(), industry.key) == industry.key, name
        for tagline in industry.taglines:
            assert taglines.setdefault(tagline.lower(), industry.key) == industry.key, tagline


def test_persona_kinds_follow_the_relationship(lexicon: Lexicon) -> None:
    kinds = {key: lexicon.lookup(key).industry.persona_kind
             for key in ("credit union", "bank", "auto insurance", "hospital", "veterinarian",
                         "florist", "bakery")}
    assert kinds == {"credit union": "banking", "bank": "banking",
                     "auto insurance": "insurance", "hospital": "healthcare",
                     "veterinarian": "generic", "florist": "generic", "bakery": "generic"}


@pytest.mark.parametrize(("text", "key"), [
    ("florist", "florist"),
    ("Florists", "florist"),
    ("a florist shop", "florist"),
    ("FLOWER SHOP", "florist"),
    ("an ice cream store", "ice cream shop"),
    ("dentist", "dentist"),
    ("dentists", "dentist"),
    ("credit union", "credit union"),
    ("coffee shop", "coffee shop"),
    ("café", "coffee shop"),
    ("pizza place", "pizzeria"),
    ("plumbing company", "plumber"),
    ("bakeries", "bakery"),
])
def test_lookup_by_name_synonym_and_plural(lexicon: Lexicon, text: str, key: str) -> None:
    match = lexicon.lookup(text)
    assert match.how == "exact"
    assert match.industry.key == key


def test_partial_match_finds_the_head_noun(lexicon: Lexicon) -> None:
    # The head noun with a modifier its entry speaks of; qualifiers are set aside.
    match = lexicon.lookup("sympathy florist")
    assert (match.how, match.industry.key) == ("partial", "florist")
    assert lexicon.lookup("organic vegan bakery").industry.key == "bakery"
    # A modifier the entry never mentions changes the business: no match on the head alone.
    assert lexicon.lookup("quantum florist").how == "composed"


def test_brand_names_map_to_industries(lexicon: Lexicon) -> None:
    match = lexicon.lookup("Wells Fargo")
    assert (match.how, match.industry.key, match.brand) == ("brand", "bank", "Wells Fargo")
    assert lexicon.lookup("starbucks").industry.key == "coffee shop"


def test_unknown_words_get_distinct_seeded_entries(lexicon: Lexicon) -> None:
    one = lexicon.lookup("quantum widget repair")
    two = lexicon.lookup("artisanal ice sculpture")
    assert one.how == two.how == "composed"
    assert one.industry.label == "Quantum widget repair"
    # Names are brand-like, never the request with a suffix ("Quantum Widget Repair Works").
    assert all(not n.lower().startswith("quantum widget repair")
               for n in one.industry.company_names)
    assert set(one.industry.company_names).isdisjoint(two.industry.company_names)
    assert one.industry.primary != two.industry.primary
    assert one.industry.taglines != two.industry.taglines or one.industry.label != \
        two.industry.label
    again = Lexicon().lookup("quantum widget repair")
    assert again.industry == one.industry


@pytest.mark.parametrize("text", ["", "   ", "!!!", "x" * 5000, "\x00\ud800", "../../etc",
                                  "<script>alert(1)</script>", "a an the"])
def test_lookup_never_fails(lexicon: Lexicon, text: str) -> None:
    match = lexicon.lookup(text)
    assert match.industry.tabs and match.industry.company_names


def test_normalise_words() -> None:
    assert normalise_words("Florists' Shop!") == ["florist", "shop"]
    assert normalise_words("Bakeries & Cafés") == ["bakery", "and", "cafe"]


def test_loads_from_resource_path_and_reports_damage(tmp_path: Path) -> None:
    assert resource_path("lexicon.json").is_file()
    broken = tmp_path / "lexicon.json"
    broken.write_text('{"version": 2, "entries": [', encoding="utf-8")
    with pytest.raises(ResourceError):
        Lexicon(broken).lookup("florist")
    data = json.loads(resource_path("lexicon.json").read_text(encoding="utf-8"))
    key = next(iter(data["entries"]))
    entry = json.loads(data["entries"][key])
    entry["tabs"] = []
    data["entries"][key] = json.dumps(entry)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResourceError) as caught:
        Lexicon(bad).get(key)
    assert "\n" not in str(caught.value) and "tabs" in str(caught.value)
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"industries": "florist"}', encoding="utf-8")
    with pytest.raises(ResourceError) as caught:
        Lexicon(wrong).lookup("florist")
    assert "\n" not in str(caught.value) and "wrong.json" in str(caught.value)


def test_a_worker_thread_loads_the_same_knowledge_base_and_reports_the_same_damage(
        lexicon: Lexicon, tmp_path: Path) -> None:
    """Off the main thread the JSON is read by the pure-Python scanner (it hands the GIL to
    the window's loop): the same entries, index and errors as the C parser's."""
    from concurrent.futures import ThreadPoolExecutor

    def in_worker(path: Path | None, text: str) -> object:
        try:
            return Lexicon(path).lookup(text)
        except ResourceError as exc:
            return str(exc)

    broken = tmp_path / "lexicon.json"
    broken.write_text('{"version": 2, "entries": [', encoding="utf-8")
    with ThreadPoolExecutor(1) as pool:
        for text in ("florist", "wedding florist", "coffee shop", "quantum widget repair"):
            assert pool.submit(in_worker, None, text).result() == lexicon.lookup(text)
        damaged = pool.submit(in_worker, broken, "florist").result()
    assert isinstance(damaged, str) and "lexicon.json" in damaged and "\n" not in damaged

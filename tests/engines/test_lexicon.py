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


def test_at_least_150_industries_all_validate(lexicon: Lexicon) -> None:
    industries = lexicon.industries  # validates every entry
    assert len(industries) >= 150
    assert len({i.key for i in industries}) == len(industries)


def test_each_industry_is_complete(lexicon: Lexicon) -> None:
    icons = set(lexicon.data.icons)
    for industry in lexicon.industries:
        assert industry.synonyms, industry.key
        assert 3 <= len(industry.tabs) <= 6, industry.key
        assert 3 <= len(industry.metrics) <= 4, industry.key
        assert 3 <= len(industry.qa) <= 6, industry.key
        assert industry.persona_fields and industry.items, industry.key
        assert industry.color_family in lexicon.data.colors, industry.key
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


def test_persona_kinds_follow_the_family(lexicon: Lexicon) -> None:
    kinds = {key: lexicon.lookup(key).industry.persona_kind
             for key in ("credit union", "bank", "auto insurance", "dental clinic",
                         "pharmacy", "florist", "bakery")}
    assert kinds == {"credit union": "banking", "bank": "banking",
                     "auto insurance": "insurance", "dental clinic": "healthcare",
                     "pharmacy": "healthcare", "florist": "generic", "bakery": "generic"}


@pytest.mark.parametrize(("text", "key"), [
    ("florist", "florist"),
    ("Florists", "florist"),
    ("a florist shop", "florist"),
    ("FLOWER SHOP", "florist"),
    ("an ice cream store", "ice cream shop"),
    ("dentist", "dental clinic"),
    ("dental clinic", "dental clinic"),
    ("credit union", "credit union"),
    ("coffee", "coffee shop"),
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
    match = lexicon.lookup("wedding florist")
    assert (match.how, match.industry.key) == ("partial", "florist")
    assert lexicon.lookup("organic vegan bakery").industry.key == "bakery"


def test_brand_names_map_to_industries(lexicon: Lexicon) -> None:
    match = lexicon.lookup("Wells Fargo")
    assert (match.how, match.industry.key, match.brand) == ("brand", "bank", "Wells Fargo")
    assert lexicon.lookup("starbucks").industry.key == "coffee shop"


def test_unknown_words_get_distinct_seeded_entries(lexicon: Lexicon) -> None:
    one = lexicon.lookup("quantum widget repair")
    two = lexicon.lookup("artisanal ice sculpture")
    assert one.how == two.how == "generic"
    assert one.industry.label == "Quantum widget repair"
    assert "Quantum" in one.industry.company_names[0]
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
    broken.write_text('{"version": 1, "industries": [', encoding="utf-8")
    with pytest.raises(ResourceError):
        Lexicon(broken).lookup("florist")
    data = json.loads(resource_path("lexicon.json").read_text(encoding="utf-8"))
    data["industries"][0]["tabs"] = []
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResourceError) as caught:
        Lexicon(bad).get(data["industries"][0]["key"])
    assert "\n" not in str(caught.value) and "tabs" in str(caught.value)
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"industries": "florist"}', encoding="utf-8")
    with pytest.raises(ResourceError) as caught:
        Lexicon(wrong).lookup("florist")
    assert "\n" not in str(caught.value) and "wrong.json" in str(caught.value)

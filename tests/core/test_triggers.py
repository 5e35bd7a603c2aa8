"""Trigger phrases: variants, company names, reset, ordinary chat, and never raising."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presto_desktop.core.triggers import parse_trigger, request_key, slugify

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@pytest.mark.parametrize(
    "text",
    [
        "Presto-Change-O, you're a florist",
        "presto change-o you are a florist",
        "PRESTO CHANGEO, BECOME A FLORIST!!!",
        "Presto! Turn into a florist.",
        "presto-change-o: you’re an florist",
        "  presto changeo... you're a Florist?",
        "Presto chango, be a florist",
    ],
)
def test_variants_give_florist(text: str) -> None:
    request = parse_trigger(text)
    assert request is not None and request.kind == "switch"
    assert request.industry == "florist"
    assert request.company is None
    assert request.slug == "florist"


@pytest.mark.parametrize("word", ["called", "named"])
def test_company_name(word: str) -> None:
    request = parse_trigger(f"Presto-Change-O, you're a bakery {word} Crumb & Co.")
    assert request is not None
    assert request.industry == "bakery"
    assert request.company == "Crumb & Co"
    assert request.slug == "bakery-crumb-co"


def test_bare_company_name() -> None:
    request = parse_trigger("Presto-Change-O, you're Wells Fargo")
    assert request is not None
    assert request.company == "Wells Fargo"


@pytest.mark.parametrize(
    "text", ["Presto-Change-O, back to normal", "presto change-o reset", "Presto! Back to normal."]
)
def test_reset(text: str) -> None:
    request = parse_trigger(text)
    assert request is not None and request.kind == "reset"
    assert request.slug == "default"


@pytest.mark.parametrize(
    "text",
    [
        "you're a florist",
        "What's my checking balance?",
        "I love presto pasta",
        "prestochangeo",
        "",
        "Presto!",
    ],
)
def test_ordinary_chat(text: str) -> None:
    assert parse_trigger(text) is None


def test_request_key_normalises() -> None:
    a = parse_trigger("Presto-Change-O, you're a FLORIST called Petal")
    b = parse_trigger("presto!  become a florist named petal!")
    assert a is not None and b is not None
    assert a.key == b.key == request_key("florist", "petal")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_and_slug_valid(text: str) -> None:
    for candidate in (text, "Presto-Change-O, you're a " + text, "presto! become " + text):
        request = parse_trigger(candidate)
        if request is not None:
            assert SLUG.match(request.slug)
            assert len(request.industry) <= 80


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_slugify_always_valid(text: str) -> None:
    assert SLUG.match(slugify(text))


def test_markup_and_paths_are_kept_literally() -> None:
    markup = parse_trigger("Presto-Change-O, you're <b>bold</b>")
    assert markup is not None and markup.industry == "<b>bold</b>"
    dots = parse_trigger("Presto! become a bakery called ../../etc")
    assert dots is not None and dots.company == "../../etc" and dots.slug == "bakery-etc"


def test_company_only_request_slug_names_it_once() -> None:
    request = parse_trigger("Presto-Change-O, you're Wells Fargo")
    assert request is not None and request.slug == "wells-fargo"

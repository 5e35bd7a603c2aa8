"""What the LLM is asked to fill in when generating a mode: a strict-mode compatible schema.

Every field is required, optional ones are `X | None` without defaults, unknown keys are
forbidden (additionalProperties: false). String caps are enforced by trimming after parsing
(strict servers reject maxLength), list caps are announced as maxItems and enforced by trimming.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _cut(limit: int) -> AfterValidator:
    """Trim a string to `limit` characters (models overshoot; failing would waste a round trip)."""
    return AfterValidator(lambda value: " ".join(value.split())[:limit].strip())


def _cut_keep_lines(limit: int) -> AfterValidator:
    return AfterValidator(lambda value: value.strip()[:limit])


def _first(limit: int) -> AfterValidator:
    return AfterValidator(lambda items: items[:limit])


def _max_items(limit: int) -> Any:  # Any: what pydantic types Field() as
    """Announce a list cap as maxItems (strict servers reject it as a constraint, not as extra)."""
    return Field(json_schema_extra={"maxItems": limit})


Short = Annotated[str, _cut(60)]
Label = Annotated[str, _cut(32)]
Line = Annotated[str, _cut(200)]
Para = Annotated[str, _cut_keep_lines(2000)]
Prompt = Annotated[str, _cut_keep_lines(6000)]
Number = Annotated[float, Field(allow_inf_nan=False)]


def _hex(value: str) -> str:
    return value.lower()


HexColor = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$"), AfterValidator(_hex)]


class _Gen(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GenPoint(_Gen):
    """One chart point."""

    label: Short
    value: Number


class GenChart(_Gen):
    """A sample chart for offline replay."""

    type: Literal["line", "bar", "pie", "area"]
    title: Line
    unit: Label
    points: Annotated[list[GenPoint], _max_items(24), _first(24)]


class GenAnswer(_Gen):
    """A sample customer question with the assistant's answer (and an optional chart)."""

    question: Line
    keywords: Annotated[list[Short], _max_items(8), _first(8)]
    answer: Para
    chart: GenChart | None


class GenTab(_Gen):
    """A dashboard tab; clicking it asks `prompt`."""

    label: Label
    icon: Label
    prompt: Line


class GenMetric(_Gen):
    """A KPI card."""

    label: Short
    value: Number
    unit: Label


class GenDetail(_Gen):
    """An industry-specific persona field with plausible values to pick from."""

    label: Short
    choices: Annotated[list[Short], _max_items(6), _first(6)]


class GeneratedMode(_Gen):
    """The mode content the LLM proposes; colours, persona values and ids are made locally."""

    industry: Short
    company_name: Short
    mode_name: Short
    tagline: Annotated[str, _cut(160)]
    primary_color: HexColor
    personality: Para
    system_prompt: Prompt
    welcome_message: Para
    tabs: Annotated[list[GenTab], _max_items(6), _first(6)]
    metrics: Annotated[list[GenMetric], _max_items(6), _first(6)]
    persona_kind: Literal["banking", "insurance", "healthcare", "generic"]
    persona_details: Annotated[list[GenDetail], _max_items(8), _first(8)]
    persona_items: Annotated[list[Short], _max_items(8), _first(8)]
    suggested_prompts: Annotated[list[Line], _max_items(6), _first(6)]
    offline_content: Annotated[list[GenAnswer], _max_items(10), _first(10)]


class RefinedRequest(_Gen):
    """The LLM's reading of a trigger message."""

    is_mode_request: bool
    industry: Short
    company: Short | None


@lru_cache(maxsize=8)
def strict_response_format(model: type[BaseModel]) -> dict[str, Any]:
    """The `response_format` for strict structured outputs, built once per model.

    Equivalent to what `chat.completions.parse(response_format=model)` sends, but cached:
    regenerating the schema on every call costs ~9 ms.
    """
    return {"type": "json_schema",
            "json_schema": {"name": model.__name__, "strict": True,
                            "schema": model.model_json_schema()}}


@lru_cache(maxsize=8)
def schema_text(model: type[BaseModel]) -> str:
    """The model's JSON Schema as compact text, for prompts to servers without json_schema."""
    return json.dumps(model.model_json_schema(), separators=(",", ":"))


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


def extract_json(text: str) -> str:
    """The JSON object inside an answer that may wrap it in prose or code fences."""
    text = text.strip()
    if text.startswith("{"):
        return text
    fenced = _FENCE.search(text)
    if fenced and fenced.group(1).strip().startswith("{"):
        return fenced.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else text

"""The schema of one industry: a knowledge-base entry or a composed one (what a mode is made from)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from presto_desktop.core.models import Chart, Slug
from presto_desktop.core.persona import Relationship

HexColor = Annotated[str, StringConstraints(pattern=r"^#[0-9a-f]{6}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=80)]
class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Model):
    """A product or service with its price (or rate)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    price: Annotated[float, Field(ge=0, le=1e7)]


class PersonaField(_Model):
    """A persona detail label and the values a seeded persona may pick from."""

    label: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    choices: Annotated[list[Annotated[str, StringConstraints(max_length=120)]],
                       Field(min_length=1)]


class TabSpec(_Model):
    """A dashboard tab; `topic` names the offline answer ("qa:N" or a persona topic)."""

    id: Slug
    label: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    icon: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,32}$")]
    prompt: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    topic: Annotated[str, StringConstraints(min_length=1, max_length=40)]


class MetricSpec(_Model):
    """A business-facing KPI with a range its value is seeded from per mode."""

    label: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    unit: Annotated[str, StringConstraints(max_length=16)] = ""
    range: tuple[float, float]


class QA(_Model):
    """A sample question with keywords, an answer template ({company}) and an optional chart."""

    question: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    keywords: Annotated[list[Annotated[str, StringConstraints(max_length=40)]],
                        Field(max_length=16)]
    answer: Text
    chart: Chart | None = None


class Industry(_Model):
    """One industry, from the knowledge base or composed: everything a mode is made from."""

    key: Short
    label: Short
    synonyms: list[str] = []
    group: str
    relationship: Relationship
    persona_kind: Literal["banking", "insurance", "healthcare", "generic"]
    noun: Annotated[str, StringConstraints(min_length=1, max_length=30)]
    primary: HexColor
    icon: str = "circle"
    items: Annotated[list[Item], Field(min_length=1, max_length=12)]
    price_note: Annotated[str, StringConstraints(max_length=16)] = ""
    free: bool = False
    tabs: Annotated[list[TabSpec], Field(min_length=3, max_length=6)]
    metrics: Annotated[list[MetricSpec], Field(min_length=3, max_length=4)]
    persona_fields: Annotated[list[PersonaField], Field(max_length=12)]
    qa: Annotated[list[QA], Field(min_length=3, max_length=8)]
    company_names: Annotated[list[Short], Field(min_length=1)]
    taglines: Annotated[list[Annotated[str, StringConstraints(max_length=160)]],
                        Field(min_length=1)]
    personality: Text
    composed: bool = False


class Brand(_Model):
    """A well-known company name and the industry it belongs to."""

    name: str
    industry: str

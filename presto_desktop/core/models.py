"""The mode file model: strict pydantic v2 with length caps on every string and list."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    model_validator,
)

from presto_desktop.core.contrast import check_palette_contrast
from presto_desktop.core.icon_names import industry_icon
from presto_desktop.core.logo_svg import logo_problem
from presto_desktop.core.patterns import PALETTE_ROLES
from presto_desktop.core.persona import Persona
from presto_desktop.core.strict import StrictModel
from presto_desktop.core.summary import HEX_PATTERN, SLUG_PATTERN, ModeSummary, Slug

SCHEMA_VERSION = 1
__all__ = ["HEX_PATTERN", "PALETTE_ROLES", "SLUG_PATTERN", "Mode", "ModeSummary", "Palette", "PaletteRoles"]

ShortText = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Line = Annotated[str, StringConstraints(max_length=200)]
Para = Annotated[str, StringConstraints(max_length=2000)]
LongText = Annotated[str, StringConstraints(max_length=8000)]
# Upper-case hex is accepted on import and stored lower-case (the form every writer uses).
HexColor = Annotated[
    str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$", min_length=7, max_length=7),
    AfterValidator(str.lower),
]


class PaletteRoles(StrictModel):
    """One colour scheme variant (light or dark); every role is #rrggbb."""

    primary: HexColor
    on_primary: HexColor
    secondary: HexColor
    on_secondary: HexColor
    background: HexColor
    surface: HexColor
    text: HexColor
    text_muted: HexColor
    border: HexColor
    user_bubble: HexColor
    on_user_bubble: HexColor
    assistant_bubble: HexColor
    on_assistant_bubble: HexColor


class Palette(StrictModel):
    """Seed colour plus derived light and dark variants meeting WCAG AA."""

    primary: HexColor
    light: PaletteRoles
    dark: PaletteRoles

    @model_validator(mode="after")
    def _contrast(self) -> Palette:
        for variant in ("light", "dark"):
            problem = check_palette_contrast(getattr(self, variant).model_dump())
            if problem:
                raise ValueError(f"{variant} palette: {problem}")
        return self


class Tab(StrictModel):
    """A dashboard tab; clicking it asks the assistant `prompt`."""

    id: Slug
    label: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    icon: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,32}$")] = "circle"
    prompt: Line = ""


class Metric(StrictModel):
    """A KPI card: label, value and unit."""

    label: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    value: float = Field(allow_inf_nan=False)
    unit: Annotated[str, StringConstraints(max_length=16)] = ""


class ChartPoint(StrictModel):
    """One labelled value in a chart series."""

    label: Annotated[str, StringConstraints(max_length=40)]
    value: float = Field(allow_inf_nan=False)


class Chart(StrictModel):
    """A chart drawn by the `show_chart` tool."""

    type: Literal["line", "bar", "pie", "area"]
    title: Annotated[str, StringConstraints(max_length=120)]
    points: Annotated[list[ChartPoint], Field(min_length=1, max_length=500)]
    unit: Annotated[str, StringConstraints(max_length=16)] = ""


class OfflineAnswer(StrictModel):
    """A sample question with its answer (and optional chart or KPI update) for offline replay."""

    question: Line
    keywords: Annotated[list[Annotated[str, StringConstraints(max_length=40)]], Field(max_length=16)]
    answer: Para
    chart: Chart | None = None
    metrics: Annotated[list[Metric], Field(max_length=8)] = []


class Source(StrictModel):
    """Which engine (and model) made the mode."""

    engine: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    model: Annotated[str, StringConstraints(max_length=120)] | None = None


IconName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,32}$")]
# A logo of at most 256 KB (docs/BRAND.md): its base64 keeps a mode file well under 1 MB.
MAX_LOGO_BYTES = 256_000
LOGO_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


class Logo(StrictModel):
    """The company's own logo, embedded: checked (core/logo.py) before it is stored."""

    media_type: Literal["image/png", "image/jpeg", "image/svg+xml"]
    data: Annotated[str, StringConstraints(max_length=(MAX_LOGO_BYTES + 2) // 3 * 4,
                                           pattern=r"^[A-Za-z0-9+/]*={0,2}$")]

    @model_validator(mode="after")
    def _safe(self) -> Logo:
        # A shared mode file is as untrusted as the logo file was: checked again on every read.
        problem = logo_problem(self.media_type, base64.b64decode(self.data))
        if problem:
            raise ValueError(problem)
        return self


class GeneratedMark(Logo):
    """An image model's mark embedded by `modes export` (docs/BRAND.md), checked like a logo."""

    # Pixels only: an image model sends no markup, so an SVG here is refused.
    media_type: Literal["image/png", "image/jpeg"]


class Brand(StrictModel):
    """The mode's mark: the industry's icon for the drawn emblem, or the company's logo."""

    icon: IconName | None = None
    logo: Logo | None = None
    # Shown when there is no logo: a generated mark carried by a shared file (one-file bundle).
    mark: GeneratedMark | None = None
    # The palette before the logo seeded it: "Remove logo" restores it (docs/BRAND.md).
    previous_palette: Palette | None = None


class Mode(StrictModel):
    """A complete business persona for the window: the content of one mode file."""

    schema_version: Literal[1]
    id: Slug
    industry: ShortText
    name: ShortText
    company_name: ShortText
    tagline: Annotated[str, StringConstraints(max_length=160)]
    palette: Palette
    personality: Para
    system_prompt: LongText
    welcome_message: Para
    tabs: Annotated[list[Tab], Field(min_length=1, max_length=8)]
    metrics: Annotated[list[Metric], Field(max_length=8)]
    persona: Persona
    suggested_prompts: Annotated[list[Line], Field(max_length=8)]
    offline_content: Annotated[list[OfflineAnswer], Field(max_length=64)]
    request_key: Annotated[str, StringConstraints(max_length=200)] = ""
    created_at: datetime
    source: Source
    brand: Brand | None = None

    def summary(self, *, builtin: bool = False) -> ModeSummary:
        """What the mode library lists of this mode."""
        return ModeSummary(
            id=self.id,
            name=self.name,
            company_name=self.company_name,
            industry=self.industry,
            tagline=self.tagline,
            primary=self.palette.primary,
            secondary=self.palette.light.secondary,
            request_key=self.request_key,
            builtin=builtin,
            created_at=self.created_at,
            icon=industry_icon(self.brand.icon if self.brand else None, self.industry,
                               self.tabs[0].icon),
            # A logo or an embedded mark: the library reads the file for its pixels.
            has_logo=self.brand is not None and (self.brand.logo or self.brand.mark) is not None,
            light=self.palette.light.model_dump(), dark=self.palette.dark.model_dump(),
        )

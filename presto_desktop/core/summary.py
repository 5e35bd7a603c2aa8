"""The mode library's summary of a mode (imports no mode models)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from pydantic import StringConstraints

from presto_desktop.core.patterns import HEX_PATTERN, SLUG_PATTERN
from presto_desktop.core.strict import StrictModel

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
HexColor = Annotated[str, StringConstraints(pattern=HEX_PATTERN, min_length=7, max_length=7)]


class ModeSummary(StrictModel):
    """What the mode library lists: enough to show and search, no more."""

    id: Slug
    name: str
    company_name: str
    industry: str
    tagline: str
    primary: HexColor
    secondary: HexColor
    request_key: str = ""
    builtin: bool = False
    created_at: datetime

    @classmethod
    def of(cls, mode: Mode, *, builtin: bool = False) -> ModeSummary:
        """Summarise a validated mode."""
        return cls(
            id=mode.id,
            name=mode.name,
            company_name=mode.company_name,
            industry=mode.industry,
            tagline=mode.tagline,
            primary=mode.palette.primary,
            secondary=mode.palette.light.secondary,
            request_key=mode.request_key,
            builtin=builtin,
            created_at=mode.created_at,
        )

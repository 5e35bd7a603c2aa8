"""The mode library's summary of a mode (imports no mode models)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints

from presto_desktop.core.patterns import HEX_PATTERN, SLUG_PATTERN
from presto_desktop.core.strict import StrictModel

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
HexColor = Annotated[str, StringConstraints(pattern=HEX_PATTERN, min_length=7, max_length=7)]


class ModeSummary(StrictModel):
    """What the mode library lists: enough to show and search, no more (Mode.summary makes one)."""

    id: Slug
    name: str
    company_name: str
    industry: str
    tagline: str
    primary: HexColor
    secondary: HexColor
    request_key: str = ""
    builtin: bool = False
    icon: str = ""  # the emblem's icon ("" in an index written before emblems)
    has_logo: bool = False
    created_at: datetime
    # The palette's roles (role -> '#rrggbb') the library draws the emblem with. Required: an
    # index written before them fails validation, and the store reads the file again. Not
    # derived from `primary`: an imported palette need not be the derived one, and the
    # derivation (coloraide) cost the window's process ~170 ms of CPU at every start.
    light: dict[str, HexColor]
    dark: dict[str, HexColor]

"""The one strict pydantic base every stored model derives from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Base: unknown keys rejected, no type coercion, frozen values."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

"""The fact-check judge's answer: every sentence of an item's copy the facts do not support.

A model fills this as structured output (`merlin_assets.engine.judge`). The bounds keep a
rambling judge from costing more than the copy it reads: a page holds about 30 fields and
the judge flags a handful at most.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

FLAGS_MAX = 24


class Unsupported(BaseModel):
    """One sentence, copied exactly from the copy, and why the facts do not support it."""

    sentence: Annotated[str, Field(min_length=1, max_length=400)]
    reason: Annotated[str, Field(min_length=1, max_length=240)]


class Verdict(BaseModel):
    """Every unsupported sentence; an empty list when every statement is in the facts."""

    unsupported: Annotated[list[Unsupported], Field(max_length=FLAGS_MAX)] = Field(
        default_factory=list
    )

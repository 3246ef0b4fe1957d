"""The offline provider's rule-based writers, one per phase; also the fallback when an LLM fails.

Each writer reads only the Inputs fields its phase depends on and is deterministic: the same
config and upstream results always give the same output.
"""

from __future__ import annotations

from collections.abc import Callable

from merlin_assets.inputs import Inputs
from merlin_assets.models import PhaseModel
from merlin_assets.writers.content import copywriting
from merlin_assets.writers.design import design_context, design_strategy, style_system
from merlin_assets.writers.images import image_plan
from merlin_assets.writers.pages import page_copy
from merlin_assets.writers.planning import layout, page_plan, section_plan
from merlin_assets.writers.seo import seo_strategy

WRITERS: dict[str, Callable[[Inputs], PhaseModel]] = {
    "design_strategy": design_strategy,
    "design_context": design_context,
    "section_plan": section_plan,
    "style_system": style_system,
    "layout": layout,
    "page_plan": page_plan,
    "image_plan": image_plan,
    "copywriting": copywriting,
    "seo_strategy": seo_strategy,
    "page_copy": page_copy,
}

__all__ = ["WRITERS"]

"""The phase graph: each LLM phase's upstream phases, output model, prompt and repair."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from merlin_assets import repair
from merlin_assets.inputs import Inputs
from merlin_assets.models import (
    Copywriting,
    DesignContext,
    DesignStrategy,
    ImagePlan,
    Layout,
    PageCopy,
    PagePlan,
    PhaseModel,
    SectionPlan,
    SeoStrategy,
    StyleSystem,
)
from merlin_assets.prompts import content, design, planning

Repair = Callable[[PhaseModel, Inputs, Callable[[], PhaseModel]], tuple[PhaseModel, list[str]]]


@dataclass(frozen=True)
class Phase:
    """One structured-output phase. `deps` are upstream phases; the config is always known."""

    name: str
    group: str
    deps: tuple[str, ...]
    model: type[PhaseModel]
    prompt: Callable[[Inputs], str]
    repair: Repair
    description: str


PHASES: dict[str, Phase] = {
    p.name: p
    for p in (
        Phase(
            "design_strategy",
            "design",
            (),
            DesignStrategy,
            design.design_strategy,
            repair.keep,
            "Brand personality, voice, visual keywords, colour direction, conversion goal "
            "and trust builders.",
        ),
        Phase(
            "design_context",
            "design",
            (),
            DesignContext,
            design.design_context,
            repair.keep,
            "Audience, emotional tone, value proposition and page objective.",
        ),
        Phase(
            "section_plan",
            "planning",
            (),
            SectionPlan,
            planning.section_plan,
            repair.section_plan,
            "Ordered sections of the site, each with a key, type, importance and notes.",
        ),
        Phase(
            "style_system",
            "design",
            ("design_strategy", "design_context"),
            StyleSystem,
            design.style_system,
            repair.style_system,
            "Palette, fonts, type scale, spacing, radii, shadows and mood; text meets WCAG AA.",
        ),
        Phase(
            "layout",
            "planning",
            ("section_plan", "design_strategy"),
            Layout,
            planning.layout,
            repair.layout,
            "A layout variant, columns and image slots for every planned section.",
        ),
        Phase(
            "page_plan",
            "planning",
            ("section_plan",),
            PagePlan,
            planning.page_plan,
            repair.page_plan,
            "The site's pages: home first, contact last, every section on exactly one page.",
        ),
        Phase(
            "image_plan",
            "planning",
            ("section_plan", "style_system", "design_strategy"),
            ImagePlan,
            planning.image_plan,
            repair.image_plan,
            "Every image of the site: its section, purpose, prompt, alt text and aspect.",
        ),
        Phase(
            "copywriting",
            "content",
            ("design_context", "design_strategy", "section_plan"),
            Copywriting,
            content.copywriting,
            repair.keep,
            "Site-wide messaging: tagline, value proposition, voice, CTAs, services, FAQs "
            "and testimonials.",
        ),
        Phase(
            "seo_strategy",
            "content",
            ("design_context", "page_plan"),
            SeoStrategy,
            content.seo_strategy,
            repair.seo_strategy,
            "Site title, per-page titles, descriptions and keywords, schema.org and Open Graph.",
        ),
    )
}

# Page copy is one call per page, made inside each `site_pages` partition, not a phase asset.
PAGE_COPY = Phase(
    "page_copy",
    "pages",
    ("page_plan", "layout", "copywriting", "section_plan", "design_context"),
    PageCopy,
    content.page_copy,
    repair.page_copy,
    "The copy of one page's sections.",
)

PHASE_ORDER: tuple[str, ...] = tuple(PHASES)


@cache
def depth(name: str) -> int:
    """Rounds of dependent work before a phase can start (the config is round 0)."""
    if name == "project_config":
        return 0
    phase = PAGE_COPY if name == "page_copy" else PHASES[name]
    return 1 + max((depth(d) for d in phase.deps), default=0)

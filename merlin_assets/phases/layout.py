"""Layout: a variant, columns and image slots for every planned section."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from merlin_assets.config.project import ProjectConfig
from merlin_assets.industries import profile_for
from merlin_assets.phases.base import NodeInputs, Phase, needs_of
from merlin_assets.phases.design_strategy import DesignStrategy
from merlin_assets.prompts.common import inputs_block
from merlin_assets.types.field_limits import Notes
from merlin_assets.types.pages import Layout, SectionLayout, SectionPlan
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets.writers.text import (
    need,
    pick,
    rng_for,
    services_for,
)

LAYOUT = """Choose a layout for every section in the plan, using exactly the same keys.
Variants: hero split|centered|full-bleed; services and features grid|cards|list; about
split|stacked; testimonials cards|quote; gallery grid|masonry; anything else default.
Give columns (1-4) and the number of image slots (0-4) for each.
{inputs}"""


def prompt(inp: Inputs) -> str:
    return LAYOUT.format(
        inputs=inputs_block(section_plan=inp.section_plan, design_strategy=inp.design_strategy)
    )


VARIANTS: dict[str, tuple[str, ...]] = {
    "hero": ("split", "centered", "full-bleed"),
    "services": ("grid", "cards", "list"),
    "features": ("grid", "cards", "list"),
    "about": ("split", "stacked"),
    "testimonials": ("cards", "quote"),
    "gallery": ("grid", "masonry"),
}


COLUMNS = {
    ("hero", "split"): 2,
    ("about", "split"): 2,
    ("testimonials", "cards"): 3,
    ("gallery", "grid"): 3,
    ("gallery", "masonry"): 3,
    ("services", "list"): 1,
    ("features", "list"): 1,
    ("value-proposition", "default"): 3,
    ("process", "default"): 4,
    ("team", "default"): 3,
    ("pricing", "default"): 3,
    ("contact", "default"): 2,
}


def _variant(kind: str, personality: set[str], rng: Random) -> str:
    options = VARIANTS.get(kind, ("default",))
    if kind == "hero":
        # Loud brands get the full-bleed photo; quiet, elegant ones a centred statement.
        if personality & {"bold", "energetic", "motivating", "striking"}:
            return "full-bleed"
        if personality & {"elegant", "refined", "polished", "discreet"}:
            return pick(rng, ("centered", "split"))
    return pick(rng, options)


def _slots(kind: str, config: ProjectConfig) -> int:
    """Image slots that match what the image plan draws for each section type."""
    if kind in {"hero", "about", "team", "cta"}:
        return 1
    if kind == "gallery":
        return 3
    if kind == "services":
        return min(3, len(services_for(config, profile_for(config))))
    return 0


def write(inputs: Inputs) -> Layout:
    need(inputs, "section_plan", "design_strategy")
    assert inputs.section_plan is not None and inputs.design_strategy is not None
    rng = rng_for(inputs, "layout")
    personality = {w.lower() for w in inputs.design_strategy.brand_personality}
    out = []
    for section in inputs.section_plan.sections:
        variant = _variant(section.type, personality, rng)
        columns = COLUMNS.get((section.type, variant), 1)
        if section.type in {"services", "features"} and variant != "list":
            columns = pick(rng, (2, 3))
        out.append(
            SectionLayout(
                key=section.key,
                variant=variant,
                columns=columns,
                image_slots=_slots(section.type, inputs.config),
            )
        )
    return Layout(sections=out)


def repair(value: Layout, inputs: Inputs, rules: Callable[[], PhaseModel]):
    assert inputs.section_plan is not None
    notes: Notes = []
    given = {s.key: s for s in value.sections}
    ruled: dict[str, SectionLayout] | None = None
    out: list[SectionLayout] = []
    for section in inputs.section_plan.sections:
        item = given.get(section.key)
        if item is None:
            if ruled is None:
                r = rules()
                assert isinstance(r, Layout)
                ruled = {s.key: s for s in r.sections}
            item = ruled.get(section.key) or SectionLayout(
                key=section.key, variant="default", columns=1, image_slots=0
            )
            notes.append(f"layout for section {section.key!r} was missing")
        allowed = VARIANTS.get(section.type, ("default",))
        variant = item.variant if item.variant in allowed else allowed[0]
        out.append(
            SectionLayout(
                key=section.key,
                variant=variant,
                columns=min(4, max(1, item.columns)),
                image_slots=min(4, max(0, item.image_slots)),
            )
        )
    dropped = set(given) - {s.key for s in inputs.section_plan.sections}
    if dropped:
        notes.append(f"dropped layouts for unknown sections {sorted(dropped)}")
    return Layout(sections=out), notes


@dataclass(frozen=True)
class Inputs(NodeInputs):
    section_plan: SectionPlan
    design_strategy: DesignStrategy


def preview(v: Layout) -> dict:
    return {"sections": len(v.sections), "variants": {s.key: s.variant for s in v.sections}}


NODE = Phase(
    name="layout",
    group="planning",
    description="A layout variant, columns and image slots for every planned section.",
    needs=needs_of(Inputs),
    inputs=Inputs,
    model=Layout,
    max_output_tokens=512,
    prompt=prompt,
    fallback=write,
    repair=repair,
    preview=preview,
)

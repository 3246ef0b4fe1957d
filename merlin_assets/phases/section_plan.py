"""Section plan: the ordered sections of the whole site, with fixed section types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from merlin_assets.config.project import ProjectConfig
from merlin_assets.industries import IndustryProfile, profile_for
from merlin_assets.phases.base import NodeInputs, Phase, bullets, needs_of
from merlin_assets.prompts.common import business
from merlin_assets.types.field_limits import Notes, as_key
from merlin_assets.types.pages import Section, SectionPlan
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets.types.section_types import SECTION_TYPES
from merlin_assets.writers.text import (
    article,
    audience_for,
    first_sentence,
    goal_clause,
    join,
    rng_for,
    services_for,
    soft_lower,
)

SECTION_PLAN = """Plan the sections of this website, in reading order across the whole site.
Use 7-11 sections. Each has a unique lowercase-hyphenated key, a type from this list only:
{types}; an importance from 1 to 5 and a note on what it must say. Start with a hero and end
with contact. Plan only what the business's own facts can fill: a testimonials section only
when it gives testimonials, a team section only when it gives a team, pricing only when it
gives offers. Never plan for invented reviews, people, figures, awards or guarantees.
{business}"""


def prompt(inp: Inputs) -> str:
    return SECTION_PLAN.format(types=", ".join(SECTION_TYPES), business=business(inp.config))


# Reading order of section types; extras from the industry profile slot into their place.
ORDER = (
    "hero",
    "value-proposition",
    "features",
    "services",
    "process",
    "about",
    "team",
    "gallery",
    "pricing",
    "testimonials",
    "faq",
    "cta",
    "contact",
)


BASE = ("hero", "value-proposition", "services", "about", "testimonials", "faq", "cta", "contact")


def _unsupported(config: ProjectConfig) -> set[str]:
    """Section types whose content only the config's own facts may supply, when it has none."""
    missing = {
        "testimonials": not config.testimonials,
        "team": not config.team,
        "pricing": not config.offers,
    }
    return {kind for kind, absent in missing.items() if absent}


IMPORTANCE = {"hero": 5, "services": 5, "contact": 5, "cta": 4, "about": 4, "testimonials": 4}


def _notes(kind: str, config: ProjectConfig, profile: IndustryProfile, rng: Random) -> str:
    """What each section must say, concrete enough to brief a copywriter."""
    name, services = config.name, services_for(config, profile)
    where = f" in {config.location}" if config.location else ""
    audience = audience_for(config, profile)
    conversion = soft_lower(profile.conversion_goal)
    goal = f" Support the goal {goal_clause(config.goals[0])}." if config.goals else ""
    notes = {
        "hero": f"Introduce {name}, {article(profile.label)} {profile.label}{where}, to "
        f"{audience} with one clear promise and a primary action: {conversion}.",
        "value-proposition": f"Three reasons {audience} choose {name}: "
        f"{join([t.lower() for t in rng.sample(profile.trust_builders, 3)])}.",
        "features": f"The capabilities that matter most to {audience}, each tied to an outcome "
        f"such as: {soft_lower(profile.goals[0])}.",
        "services": f"Present {join(services[:6])} with a short, benefit-led description each.",
        "process": "Show the steps from first contact to result: "
        f"{join([step for step, _ in profile.process])}.",
        "about": f"The story and people behind {name}{where}. "
        + (first_sentence(config.description) or f"Why {profile.customers} trust them."),
        "team": f"Introduce the people {profile.customers} will meet at {name}: "
        + join([f"{m.name} ({m.role})" for m in config.team])
        + ".",
        "gallery": f"Show real work and atmosphere: {rng.choice(profile.image_subjects)}.",
        "pricing": "Show the prices the business gives, as written: "
        + join([o.name for o in config.offers])
        + ".",
        "testimonials": "Show the business's own testimonials, word for word, by "
        + join([t.name for t in config.testimonials])
        + ".",
        "faq": f"Answer what {profile.customers} ask before they commit: cost, timing, "
        f"location and {services[0]}.",
        "cta": f"One clear push to {conversion}.{goal}",
        "contact": f"How to reach {name}{where}: contact details, location and a short "
        "enquiry form.",
    }
    return notes[kind]


def write(inputs: Inputs) -> SectionPlan:
    config = inputs.config
    profile = profile_for(config)
    rng = rng_for(inputs, "section_plan")
    kinds = set(BASE) | set(profile.extra_sections)
    unsupported = _unsupported(config)
    if "testimonials" in unsupported and "process" not in kinds:
        # Without quotes to show, the slot explains how working together goes instead.
        kinds.add("process")
    kinds -= unsupported
    # What the config supplies earns its section: its prices, its people, its quotes.
    kinds |= {"testimonials", "team", "pricing"} - unsupported
    if "features" in kinds:
        # A product site leads with features; a value-proposition strip would repeat them.
        kinds.discard("value-proposition")
    ordered = [kind for kind in ORDER if kind in kinds]
    if "gallery" in ordered and rng.random() < 0.5:
        # Some sites show the work straight after the offer, others after the story.
        ordered.remove("gallery")
        ordered.insert(ordered.index("services") + 1, "gallery")
    return SectionPlan(
        sections=[
            Section(
                key=kind,
                type=kind,  # type: ignore[arg-type]
                importance=IMPORTANCE.get(kind, 3),
                notes=_notes(kind, config, profile, rng),
            )
            for kind in ordered
        ]
    )


def repair(value: SectionPlan, inputs: Inputs, rules: Callable[[], PhaseModel]):
    notes: Notes = []
    taken: set[str] = set()
    sections: list[Section] = []
    unsupported = _unsupported(inputs.config)
    seen_types: set[str] = set()
    for s in value.sections:
        if s.type in unsupported:
            notes.append(f"dropped section {s.key!r}: the config gives no {s.type} to show")
            continue
        # One section per type: a second "process" section has nothing of its own to say, and
        # a page written by the rules would show the first one's words twice (a real small
        # model planned six "how it works" sections on one page).
        if s.type in seen_types:
            notes.append(f"dropped section {s.key!r}: a second {s.type} section")
            continue
        seen_types.add(s.type)
        key = as_key(s.key, taken, s.type)
        if key != s.key:
            notes.append(f"section key {s.key!r} -> {key!r}")
        sections.append(
            s.model_copy(update={"key": key, "importance": min(5, max(1, s.importance))})
        )
    if not any(s.type == "hero" for s in sections):
        sections.insert(
            0,
            Section(
                key=as_key("hero", taken, "hero"),
                type="hero",
                importance=5,
                notes="Opening statement",
            ),
        )
        notes.append("added a hero section")
    elif sections[0].type != "hero":
        hero = next(s for s in sections if s.type == "hero")
        sections.remove(hero)
        sections.insert(0, hero)
        notes.append("moved the hero first")
    if not any(s.type == "contact" for s in sections):
        sections.append(
            Section(
                key=as_key("contact", taken, "contact"),
                type="contact",
                importance=5,
                notes="How to get in touch",
            )
        )
        notes.append("added a contact section")
    if len(sections) < 3:
        ruled = rules()
        assert isinstance(ruled, SectionPlan)
        return ruled, [*notes, "too few sections; used the rule-based plan"]
    return SectionPlan(sections=sections), notes


@dataclass(frozen=True)
class Inputs(NodeInputs):
    """Only the config."""


def preview(v: SectionPlan) -> dict:
    return {
        "sections": len(v.sections),
        "preview_md": bullets([f"`{s.key}` ({s.type}, {s.importance}/5)" for s in v.sections]),
    }


NODE = Phase(
    name="section_plan",
    group="planning",
    description="Ordered sections of the site, each with a key, type, importance and notes.",
    needs=needs_of(Inputs),
    inputs=Inputs,
    model=SectionPlan,
    max_output_tokens=1024,
    prompt=prompt,
    fallback=write,
    repair=repair,
    preview=preview,
)

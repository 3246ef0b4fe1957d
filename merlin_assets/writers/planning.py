"""Rule-based planning phases: which sections the site has, how they are laid out and paged."""

from __future__ import annotations

from random import Random

from merlin_assets.config import ProjectConfig
from merlin_assets.industries import IndustryProfile, profile_for
from merlin_assets.inputs import Inputs
from merlin_assets.models import (
    Layout,
    Page,
    PagePlan,
    Section,
    SectionLayout,
    SectionPlan,
)
from merlin_assets.writers.text import (
    article,
    audience_for,
    first_sentence,
    goal_clause,
    join,
    need,
    pick,
    rng_for,
    services_for,
    slug,
    soft_lower,
)

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
IMPORTANCE = {"hero": 5, "services": 5, "contact": 5, "cta": 4, "about": 4, "testimonials": 4}
IMPORTANCE |= {"value-proposition": 4, "features": 4}


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
        "team": f"Introduce the people {profile.customers} will meet at {name}, with roles and "
        "experience.",
        "gallery": f"Show real work and atmosphere: {rng.choice(profile.image_subjects)}.",
        "pricing": f"Explain how pricing works for {join(services[:3])}: clear, honest and "
        "with no hidden extras.",
        "testimonials": f"Quotes from {profile.customers} that answer the worry: "
        f"{soft_lower(rng.choice(profile.pain_points))}.",
        "faq": f"Answer what {profile.customers} ask before they commit: cost, timing, "
        f"location and {services[0]}.",
        "cta": f"One clear push to {conversion}.{goal}",
        "contact": f"How to reach {name}{where}: contact details, location and a short "
        "enquiry form.",
    }
    return notes[kind]


def section_plan(inputs: Inputs) -> SectionPlan:
    config = inputs.config
    profile = profile_for(config)
    rng = rng_for(inputs, "section_plan")
    kinds = set(BASE) | set(profile.extra_sections)
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


def layout(inputs: Inputs) -> Layout:
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


# Which page a section type lives on when there is no page of its own.
HOME = {"hero", "value-proposition", "features", "testimonials", "cta"}
OFFER = {"services", "process", "pricing"}
STORY = {"about", "team", "gallery"}
CONTACT = {"contact", "faq"}
OFFER_PAGE = {
    "restaurant": ("menu", "Menu"),
    "bakery": ("menu", "Menu"),
    "software": ("product", "Product"),
    "nonprofit": ("our-work", "Our work"),
    "creative": ("services", "Services"),
}
OWN_PAGE = {"pricing": "Pricing", "gallery": "Gallery", "faq": "FAQ"}


def _own_page(profile: IndustryProfile, present: set[str]) -> str | None:
    """The one optional section type that earns its own page, if any (at most 5 pages)."""
    preferred = [k for k in ("pricing", "gallery") if k in profile.extra_sections] + ["faq"]
    return next((kind for kind in preferred if kind in present), None)


def page_plan(inputs: Inputs) -> PagePlan:
    need(inputs, "section_plan")
    assert inputs.section_plan is not None
    config = inputs.config
    profile = profile_for(config)
    name = config.name
    sections = inputs.section_plan.sections
    extra = _own_page(profile, {s.type for s in sections})
    offer_slug, offer_title = OFFER_PAGE.get(profile.key, ("services", "Services"))
    where = f" in {config.location}" if config.location else ""

    pages: dict[str, tuple[str, str, list[str]]] = {
        "home": (
            "Home",
            f"Introduce {name} and lead visitors to {soft_lower(profile.conversion_goal)}.",
            [],
        ),
        offer_slug: (
            offer_title,
            f"Show what {name} offers and how it works, so visitors can choose with confidence.",
            [],
        ),
        "about": ("About", f"Tell the story of {name}{where} and earn trust.", []),
    }
    if extra:
        purpose = {
            "faq": f"Answer common questions about {name} before visitors get in touch.",
            "pricing": f"Set out how pricing works at {name}, clearly and honestly.",
            "gallery": f"Show real work and atmosphere from {name}.",
        }[extra]
        pages[slug(OWN_PAGE[extra])] = (OWN_PAGE[extra], purpose, [])
    pages["contact"] = ("Contact", f"Make it easy to reach {name}{where}.", [])

    for section in sections:
        if section.type == extra:
            target = slug(OWN_PAGE[extra])
        elif section.type in OFFER:
            target = offer_slug
        elif section.type in STORY:
            target = "about"
        elif section.type in CONTACT:
            target = "contact"
        else:
            target = "home"
        pages[target][2].append(section.key)

    home_keys, contact_keys = pages["home"][2], pages["contact"][2]
    if not home_keys:
        # Home always leads; borrow the first section from wherever it landed.
        for _, _, keys in pages.values():
            if keys and keys is not contact_keys:
                home_keys.append(keys.pop(0))
                break
    if not contact_keys and len(home_keys) > 1:
        contact_keys.append(home_keys.pop())
    return PagePlan(
        pages=[
            Page(slug=slug_, title=title, purpose=purpose, section_keys=keys)
            for slug_, (title, purpose, keys) in pages.items()
            if keys or slug_ in {"home", "contact"}
        ]
    )

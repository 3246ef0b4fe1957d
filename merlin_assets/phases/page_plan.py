"""Page plan: the pages, home first and contact last, each section on exactly one page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from merlin_assets.industries import IndustryProfile, profile_for
from merlin_assets.phases.base import NodeInputs, Phase, bullets, needs_of
from merlin_assets.prompts.common import business, inputs_block
from merlin_assets.types.field_limits import Notes, as_key
from merlin_assets.types.pages import Page, PagePlan, SectionPlan, declared_slugs
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets.writers.text import (
    need,
    slug,
    soft_lower,
)

PAGE_PLAN = """Group the planned sections into the pages of the site.
3-5 pages; slugs lowercase-hyphenated and unique; the first page has slug "home" and holds the
hero; a page with slug "contact" comes last and holds the contact section. Every section key
appears on exactly one page. Give each page a short title and purpose.
{business}
{inputs}"""


def prompt(inp: Inputs) -> str:
    return PAGE_PLAN.format(
        business=business(inp.config), inputs=inputs_block(section_plan=inp.section_plan)
    )


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


def write(inputs: Inputs) -> PagePlan:
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


MAX_PAGES = 12


def repair(value: PagePlan, inputs: Inputs, rules: Callable[[], PhaseModel]):
    assert inputs.section_plan is not None
    notes: Notes = []
    sections = inputs.section_plan.sections
    known = {s.key for s in sections}
    placed: set[str] = set()
    reserved = declared_slugs()
    taken: set[str] = set(reserved)
    pages: list[Page] = []
    for i, page in enumerate(value.pages[:MAX_PAGES]):
        slug = as_key(page.slug, taken, f"page-{i + 1}")
        if slug != page.slug and page.slug.strip().lower() in reserved:
            notes.append(f"page {page.slug!r} renamed to {slug!r}: another node publishes it")
        keys = []
        for key in page.section_keys:
            if key not in known:
                notes.append(f"page {slug!r}: dropped unknown section {key!r}")
            elif key in placed:
                notes.append(f"page {slug!r}: section {key!r} is already on another page")
            else:
                keys.append(key)
                placed.add(key)
        pages.append(page.model_copy(update={"slug": slug, "section_keys": keys}))
    hero = next(s.key for s in sections if s.type == "hero")
    contact = next(s.key for s in sections if s.type == "contact")
    # Home holds the hero and comes first, whatever the model called it.
    home = next((p for p in pages if p.slug == "home"), None) or next(
        (p for p in pages if hero in p.section_keys), None
    )
    if home is None:
        home = Page(slug="home", title="Home", purpose="Welcome visitors", section_keys=[])
        pages.insert(0, home)
        notes.append("added a home page")
    if home.slug != "home":
        notes.append(f"page {home.slug!r} renamed to 'home'")
        taken.discard(home.slug)
        home.slug = "home"
    pages.remove(home)
    pages.insert(0, home)
    for key in [k for k in (hero,) if k not in home.section_keys]:
        for p in pages:
            if key in p.section_keys:
                p.section_keys.remove(key)
        home.section_keys.insert(0, key)
        placed.add(key)
        notes.append("moved the hero to the home page")
    contact_page = next((p for p in pages if p.slug == "contact"), None)
    if contact_page is None:
        contact_page = Page(
            slug="contact", title="Contact", purpose="Get in touch", section_keys=[]
        )
        pages.append(contact_page)
        notes.append("added a contact page")
    pages.remove(contact_page)
    pages.append(contact_page)
    if contact not in contact_page.section_keys:
        for p in pages:
            if contact in p.section_keys:
                p.section_keys.remove(contact)
        contact_page.section_keys.append(contact)
        placed.add(contact)
    # A section nobody placed goes on the page of the section before it, keeping reading order.
    page_of = {k: p for p in pages for k in p.section_keys}
    for i, s in enumerate(sections):
        if s.key in placed:
            continue
        prev = next((page_of[x.key] for x in reversed(sections[:i]) if x.key in page_of), home)
        target = prev if prev is not contact_page or s.type == "contact" else home
        target.section_keys.append(s.key)
        page_of[s.key] = target
        notes.append(f"section {s.key!r} was on no page; put it on {target.slug!r}")
    order = {s.key: i for i, s in enumerate(sections)}
    for p in pages:
        p.section_keys.sort(key=order.__getitem__)
    empty = [p.slug for p in pages if not p.section_keys]
    if empty:
        notes.append(f"dropped empty pages {empty}")
    pages = [p for p in pages if p.section_keys]
    return PagePlan(pages=pages), notes


@dataclass(frozen=True)
class Inputs(NodeInputs):
    section_plan: SectionPlan


def preview(v: PagePlan) -> dict:
    return {
        "pages": len(v.pages),
        "slugs": [p.slug for p in v.pages],
        # Which sections each page holds: the timings store derives page -> image edges.
        "page_sections": {p.slug: list(p.section_keys) for p in v.pages},
        "preview_md": bullets([f"**{p.slug}**: {', '.join(p.section_keys)}" for p in v.pages]),
    }


NODE = Phase(
    name="page_plan",
    group="planning",
    description="The site's pages: home first, contact last, every section on exactly one page.",
    needs=needs_of(Inputs),
    inputs=Inputs,
    model=PagePlan,
    max_output_tokens=512,
    prompt=prompt,
    fallback=write,
    repair=repair,
    preview=preview,
)

"""SEO strategy: site and page titles, descriptions, keywords, schema.org and Open Graph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from merlin_assets.config.project import ProjectConfig
from merlin_assets.content_gate import CopyField
from merlin_assets.industries import IndustryProfile, profile_for
from merlin_assets.phases.base import NodeInputs, Phase, needs_of
from merlin_assets.phases.design_context import DesignContext
from merlin_assets.prompts.common import business, inputs_block
from merlin_assets.types.field_limits import (
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    TITLE_MAX,
    Notes,
    clip,
)
from merlin_assets.types.pages import Page, PagePlan
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets.types.seo import Organization, PageSeo, SeoStrategy
from merlin_assets.writers.text import (
    cap,
    find_email,
    find_phone,
    fit_sentences,
    join,
    need,
    services_for,
    soft_lower,
    truncate_words,
)

SEO_STRATEGY = """Write the SEO plan for this website.
A site title; for every page in the page plan (same slugs) a title of at most 60 characters,
a meta description of 120-160 characters and 3-6 keywords; the schema.org type that fits the
business (a LocalBusiness subtype where it has a place), the organization's name, description,
area served, telephone and email (empty when unknown: never invent contact details), and the
Open Graph type.
{business}
{inputs}"""


def prompt(inp: Inputs) -> str:
    return SEO_STRATEGY.format(
        business=business(inp.config),
        inputs=inputs_block(design_context=inp.design_context, page_plan=inp.page_plan),
    )


def fit_title(left: str, right: str, limit: int = TITLE_MAX) -> str:
    """'left | right' within `limit`, shortening the right-hand part at a word first."""
    full = f"{left} | {right}" if right else left
    if len(full) <= limit:
        return full
    room = limit - len(left) - 3
    if room >= 12:
        return f"{left} | {truncate_words(right, room)}"
    return truncate_words(left, limit)


def _keywords(config: ProjectConfig, profile: IndustryProfile, page: Page) -> list[str]:
    services = [s.lower() for s in services_for(config, profile)]
    place = config.location.lower()
    label = profile.label.lower()
    words = [f"{label} {place}".strip(), label]
    if page.slug == "home":
        words += [config.name.lower(), *services[:2]]
    elif page.slug == "contact":
        words += [f"contact {config.name.lower()}", f"{label} near me"]
    else:
        words += [f"{s} {place}".strip() for s in services[:3]]
    seen: list[str] = []
    for word in words:
        if word and word not in seen:
            seen.append(word)
    return seen[:6]


# A second line per kind of page, so no two snippets read the same and none repeats the
# pitch's list of services or promise (the home page's snippet is the pitch itself).
_PAGE_LINES = {
    "home": ("", "Everything you need to know, in one place."),
    "about": ("The story, the people and what we stand for.", "Read how it all started."),
    "gallery": ("Photos of the place, the people and the work.", "See it before you visit."),
    "faq": ("Straight answers to the questions people ask most.", "Or just ask us."),
    "pricing": ("How pricing works, set out clearly.", "Know the cost before you decide."),
    "contact": ("Send a message and we will reply.", "Directions and contact details."),
}
# Pages that hold the offer (services, menu, treatments...): named by the planner.
_OFFER_LINES = ("See what {name} offers, with a note on each.", "Ask us about the rest.")


def _description(
    config: ProjectConfig, profile: IndustryProfile, page: Page, index: int, pitch: str
) -> str:
    where = f" in {config.location}" if config.location else ""
    services = services_for(config, profile)
    # Home leads with the pitch, or a shorter line naming the offer when the pitch is too long
    # (a clipped pitch read "..., made.").
    short = f"{config.name}{where} offers {join(services[:3])}."
    intro = {
        "home": pitch if len(pitch) <= DESCRIPTION_MAX else short,
        "contact": f"Contact {config.name}{where} to {soft_lower(profile.conversion_goal)}, "
        "or just to ask a question.",
        "about": f"Meet {config.name}{where}.",
        # Not "prices, timing": a library or a choir has neither to answer about.
        "faq": f"Answers to common questions about {config.name}{where}.",
    }.get(page.slug, f"{page.title} from {config.name}{where}.")
    offer_page = page.slug not in _PAGE_LINES
    lines = [line.format(name=config.name) for line in _PAGE_LINES.get(page.slug, _OFFER_LINES)]
    sentences = [
        intro,
        lines[0],
        # Services past the pitch's three, named once: on the page that holds the offer.
        f"Ask us about {join(services[3:5])}." if offer_page and len(services) > 3 else "",
        *lines[1:],
    ]
    text = fit_sentences(sentences, DESCRIPTION_MIN, DESCRIPTION_MAX)
    if len(text) >= DESCRIPTION_MIN:
        return text
    # Top up a short snippet with the place, then a trust line, which the value and about
    # sections show too.
    trusts = profile.trust_builders
    more = [
        f"Find {config.name}{where}." if where else "",
        *(f"{trusts[(index + k) % len(trusts)]}." for k in range(2)),
    ]
    return fit_sentences([*sentences, *more], DESCRIPTION_MIN, DESCRIPTION_MAX)


def write(inputs: Inputs) -> SeoStrategy:
    need(inputs, "design_context", "page_plan")
    assert inputs.design_context is not None and inputs.page_plan is not None
    config = inputs.config
    profile = profile_for(config)
    where = f" in {config.location}" if config.location else ""
    # The label, not the first service: the pitch and the services card already name it.
    home_right = f"{cap(profile.label)}{where}"
    pages = []
    for index, page in enumerate(inputs.page_plan.pages):
        if page.slug == "home":
            title = fit_title(config.name, home_right)
        else:
            title = fit_title(page.title, config.name)
        pages.append(
            PageSeo(
                slug=page.slug,
                title=title,
                description=_description(
                    config, profile, page, index, inputs.design_context.value_proposition
                ),
                keywords=_keywords(config, profile, page),
            )
        )
    return SeoStrategy(
        site_title=fit_title(config.name, home_right),
        schema_type=profile.schema_type,
        organization=Organization(
            name=config.name,
            description=truncate_words(inputs.design_context.value_proposition, 300),
            area_served=config.location,
            telephone=find_phone(config.notes),
            email=find_email(config.notes),
        ),
        og_type="website",
        pages=pages,
    )


def repair(value: SeoStrategy, inputs: Inputs, rules: Callable[[], PhaseModel]):
    assert inputs.page_plan is not None
    notes: Notes = []
    given = {p.slug: p for p in value.pages}
    ruled: dict | None = None
    pages = []
    for page in inputs.page_plan.pages:
        seo = given.get(page.slug)
        if seo is None:
            if ruled is None:
                r = rules()
                assert isinstance(r, SeoStrategy)
                ruled = {p.slug: p for p in r.pages}
            seo = ruled.get(page.slug) or value.pages[0].model_copy(update={"slug": page.slug})
            notes.append(f"SEO for page {page.slug!r} was missing")
        title = clip(seo.title or f"{page.title} | {inputs.config.name}", TITLE_MAX)
        description = clip(seo.description or page.purpose, DESCRIPTION_MAX)
        if (title, description) != (seo.title, seo.description):
            notes.append(f"page {page.slug!r}: title or description shortened")
        pages.append(seo.model_copy(update={"title": title, "description": description}))
    return value.model_copy(update={"pages": pages}), notes


@dataclass(frozen=True)
class Inputs(NodeInputs):
    design_context: DesignContext
    page_plan: PagePlan


def preview(v: SeoStrategy) -> dict:
    return {
        "site_title": v.site_title,
        "schema_type": v.schema_type,
        "preview_md": "| page | title | description |\n|---|---|---|\n"
        + "\n".join(f"| {p.slug} | {p.title} | {p.description} |" for p in v.pages),
    }


def copy_fields(item: str, v: SeoStrategy) -> list[CopyField]:
    """The titles and descriptions search results show, for the content gate."""
    fields = [CopyField(item, "site_title", "title", v.site_title)]
    for i, p in enumerate(v.pages):
        fields.append(CopyField(item, f"pages[{i}].title", "title", p.title))
        fields.append(CopyField(item, f"pages[{i}].description", "description", p.description))
    return fields


NODE = Phase(
    name="seo_strategy",
    group="content",
    description="Site title, per-page titles, descriptions and keywords, schema.org and "
    "Open Graph.",
    needs=needs_of(Inputs),
    inputs=Inputs,
    model=SeoStrategy,
    max_output_tokens=1024,
    prompt=prompt,
    fallback=write,
    repair=repair,
    preview=preview,
    copy_fields=copy_fields,
)

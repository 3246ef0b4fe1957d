"""SEO strategy: site and page titles, descriptions, keywords, schema.org and Open Graph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from merlin_assets.config import ProjectConfig
from merlin_assets.content_gate import CopyField
from merlin_assets.industries import IndustryProfile, profile_for
from merlin_assets.limits import DESCRIPTION_MAX, DESCRIPTION_MIN, TITLE_MAX, Notes, clip
from merlin_assets.phases.base import NodeInputs, Phase, PhaseModel, needs_of
from merlin_assets.phases.design_context import DesignContext
from merlin_assets.phases.page_plan import Page, PagePlan
from merlin_assets.prompts.common import business, inputs_block
from merlin_assets.writers.text import (
    article,
    audience_for,
    cap,
    find_email,
    find_phone,
    fit_sentences,
    join,
    need,
    pick,
    rng_for,
    services_for,
    soft_lower,
    truncate_words,
)


class PageSeo(PhaseModel):
    slug: str = Field(json_schema_extra={"maxLength": 50})
    title: str = Field(
        description="at most 60 characters", json_schema_extra={"maxLength": TITLE_MAX}
    )
    description: str = Field(
        description="at most 160 characters", json_schema_extra={"maxLength": DESCRIPTION_MAX}
    )
    keywords: list[Annotated[str, Field(json_schema_extra={"maxLength": 40})]] = Field(
        json_schema_extra={"maxItems": 6}
    )


class Organization(PhaseModel):
    name: str = Field(json_schema_extra={"maxLength": 80})
    description: str = Field(json_schema_extra={"maxLength": 300})
    area_served: str = Field(json_schema_extra={"maxLength": 80})
    telephone: str = Field(json_schema_extra={"maxLength": 30})
    email: str = Field(json_schema_extra={"maxLength": 80})


class SeoStrategy(PhaseModel):
    site_title: str = Field(json_schema_extra={"maxLength": TITLE_MAX})
    schema_type: str = Field(
        description="a schema.org LocalBusiness or Organization subtype",
        json_schema_extra={"maxLength": 40},
    )
    organization: Organization
    og_type: str = Field(json_schema_extra={"maxLength": 20})
    pages: list[PageSeo] = Field(json_schema_extra={"maxItems": 8})


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


def _description(
    config: ProjectConfig, profile: IndustryProfile, page: Page, index: int, pitch: str
) -> str:
    where = f" in {config.location}" if config.location else ""
    services = services_for(config, profile)
    offer = join(services[:3])
    intro = {
        "home": pitch,
        "contact": f"Contact {config.name}{where} to {soft_lower(profile.conversion_goal)}, "
        "or just to ask a question.",
        "about": f"Meet {config.name}, {article(profile.label)} {profile.label}{where} serving "
        f"{audience_for(config, profile)}.",
        # Not "prices, timing": a library or a choir has neither to answer about.
        "faq": f"Answers to common questions about {config.name} and {offer}.",
    }.get(page.slug, f"{page.title} from {config.name}{where}: {offer}.")
    # Each page leads with a different promise, so no two snippets read the same.
    sentences = [
        intro,
        # Home leads with the pitch; this shorter line stands in when the pitch is too long.
        f"{config.name} is {article(profile.label)} {profile.label}{where} offering {offer}."
        if page.slug == "home"
        else "",
        f"{cap(profile.promises[index % len(profile.promises)])}.",
        f"{profile.conversion_goal} today.",
        f"Serving {audience_for(config, profile)}{where}.",
        f"Ask us about {join(services[3:5])}." if len(services) > 3 else "",
        f"{profile.trust_builders[index % len(profile.trust_builders)]}.",
    ]
    return fit_sentences(sentences, DESCRIPTION_MIN, DESCRIPTION_MAX)


def write(inputs: Inputs) -> SeoStrategy:
    need(inputs, "design_context", "page_plan")
    assert inputs.design_context is not None and inputs.page_plan is not None
    config = inputs.config
    profile = profile_for(config)
    rng = rng_for(inputs, "seo_strategy")
    where = f" in {config.location}" if config.location else ""
    services = services_for(config, profile)
    home_right = pick(rng, (f"{cap(profile.label)}{where}", f"{services[0]}{where}"))
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

"""Rule-based SEO plan: page titles and descriptions that fit search results, and schema.org."""

from __future__ import annotations

from merlin_assets.config import ProjectConfig
from merlin_assets.industries import IndustryProfile, profile_for
from merlin_assets.inputs import Inputs
from merlin_assets.models import Organization, Page, PageSeo, SeoStrategy
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

TITLE_MAX = 60
DESCRIPTION_MIN, DESCRIPTION_MAX = 120, 160


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
        "or just to ask a question. We reply quickly.",
        "about": f"Meet {config.name}, {article(profile.label)} {profile.label}{where} serving "
        f"{audience_for(config, profile)}.",
        "faq": f"Answers to common questions about {config.name}: prices, timing, {offer}.",
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


def seo_strategy(inputs: Inputs) -> SeoStrategy:
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

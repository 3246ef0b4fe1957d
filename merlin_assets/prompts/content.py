"""Prompts for the content phases: site-wide copy, SEO and each page's section copy."""

from __future__ import annotations

from merlin_assets.inputs import Inputs
from merlin_assets.prompts.common import business, inputs_block

COPYWRITING = """Write the site-wide messaging for this business in its brand voice.
A tagline (under 8 words), the value proposition, a short voice guide, 3-5 key messages,
labels for the primary and secondary calls to action, one item per service (name and a
1-2 sentence description that speaks to the audience), 4-6 FAQ items with specific answers,
and 3 testimonials (quote, author as first name and last initial, role). Be concrete: use the
business's services, audiences, location and goals. Never use placeholder text.
{business}
{inputs}"""

SEO_STRATEGY = """Write the SEO plan for this website.
A site title; for every page in the page plan (same slugs) a title of at most 60 characters,
a meta description of 120-160 characters and 3-6 keywords; the schema.org type that fits the
business (a LocalBusiness subtype where it has a place), the organization's name, description,
area served, telephone and email (empty when unknown: never invent contact details), and the
Open Graph type.
{business}
{inputs}"""

PAGE_COPY = """Write the copy for the page "{slug}" ({title}: {purpose}).
For each of its sections, in order and with the same keys, give an eyebrow (2-4 words),
a heading, a body of 2-3 specific sentences, 0-5 bullets and a call-to-action label.
The first section's heading is the page's main heading. Use the site-wide messaging and voice.
{business}
{inputs}"""


def copywriting(inp: Inputs) -> str:
    return COPYWRITING.format(
        business=business(inp.config),
        inputs=inputs_block(
            design_context=inp.design_context,
            design_strategy=inp.design_strategy,
            section_plan=inp.section_plan,
        ),
    )


def seo_strategy(inp: Inputs) -> str:
    return SEO_STRATEGY.format(
        business=business(inp.config),
        inputs=inputs_block(design_context=inp.design_context, page_plan=inp.page_plan),
    )


def page_copy(inp: Inputs) -> str:
    assert inp.page is not None and inp.section_plan is not None and inp.layout is not None
    keys = set(inp.page.section_keys)
    return PAGE_COPY.format(
        slug=inp.page.slug,
        title=inp.page.title,
        purpose=inp.page.purpose,
        business=business(inp.config),
        inputs=inputs_block(
            sections=[s.model_dump() for s in inp.section_plan.sections if s.key in keys],
            layouts=[s.model_dump() for s in inp.layout.sections if s.key in keys],
            copywriting=inp.copywriting,
            design_context=inp.design_context,
        ),
    )

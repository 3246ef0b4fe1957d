"""Prompts for the planning phases: sections, layout, pages and images."""

from __future__ import annotations

from merlin_assets.inputs import Inputs
from merlin_assets.models import SECTION_TYPES
from merlin_assets.prompts.common import business, inputs_block

SECTION_PLAN = """Plan the sections of this website, in reading order across the whole site.
Use 7-11 sections. Each has a unique lowercase-hyphenated key, a type from this list only:
{types}; an importance from 1 to 5 and a note on what it must say. Start with a hero and end
with contact.
{business}"""

LAYOUT = """Choose a layout for every section in the plan, using exactly the same keys.
Variants: hero split|centered|full-bleed; services and features grid|cards|list; about
split|stacked; testimonials cards|quote; gallery grid|masonry; anything else default.
Give columns (1-4) and the number of image slots (0-4) for each.
{inputs}"""

PAGE_PLAN = """Group the planned sections into the pages of the site.
3-5 pages; slugs lowercase-hyphenated and unique; the first page has slug "home" and holds the
hero; a page with slug "contact" comes last and holds the contact section. Every section key
appears on exactly one page. Give each page a short title and purpose.
{business}
{inputs}"""

IMAGE_PLAN = """Plan the images of the site: one hero image for the hero section, supporting
images for about, gallery and team sections, up to three icons for services, and optionally a
background for a call to action. 5-10 images. Each has a unique lowercase-hyphenated key, the
key of an existing section, a purpose (hero, supporting, icon or background), a detailed prompt
for an image model in the style system's mood and palette (no text in images), alt text of at
most 125 characters for a blind reader, and an aspect (16:9, 4:3, 3:2 or 1:1).
{business}
{inputs}"""


def section_plan(inp: Inputs) -> str:
    return SECTION_PLAN.format(types=", ".join(SECTION_TYPES), business=business(inp.config))


def layout(inp: Inputs) -> str:
    return LAYOUT.format(
        inputs=inputs_block(section_plan=inp.section_plan, design_strategy=inp.design_strategy)
    )


def page_plan(inp: Inputs) -> str:
    return PAGE_PLAN.format(
        business=business(inp.config), inputs=inputs_block(section_plan=inp.section_plan)
    )


def image_plan(inp: Inputs) -> str:
    return IMAGE_PLAN.format(
        business=business(inp.config),
        inputs=inputs_block(
            section_plan=inp.section_plan,
            style_system=inp.style_system,
            design_strategy=inp.design_strategy,
        ),
    )

"""Prompts for the design phases: strategy, context and the style system."""

from __future__ import annotations

from merlin_assets.inputs import Inputs
from merlin_assets.prompts.common import business, inputs_block

DESIGN_STRATEGY = """Define the design strategy for this business's website.
Give 3-5 brand personality adjectives, the brand voice in one sentence, 4-6 visual keywords,
a colour direction (which hues and why, for this industry and audience), the single conversion
goal of the site (e.g. book a table, request a quote) and 3-5 trust builders this audience needs
to see (credentials, reviews, guarantees, years in business).
{business}"""

DESIGN_CONTEXT = """Describe who this website is for and what it must achieve.
Give the audience (who they are, their goals, their pain points), the emotional tone the site
should carry, a one-sentence value proposition, and the page objective of the home page.
{business}"""

STYLE_SYSTEM = """Create the visual style system for this website from the strategy and context.
Palette: primary, secondary, accent, background, surface, text, muted_text and 5 neutrals, all
as #rrggbb. Body text must reach 4.5:1 contrast on background and surface. Respect any brand
colours and fonts in the business description. Pick a heading and a body font (web-safe or
Google font family names only), base font size 16-20 px, a type scale ratio 1.125-1.333,
a spacing unit 4-12 px, a corner radius 0-24 px, a shadow strength 0-1 and a mood phrase.
{business}
{inputs}"""


def design_strategy(inp: Inputs) -> str:
    return DESIGN_STRATEGY.format(business=business(inp.config))


def design_context(inp: Inputs) -> str:
    return DESIGN_CONTEXT.format(business=business(inp.config))


def style_system(inp: Inputs) -> str:
    return STYLE_SYSTEM.format(
        business=business(inp.config),
        inputs=inputs_block(design_strategy=inp.design_strategy, design_context=inp.design_context),
    )

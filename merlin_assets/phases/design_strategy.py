"""Design strategy: brand personality, voice, visual keywords and conversion goal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from merlin_assets.industries import profile_for
from merlin_assets.phases.base import NodeInputs, Phase, bullets, needs_of
from merlin_assets.prompts.common import business
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets.writers.text import (
    article,
    cap,
    context,
    fill,
    goal_clause,
    pick,
    rng_for,
    sample,
    tone_words,
)


class DesignStrategy(PhaseModel):
    brand_personality: list[Annotated[str, Field(json_schema_extra={"maxLength": 30})]] = Field(
        description="3-5 adjectives", json_schema_extra={"maxItems": 5}
    )
    voice: str = Field(
        description="How the brand speaks, one sentence", json_schema_extra={"maxLength": 200}
    )
    visual_keywords: list[Annotated[str, Field(json_schema_extra={"maxLength": 30})]] = Field(
        json_schema_extra={"maxItems": 6}
    )
    color_direction: str = Field(json_schema_extra={"maxLength": 300})
    conversion_goal: str = Field(json_schema_extra={"maxLength": 120})
    trust_builders: list[Annotated[str, Field(json_schema_extra={"maxLength": 150})]] = Field(
        json_schema_extra={"maxItems": 5}
    )


DESIGN_STRATEGY = """Define the design strategy for this business's website.
Give 3-5 brand personality adjectives, the brand voice in one sentence, 4-6 visual keywords,
a colour direction (which hues and why, for this industry and audience), the single conversion
goal of the site (e.g. book a table, request a quote) and 3-5 trust builders this audience needs
to see. Trust builders state only what the business itself gives (its accreditations, founding
year, testimonials, team, prices, hours); never invent credentials, reviews, ratings, awards,
guarantees, insurance or years in business.
{business}"""


def prompt(inp: Inputs) -> str:
    return DESIGN_STRATEGY.format(business=business(inp.config))


_SINCE = re.compile(r"\b(?:since|established|est\.?|founded(?: in)?)\s+((?:19|20)\d\d)\b", re.I)


_YEARS = re.compile(r"\b(\d{1,3})\+?\s+years\b", re.I)


def _heritage(text: str) -> str:
    """A trust line from the business's own words ("since 1998", "20 years"), if it has one."""
    if match := _SINCE.search(text):
        return f"Trading since {match.group(1)}"
    if match := _YEARS.search(text):
        return f"{match.group(1)} years of experience"
    return ""


def write(inputs: Inputs) -> DesignStrategy:
    config = inputs.config
    profile = profile_for(config)
    rng = rng_for(inputs, "design_strategy")
    ctx = context(config, profile)

    # The client's own tone words lead; the industry's fill in so there are always 3-5.
    personality = tone_words(config.tone)
    for word in sample(rng, profile.personality, len(profile.personality)):
        if word not in personality and len(personality) < 4:
            personality.append(word)
    a, b, c = personality[:3]
    # Client words go in as values, never into the template, so braces in them are harmless.
    voice = pick(
        rng,
        (
            "{A}, {b} and {c}: {name} speaks to {audience} in plain, specific language and "
            "never oversells.",
            "{name} sounds {a} and {b}, like {a_label} that knows its {customers} by name: "
            "short sentences, concrete detail, no jargon.",
            "Speak as {a}, {c} people {in_area}: human, confident and always specific about "
            "what {customers} get.",
        ),
    )
    ctx |= {
        "A": cap(a),
        "a": a,
        "b": b,
        "c": c,
        "a_label": f"{article(ctx['label'])} {ctx['label']}",
    }
    visual = sample(rng, profile.visual_keywords, 4)
    if config.location:
        visual.append(f"{config.location} character")

    colors = config.brand.colors
    own = [hex_ for hex_ in (colors.primary, colors.secondary, colors.accent) if hex_]
    direction = profile.color_direction
    if own:
        direction = f"Built around the brand's own colours ({', '.join(own)}). " + direction

    conversion = profile.conversion_goal
    if config.goals:
        conversion = f"{conversion}, helping {config.name} {goal_clause(config.goals[0])}"

    # The config's own credentials lead; the industry's claims-free ones fill in.
    trust = [*config.accreditations[:3], *sample(rng, profile.trust_builders, 4)]
    heritage = (
        f"Trading since {config.founded}"
        if config.founded
        else _heritage(f"{config.description} {config.notes}")
    )
    if heritage:
        trust.insert(0, heritage)
    elif config.location:
        trust.append(f"Local to {config.location}")

    return DesignStrategy(
        brand_personality=personality,
        voice=fill(voice, ctx),
        visual_keywords=visual,
        color_direction=direction,
        conversion_goal=conversion,
        trust_builders=trust[:5],
    )


@dataclass(frozen=True)
class Inputs(NodeInputs):
    """Only the config: the strategy comes first."""


def preview(v: DesignStrategy) -> dict:
    return {
        "personality": ", ".join(v.brand_personality),
        "conversion_goal": v.conversion_goal,
        "preview_md": f"**Voice:** {v.voice}\n\n**Trust builders**\n{bullets(v.trust_builders)}",
    }


NODE = Phase(
    name="design_strategy",
    group="design",
    description="Brand personality, voice, visual keywords, colour direction, conversion goal "
    "and trust builders.",
    needs=needs_of(Inputs),
    inputs=Inputs,
    model=DesignStrategy,
    max_output_tokens=512,
    prompt=prompt,
    fallback=write,
    preview=preview,
)

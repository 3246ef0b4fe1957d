"""Design context: who the site is for, the tone, and what it must achieve."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from merlin_assets.industries import profile_for
from merlin_assets.phases.base import NodeInputs, Phase, bullets, needs_of
from merlin_assets.prompts.common import business
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets.writers.text import (
    PITCH,
    a_label,
    audience_for,
    cap,
    goal_clause,
    join,
    pick,
    promise_at,
    promise_order,
    rng_for,
    sample,
    sentence,
    services_for,
    short_label,
)


class Audience(PhaseModel):
    who: str = Field(json_schema_extra={"maxLength": 200})
    goals: list[Annotated[str, Field(json_schema_extra={"maxLength": 150})]] = Field(
        json_schema_extra={"maxItems": 5}
    )
    pain_points: list[Annotated[str, Field(json_schema_extra={"maxLength": 150})]] = Field(
        json_schema_extra={"maxItems": 5}
    )


class DesignContext(PhaseModel):
    audience: Audience
    emotional_tone: str = Field(json_schema_extra={"maxLength": 120})
    value_proposition: str = Field(json_schema_extra={"maxLength": 300})
    page_objective: str = Field(json_schema_extra={"maxLength": 200})


DESIGN_CONTEXT = """Describe who this website is for and what it must achieve.
Give the audience (who they are, their goals, their pain points), the emotional tone the site
should carry, a one-sentence value proposition, and the page objective of the home page.
{business}"""


def prompt(inp: Inputs) -> str:
    return DESIGN_CONTEXT.format(business=business(inp.config))


def write(inputs: Inputs) -> DesignContext:
    config = inputs.config
    profile = profile_for(config)
    rng = rng_for(inputs, "design_context")
    services = services_for(config, profile)
    where = f" in {config.location}" if config.location else ""
    # The pitch is shown three times (value proposition, hero, home description), so it
    # holds what may be said only there: its own promise and the first services in order.
    promise = promise_at(promise_order(inputs, profile), PITCH)
    offer = join(services[:3])
    a = a_label(profile.label)
    value = pick(
        rng,
        (
            f"{config.name} is {a}{where} offering {offer}, {promise}."
            if a and short_label(profile.label)
            else f"{config.name}{where} offers {offer}, {promise}.",
            f"{cap(offer)} from {config.name}{where}, {promise}.",
        ),
    )
    tone = profile.emotional_tone
    if config.tone:
        tone = f"{tone}, in a {config.tone.strip().rstrip('.').lower()} voice"
    objective = (
        f"{profile.conversion_goal}. Show {audience_for(config, profile)} what {config.name} "
        f"offers, prove it with {sample(rng, profile.trust_builders, 1)[0].lower()}, and keep "
        "the next step one tap away."
    )
    if config.goals:
        objective += f" It should also help the business {goal_clause(config.goals[0])}."
    return DesignContext(
        audience=Audience(
            who=cap(audience_for(config, profile)),
            goals=sample(rng, profile.goals, 3),
            pain_points=sample(rng, profile.pain_points, 3),
        ),
        emotional_tone=tone,
        value_proposition=sentence(value),
        page_objective=objective,
    )


@dataclass(frozen=True)
class Inputs(NodeInputs):
    """Only the config."""


def preview(v: DesignContext) -> dict:
    return {
        "audience": v.audience.who,
        "preview_md": f"**Value proposition:** {v.value_proposition}\n\n"
        f"**Pain points**\n{bullets(v.audience.pain_points)}",
    }


NODE = Phase(
    name="design_context",
    group="design",
    description="Audience, emotional tone, value proposition and page objective.",
    needs=needs_of(Inputs),
    inputs=Inputs,
    model=DesignContext,
    max_output_tokens=512,
    prompt=prompt,
    fallback=write,
    preview=preview,
)

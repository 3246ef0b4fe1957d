"""Copywriting: the site-wide messaging every page draws on."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Annotated

from pydantic import Field

from merlin_assets.config import ProjectConfig
from merlin_assets.content_gate import CopyField
from merlin_assets.industries import IndustryProfile, profile_for
from merlin_assets.limits import Notes
from merlin_assets.phases.base import NodeInputs, Phase, PhaseModel, bullets, needs_of
from merlin_assets.phases.design_context import DesignContext
from merlin_assets.phases.design_strategy import DesignStrategy
from merlin_assets.phases.section_plan import SectionPlan
from merlin_assets.prompts.common import business, inputs_block
from merlin_assets.writers.text import (
    article,
    audience_for,
    cap,
    context,
    fill,
    find_email,
    find_phone,
    join,
    need,
    pick,
    rng_for,
    sample,
    sentence,
    services_for,
    soft_lower,
    to_you,
    wordset,
)


class CtaLabels(PhaseModel):
    primary: str = Field(json_schema_extra={"maxLength": 30})
    secondary: str = Field(json_schema_extra={"maxLength": 30})


class ServiceItem(PhaseModel):
    name: str = Field(json_schema_extra={"maxLength": 80})
    description: str = Field(json_schema_extra={"maxLength": 300})


class FaqItem(PhaseModel):
    question: str = Field(json_schema_extra={"maxLength": 150})
    answer: str = Field(json_schema_extra={"maxLength": 600})


class Testimonial(PhaseModel):
    # A config's quote is at most 600 characters, its name 80 and its role 120.
    quote: str = Field(json_schema_extra={"maxLength": 600})
    author: str = Field(json_schema_extra={"maxLength": 80})
    role: str = Field(json_schema_extra={"maxLength": 120})


class Copywriting(PhaseModel):
    tagline: str = Field(json_schema_extra={"maxLength": 90})
    value_proposition: str = Field(json_schema_extra={"maxLength": 400})
    voice_guide: str = Field(json_schema_extra={"maxLength": 300})
    key_messages: list[Annotated[str, Field(json_schema_extra={"maxLength": 200})]] = Field(
        json_schema_extra={"maxItems": 5}
    )
    cta_labels: CtaLabels
    services: list[ServiceItem] = Field(json_schema_extra={"maxItems": 12})
    faqs: list[FaqItem] = Field(json_schema_extra={"maxItems": 6})
    testimonials: list[Testimonial] = Field(json_schema_extra={"maxItems": 6})


COPYWRITING = """Write the site-wide messaging for this business in its brand voice.
A tagline (under 8 words), the value proposition, a short voice guide, 3-5 key messages,
labels for the primary and secondary calls to action, one item per service (name and a
1-2 sentence description that speaks to the audience), 4-6 FAQ items with specific answers,
and testimonials. Be concrete: use the business's services, audiences, location and goals.
Never use placeholder text. Use only facts the business gives: testimonials are exactly the
config's own (quote, author = its name, role), verbatim, or an empty list when it gives none;
never invent testimonials, reviewers, staff names, figures, years, prices, ratings, awards,
certifications, guarantees or insurance claims.
{business}
{inputs}"""


def prompt(inp: Inputs) -> str:
    return COPYWRITING.format(
        business=business(inp.config),
        inputs=inputs_block(
            design_context=inp.design_context,
            design_strategy=inp.design_strategy,
            section_plan=inp.section_plan,
        ),
    )


TAGLINE_WORDS = 8


# Promises that open like this are true but flat as a tagline ("Priced clearly with ...").
_FLAT_STARTS = wordset("priced provided handled carried delivered available offered with by at on")


def _tagline(
    config: ProjectConfig, profile: IndustryProfile, adjectives: list[str], rng: Random
) -> str:
    where = f" in {config.location.split(',')[0].strip()}" if config.location else ""
    a, b = (adjectives + list(profile.personality))[:2]
    service = soft_lower(services_for(config, profile)[0], keep=config.name)
    # Short promises make good taglines; longer or prepositional ones read as fragments.
    promises = [
        cap(p) for p in profile.promises if len(p.split()) <= 7 and p.split()[0] not in _FLAT_STARTS
    ]
    candidates = [
        f"{cap(a)}, {b} {profile.label}{where}",
        f"Your {a} {profile.label}{where}",
        f"{cap(article(profile.label))} {profile.label} you can trust",
        f"{profile.conversion_goal} with confidence",
        *promises,
    ]
    if config.location:
        # "Leith, Edinburgh" reads as two places in a slogan; the first is the neighbourhood.
        place = config.location.split(",")[0].strip()
        candidates.append(f"Where {place} comes for {service}")
    if config.audiences:
        candidates.append(f"{cap(a)} {profile.label} for {soft_lower(config.audiences[0])}")
    short = [c for c in candidates if len(c.split()) <= TAGLINE_WORDS] or [profile.label]
    return sentence(pick(rng, short)).rstrip(".")


def _related(goal: str, service: str) -> bool:
    """Whether a business goal is about this service ("Grow catering orders" / "Catering")."""
    words = {w for w in re.findall(r"[a-z]{4,}", service.lower())}
    return any(w.rstrip("s") in goal.lower() for w in words)


def _services(config: ProjectConfig, profile: IndustryProfile, rng: Random) -> list[ServiceItem]:
    where = f" in {config.location}" if config.location else ""
    audiences = [soft_lower(a, keep=config.location) for a in config.audiences] or [
        profile.audience
    ]
    offset = rng.randrange(len(profile.promises))
    # Templates rotate from a random start so neighbouring services never read alike.
    # One sentence each, naming its service, so no two descriptions share a sentence; and no
    # "popular with" or "a favourite with": the config never says who likes what.
    templates = (
        "{S}, {promise}, for {audience}{where}.",
        "{name} offers {s} {promise}, for {audience}{where}.",
        "Expect {s} {promise}, for {audience}{where}.",
    )
    start = rng.randrange(len(templates))
    items = []
    for i, service in enumerate(services_for(config, profile)):
        promise = profile.promises[(offset + i) % len(profile.promises)]
        audience = audiences[i % len(audiences)]
        text = templates[(start + i) % len(templates)].format(
            S=cap(service),
            s=service,
            promise=promise,
            audience=audience,
            where=where,
            name=config.name,
        )
        if any(_related(goal, service) for goal in config.goals):
            text += f" It is a growing part of {config.name}, so ask us what is possible."
        items.append(ServiceItem(name=service, description=text))
    return items


def _faqs(
    config: ProjectConfig, profile: IndustryProfile, ctx: dict[str, str], rng: Random
) -> list[FaqItem]:
    chosen = sorted(rng.sample(range(len(profile.faqs)), 3))
    faqs = [
        FaqItem(question=fill(q, ctx), answer=fill(a, ctx))
        for q, a in (profile.faqs[i] for i in chosen)
    ]
    services = services_for(config, profile)
    if config.location and not any("where" in f.question.lower() for f in faqs):
        faqs.append(
            FaqItem(
                question=f"Where is {config.name}?",
                answer=f"{config.name} is based in {config.location} and welcomes "
                f"{profile.customers} from across the area. Directions and contact details "
                "are on our contact page.",
            )
        )
    if len(services) > 1:
        service = pick(rng, services[1:])
        faqs.append(
            FaqItem(
                question=f"Do you offer {soft_lower(service, keep=config.name)}?",
                answer=f"Yes, {config.name} offers {soft_lower(service, keep=config.name)}, "
                f"{pick(rng, profile.promises)}. Tell us what you need and we will recommend "
                "the right option.",
            )
        )
    contact = join([c for c in (find_phone(config.notes), find_email(config.notes)) if c], "or")
    reach = f" on {contact}" if contact else ""
    faqs.append(
        FaqItem(
            question=f"How do I {soft_lower(profile.conversion_goal)}?",
            answer=f"Use the contact page or get in touch with {config.name}{reach}. Tell us a "
            "little about what you need and we will reply with the next steps.",
        )
    )
    return faqs[:6]


def _testimonials(config: ProjectConfig) -> list[Testimonial]:
    """The config's own testimonials, word for word; none when it gives none."""
    return [
        Testimonial(quote=t.quote, author=t.name, role=t.role or "") for t in config.testimonials
    ]


def write(inputs: Inputs) -> Copywriting:
    need(inputs, "design_context", "design_strategy", "section_plan")
    assert inputs.design_context is not None and inputs.design_strategy is not None
    config = inputs.config
    profile = profile_for(config)
    rng = rng_for(inputs, "copywriting")
    ctx = context(config, profile)
    strategy, design = inputs.design_strategy, inputs.design_context
    adjectives = [a.lower() for a in strategy.brand_personality] or list(profile.personality)
    services = services_for(config, profile)
    where = f" in {config.location}" if config.location else ""

    goals = design.audience.goals or list(profile.goals)
    value = f"{sentence(design.value_proposition)} So you can "
    value = value.lstrip() + f"{to_you(soft_lower(goals[0])).rstrip('.')}."

    voice = (
        f"{sentence(strategy.voice)} Write to the reader as 'you', lead with what "
        f"{profile.customers} get, and name specifics such as {join(services[:3])}{where}. "
        "Keep sentences short; avoid jargon, hype and exclamation marks."
    )
    if config.tone:
        voice += f" Overall tone: {config.tone.strip().rstrip('.')}."

    promises = sample(rng, profile.promises, 2)
    trust = strategy.trust_builders or list(profile.trust_builders)
    # Messages are whole sentences; noun-phrase trust builders stay as bullets elsewhere,
    # except a heritage line ("Trading since 2011"), which reads well on its own.
    messages = [
        sentence(f"{services[0]}, {promises[0]}"),
        sentence(f"{services[-1]}, {promises[1]}") if len(services) > 1 else "",
        sentence(
            f"Proudly {ctx['in_area']}, serving {audience_for(config, profile)}"
            if config.location
            else f"Made for {audience_for(config, profile)}"
        ),
        sentence(f"Helping you {to_you(soft_lower(goals[-1])).rstrip('.')}"),
        *(sentence(t) for t in trust[:1] if t.startswith("Trading since") or "years" in t),
    ]
    messages = [m for m in messages if m]
    rng.shuffle(messages)

    return Copywriting(
        tagline=_tagline(config, profile, adjectives, rng),
        value_proposition=value,
        voice_guide=voice,
        key_messages=messages[:5],
        cta_labels=CtaLabels(
            primary=pick(rng, profile.cta_primary), secondary=pick(rng, profile.cta_secondary)
        ),
        services=_services(config, profile, rng),
        faqs=_faqs(config, profile, ctx, rng),
        testimonials=_testimonials(config),
    )


@dataclass(frozen=True)
class Inputs(NodeInputs):
    design_context: DesignContext
    design_strategy: DesignStrategy
    section_plan: SectionPlan


def repair(value: Copywriting, inputs: Inputs, rules: Callable[[], PhaseModel]):
    """Keep only testimonials the config supplied; a model's invented ones are dropped."""
    notes: Notes = []
    given = {_norm(t.name): t for t in inputs.config.testimonials}
    kept: list[Testimonial] = []
    for t in value.testimonials:
        real = given.get(_norm(t.author))
        if real is None:
            notes.append(f"dropped a testimonial by {t.author!r}, who is not in the config")
        elif all(k.author != real.name for k in kept):
            kept.append(Testimonial(quote=real.quote, author=real.name, role=real.role or ""))
    if not kept and inputs.config.testimonials:
        kept = _testimonials(inputs.config)
        notes.append("used the config's own testimonials")
    if kept == value.testimonials:
        return value, notes
    return value.model_copy(update={"testimonials": kept}), notes


def _norm(name: str) -> str:
    return " ".join(name.lower().replace(".", " ").split())


def preview(v: Copywriting) -> dict:
    return {
        "tagline": v.tagline,
        "services": len(v.services),
        "faqs": len(v.faqs),
        "preview_md": f"**{v.tagline}**\n\n{v.value_proposition}\n\n"
        + bullets([f"**{s.name}**: {s.description}" for s in v.services]),
    }


def copy_fields(item: str, v: Copywriting) -> list[CopyField]:
    """What visitors read of the site-wide messaging, for the content gate."""
    fields = [
        CopyField(item, "tagline", "heading", v.tagline),
        CopyField(item, "value_proposition", "body", v.value_proposition),
        CopyField(item, "cta_labels.primary", "button", v.cta_labels.primary),
        CopyField(item, "cta_labels.secondary", "button", v.cta_labels.secondary),
    ]
    fields += [
        CopyField(item, f"key_messages[{i}]", "list_item", m) for i, m in enumerate(v.key_messages)
    ]
    for i, s in enumerate(v.services):
        fields.append(CopyField(item, f"services[{i}].description", "description", s.description))
    for i, f in enumerate(v.faqs):
        fields.append(CopyField(item, f"faqs[{i}].question", "list_item", f.question))
        fields.append(CopyField(item, f"faqs[{i}].answer", "body", f.answer))
    for i, t in enumerate(v.testimonials):
        fields.append(CopyField(item, f"testimonials[{i}].quote", "quote", t.quote))
        fields.append(CopyField(item, f"testimonials[{i}].author", "name", t.author))
    return fields


NODE = Phase(
    name="copywriting",
    group="content",
    description="Site-wide messaging: tagline, value proposition, voice, CTAs, services, FAQs "
    "and testimonials.",
    needs=needs_of(Inputs),
    inputs=Inputs,
    model=Copywriting,
    max_output_tokens=2048,
    prompt=prompt,
    fallback=write,
    repair=repair,
    preview=preview,
    copy_fields=copy_fields,
)

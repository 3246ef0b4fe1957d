"""Copywriting: the site-wide messaging every page draws on."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from merlin_assets.config.project import ProjectConfig
from merlin_assets.content_gate import CopyField
from merlin_assets.industries import IndustryProfile, profile_for
from merlin_assets.phases.base import NodeInputs, Phase, bullets, needs_of
from merlin_assets.phases.design_context import DesignContext
from merlin_assets.phases.design_strategy import DesignStrategy
from merlin_assets.prompts.common import business, inputs_block
from merlin_assets.types.field_limits import Notes
from merlin_assets.types.pages import SectionPlan
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets.types.site_copy import Copywriting, CtaLabels, FaqItem, ServiceItem, Testimonial
from merlin_assets.writers.text import (
    MESSAGES,
    PITCH,
    VALUE,
    a_label,
    cap,
    context,
    fill,
    find_email,
    find_phone,
    first_audience,
    join,
    need,
    pick,
    promise_order,
    rng_for,
    sentence,
    services_for,
    short_label,
    soft_lower,
    to_you,
)

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


def _tagline(
    config: ProjectConfig, profile: IndustryProfile, adjectives: list[str], rng: Random
) -> str:
    where = f" in {config.location.split(',')[0].strip()}" if config.location else ""
    a, b = (adjectives + list(profile.personality))[:2]
    service = soft_lower(services_for(config, profile)[0], keep=config.name)
    # No promise and no conversion goal: the writers spend those elsewhere on the site, and
    # the tagline is shown twice more (footer, often the hero).
    labelled = a_label(profile.label)
    candidates = [f"{cap(a)} and {b}{where}"]
    if short_label(profile.label):
        # A long label is a four-word phrase the eyebrow and both titles say already.
        candidates += [
            f"{cap(a)}, {b} {profile.label}{where}",
            f"Your {a} {profile.label}{where}",
            f"{cap(labelled)} you can trust" if labelled else f"{cap(profile.label)} you can trust",
        ]
    if config.location and short_label(service):
        # "Leith, Edinburgh" reads as two places in a slogan; the first is the neighbourhood.
        place = config.location.split(",")[0].strip()
        candidates.append(f"Where {place} comes for {service}")
    if config.audiences and short_label(profile.label):
        candidates.append(f"{cap(a)} {profile.label} for {soft_lower(config.audiences[0])}")
    short = [c for c in candidates if len(c.split()) <= TAGLINE_WORDS] or [profile.label]
    return sentence(pick(rng, short)).rstrip(".")


def _related(goal: str, service: str) -> bool:
    """Whether a business goal is about this service ("Grow catering orders" / "Catering")."""
    words = {w for w in re.findall(r"[a-z]{4,}", service.lower())}
    return any(w.rstrip("s") in goal.lower() for w in words)


def _services(
    config: ProjectConfig, profile: IndustryProfile, promises: list[str], rng: Random
) -> list[ServiceItem]:
    where = f" in {config.location}" if config.location else ""
    # Each promise once here, after the key messages' and the value section's: a promise a
    # site says four times reads as filler (a piano tuner's site said one 18 times).
    roles = [MESSAGES[1], VALUE, MESSAGES[0], *range(VALUE + 1, len(promises))]
    # Templates rotate from a random start so neighbouring services never read alike.
    # One sentence each, naming its service, so no two descriptions share a sentence; and no
    # "popular with" or "a favourite with": the config never says who likes what.
    # The card shows the service's name above its description, so the description does not
    # say it again: a service named in the pitch, the card, an answer and here is named four
    # times.
    items = []
    growing = False
    for i, service in enumerate(services_for(config, profile)):
        if i < len(roles):
            # The first says where, so the cards are about this place, not any.
            here = f", here in {config.location}" if i == 0 and config.location else ""
            text = sentence(f"Always {promises[roles[i]]}{here}")
        else:
            text = f"{cap(service)} from {config.name}{where}."
        if not growing and any(_related(goal, service) for goal in config.goals):
            # Once: the same line under several cards reads as a template.
            growing = True
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
        # A service past the three the pitch names, when there is one; named once here.
        service = pick(rng, services[3:] or services[1:])
        faqs.append(
            FaqItem(
                question=f"Do you offer {soft_lower(service, keep=config.name)}?",
                answer=f"Yes. Tell us what you need and {config.name} will recommend the right "
                "option.",
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
    promises = promise_order(inputs, profile)
    adjectives = [a.lower() for a in strategy.brand_personality] or list(profile.personality)
    services = services_for(config, profile)
    where = f" in {config.location}" if config.location else ""

    goals = design.audience.goals or list(profile.goals)
    # The promise of the pitch without its list of services: the home page's description says
    # the pitch whole, and the services are named on their cards and in the answers.
    value = (
        f"At {config.name}, everything is {promises[PITCH]}. "
        f"So you can {to_you(soft_lower(goals[0])).rstrip('.')}."
    )

    voice = (
        f"{sentence(strategy.voice)} Write to the reader as 'you', lead with what "
        f"{profile.customers} get, and name specifics such as {join(services[:3])}{where}. "
        "Keep sentences short; avoid jargon, hype and exclamation marks."
    )
    if config.tone:
        voice += f" Overall tone: {config.tone.strip().rstrip('.')}."

    trust = strategy.trust_builders or list(profile.trust_builders)
    # Messages are whole sentences; noun-phrase trust builders stay as bullets elsewhere,
    # except a heritage line ("Trading since 2011"), which reads well on its own.
    place = config.location.split(",")[0].strip()
    messages = [
        sentence(promises[MESSAGES[0]]),
        sentence(promises[MESSAGES[1]]),
        # One audience, not the whole list: the list is named once, on the about page.
        sentence(f"Here for {first_audience(config, profile)}" + (f" in {place}" if place else "")),
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
        services=_services(config, profile, promises, rng),
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

"""Page copy: the eyebrow, heading, body, bullets and action of each section of one page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from merlin_assets.config.project import ProjectConfig
from merlin_assets.content_gate import CopyField, Facts
from merlin_assets.content_gate.claims import invented_quotes
from merlin_assets.content_gate.style import HERO_WORDS, PHRASE_WORDS, hero_words
from merlin_assets.industries import IndustryProfile, profile_for
from merlin_assets.phases.base import NodeInputs, Phase, needs_of
from merlin_assets.phases.design_context import DesignContext
from merlin_assets.prompts.common import business, inputs_block
from merlin_assets.types.field_limits import Notes
from merlin_assets.types.pages import Layout, Page, PagePlan, SectionPlan
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets.types.site_copy import Copywriting, PageCopy, SectionCopy
from merlin_assets.writers.text import (
    VALUE,
    a_label,
    article,
    audience_for,
    cap,
    find_email,
    find_phone,
    first_sentence,
    join,
    need,
    pick,
    promise_at,
    promise_order,
    rng_for,
    sample,
    sentence,
    short_label,
    soft_lower,
    to_you,
    truncate_words,
)

PROMPT = """Write the copy for the page "{slug}" ({title}: {purpose}).
For each of its sections, in order and with the same keys, give an eyebrow (2-4 words),
a heading, a body of 2-3 specific sentences, 0-5 bullets and a call-to-action label.
The first section's heading is the page's main heading. Use the site-wide messaging and voice.
Use only facts given in <business> and <inputs>. Never invent testimonials, reviewers, team
members or any person's name, figures, years in business, customer counts, prices, ratings,
opening hours, awards, certifications, guarantees or insurance; quote testimonials and name
team members only as the config gives them, word for word.
{business}
{inputs}"""


def prompt(inp: Inputs) -> str:
    assert inp.page is not None and inp.section_plan is not None and inp.layout is not None
    keys = set(inp.page.section_keys)
    return PROMPT.format(
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


@dataclass(frozen=True)
class _Facts:
    """Everything a section writer may draw on, gathered once per page."""

    config: ProjectConfig
    profile: IndustryProfile
    copy: Copywriting
    design: DesignContext
    rng: Random
    first: bool
    variant: str
    # The profile's promises in the project's order; see `promise_order` for the roles.
    promises: list[str]
    # The section's place in the whole site (pages in plan order), to share out buttons.
    slot: int

    @property
    def name(self) -> str:
        return self.config.name

    def button(self, primary: bool) -> str:
        """The section's button: the site's own label, unless it is a phrase of four or more
        words, which the hero, the closing call and the copywriting already say; other
        sections then take the trade's other labels in turn ("Speak to a lawyer" was on
        six buttons of one site)."""
        labels = self.copy.cta_labels
        chosen = labels.primary if primary else labels.secondary
        if len(chosen.split()) < PHRASE_WORDS:
            return chosen
        own = self.profile.cta_primary if primary else self.profile.cta_secondary
        rest = self.profile.cta_secondary if primary else self.profile.cta_primary
        others = [c for c in (*own, *rest) if c not in (labels.primary, labels.secondary)]
        return others[self.slot % len(others)] if others else chosen

    @property
    def where(self) -> str:
        return f" in {self.config.location}" if self.config.location else ""

    @property
    def audience(self) -> str:
        who = self.design.audience.who or audience_for(self.config, self.profile)
        return soft_lower(who, keep=self.config.location)

    @property
    def services(self) -> list[str]:
        return [s.name for s in self.copy.services] or list(self.profile.default_services)


def _credentials(f: _Facts) -> list[str]:
    """Trust lines the config itself states: its accreditations and founding year."""
    own = list(f.config.accreditations)
    if f.config.founded:
        own.append(f"Trading since {f.config.founded}")
    return own


def _named(heading: str, facts: _Facts) -> str:
    """A page's first heading names the business, so every page stands on its own."""
    named = f"{heading} at {facts.name}"
    if not facts.first or facts.name.lower() in heading.lower():
        return heading
    # A main heading stays short enough to read at a glance; the page names the business
    # elsewhere when its name would make the heading too long.
    return named if hero_words(named) <= HERO_WORDS else heading


def _hero(f: _Facts) -> SectionCopy:
    tagline = f.copy.tagline.rstrip(".") or f.profile.label
    options = (
        f"{f.name}: {soft_lower(tagline, keep=f.name)}",
        f"Welcome to {f.name}",
        f"{tagline}, from {f.name}" if f.name.lower() not in tagline.lower() else tagline,
    )
    # A hero is read at a glance: at most 12 words, else the business's name alone.
    short = [h for h in options if hero_words(h) <= HERO_WORDS] or [f.name]
    heading = pick(f.rng, short)
    # Not the first goal: the value proposition and the features already speak to that one.
    goals = f.design.audience.goals or list(f.profile.goals)
    goal = goals[1 % len(goals)]
    # Not the pitch, said in the value proposition and the home page's description, nor the
    # business's own first sentence, which opens the about page: a third telling of either
    # repeats its list of services.
    labelled = a_label(f.profile.label)
    if labelled and short_label(f.profile.label):
        opening = sentence(f"{f.name} is {labelled}{f.where}")
    else:
        opening = sentence(f"You will find {f.name}{f.where or ' close to you'}")
    body = (
        f"{opening} "
        f"Whether you want to {to_you(soft_lower(goal)).rstrip('.')} or just want to look "
        f"around, {f.name} makes it simple."
    )
    return _copy(
        "hero",
        f"{cap(f.profile.label)}{f.where}",
        heading,
        body,
        sample(f.rng, f.copy.key_messages, 3),
        f.copy.cta_labels.primary,
    )


def _value(f: _Facts) -> SectionCopy:
    pains = f.design.audience.pain_points or list(f.profile.pain_points)
    heading = pick(f.rng, (f"Why people choose {f.name}", "What makes us different"))
    body = (
        f"If you have ever dealt with {to_you(soft_lower(pick(f.rng, pains))).rstrip('.')}, "
        "you will "
        f"notice the difference. Everything here is {promise_at(f.promises, VALUE)}."
    )
    # Reasons come from the industry's trust builders, not the key messages the hero shows.
    shown = " ".join(f.copy.key_messages).lower()
    reasons = [
        t for t in _credentials(f) + list(f.profile.trust_builders) if t.lower() not in shown
    ]
    eyebrow = pick(f.rng, ("Why us", "The difference"))
    own = [r for r in reasons if r in _credentials(f)]
    bullets = (own + sample(f.rng, [r for r in reasons if r not in own], 3))[:3]
    return _copy("value-proposition", eyebrow, heading, body, bullets, f.button(False))


# How many of the services past the first five the services intro names in a sentence.
ALSO_NAMED = 5


def _services(f: _Facts) -> SectionCopy:
    services = f.services
    rest = services[5:]
    heading = pick(f.rng, (f"What {f.name} offers", "Services built around you", "What we do"))
    # The services are the cards below; the pitch already lists the first three in order.
    body = pick(
        f.rng,
        (
            f"Everything {f.name} offers{f.where}, each with a short note on what it covers.",
            f"Here is what you can ask {f.name} for{f.where}.",
        ),
    )
    body += " If you need something you do not see here, just ask."
    if rest:
        # Up to 60 services: name a few in the sentence, the list shows them all.
        named = rest[:ALSO_NAMED]
        more = len(rest) > ALSO_NAMED
        body += f" We also offer {join(named if not more else [*named, 'more'])}."
    eyebrow = pick(f.rng, ("What we offer", "Services", "How we help"))
    # The page shows every service as a card from the copywriting, never these bullets; they
    # stand in only when the copywriting lists none.
    bullets = [] if f.copy.services else services[:5]
    if f.variant == "list" and not f.copy.services:
        # A list layout has room for a line on each service, not just its name.
        bullets = [
            truncate_words(f"{s.name}: {_detail(s.name, s.description, f.name)}", 110)
            for s in f.copy.services[:5]
        ] or bullets
    return _copy("services", eyebrow, heading, body, bullets, f.button(False))


def _detail(service: str, description: str, name: str) -> str:
    """A service description's first sentence without repeating the service's own name."""
    first = description.split(". ")[0].rstrip(".")
    for lead in (f"{service}, ", f"{name} offers {service} ", f"Expect {service} "):
        first = first.removeprefix(lead)
    # "..., for families in Leith" says who it is for; the item only needs what it is.
    return cap(first.rsplit(", for ", 1)[0])


def _features(f: _Facts) -> SectionCopy:
    goals = f.design.audience.goals or list(f.profile.goals)
    heading = pick(f.rng, (f"Everything you need from {f.name}", "Built for how you work"))
    body = (
        f"Every feature is there to help you {to_you(soft_lower(goals[0])).rstrip('.')}. "
        "Each one is set out below."
    )
    return _copy("features", "Features", heading, body, f.services[:5], f.button(True))


def _about(f: _Facts) -> SectionCopy:
    story = first_sentence(f.config.description)
    heading = pick(
        f.rng, (f"The story behind {f.name}", f"Meet {f.name}", f"Why we started {f.name}")
    )
    own = _credentials(f)
    trust = (own + sample(f.rng, f.profile.trust_builders, 3))[:3]
    body = story or f"{f.name} began with a simple idea: {f.profile.customers} deserve better."
    # The whole audience, named once a site: everywhere else one audience or "you".
    body += f" Today we serve {f.audience}{f.where}."
    if f.config.tone:
        tone = f.config.tone.strip().rstrip(".").lower()
        body += f" Expect {article(tone)} {tone} welcome every time."
    eyebrow = pick(f.rng, ("About us", "Our story", "Who we are"))
    return _copy("about", eyebrow, heading, body, trust, f.button(False))


def _process(f: _Facts) -> SectionCopy:
    steps = f.profile.process
    heading = pick(f.rng, (f"How {f.name} works", "Simple from start to finish"))
    body = (
        f"Working with {f.name} takes {len(steps)} clear steps, so you always know what happens "
        f"next. First, {soft_lower(steps[0][1])}"
    )
    bullets = [f"{step}: {detail.rstrip('.')}" for step, detail in steps][:5]
    return _copy("process", "How it works", heading, body, bullets, f.button(True))


def _testimonials(f: _Facts) -> SectionCopy:
    # The quotes themselves are the config's own, shown from the site-wide copywriting.
    heading = pick(f.rng, (f"What {f.profile.customers} say about {f.name}", "In their own words"))
    body = f"A few words from {f.profile.customers} of {f.name}{f.where}, as they said them."
    eyebrow = pick(f.rng, ("Testimonials", "In their words"))
    return _copy("testimonials", eyebrow, heading, body, [], f.button(True))


def _pricing(f: _Facts) -> SectionCopy:
    heading = pick(f.rng, ("Clear, honest pricing", f"Pricing at {f.name}"))
    offers = f.config.offers
    if offers:
        body = f"Prices at {f.name} as they stand. Ask us about any of them."
        bullets = [
            f"{o.name}: {o.price or o.description or 'ask us for a price'}".rstrip(". ")
            for o in offers
        ]
    else:
        body = (
            "You will know the cost before you commit. "
            f"Tell us what you need and {f.name} will confirm a price for it."
        )
        bullets = [f"{s}: price agreed before we start" for s in f.services[:5]]
    return _copy("pricing", "Pricing", heading, body, bullets, f.button(True))


def _gallery(f: _Facts) -> SectionCopy:
    heading = pick(f.rng, (f"Inside {f.name}", "A look at our work", "Recent work"))
    body = (
        f"A glimpse of {f.name}{f.where}: the people, the place and the work. "
        "Come and see it for yourself."
    )
    return _copy("gallery", "Gallery", heading, body, [], f.button(False))


def _team(f: _Facts) -> SectionCopy:
    team = f.config.team
    heading = pick(f.rng, (f"The people behind {f.name}", "Meet the team"))
    if team:
        body = f"These are the people {f.profile.customers} meet at {f.name}{f.where}."
        bullets = [f"{m.name}: {m.role}" for m in team]
    else:
        body = f"The people at {f.name} are here to help you."
        bullets = []
    return _copy("team", "Our team", heading, body, bullets, f.button(False))


def _faq(f: _Facts) -> SectionCopy:
    heading = pick(f.rng, (f"Questions {f.profile.customers} ask", "Good to know"))
    body = (
        f"Answers to what people most often ask {f.name}. "
        "If your question is not here, just ask and we will help."
    )
    return _copy("faq", "FAQ", heading, body, [], f.button(True))


def _cta(f: _Facts) -> SectionCopy:
    primary = f.copy.cta_labels.primary
    heading = pick(f.rng, (f"Ready to {soft_lower(primary)}?", f"{primary}{f.where}"))
    said = " ".join((*f.promises, f.copy.tagline)).lower()
    if len(primary.split()) >= PHRASE_WORDS - 1 or f"ready to {primary.lower()}" in said:
        # The button says it below; a long label or a promise said again reads as filler.
        heading = f"Take the next step with {f.name}"
    # Not a key message: the hero shows those, and a third telling is one too many.
    body = f"It only takes a minute to get started with {f.name}. We will take it from there."
    eyebrow = pick(f.rng, ("Ready when you are", "Next step"))
    return _copy("cta", eyebrow, heading, body, [], primary)


def _contact(f: _Facts) -> SectionCopy:
    given = f.config.contact
    phone = (given.phone if given else None) or find_phone(f.config.notes)
    email = (given.email if given else None) or find_email(f.config.notes)
    heading = pick(f.rng, (f"Get in touch with {f.name}", f"Contact {f.name}"))
    body = "We would love to hear from you. The quickest way to reach us is to send a message" + (
        " or call." if phone else "."
    )
    if f.config.location:
        body += f" You will find {f.name} in {f.config.location}."
    else:
        body += " Send a message and we will reply quickly."
    bullets = [
        line
        for line in (
            f"Based in {f.config.location}" if f.config.location else "",
            f"Phone: {phone}" if phone else "",
            f"Email: {email}" if email else "",
        )
        if line
    ]
    return _copy("contact", "Contact", heading, body, bullets, "Send a message")


SECTION_WRITERS = {
    "hero": _hero,
    "value-proposition": _value,
    "services": _services,
    "features": _features,
    "about": _about,
    "process": _process,
    "testimonials": _testimonials,
    "pricing": _pricing,
    "gallery": _gallery,
    "team": _team,
    "faq": _faq,
    "cta": _cta,
    "contact": _contact,
}


def _copy(
    key: str, eyebrow: str, heading: str, body: str, bullets: list[str], cta: str
) -> SectionCopy:
    return SectionCopy(
        key=key,
        eyebrow=truncate_words(eyebrow, 40),
        heading=heading,
        body=" ".join(body.split()),
        bullets=bullets[:5],
        cta_label=cta,
    )


def _sections_before(plan: PagePlan | None, slug: str) -> int:
    """How many sections the site's earlier pages hold (0 without a plan naming the page)."""
    slugs = [p.slug for p in plan.pages] if plan else []
    if slug not in slugs:
        return 0
    assert plan is not None
    return sum(len(p.section_keys) for p in plan.pages[: slugs.index(slug)])


def write(inputs: Inputs) -> PageCopy:
    need(inputs, "page", "section_plan", "layout", "copywriting", "design_context")
    assert inputs.page is not None and inputs.section_plan is not None
    assert inputs.layout is not None and inputs.copywriting is not None
    assert inputs.design_context is not None
    config = inputs.config
    profile = profile_for(config)
    rng = rng_for(inputs, f"page_copy:{inputs.page.slug}")
    promises = promise_order(inputs, profile)
    before = _sections_before(inputs.page_plan, inputs.page.slug)
    types = {s.key: s.type for s in inputs.section_plan.sections}
    variants = {s.key: s.variant for s in inputs.layout.sections}
    sections = []
    for index, key in enumerate(inputs.page.section_keys):
        facts = _Facts(
            config=config,
            profile=profile,
            copy=inputs.copywriting,
            design=inputs.design_context,
            rng=rng,
            first=index == 0,
            variant=variants.get(key, "default"),
            promises=promises,
            slot=before + index,
        )
        # A key the plan does not know still gets copy, written as a general feature block.
        written = SECTION_WRITERS[types.get(key, "features")](facts)
        sections.append(
            written.model_copy(update={"key": key, "heading": _named(written.heading, facts)})
        )
    return PageCopy(slug=inputs.page.slug, sections=sections)


def repair(value: PageCopy, inputs: Inputs, rules: Callable[[], PhaseModel]):
    assert inputs.page is not None
    notes: Notes = []
    given = {s.key: s for s in value.sections}
    types = {s.key: s.type for s in inputs.section_plan.sections} if inputs.section_plan else {}
    ruled: dict | None = None
    sections = []
    for key in inputs.page.section_keys:
        copy = given.get(key)
        if copy is None or not copy.heading.strip():
            if ruled is None:
                r = rules()
                assert isinstance(r, PageCopy)
                ruled = {s.key: s for s in r.sections}
            copy = ruled[key]
            notes.append(f"copy for section {key!r} was missing")
        if types.get(key) == "testimonials":
            copy = _only_given_quotes(copy, inputs.config, notes)
        sections.append(copy)
    return PageCopy(slug=inputs.page.slug, sections=sections), notes


def _only_given_quotes(copy: SectionCopy, config: ProjectConfig, notes: Notes) -> SectionCopy:
    """A testimonials section's bullets keep only what the config's testimonials say, by the
    people who said it; a quote by anyone else, or words a real customer never said, is an
    invention and is dropped."""
    names = [t.name.lower() for t in config.testimonials]
    facts = Facts.from_config(config)
    kept = [
        b
        for b in copy.bullets
        if any(n in b.lower() for n in names)
        and not invented_quotes(CopyField(copy.key, "bullets", "list_item", b), facts)
    ]
    if len(kept) == len(copy.bullets):
        return copy
    notes.append(
        f"section {copy.key!r}: dropped {len(copy.bullets) - len(kept)} testimonial(s) "
        "not from the config"
    )
    return copy.model_copy(update={"bullets": kept})


@dataclass(frozen=True)
class Inputs(NodeInputs):
    page_plan: PagePlan
    layout: Layout
    copywriting: Copywriting
    section_plan: SectionPlan
    design_context: DesignContext
    page: Page


def copy_fields(item: str, v: PageCopy) -> list[CopyField]:
    """What visitors read on one page, for the content gate."""
    fields: list[CopyField] = []
    for i, s in enumerate(v.sections):
        at = f"sections[{i}]"
        fields += [
            CopyField(item, f"{at}.eyebrow", "eyebrow", s.eyebrow),
            CopyField(item, f"{at}.heading", "heading", s.heading),
            CopyField(item, f"{at}.body", "body", s.body),
            CopyField(item, f"{at}.cta_label", "button", s.cta_label),
        ]
        fields += [
            CopyField(item, f"{at}.bullets[{j}]", "list_item", b) for j, b in enumerate(s.bullets)
        ]
    return fields


# One call per page, asked inside each `site_pages` item rather than as an asset of its own.
PAGE_COPY = Phase(
    name="page_copy",
    group="pages",
    description="The copy of one page's sections.",
    needs=needs_of(Inputs, item_field="page"),
    inputs=Inputs,
    model=PageCopy,
    max_output_tokens=1536,
    prompt=prompt,
    fallback=write,
    repair=repair,
    item_field="page",
    copy_fields=copy_fields,
)

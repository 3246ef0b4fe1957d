"""Truthful copy: the offline writers state only what the config supplies.

Testimonials, reviewers, team members, prices, figures, awards, guarantees and insurance
appear only when the config gives them; the content gate finds no invented claims in the
copy of the example projects or of businesses from trades the industry data never names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from merlin_assets.config.project import ProjectConfig, load_config
from merlin_assets.content_gate import CHECKS, CopyField, Facts, check_site
from merlin_assets.phases import graph
from merlin_assets.phases.content_review import site_copy
from merlin_assets.types.pages import Section, SectionPlan
from merlin_assets.types.site_copy import PageCopy, SectionCopy
from merlin_assets.types.site_copy import Testimonial as Quote
from merlin_assets_tests.phase_support import WRITERS, Inputs, repair, write_all_by_rules

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "projects"

INVENTED = {
    "funeral": dict(
        name="Hollis & Greave Funeral Directors",
        industry="Funeral director",
        description="A family-run funeral directors arranging burials, cremations and "
        "memorial services with care.",
        location="Shrewsbury",
        services=["Funeral arrangements", "Cremation services", "Memorial services"],
        audiences=["Bereaved families"],
        tone="calm, respectful, plain",
    ),
    "deep-sea": dict(
        name="Abyssal Research Lab",
        industry="Deep-sea research laboratory",
        description="An independent lab studying hydrothermal vent ecosystems.",
        location="Plymouth",
        services=["ROV survey charters", "Sample analysis", "Research partnerships"],
        audiences=["Universities", "Marine agencies"],
    ),
    "bike-coop": dict(
        name="Spoke & Sprocket Co-op",
        industry="Bike repair co-operative",
        description="A member-owned workshop where people fix their own bikes.",
        location="Bristol",
        services=["Bike repairs", "Open workshop sessions", "Refurbished bikes"],
        audiences=["Commuters", "Students"],
        tone="friendly, community-minded",
    ),
    "choir": dict(
        name="Riverside Community Choir",
        industry="Choir",
        description="A welcoming community choir singing pop, folk and gospel, no auditions.",
        location="Norwich",
        services=["Weekly rehearsals", "Concerts", "Singing for beginners"],
    ),
    "ferry": dict(
        name="Isle Link Ferries",
        industry="Ferry operator",
        description="Passenger and vehicle ferry crossings between the mainland and islands.",
        location="Oban",
        services=["Vehicle crossings", "Foot passenger tickets", "Group travel"],
        audiences=["Islanders", "Tourists"],
    ),
    "care-home": dict(
        name="Meadowbank Care Home",
        industry="Care home",
        description="Residential and dementia care in a homely setting with a garden.",
        location="Harrogate",
        services=["Residential care", "Dementia care", "Respite stays"],
        tone="warm, reassuring",
    ),
    "pottery": dict(
        name="Kiln Street Pottery",
        industry="Pottery studio",
        description="A small pottery studio offering wheel-throwing classes.",
        location="Stoke-on-Trent",
        services=["Wheel-throwing classes", "Handmade tableware", "Studio membership"],
    ),
    "library": dict(
        name="Eastgate Library",
        industry="Public library",
        description="A public library with books, study space and children's story time.",
        location="Leeds",
        services=["Book lending", "Study spaces", "Children's story time"],
    ),
    "locksmith": dict(
        name="SecureTurn Locksmiths",
        industry="Locksmith",
        description="Lock repairs, lock changes and lockout help for homes and businesses.",
        location="Cardiff",
        services=["Emergency lockouts", "Lock changes", "uPVC door repairs"],
        audiences=["Homeowners", "Landlords"],
    ),
    "sports-club": dict(
        name="Northfield Rovers FC",
        industry="Sports club",
        description="An amateur football club with junior, senior and walking football teams.",
        location="Birmingham",
        services=["Junior football", "Senior teams", "Walking football"],
    ),
}

CONFIGS: dict[str, ProjectConfig] = {
    **{p.stem: load_config(p) for p in sorted(EXAMPLES.iterdir())},
    **{k: ProjectConfig(**v) for k, v in INVENTED.items()},
}

CLAIMS = {check for check, (family, _) in CHECKS.items() if family == "claims"}


def build(config: ProjectConfig) -> tuple[dict, list[PageCopy]]:
    """Every rule-based writer up to page copy, wired as the phase graph wires them."""
    return write_all_by_rules(config)


def copy_fields(out: dict, pages: list[PageCopy]) -> list[CopyField]:
    """The site's copy as the content review reads it."""
    values = {**out, "site_pages": {p.slug: (None, p) for p in pages}}
    return site_copy(graph().nodes, values)


@pytest.fixture(scope="module", params=sorted(CONFIGS))
def site(request):
    config = CONFIGS[request.param]
    out, pages = build(config)
    return config, out, pages


def test_no_invented_claims(site):
    config, out, pages = site
    findings = check_site(copy_fields(out, pages), Facts.from_config(config))
    claims = [f for f in findings if f.check in CLAIMS]
    assert not claims, claims


def test_testimonials_only_from_config(site):
    config, out, _ = site
    given = [(t.quote, t.name, t.role or "") for t in config.testimonials]
    assert [(t.quote, t.author, t.role) for t in out["copywriting"].testimonials] == given
    types = {s.type for s in out["section_plan"].sections}
    assert ("testimonials" in types) == bool(config.testimonials)


def test_team_and_pricing_only_from_config(site):
    config, out, pages = site
    types = {s.type: s.key for s in out["section_plan"].sections}
    if not config.team:
        assert "team" not in types
    if not config.offers:
        assert "pricing" not in types
        assert "pricing" not in [p.slug for p in out["page_plan"].pages]
    sections = {s.key: s for p in pages for s in p.sections}
    if config.team:
        assert sections[types["team"]].bullets == [f"{m.name}: {m.role}" for m in config.team]
    if config.offers:
        bullets = sections[types["pricing"]].bullets
        assert [b.split(": ")[0] for b in bullets] == [o.name for o in config.offers][:5]


def test_no_site_without_facts_shows_kind_words():
    config = CONFIGS["choir"]
    out, pages = build(config)
    text = " ".join(
        f"{s.heading} {s.eyebrow} {s.body} {' '.join(s.bullets)}" for p in pages for s in p.sections
    )
    for phrase in ("Kind words", "Verified", "insured", "guarantee", "award", "years"):
        assert phrase.lower() not in text.lower()
    assert out["copywriting"].testimonials == []


def _plan_inputs(config: ProjectConfig) -> Inputs:
    out, _ = build(config)
    return Inputs(
        config=config,
        design_context=out["design_context"],
        design_strategy=out["design_strategy"],
        section_plan=out["section_plan"],
    )


def test_copywriting_repair_drops_invented_testimonials():
    config = CONFIGS["greenline-plumbing"]
    inputs = _plan_inputs(config)
    written = WRITERS["copywriting"](inputs)
    real = config.testimonials[0]
    model = written.model_copy(
        update={
            "testimonials": [
                Quote(quote="Five stars, best plumber ever.", author="Yusuf W.", role="PM"),
                Quote(quote="paraphrased", author=real.name, role=""),
            ]
        }
    )
    fixed, notes = repair.copywriting(model, inputs, lambda: written)
    assert [(t.quote, t.author, t.role) for t in fixed.testimonials] == [
        (real.quote, real.name, real.role or "")
    ]
    assert any("Yusuf W." in n for n in notes)


def test_copywriting_repair_without_config_testimonials_leaves_none():
    config = CONFIGS["choir"]
    inputs = _plan_inputs(config)
    written = WRITERS["copywriting"](inputs)
    model = written.model_copy(
        update={"testimonials": [Quote(quote="Lovely.", author="Zoe A.", role="Singer")]}
    )
    fixed, notes = repair.copywriting(model, inputs, lambda: written)
    assert fixed.testimonials == [] and notes


def test_section_plan_repair_drops_sections_without_facts():
    config = CONFIGS["choir"]
    plan = SectionPlan(
        sections=[
            Section(key="hero", type="hero", importance=5, notes="Hi"),
            Section(key="reviews", type="testimonials", importance=4, notes="Quotes"),
            Section(key="people", type="team", importance=3, notes="Staff"),
            Section(key="prices", type="pricing", importance=3, notes="Prices"),
            Section(key="faq", type="faq", importance=3, notes="FAQ"),
            Section(key="contact", type="contact", importance=5, notes="Contact"),
        ]
    )
    fixed, notes = repair.section_plan(plan, Inputs(config=config), lambda: plan)
    assert [s.type for s in fixed.sections] == ["hero", "faq", "contact"]
    assert len(notes) == 3


def test_page_copy_repair_drops_invented_quotes_in_testimonials_section():
    config = CONFIGS["greenline-plumbing"]
    given = f"'{config.testimonials[0].quote}' {config.testimonials[0].name}"
    out, _ = build(config)
    key = next(s.key for s in out["section_plan"].sections if s.type == "testimonials")
    page = next(p for p in out["page_plan"].pages if key in p.section_keys)
    inputs = Inputs(
        config=config,
        page=page,
        page_plan=out["page_plan"],
        section_plan=out["section_plan"],
        layout=out["layout"],
        copywriting=out["copywriting"],
        design_context=out["design_context"],
    )
    written = WRITERS["page_copy"](inputs)
    invented = SectionCopy(
        key=key,
        eyebrow="Reviews",
        heading="Kind words",
        body="What people say.",
        bullets=[
            "'Brilliant.' Yusuf W., Product manager",
            f"'Quick.' {config.testimonials[0].name}",
            given,
        ],
        cta_label="Call",
    )
    model = written.model_copy(
        update={"sections": [invented if s.key == key else s for s in written.sections]}
    )
    fixed, notes = repair.page_copy(model, inputs, lambda: written)
    section = next(s for s in fixed.sections if s.key == key)
    # 'Quick.' was never said by the real reviewer: a made-up quote in a real name is dropped
    # too; the config's own words, by the person who said them, stay.
    assert section.bullets == [given]
    assert "dropped 2 testimonial(s)" in " ".join(notes)

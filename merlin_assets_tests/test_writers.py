"""Offline writers: deterministic, valid, consistent across phases and specific to the business."""

from __future__ import annotations

import json
import re

import pytest

from merlin_assets.color import contrast
from merlin_assets.config.project import FONT_RE, ProjectConfig
from merlin_assets.industries import GENERIC, PROFILES, profile_for
from merlin_assets.phases.design_context import Audience
from merlin_assets.types.pages import Section, SectionPlan
from merlin_assets.types.site_copy import PageCopy
from merlin_assets_tests.phase_support import PHASE_MODELS, WRITERS, Inputs, write_all_by_rules

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

CONFIGS = {
    "bakery": ProjectConfig(
        name="Crumb & Co",
        industry="Artisan bakery",
        description="A neighbourhood bakery baking sourdough and pastries since 2011.",
        location="Leith",
        services=["Sourdough bread", "Pastries", "Celebration cakes", "Catering"],
        audiences=["Local families", "Office workers"],
        tone="warm, playful",
        goals=["Grow catering orders"],
        notes="Phone 0131 555 0199, email hello@crumbandco.example",
    ),
    "law": ProjectConfig(
        name="Harbour & Finch Solicitors",
        industry="Law firm",
        location="Bristol",
        services=["Family law", "Conveyancing", "Wills and probate", "Employment law"],
        audiences=["Homebuyers", "Separating couples"],
        tone="calm and authoritative",
    ),
    "saas": ProjectConfig(
        name="Flowdesk",
        industry="B2B SaaS",
        description="Flowdesk automates the paperwork of small operations teams.",
        services=["Workflow automation", "Reporting dashboards"],
        goals=["Book more demos"],
        brand={
            "colors": {"primary": "#0f766e", "accent": "#f97316"},
            "fonts": {"heading": "Space Grotesk", "body": "Inter"},
        },
    ),
    "dental": ProjectConfig(name="Bright Smile Dental", industry="Dentist"),
    "landscaping": ProjectConfig(
        name="Greenway Gardens",
        industry="Landscaping and garden design",
        location="Harrogate",
        services=["Garden design", "Patios", "Lawn care", "Hedge trimming", "Planting", "Fencing"],
    ),
    "generic": ProjectConfig(name="Kiln Corner", industry="Pottery classes and supplies"),
}


def build(config: ProjectConfig) -> tuple[dict, list[PageCopy]]:
    """Run every writer in graph order, handing each phase only what it depends on."""
    return write_all_by_rules(config)


def dump(out: dict, pages: list[PageCopy]) -> str:
    data = {k: v.model_dump() for k, v in out.items()}
    data["pages"] = [p.model_dump() for p in pages]
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module", params=sorted(CONFIGS))
def site(request):
    config = CONFIGS[request.param]
    out, pages = build(config)
    return config, out, pages


def test_registry_covers_every_phase():
    assert set(WRITERS) == set(PHASE_MODELS)


def test_deterministic(site):
    config, out, pages = site
    again_out, again_pages = build(config.model_copy(deep=True))
    assert dump(out, pages) == dump(again_out, again_pages)


def test_outputs_validate(site):
    _, out, pages = site
    for phase, value in out.items():
        model = PHASE_MODELS[phase]
        assert isinstance(value, model)
        assert model.model_validate(value.model_dump()) == value
    for page in pages:
        assert PageCopy.model_validate(page.model_dump()) == page


def strings(value) -> list[str]:
    """Every text value inside a dumped model, however deeply nested."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_no_placeholder_or_markup(site):
    _, out, pages = site
    texts = strings(json.loads(dump(out, pages)))
    for text in texts:
        lowered = text.lower()
        # Unfilled templates, markup and filler words must never reach a page.
        for bad in ("lorem", "ipsum", "{", "}", "<", ">", "**", "todo", "none", "  "):
            assert bad not in lowered, (bad, text)


def test_section_keys_consistent(site):
    _, out, _ = site
    keys = [s.key for s in out["section_plan"].sections]
    assert len(keys) == len(set(keys)) and 7 <= len(keys) <= 11
    assert all(SLUG_RE.fullmatch(k) for k in keys)
    assert out["section_plan"].sections[0].type == "hero"
    assert out["section_plan"].sections[-1].type == "contact"
    assert [s.key for s in out["layout"].sections] == keys
    paged = [k for page in out["page_plan"].pages for k in page.section_keys]
    assert sorted(paged) == sorted(keys)
    for image in out["image_plan"].images:
        assert image.section_key in keys


def test_page_plan_shape(site):
    _, out, _ = site
    pages = out["page_plan"].pages
    slugs = [p.slug for p in pages]
    assert 3 <= len(pages) <= 5
    assert slugs[0] == "home" and slugs[-1] == "contact"
    assert len(set(slugs)) == len(slugs) and all(SLUG_RE.fullmatch(s) for s in slugs)
    hero = next(s.key for s in out["section_plan"].sections if s.type == "hero")
    contact = next(s.key for s in out["section_plan"].sections if s.type == "contact")
    assert hero in pages[0].section_keys and contact in pages[-1].section_keys


def test_layout_vocabulary(site):
    _, out, _ = site
    types = {s.key: s.type for s in out["section_plan"].sections}
    allowed = {
        "hero": {"split", "centered", "full-bleed"},
        "services": {"grid", "cards", "list"},
        "features": {"grid", "cards", "list"},
        "about": {"split", "stacked"},
        "testimonials": {"cards", "quote"},
        "gallery": {"grid", "masonry"},
    }
    for layout in out["layout"].sections:
        assert layout.variant in allowed.get(types[layout.key], {"default"})
        assert 1 <= layout.columns <= 4 and 0 <= layout.image_slots <= 4
        if types[layout.key] == "hero":
            assert layout.image_slots == 1


def test_image_plan(site):
    config, out, _ = site
    images = out["image_plan"].images
    keys = [i.key for i in images]
    assert 5 <= len(images) <= 10
    assert len(set(keys)) == len(keys) and all(SLUG_RE.fullmatch(k) for k in keys)
    heroes = [i for i in images if i.purpose == "hero"]
    assert len(heroes) == 1 and heroes[0].aspect == "16:9"
    for image in images:
        assert len(image.alt) <= 125 and config.name in image.alt
        assert config.name in image.prompt and "no text" in image.prompt
        if image.purpose == "icon":
            assert image.aspect == "1:1"
    icons = [i for i in images if i.purpose == "icon"]
    assert 1 <= len(icons) <= 3


def test_seo_limits(site):
    config, out, _ = site
    seo = out["seo_strategy"]
    assert [p.slug for p in seo.pages] == [p.slug for p in out["page_plan"].pages]
    assert len(seo.site_title) <= 60
    for page in seo.pages:
        assert len(page.title) <= 60, page.title
        assert 120 <= len(page.description) <= 160, page.description
        assert 3 <= len(page.keywords) <= 6
        assert not page.title.endswith(("|", "&", "-", ","))
    assert seo.schema_type == profile_for(config).schema_type
    assert seo.og_type == "website" and seo.organization.name == config.name
    assert seo.organization.area_served == config.location
    descriptions = [p.description for p in seo.pages]
    assert len(set(descriptions)) == len(descriptions)


def test_copy_names_business_and_services(site):
    config, out, pages = site
    copy = out["copywriting"]
    assert 3 <= len(copy.key_messages) <= 5
    assert 4 <= len(copy.faqs) <= 6
    # Testimonials are the config's own, word for word, or none at all: never invented.
    assert [(t.quote, t.author, t.role) for t in copy.testimonials] == [
        (t.quote, t.name, t.role or "") for t in config.testimonials
    ]
    assert len(copy.tagline.split()) <= 8
    if config.services:
        assert [s.name for s in copy.services] == config.services
    everything = json.dumps([copy.model_dump(), *(p.model_dump() for p in pages)])
    for service in config.services:
        assert service in everything, service
    assert config.name in copy.value_proposition
    if config.location:
        assert any(config.location in s.description for s in copy.services)
    for page in pages:
        assert config.name in page.sections[0].heading, (page.slug, page.sections[0].heading)
        for section in page.sections:
            assert section.heading and section.body and section.eyebrow and section.cta_label
            assert len(section.bullets) <= 5
            assert 2 <= section.body.count(".") + section.body.count("?") <= 4


def test_page_copy_follows_page(site):
    _, out, pages = site
    for plan, page in zip(out["page_plan"].pages, pages, strict=True):
        assert page.slug == plan.slug
        assert [s.key for s in page.sections] == plan.section_keys


def test_style_system(site):
    _, out, _ = site
    style = out["style_system"]
    palette = style.palette
    assert contrast(palette.text, palette.background) >= 4.5
    assert contrast(palette.text, palette.surface) >= 4.5
    assert contrast(palette.muted_text, palette.background) >= 4.5
    assert len(palette.neutrals) == 5
    assert re.fullmatch(FONT_RE, style.fonts.heading) and re.fullmatch(FONT_RE, style.fonts.body)
    assert 16 <= style.base_font_px <= 18 and 1.2 <= style.type_scale_ratio <= 1.25
    assert style.spacing_unit_px == 8 and 4 <= style.radius_px <= 16
    assert 0.2 <= style.shadow_strength <= 0.6 and style.mood


def test_brand_wins():
    out, _ = build(CONFIGS["saas"])
    style = out["style_system"]
    assert style.palette.primary == "#0f766e" and style.palette.accent == "#f97316"
    assert style.fonts.heading == "Space Grotesk" and style.fonts.body == "Inter"
    assert "#0f766e" in out["design_strategy"].color_direction


def test_tone_and_location_flow_through():
    config = CONFIGS["bakery"]
    out, pages = build(config)
    assert out["design_strategy"].brand_personality[:2] == ["warm", "playful"]
    assert "Trading since 2011" in out["design_strategy"].trust_builders
    assert "catering" in out["design_strategy"].conversion_goal.lower()
    org = out["seo_strategy"].organization
    assert org.telephone == "0131 555 0199" and org.email == "hello@crumbandco.example"
    assert out["seo_strategy"].schema_type == "Bakery"
    contact = pages[-1].sections[-1]
    assert "Phone: 0131 555 0199" in contact.bullets


def test_no_invented_contact_details():
    out, _ = build(CONFIGS["law"])
    org = out["seo_strategy"].organization
    assert org.telephone == "" and org.email == ""


def test_two_bakeries_read_differently():
    first = CONFIGS["bakery"]
    second = ProjectConfig(
        name="Rise Bakehouse",
        industry="Bakery",
        location="Stockbridge",
        services=["Sourdough bread", "Pastries", "Celebration cakes"],
    )
    texts = []
    for config in (first, second):
        out, pages = build(config)
        hero = pages[0].sections[0]
        # Names and places differ anyway; compare what is left, the chosen phrasing.
        texts.append(
            "|".join((out["copywriting"].tagline, hero.heading, out["design_strategy"].voice))
            .replace(config.name, "NAME")
            .replace(config.location, "PLACE")
        )
    assert texts[0] != texts[1]


def test_missing_dependency_fails_loudly():
    with pytest.raises(ValueError, match="design_strategy"):
        WRITERS["style_system"](Inputs(config=CONFIGS["dental"]))


def test_industry_matching():
    def key(industry: str, description: str = "") -> str:
        config = ProjectConfig(name="Test Co", industry=industry, description=description)
        return profile_for(config).key

    assert len(PROFILES) >= 14
    assert key("Veterinary clinic") == "pet-care"
    assert key("Lawn care") == "landscaping"
    assert key("Yoga studio") == "fitness"
    assert key("Italian restaurant") == "restaurant"
    assert key("Startup", "We build a SaaS platform for clinics") == "software"
    assert key("Family business", "A small bakery and coffee shop") == "bakery"
    assert key("Widgets") == GENERIC.key
    assert profile_for(ProjectConfig(name="A", industry="Electrician")).schema_type == "Electrician"
    assert profile_for(ProjectConfig(name="A", industry="Coffee shop")).label == "café"


@pytest.mark.parametrize("profile", [*PROFILES, GENERIC], ids=lambda p: p.key)
def test_every_profile_writes_a_site(profile):
    config = ProjectConfig(
        name="Northwind", industry=(profile.keywords or ("Curiosities",))[0], location="York"
    )
    out, pages = build(config)
    assert profile_for(config).key == profile.key
    assert "lorem" not in dump(out, pages).lower()
    for page in out["seo_strategy"].pages:
        assert len(page.title) <= 60 and 120 <= len(page.description) <= 160


def test_handles_an_llm_style_section_plan():
    config = CONFIGS["law"]
    out, _ = build(config)
    plan = SectionPlan(
        sections=[
            Section(key="intro-hero", type="hero", importance=5, notes="Open strong."),
            Section(key="our-services", type="services", importance=5, notes="Services."),
            Section(key="kind-words", type="testimonials", importance=4, notes="Reviews."),
            Section(key="extra-faq", type="faq", importance=3, notes="Questions."),
            Section(key="say-hello", type="cta", importance=4, notes="Act now."),
        ]
    )
    pages = WRITERS["page_plan"](Inputs(config=config, section_plan=plan)).pages
    assert pages[0].slug == "home" and pages[-1].slug == "contact"
    paged = sorted(k for p in pages for k in p.section_keys)
    assert paged == sorted(s.key for s in plan.sections)
    layout = WRITERS["layout"](
        Inputs(config=config, section_plan=plan, design_strategy=out["design_strategy"])
    )
    assert [s.key for s in layout.sections] == [s.key for s in plan.sections]
    images = WRITERS["image_plan"](
        Inputs(
            config=config,
            section_plan=plan,
            style_system=out["style_system"],
            design_strategy=out["design_strategy"],
        )
    ).images
    assert {i.section_key for i in images} <= {s.key for s in plan.sections}
    copy = WRITERS["page_copy"](
        Inputs(
            config=config,
            page=pages[0],
            section_plan=plan,
            layout=layout,
            copywriting=out["copywriting"],
            design_context=out["design_context"],
        )
    )
    assert [s.key for s in copy.sections] == pages[0].section_keys


def test_tolerates_sparse_upstream():
    """As the LLM fallback, a writer may get thin upstream results; it must still write."""
    config = CONFIGS["bakery"]
    out, _ = build(config)
    strategy = out["design_strategy"].model_copy(
        update={"brand_personality": [], "visual_keywords": [], "trust_builders": [], "voice": ""}
    )
    design = out["design_context"].model_copy(
        update={"audience": Audience(who="", goals=[], pain_points=[])}
    )
    style = out["style_system"].model_copy(
        update={"palette": out["style_system"].palette.model_copy(update={"primary": "teal"})}
    )
    copy = out["copywriting"].model_copy(update={"key_messages": [], "services": [], "faqs": []})
    inputs = Inputs(
        config=config,
        design_strategy=strategy,
        design_context=design,
        section_plan=out["section_plan"],
        style_system=style,
        layout=out["layout"],
        page_plan=out["page_plan"],
        copywriting=copy,
    )
    for phase in ("style_system", "layout", "image_plan", "copywriting", "seo_strategy"):
        assert isinstance(WRITERS[phase](inputs), PHASE_MODELS[phase])
    for page in out["page_plan"].pages:
        written = WRITERS["page_copy"](Inputs(**{**inputs.__dict__, "page": page}))
        assert [s.key for s in written.sections] == page.section_keys

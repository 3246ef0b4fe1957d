"""Cross-references between phases: broken plans come out consistent, good ones untouched."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merlin_assets.config.project import ProjectConfig
from merlin_assets.llm.base import ChatRequest
from merlin_assets.phases.style_system import StyleSystem
from merlin_assets.types.images import ImagePlan, PlannedImage
from merlin_assets.types.pages import Layout, Page, PagePlan, Section, SectionLayout, SectionPlan
from merlin_assets.types.seo import SeoStrategy
from merlin_assets.types.site_copy import PageCopy
from merlin_assets_tests.phase_support import PAGE_COPY, PHASES, Inputs, repair

CONFIG = ProjectConfig(
    name="Harbor Legal Partners",
    industry="Law firm",
    location="Portland, Maine",
    services=["Business contracts", "Employment law", "Wills and estate planning"],
)
SECTIONS = SectionPlan(
    sections=[
        Section(key="hero", type="hero", importance=5, notes=""),
        Section(key="services", type="services", importance=5, notes=""),
        Section(key="about", type="about", importance=3, notes=""),
        Section(key="faq", type="faq", importance=3, notes=""),
        Section(key="contact", type="contact", importance=5, notes=""),
    ]
)


def write_by_rules(request: ChatRequest):
    """The rule answer of the request's phase, as the engine asks for it."""
    phase = PAGE_COPY if request.phase == "page_copy" else PHASES[request.phase]
    return phase.write_by_rules(request.inputs)


def rules(phase: str, inputs: Inputs):
    p = PAGE_COPY if phase == "page_copy" else PHASES[phase]
    return lambda: write_by_rules(ChatRequest(phase, phase, "", "", p.model, inputs))


def test_section_plan_keys_made_safe_and_unique_and_hero_contact_added():
    bad = SectionPlan(
        sections=[
            Section(key="Our Services!", type="services", importance=9, notes=""),
            Section(key="our-services", type="features", importance=0, notes=""),
            Section(key="../etc", type="about", importance=3, notes=""),
        ]
    )
    inputs = Inputs(config=CONFIG)
    fixed, notes = repair.section_plan(bad, inputs, rules("section_plan", inputs))
    keys = [s.key for s in fixed.sections]
    assert keys[0] == "hero" and keys[-1] == "contact"
    assert keys[1:4] == ["our-services", "our-services-2", "etc"]
    assert all(1 <= s.importance <= 5 for s in fixed.sections)
    assert any("added a hero" in n for n in notes) and any("contact" in n for n in notes)


def test_layout_follows_section_keys_and_allowed_variants():
    given = Layout(
        sections=[
            SectionLayout(key="hero", variant="spiral", columns=9, image_slots=12),
            SectionLayout(key="ghost", variant="grid", columns=2, image_slots=0),
        ]
    )
    inputs = Inputs(config=CONFIG, section_plan=SECTIONS, design_strategy=None)
    strategy_inputs = Inputs(
        config=CONFIG,
        section_plan=SECTIONS,
        design_strategy=write_by_rules(
            ChatRequest(
                "design_strategy",
                "x",
                "",
                "",
                PHASES["design_strategy"].model,
                Inputs(config=CONFIG),
            )
        ),
    )
    fixed, notes = repair.layout(given, inputs, rules("layout", strategy_inputs))
    assert [s.key for s in fixed.sections] == [s.key for s in SECTIONS.sections]
    hero = fixed.sections[0]
    assert (hero.variant, hero.columns, hero.image_slots) == ("split", 4, 4)
    assert any("ghost" in n for n in notes)


@pytest.mark.parametrize(
    "pages",
    [
        [],
        [Page(slug="Start", title="Start", purpose="", section_keys=["services", "hero"])],
        [
            Page(slug="home", title="Home", purpose="", section_keys=["hero", "nope"]),
            Page(slug="home", title="Again", purpose="", section_keys=["services", "hero"]),
            Page(slug="contact", title="Contact", purpose="", section_keys=["faq"]),
            Page(slug="empty", title="Empty", purpose="", section_keys=[]),
        ],
    ],
    ids=["no-pages", "no-home-or-contact", "duplicates-and-unknowns"],
)
def test_page_plan_every_section_on_exactly_one_page(pages):
    inputs = Inputs(config=CONFIG, section_plan=SECTIONS)
    fixed, _ = repair.page_plan(PagePlan(pages=pages), inputs, rules("page_plan", inputs))
    slugs = [p.slug for p in fixed.pages]
    assert slugs[0] == "home" and slugs[-1] == "contact"
    assert len(slugs) == len(set(slugs))
    placed = [k for p in fixed.pages for k in p.section_keys]
    assert sorted(placed) == sorted(s.key for s in SECTIONS.sections)
    assert "hero" in fixed.pages[0].section_keys
    assert "contact" in fixed.pages[-1].section_keys
    assert all(p.section_keys for p in fixed.pages)


def test_image_plan_drops_unknown_sections_and_keeps_a_hero():
    style_inputs = Inputs(config=CONFIG)
    strategy = write_by_rules(
        ChatRequest("design_strategy", "x", "", "", PHASES["design_strategy"].model, style_inputs)
    )
    context = write_by_rules(
        ChatRequest("design_context", "x", "", "", PHASES["design_context"].model, style_inputs)
    )
    style = write_by_rules(
        ChatRequest(
            "style_system",
            "x",
            "",
            "",
            StyleSystem,
            Inputs(config=CONFIG, design_strategy=strategy, design_context=context),
        )
    )
    inputs = Inputs(
        config=CONFIG, section_plan=SECTIONS, style_system=style, design_strategy=strategy
    )
    given = ImagePlan(
        images=[
            PlannedImage(
                key="Team Photo",
                section_key="team",
                purpose="supporting",
                prompt="p",
                alt="a",
                aspect="4:3",
            ),
            PlannedImage(
                key="about",
                section_key="about",
                purpose="supporting",
                prompt="an office",
                alt="",
                aspect="4:3",
            ),
            PlannedImage(
                key="about",
                section_key="about",
                purpose="supporting",
                prompt="p",
                alt="x" * 300,
                aspect="4:3",
            ),
        ]
    )
    fixed, notes = repair.image_plan(given, inputs, rules("image_plan", inputs))
    keys = [i.key for i in fixed.images]
    assert "team-photo" not in keys
    assert keys.count("about") == 1 and "about-2" in keys
    assert any(i.purpose == "hero" and i.section_key == "hero" for i in fixed.images)
    assert all(0 < len(i.alt) <= repair.ALT_MAX for i in fixed.images)
    assert next(i for i in fixed.images if i.key == "about").alt == "an office"
    assert any("team" in n for n in notes)


def test_style_system_repairs_colours_fonts_contrast_and_brand():
    from merlin_assets import color
    from merlin_assets.config.project import Brand, BrandColors

    config = CONFIG.model_copy(update={"brand": Brand(colors=BrandColors(primary="#123456"))})
    inputs = Inputs(config=config)
    strategy = write_by_rules(
        ChatRequest("design_strategy", "x", "", "", PHASES["design_strategy"].model, inputs)
    )
    context = write_by_rules(
        ChatRequest("design_context", "x", "", "", PHASES["design_context"].model, inputs)
    )
    inputs = Inputs(config=config, design_strategy=strategy, design_context=context)
    good = write_by_rules(ChatRequest("style_system", "x", "", "", StyleSystem, inputs))
    bad = good.model_copy(
        update={
            "palette": good.palette.model_copy(
                update={
                    "primary": "red",
                    "text": "#fefefe",
                    "background": "#ffffff",
                    "accent": "#fff;} body{x:y",
                }
            ),
            "fonts": good.fonts.model_copy(update={"heading": "x;}</style>"}),
            "radius_px": 400,
        }
    )
    fixed, notes = repair.style_system(bad, inputs, rules("style_system", inputs))
    p = fixed.palette
    assert p.primary == "#123456"
    assert color.is_hex(p.accent)
    assert color.contrast(p.text, p.background) >= 4.5
    assert fixed.fonts.heading == good.fonts.heading
    assert fixed.radius_px == 24
    assert notes


def test_seo_titles_and_descriptions_clipped_and_pages_matched():
    plan = PagePlan(
        pages=[
            Page(slug="home", title="Home", purpose="Welcome", section_keys=["hero"]),
            Page(slug="contact", title="Contact", purpose="Reach us", section_keys=["contact"]),
        ]
    )
    inputs = Inputs(config=CONFIG, page_plan=plan)
    seo = SeoStrategy.model_validate(
        {
            "site_title": "Harbor",
            "schema_type": "LegalService",
            "organization": {
                "name": "H",
                "description": "d",
                "area_served": "",
                "telephone": "",
                "email": "",
            },
            "og_type": "website",
            "pages": [
                {"slug": "home", "title": "T " * 50, "description": "word " * 60, "keywords": []}
            ],
        }
    )
    context = write_by_rules(
        ChatRequest(
            "design_context", "x", "", "", PHASES["design_context"].model, Inputs(config=CONFIG)
        )
    )
    rule_inputs = Inputs(config=CONFIG, page_plan=plan, design_context=context)
    fixed, notes = repair.seo_strategy(seo, inputs, rules("seo_strategy", rule_inputs))
    assert [p.slug for p in fixed.pages] == ["home", "contact"]
    assert all(len(p.title) <= 60 and len(p.description) <= 160 for p in fixed.pages)
    assert fixed.pages[0].title.endswith("…")
    assert any("contact" in n for n in notes)


def test_page_copy_follows_the_page_sections():
    page = Page(slug="home", title="Home", purpose="", section_keys=["hero", "services"])
    copy = PageCopy.model_validate(
        {
            "slug": "wrong",
            "sections": [
                {
                    "key": "services",
                    "eyebrow": "",
                    "heading": "Services",
                    "body": "b",
                    "bullets": [],
                    "cta_label": "Go",
                },
                {
                    "key": "stray",
                    "eyebrow": "",
                    "heading": "x",
                    "body": "",
                    "bullets": [],
                    "cta_label": "",
                },
            ],
        }
    )
    fixed, notes = repair.page_copy(
        copy,
        Inputs(config=CONFIG, page=page),
        lambda: PageCopy(
            slug="home",
            sections=[
                copy.sections[0].model_copy(update={"key": "hero", "heading": "Welcome"}),
                copy.sections[0],
            ],
        ),
    )
    assert fixed.slug == "home"
    assert [s.key for s in fixed.sections] == ["hero", "services"]
    assert fixed.sections[0].heading == "Welcome"
    assert notes == ["copy for section 'hero' was missing"]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 60, "short"),
        ("one two three four", 10, "one two…"),
        ("  spaced   out  ", 60, "spaced out"),
    ],
)
def test_clip(text, limit, expected):
    assert repair.clip(text, limit) == expected


_hex = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")


@settings(max_examples=300, deadline=None)
@given(bg=_hex, surface=_hex, text=_hex, muted=_hex)
def test_any_palette_comes_out_readable(bg, surface, text, muted):
    """Whatever colours a model picks, body text reaches 4.5:1 on background and surface."""
    from merlin_assets import color

    style = StyleSystem.model_validate(
        {
            "palette": {
                "primary": "#336699",
                "secondary": "#664422",
                "accent": "#ffaa00",
                "background": bg,
                "surface": surface,
                "text": text,
                "muted_text": muted,
                "neutrals": ["#111111", "#777777", "#eeeeee"],
            },
            "fonts": {"heading": "Inter", "body": "Inter"},
            "base_font_px": 16,
            "type_scale_ratio": 1.2,
            "spacing_unit_px": 8,
            "radius_px": 8,
            "shadow_strength": 0.3,
            "mood": "calm",
        }
    )
    fixed, _ = repair.style_system(style, Inputs(config=CONFIG), lambda: style)
    p = fixed.palette
    assert color.contrast(p.text, p.background) >= 4.5
    assert color.contrast(p.text, p.surface) >= 4.5
    assert color.contrast(p.muted_text, p.background) >= 4.5


def test_section_plan_keeps_one_section_per_type():
    # A real small model planned six "process" sections; written by the rules they read alike.
    plan = SectionPlan(
        sections=[
            Section(key="hero", type="hero", importance=5, notes=""),
            *(Section(key=f"how-{i}", type="process", importance=3, notes="") for i in range(6)),
            Section(key="contact", type="contact", importance=5, notes=""),
        ]
    )
    inputs = Inputs(config=CONFIG)
    fixed, notes = repair.section_plan(plan, inputs, rules("section_plan", inputs))
    assert [s.key for s in fixed.sections] == ["hero", "how-0", "contact"]
    assert sum("a second process section" in n for n in notes) == 5

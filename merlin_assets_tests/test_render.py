"""The rendering layer: complete, linked, accessible pages, and nothing untrusted gets through."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET

import html5lib
import pytest

from merlin_assets.config.project import ProjectConfig
from merlin_assets.phases.style_system import Fonts, StyleSystem
from merlin_assets.render.context import PageContext, page_filename, page_url
from merlin_assets.render.site import (
    CSP,
    SITE_JS,
    environment,
    render_css,
    render_page,
    render_robots,
    render_sitemap,
    safe_url,
)
from merlin_assets.types.images import ImageFile
from merlin_assets.types.pages import Page, Section, SectionLayout, SitePage
from merlin_assets.types.seo import Organization, PageSeo, SeoStrategy
from merlin_assets.types.site_copy import (
    Copywriting,
    CtaLabels,
    FaqItem,
    PageCopy,
    SectionCopy,
    ServiceItem,
)
from merlin_assets.types.site_copy import Testimonial as Review
from merlin_assets.types.style import Palette

NS = "{http://www.w3.org/1999/xhtml}"
HOSTILE = "<script>alert(1)</script>"
ATTR_BREAK = '" onmouseover="x'
JS_URL = "javascript:alert(1)"
TEMPLATE = "{{7*7}}"

SECTIONS = [
    Section(key="hero", type="hero", importance=5, notes="Opening"),
    Section(key="why-us", type="value-proposition", importance=4, notes="Why"),
    Section(key="bakes", type="services", importance=5, notes="What we bake"),
    Section(key="how-it-works", type="process", importance=3, notes="Ordering"),
    Section(key="reviews", type="testimonials", importance=4, notes="Proof"),
    Section(key="story", type="about", importance=4, notes="Story"),
    Section(key="team", type="team", importance=2, notes="Bakers"),
    Section(key="questions", type="faq", importance=3, notes="FAQ"),
    Section(key="order-cta", type="cta", importance=4, notes="Order"),
    Section(key="contact", type="contact", importance=5, notes="Visit"),
]
PAGES = [
    Page(
        slug="home",
        title="Home",
        purpose="Welcome",
        section_keys=["hero", "why-us", "bakes", "how-it-works", "reviews", "order-cta"],
    ),
    Page(slug="about", title="Our story", purpose="Story", section_keys=["story", "team"]),
    Page(slug="contact", title="Visit us", purpose="Visit", section_keys=["questions", "contact"]),
]
LAYOUTS = {
    "hero": SectionLayout(key="hero", variant="split", columns=2, image_slots=1),
    "why-us": SectionLayout(key="why-us", variant="default", columns=1, image_slots=0),
    "bakes": SectionLayout(key="bakes", variant="cards", columns=3, image_slots=0),
    "how-it-works": SectionLayout(key="how-it-works", variant="default", columns=3, image_slots=0),
    "reviews": SectionLayout(key="reviews", variant="cards", columns=3, image_slots=0),
    "story": SectionLayout(key="story", variant="split", columns=2, image_slots=1),
    "team": SectionLayout(key="team", variant="default", columns=3, image_slots=0),
    "questions": SectionLayout(key="questions", variant="default", columns=1, image_slots=0),
    "order-cta": SectionLayout(key="order-cta", variant="default", columns=1, image_slots=0),
    "contact": SectionLayout(key="contact", variant="default", columns=1, image_slots=0),
}
COPY = {
    "hero": SectionCopy(
        key="hero",
        eyebrow="Sourdough bakery in Portland",
        heading="Bread worth getting up early for",
        body="Naturally leavened loaves and flaky pastries, baked every morning.\n\n"
        "Stone-milled flour, long fermentation, nothing artificial.",
        bullets=["Baked fresh daily from 6am", "Organic, locally milled flour"],
        cta_label="Order for pickup",
    ),
    "why-us": SectionCopy(
        key="why-us",
        eyebrow="Why Crumb & Co",
        heading="Slow bread, made properly",
        body="We ferment every loaf for 36 hours so it tastes better and keeps longer.",
        bullets=["36-hour fermentation", "Flour milled 40 miles away", "Zero additives"],
        cta_label="",
    ),
    "bakes": SectionCopy(
        key="bakes",
        eyebrow="What we bake",
        heading="From the oven this week",
        body="A short menu, done well.",
        bullets=[],
        cta_label="See pickup times",
    ),
    "how-it-works": SectionCopy(
        key="how-it-works",
        eyebrow="Ordering",
        heading="Fresh bread in three steps",
        body="",
        bullets=[
            "Order online: choose your loaves by 8pm",
            "We bake overnight: shaped, proofed and baked at dawn",
            "Pick up warm: collect from 7am at the counter",
        ],
        cta_label="",
    ),
    "reviews": SectionCopy(
        key="reviews",
        eyebrow="Kind words",
        heading="Loved by the neighbourhood",
        body="",
        bullets=[],
        cta_label="",
    ),
    "order-cta": SectionCopy(
        key="order-cta",
        eyebrow="",
        heading="Tomorrow's bake is filling up",
        body="Reserve your loaves before 8pm for pickup tomorrow.",
        bullets=[],
        cta_label="Reserve a loaf",
    ),
    "story": SectionCopy(
        key="story",
        eyebrow="Since 2014",
        heading="A bakery that grew out of a home kitchen",
        body="Maya started baking for friends. Ten years later the starter is still going.",
        bullets=["Family owned", "Zero-waste kitchen"],
        cta_label="Come say hello",
    ),
    "team": SectionCopy(
        key="team",
        eyebrow="The bakers",
        heading="Meet the people with flour on their hands",
        body="",
        bullets=["Maya Chen: Head baker", "Luis Ortega: Pastry chef", "Ana Ruiz: Front of house"],
        cta_label="",
    ),
    "questions": SectionCopy(
        key="questions",
        eyebrow="Good to know",
        heading="Questions we hear a lot",
        body="",
        bullets=[],
        cta_label="",
    ),
    "contact": SectionCopy(
        key="contact",
        eyebrow="Visit",
        heading="Come by the bakery",
        body="Open Tuesday to Sunday, 7am until we sell out.",
        bullets=["Free parking behind the shop"],
        cta_label="Email the bakery",
    ),
}
IMAGES = {
    "hero-loaves": ImageFile(
        key="hero-loaves",
        alt="Golden sourdough loaves cooling on a wooden rack",
        width=1600,
        height=1200,
        files={
            "480": "hero-loaves-480.webp",
            "960": "hero-loaves-960.webp",
            "1600": "hero-loaves-1600.webp",
        },
        fallback="hero-loaves.jpg",
        source="offline",
    ),
    "story-kitchen": ImageFile(
        key="story-kitchen",
        alt="",
        width=1200,
        height=900,
        files={"480": "story-kitchen-480.webp", "1200": "story-kitchen-1200.webp"},
        fallback="story-kitchen.jpg",
        source="offline",
    ),
}
SECTION_IMAGES = {"hero": ["hero-loaves", "missing-image"], "story": ["story-kitchen"]}


def make_config(**overrides) -> ProjectConfig:
    data = {
        "name": "Crumb & Co",
        "industry": "bakery",
        "description": "A neighbourhood sourdough bakery.",
        "location": "Portland, Oregon",
        "services": ["Sourdough", "Pastries"],
        "url": "https://crumbandco.example",
    }
    data.update(overrides)
    return ProjectConfig.model_validate(data)


def make_style(**overrides) -> StyleSystem:
    data = {
        "palette": Palette(
            primary="#b4532a",
            secondary="#6b4f3a",
            accent="#e0a84f",
            background="#fffaf3",
            surface="#f6ecdf",
            text="#2b2118",
            muted_text="#6b5d50",
            neutrals=["#f5f0ea", "#d8cfc4", "#8a7f74"],
        ),
        "fonts": Fonts(heading="Playfair Display", body="Inter"),
        "base_font_px": 17,
        "type_scale_ratio": 1.25,
        "spacing_unit_px": 8,
        "radius_px": 12,
        "shadow_strength": 0.5,
        "mood": "warm, artisanal",
    }
    data.update(overrides)
    return StyleSystem.model_validate(data)


def make_copywriting(**overrides) -> Copywriting:
    data = {
        "tagline": "Slow bread for busy mornings",
        "value_proposition": "Naturally leavened bread baked fresh every morning in Portland.",
        "voice_guide": "Warm and plain-spoken",
        "key_messages": ["Fresh daily", "Local flour"],
        "cta_labels": CtaLabels(primary="Order for pickup", secondary="Our story"),
        "services": [
            ServiceItem(name="Country sourdough", description="Our signature loaf, crackly crust."),
            ServiceItem(name="Morning pastries", description="Croissants and cardamom buns."),
            ServiceItem(
                name="Celebration cakes", description="Made to order with a week's notice."
            ),
        ],
        "faqs": [
            FaqItem(
                question="Do you bake gluten-free bread?", answer="Not yet: flour is in the air."
            ),
            FaqItem(question="Can I order for a café?", answer="Yes.\n\nEmail us for wholesale."),
        ],
        "testimonials": [
            Review(quote="The best loaf in the city.", author="Jordan P.", role="Regular"),
            Review(quote="Worth the queue.", author="Sam K.", role="Local guide"),
        ],
    }
    data.update(overrides)
    return Copywriting.model_validate(data)


def make_seo(**overrides) -> SeoStrategy:
    data = {
        "site_title": "Crumb & Co Bakery",
        "schema_type": "Bakery",
        "organization": Organization(
            name="Crumb & Co",
            description="Sourdough bakery in Portland, Oregon.",
            area_served="Portland, Oregon",
            telephone="+1 503 555 0142",
            email="hello@crumbandco.example",
        ),
        "og_type": "website",
        "pages": [
            PageSeo(
                slug="home",
                title="Crumb & Co | Sourdough bakery in Portland",
                description="Naturally leavened sourdough and pastries, baked daily in Portland.",
                keywords=["sourdough", "bakery portland"],
            ),
            PageSeo(
                slug="about",
                title="Our story | Crumb & Co",
                description="How a home kitchen became Portland's favourite sourdough bakery.",
                keywords=["bakery story"],
            ),
            PageSeo(
                slug="contact",
                title="Visit Crumb & Co",
                description="Opening hours, location and how to order from Crumb & Co.",
                keywords=["bakery hours"],
            ),
        ],
    }
    data.update(overrides)
    return SeoStrategy.model_validate(data)


def build_context(
    slug: str = "home",
    *,
    config: ProjectConfig | None = None,
    copy: dict[str, SectionCopy] | None = None,
    copywriting: Copywriting | None = None,
    seo: SeoStrategy | None = None,
    style: StyleSystem | None = None,
    layouts: dict[str, SectionLayout] | None = None,
    images: dict[str, ImageFile] | None = None,
    section_images: dict[str, list[str]] | None = None,
) -> PageContext:
    """A full context for one page of the bakery site; keyword arguments swap parts out."""
    page = next(p for p in PAGES if p.slug == slug)
    seo = seo or make_seo()
    copy = copy or COPY
    by_key = {s.key: s for s in SECTIONS}
    return PageContext(
        config=config or make_config(),
        page=page,
        pages=PAGES,
        seo=seo,
        page_seo=next(p for p in seo.pages if p.slug == slug),
        copywriting=copywriting or make_copywriting(),
        page_copy=PageCopy(slug=slug, sections=[copy[k] for k in page.section_keys]),
        sections=[by_key[k] for k in page.section_keys],
        layouts=LAYOUTS if layouts is None else layouts,
        images=IMAGES if images is None else images,
        section_images=SECTION_IMAGES if section_images is None else section_images,
        style=style or make_style(),
    )


def parse(html: str):
    return html5lib.parse(html)


def find_all(doc, tag: str) -> list:
    return list(doc.iter(f"{NS}{tag}"))


def text_of(el) -> str:
    return "".join(el.itertext())


def meta(doc, *, name: str | None = None, prop: str | None = None) -> str | None:
    for el in find_all(doc, "meta"):
        if (name and el.get("name") == name) or (prop and el.get("property") == prop):
            return el.get("content")
    return None


def json_ld(doc) -> dict:
    scripts = [s for s in find_all(doc, "script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


# --- file names and URLs ------------------------------------------------------------------------


def test_page_filenames_and_urls():
    assert page_filename("home") == "index.html"
    assert page_filename("about-us") == "about-us.html"
    assert page_url("https://x.example", "home") == "https://x.example/"
    assert page_url("https://x.example/", "menu") == "https://x.example/menu.html"


@pytest.mark.parametrize("slug", ["../etc", "a/b", "", "Home", "x.html", "a b"])
def test_unsafe_slugs_are_refused(slug):
    with pytest.raises(ValueError):
        page_filename(slug)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/x", "https://a.example/x"),
        ("mailto:hi@a.example", "mailto:hi@a.example"),
        ("tel:+15035550142", "tel:+15035550142"),
        ("about.html", "about.html"),
        ("#contact", "#contact"),
        ("javascript:alert(1)", "#"),
        ("  JavaScript:alert(1)", "#"),
        ("java\tscript:alert(1)", "#"),
        ("data:text/html,<b>", "#"),
        ("vbscript:x", "#"),
        ("//evil.example", "#"),
        ("\\\\evil.example", "#"),
        ("", "#"),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


# --- page structure ----------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["home", "about", "contact"])
def test_every_page_is_complete(slug):
    html = render_page(build_context(slug), year=2031)
    doc = parse(html)
    assert html.startswith("<!DOCTYPE html>")
    assert doc.get("lang") == "en"
    h1s = find_all(doc, "h1")
    assert len(h1s) == 1
    levels = [int(el.tag[-1]) for el in doc.iter() if re.fullmatch(rf"{NS}h[1-6]", str(el.tag))]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    files = {page_filename(p.slug) for p in PAGES}
    for a in find_all(doc, "a"):
        href = a.get("href")
        if href.endswith(".html"):
            assert href in files
        else:
            assert href.startswith(("#", "mailto:", "tel:")), href
    for img in find_all(doc, "img"):
        assert img.get("alt", "").strip()
        assert img.get("src").startswith("images/")
    assert "© 2031 Crumb &amp; Co" in html
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in html.replace(
        "&#39;", "'"
    )
    # CSP forbids inline style and script; the JSON-LD data block is the one allowed script.
    assert not any(el.get("style") is not None for el in doc.iter())
    assert not any(k.startswith("on") for el in doc.iter() for k in el.attrib)
    for script in find_all(doc, "script"):
        assert script.get("src") == "assets/site.js" or script.get("type") == "application/ld+json"
    assert '<script src="assets/site.js" defer></script>' in html
    assert '<link rel="stylesheet" href="assets/site.css">' in html


def test_home_head_seo_and_json_ld():
    doc = parse(render_page(build_context("home"), year=2031))
    assert text_of(find_all(doc, "title")[0]) == "Crumb & Co | Sourdough bakery in Portland"
    assert meta(doc, name="description").startswith("Naturally leavened sourdough")
    canonical = [el for el in find_all(doc, "link") if el.get("rel") == "canonical"]
    assert canonical[0].get("href") == "https://crumbandco.example/"
    assert meta(doc, prop="og:title") == "Crumb & Co | Sourdough bakery in Portland"
    assert meta(doc, prop="og:type") == "website"
    assert meta(doc, prop="og:url") == "https://crumbandco.example/"
    assert meta(doc, prop="og:site_name") == "Crumb & Co Bakery"
    assert meta(doc, prop="og:description").startswith("Naturally leavened")
    # The largest webp of the hero image, as an absolute URL.
    # Link previews show the brand kit's 1200×630 JPEG card, not the hero WebP.
    assert meta(doc, prop="og:image") == "https://crumbandco.example/social-card.jpg"
    data = json_ld(doc)
    assert data["@context"] == "https://schema.org"
    org, website = data["@graph"][0], data["@graph"][1]
    assert org["@type"] == "Bakery"
    assert org["name"] == "Crumb & Co"
    assert org["url"] == "https://crumbandco.example/"
    assert org["areaServed"] == "Portland, Oregon"
    assert org["description"] == "Sourdough bakery in Portland, Oregon."
    assert website["@type"] == "WebSite"
    assert website["url"] == "https://crumbandco.example/"


def test_subpage_head_and_faq_json_ld():
    doc = parse(render_page(build_context("contact"), year=2031))
    canonical = [el for el in find_all(doc, "link") if el.get("rel") == "canonical"]
    assert canonical[0].get("href") == "https://crumbandco.example/contact.html"
    graph = json_ld(doc)["@graph"]
    types = [node["@type"] for node in graph]
    assert "WebSite" not in types
    assert "WebPage" in types
    faq = next(node for node in graph if node["@type"] == "FAQPage")
    assert faq["mainEntity"][0]["name"] == "Do you bake gluten-free bread?"
    # Every page's preview is the site's social card, hero or not.
    assert meta(doc, prop="og:image") == "https://crumbandco.example/social-card.jpg"


@pytest.mark.parametrize("slug", ["home", "about", "contact"])
def test_nav_links_every_page_and_marks_the_current_one(slug):
    doc = parse(render_page(build_context(slug), year=2031))
    nav = next(el for el in find_all(doc, "nav") if el.get("id") == "site-nav")
    links = nav.findall(f".//{NS}a")
    assert [a.get("href") for a in links] == ["index.html", "about.html", "contact.html"]
    current = [a for a in links if a.get("aria-current") == "page"]
    assert [a.get("href") for a in current] == [page_filename(slug)]
    toggle = next(b for b in find_all(doc, "button") if "nav-toggle" in b.get("class", ""))
    assert toggle.get("aria-expanded") == "false"
    assert toggle.get("aria-controls") == "site-nav"


def test_declared_pages_are_linked_from_every_footer_and_nowhere_else():
    declared = (SitePage("privacy", "Privacy"), SitePage("terms", "Terms", footer=False))
    ctx = build_context("about")
    plain = render_page(ctx, year=2031)
    with_them = render_page(PageContext(**{**ctx.__dict__, "declared_pages": declared}), year=2031)
    doc = parse(with_them)
    footer = next(el for el in find_all(doc, "nav") if el.get("class") == "footer-nav")
    hrefs = [a.get("href") for a in footer.findall(f".//{NS}a")]
    assert hrefs == ["index.html", "about.html", "contact.html", "privacy.html"]
    header = next(el for el in find_all(doc, "nav") if el.get("id") == "site-nav")
    assert "privacy.html" not in [a.get("href") for a in header.findall(f".//{NS}a")]
    # The one line added is the link: the rest of the page is as it was without it.
    added = [line for line in with_them.splitlines() if line not in plain.splitlines()]
    assert added == ['        <li><a href="privacy.html">Privacy</a></li>']


def test_a_page_template_extends_base_and_fills_main():
    ctx = build_context("about")
    ctx = PageContext(
        **{
            **ctx.__dict__,
            "page": Page(slug="privacy", title="Privacy", purpose="", section_keys=[]),
        }
    )
    template = environment().from_string(
        '{% extends "base.html" %}{% block main %}<p id="own">{{ said }}</p>{% endblock %}'
    )
    doc = parse(render_page(ctx, year=2031, template=template, values={"said": "<b>hi</b>"}))
    main = find_all(doc, "main")[0]
    assert [text_of(p) for p in main.findall(f".//{NS}p")] == ["<b>hi</b>"]  # escaped, as text
    assert not main.findall(f".//{NS}section")
    assert find_all(doc, "footer") and find_all(doc, "header")
    canonical = next(el for el in find_all(doc, "link") if el.get("rel") == "canonical")
    assert canonical.get("href") == "https://crumbandco.example/privacy.html"


@pytest.mark.parametrize("slug", ["home", "../x", "Privacy"])
def test_a_declared_page_needs_a_slug_of_its_own(slug):
    with pytest.raises(ValueError, match="slug of its own"):
        SitePage(slug, "Privacy")


def test_sections_use_copy_layout_images_and_items():
    html = render_page(build_context("home"), year=2031)
    doc = parse(html)
    h1 = find_all(doc, "h1")[0]
    assert text_of(h1) == "Bread worth getting up early for"
    sections = find_all(doc, "section")
    classes = [s.get("class") for s in sections]
    assert "section--hero-split" in classes[0]
    assert "section--services-cards" in classes[2]
    # Hero picture: webp srcset, jpeg fallback, eager; the missing image key is skipped.
    pictures = find_all(doc, "picture")
    assert len(pictures) == 1
    source = pictures[0].find(f"{NS}source")
    assert source.get("type") == "image/webp"
    assert source.get("srcset") == (
        "images/hero-loaves-480.webp 480w, images/hero-loaves-960.webp 960w, "
        "images/hero-loaves-1600.webp 1600w"
    )
    img = pictures[0].find(f"{NS}img")
    assert img.get("src") == "images/hero-loaves.jpg"
    assert img.get("loading") == "eager"
    assert (img.get("width"), img.get("height")) == ("1600", "1200")
    assert img.get("alt") == "Golden sourdough loaves cooling on a wooden rack"
    h3s = [text_of(h) for h in find_all(doc, "h3")]
    assert h3s[:3] == ["Country sourdough", "Morning pastries", "Celebration cakes"]
    assert "Order online" in h3s
    quotes = find_all(doc, "blockquote")
    assert [text_of(q).strip() for q in quotes] == [
        "The best loaf in the city.",
        "Worth the queue.",
    ]
    captions = [" ".join(text_of(c).split()) for c in find_all(doc, "figcaption")]
    assert captions == ["Jordan P. Regular", "Sam K. Local guide"]
    # Buttons lead to the contact page; the secondary hero button to the next page.
    buttons = [a.get("href") for a in find_all(doc, "a") if "button" in (a.get("class") or "")]
    assert buttons.count("contact.html") >= 3
    assert "about.html" in buttons


def test_contact_page_details_faq_and_no_form():
    # Without config.contact, the notes are the source; the SEO organisation repeats them.
    config = make_config(notes="Call +1 503 555 0142 or write to hello@crumbandco.example.")
    html = render_page(build_context("contact", config=config), year=2031)
    doc = parse(html)
    assert not find_all(doc, "form")
    assert text_of(find_all(doc, "h1")[0]) == "Questions we hear a lot"
    details = find_all(doc, "details")
    assert [text_of(d.find(f"{NS}summary")) for d in details] == [
        "Do you bake gluten-free bread?",
        "Can I order for a café?",
    ]
    assert len(details[1].findall(f".//{NS}p")) == 2
    hrefs = [a.get("href") for a in find_all(doc, "a")]
    assert "mailto:hello@crumbandco.example" in hrefs
    assert "tel:+15035550142" in hrefs
    assert "Portland, Oregon" in html


def test_about_page_without_hero_still_has_one_h1_and_lazy_images():
    doc = parse(render_page(build_context("about"), year=2031))
    h1s = find_all(doc, "h1")
    assert [text_of(h) for h in h1s] == ["A bakery that grew out of a home kitchen"]
    assert [text_of(h) for h in find_all(doc, "h2")] == [
        "Meet the people with flour on their hands"
    ]
    team = [text_of(h) for h in find_all(doc, "h3")]
    assert team == ["Maya Chen", "Luis Ortega", "Ana Ruiz"]
    img = find_all(doc, "img")[0]
    assert img.get("loading") == "lazy"
    # The stored alt was empty, so a descriptive one is made from the heading and business.
    assert img.get("alt") == "A bakery that grew out of a home kitchen – Crumb & Co"


@pytest.mark.parametrize("slug", ["home", "about", "contact"])
def test_html_parses_without_errors_and_ids_are_unique(slug):
    parser = html5lib.HTMLParser(strict=False)
    doc = parser.parse(render_page(build_context(slug), year=2031))
    assert parser.errors == []
    ids = [el.get("id") for el in doc.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    for a in find_all(doc, "a"):
        if a.get("href").startswith("#"):
            assert a.get("href")[1:] in ids


def test_item_headings_follow_the_section_heading_level():
    # Services first: its heading is the h1, so its cards are h2, never a skipped h3.
    ctx = build_context("home")
    sections = [s for s in ctx.sections if s.key == "bakes"]
    copy = PageCopy(slug="home", sections=[COPY["bakes"]])
    ctx = PageContext(**{**ctx.__dict__, "sections": sections, "page_copy": copy})
    doc = parse(render_page(ctx, year=2031))
    assert [text_of(h) for h in find_all(doc, "h1")] == ["From the oven this week"]
    assert len(find_all(doc, "h2")) == 3
    assert not find_all(doc, "h3")


def test_reserved_section_key_does_not_shadow_page_ids():
    ctx = build_context("contact")
    sections = [
        s.model_copy(update={"key": "main"}) if s.type == "contact" else s for s in ctx.sections
    ]
    copy = PageCopy(
        slug="contact",
        sections=[
            c.model_copy(update={"key": "main"}) if c.key == "contact" else c
            for c in ctx.page_copy.sections
        ],
    )
    ctx = PageContext(**{**ctx.__dict__, "sections": sections, "page_copy": copy})
    doc = parse(render_page(ctx, year=2031))
    assert [el.get("id") for el in find_all(doc, "main")] == ["main"]
    assert [s.get("id") for s in find_all(doc, "section")] == ["questions", "section-main"]


def test_no_mailto_without_a_valid_email():
    seo = make_seo(
        organization=Organization(
            name="Crumb & Co",
            description="Bakery",
            area_served="Portland",
            telephone="call us",
            email="not an email?subject=x",
        )
    )
    html = render_page(build_context("contact", seo=seo), year=2031)
    assert "mailto:" not in html
    assert "tel:" not in html
    assert "not an email" not in html


def test_contact_details_only_from_the_config_or_its_notes():
    # The SEO organisation (a model's reply) names a phone and email the config never states.
    html = render_page(build_context("contact"), year=2031)
    assert "tel:" not in html and "mailto:" not in html
    assert "555 0142" not in html and "hello@crumbandco.example" not in html
    org = json_ld(parse(html))["@graph"][0]
    assert "telephone" not in org and "email" not in org


def test_section_without_layout_or_images_renders_defaults():
    html = render_page(build_context("home", layouts={}, images={}), year=2031)
    doc = parse(html)
    assert len(find_all(doc, "h1")) == 1
    assert not find_all(doc, "img")
    assert "section--services-default" in html
    assert "grid--cols-3" in html


def test_missing_section_copy_is_an_error():
    copy = dict(COPY)
    ctx = build_context("home", copy=copy)
    broken = PageContext(**{**ctx.__dict__, "page_copy": PageCopy(slug="home", sections=[])})
    with pytest.raises(ValueError, match="no copy for section"):
        render_page(broken, year=2031)


def test_unsafe_image_file_name_is_refused():
    bad = IMAGES["hero-loaves"].model_copy(update={"fallback": "../../secret.jpg"})
    ctx = build_context("home", images={"hero-loaves": bad})
    with pytest.raises(ValueError, match="unsafe image file name"):
        render_page(ctx, year=2031)


# --- untrusted text ------------------------------------------------------------------------------


def hostile_context(slug: str) -> PageContext:
    evil = f"{HOSTILE} {ATTR_BREAK} {JS_URL} {TEMPLATE} </script>"
    copy = {
        k: v.model_copy(
            update={
                "eyebrow": evil,
                "heading": evil,
                "body": evil,
                "bullets": [evil, f"{HOSTILE}: {ATTR_BREAK}"],
                "cta_label": evil,
            }
        )
        for k, v in COPY.items()
    }
    copywriting = make_copywriting(
        tagline=evil,
        cta_labels=CtaLabels(primary=evil, secondary=evil),
        services=[ServiceItem(name=evil, description=evil)],
        faqs=[FaqItem(question=evil, answer=evil)],
        testimonials=[Review(quote=evil, author=evil, role=evil)],
    )
    seo = make_seo(
        site_title=evil,
        schema_type=f"Bakery{HOSTILE}",
        og_type=ATTR_BREAK,
        organization=Organization(
            name=evil, description=evil, area_served=evil, telephone=evil, email=JS_URL
        ),
        pages=[PageSeo(slug=p.slug, title=evil, description=evil, keywords=[evil]) for p in PAGES],
    )
    images = {k: v.model_copy(update={"alt": evil}) for k, v in IMAGES.items()}
    config = make_config(name=f"Crumb {TEMPLATE} <b>", location=evil, description=evil)
    pages_evil = [p.model_copy(update={"title": evil}) for p in PAGES]
    ctx = build_context(
        slug, config=config, copy=copy, copywriting=copywriting, seo=seo, images=images
    )
    return PageContext(**{**ctx.__dict__, "pages": pages_evil})


@pytest.mark.parametrize("slug", ["home", "about", "contact"])
def test_hostile_text_comes_out_inert(slug):
    html = render_page(hostile_context(slug), year=2031)
    doc = parse(html)
    assert "<script>alert" not in html
    assert "<b>" not in html
    # The text survives as text; its quote is escaped so it never closes an attribute.
    assert ATTR_BREAK not in html
    assert "&#34; onmouseover=&#34;x" in html
    assert not any(k.startswith("on") for el in doc.iter() for k in el.attrib)
    assert 'href="javascript:' not in html.lower()
    assert not any(
        (el.get("href") or el.get("src") or "").lower().lstrip().startswith("javascript:")
        for el in doc.iter()
    )
    assert "{{7*7}}" in html
    assert "49" not in html.replace("2031", "")
    # Exactly the two scripts we wrote: no injected script element survived parsing.
    scripts = find_all(doc, "script")
    assert len(scripts) == 2
    data = json_ld(doc)
    org = data["@graph"][0]
    # The JSON-LD still parses and holds the text verbatim: it could not break out.
    assert org["name"].startswith("<script>alert(1)</script>")
    assert org["name"].endswith("</script>")
    assert org["@type"] == "LocalBusiness"
    assert "email" not in org
    assert "</script>" not in scripts[0].text
    assert meta(doc, prop="og:type") == "website"
    assert len(find_all(doc, "h1")) == 1


def test_json_ld_cannot_close_its_script():
    seo = make_seo(
        organization=Organization(
            name="</script><script>alert(1)</script>",
            description="a & b <!-- x",
            area_served="Portland",
            telephone="",
            email="",
        )
    )
    html = render_page(build_context("home", seo=seo), year=2031)
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["@graph"][0]["name"] == "</script><script>alert(1)</script>"
    assert html.count("<script") == 2


# --- CSS, JS, sitemap, robots --------------------------------------------------------------------


def test_css_from_tokens():
    css = render_css(make_style())
    for hex_color in ("#b4532a", "#6b4f3a", "#e0a84f", "#fffaf3", "#f6ecdf", "#2b2118"):
        assert hex_color in css
    assert '--font-heading: "Playfair Display", Georgia' in css
    assert '--font-body: "Inter", system-ui' in css
    assert "serif;" in css and "sans-serif;" in css
    assert "&#34;" not in css and "&quot;" not in css
    assert "--radius: 12px;" in css
    assert "--space: 8px;" in css
    assert "font-size: 106.25%;" in css
    # ratio 1.25: h3 = 1.25^2, h2 = 1.25^3, h1 = 1.25^5 rem
    assert "--size-h3: 1.562rem;" in css
    assert "1.953rem);" in css
    assert "3.052rem);" in css
    assert "@media (max-width: 760px)" in css
    assert ".site-nav.is-open" in css
    assert "prefers-reduced-motion" in css
    assert ":focus-visible" in css
    assert css.count("{") == css.count("}")


def test_css_flat_shadows_and_clamped_numbers():
    css = render_css(make_style(shadow_strength=0.0, base_font_px=400, radius_px=-5))
    assert "--shadow-md: none;" in css
    assert "font-size: 137.5%;" in css
    assert "--radius: 0px;" in css
    css = render_css(make_style(type_scale_ratio=float("nan")))
    assert "nan" not in css.lower()


@pytest.mark.parametrize(
    "palette_field",
    ["primary", "background", "text", "muted_text"],
)
def test_css_rejects_injected_colours(palette_field):
    style = make_style()
    bad = style.palette.model_copy(update={palette_field: "#fff;} body{background:url(x)"})
    with pytest.raises(ValueError, match=palette_field):
        render_css(style.model_copy(update={"palette": bad}))


def test_css_rejects_injected_neutral_and_fonts():
    style = make_style()
    bad = style.palette.model_copy(update={"neutrals": ["#ffffff", "red"]})
    with pytest.raises(ValueError, match="neutrals"):
        render_css(style.model_copy(update={"palette": bad}))
    for font in ('Inter"; } body { x: "', "Inter;", "", "a" * 41, "Font<b>"):
        with pytest.raises(ValueError, match="font"):
            render_css(make_style(fonts=Fonts(heading="Inter", body=font)))


def test_site_js_toggles_the_nav():
    assert "is-open" in SITE_JS
    assert "aria-expanded" in SITE_JS
    assert "addEventListener" in SITE_JS
    assert "innerHTML" not in SITE_JS and "eval(" not in SITE_JS


def test_sitemap_lists_absolute_urls():
    xml = render_sitemap("https://crumbandco.example", ["home", "about", "contact"])
    root = ET.fromstring(xml)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert [loc.text for loc in root.findall("s:url/s:loc", ns)] == [
        "https://crumbandco.example/",
        "https://crumbandco.example/about.html",
        "https://crumbandco.example/contact.html",
    ]
    with pytest.raises(ValueError):
        render_sitemap("https://x.example", ["../x"])


def test_robots_allows_all_and_names_the_sitemap():
    robots = render_robots("https://crumbandco.example/")
    assert robots.splitlines() == [
        "User-agent: *",
        "Allow: /",
        "",
        "Sitemap: https://crumbandco.example/sitemap.xml",
    ]
    with pytest.raises(ValueError):
        render_robots("https://x.example\nDisallow: /")

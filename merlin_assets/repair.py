"""Validate and repair cross-references between phases, so pages never come out empty.

Each function takes a phase's output, the inputs it was made from and a thunk that returns the
rule-based output, and returns the repaired output with a note per repair. Repairs keep what
the model got right and borrow from the rules only what is missing or broken.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from slugify import slugify

from merlin_assets import color
from merlin_assets.config import FONT_RE
from merlin_assets.inputs import Inputs
from merlin_assets.models import (
    ImagePlan,
    Layout,
    Page,
    PageCopy,
    PagePlan,
    PhaseModel,
    Section,
    SectionLayout,
    SectionPlan,
    SeoStrategy,
    StyleSystem,
)

Notes = list[str]
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
TITLE_MAX = 60
DESCRIPTION_MAX = 160
ALT_MAX = 125
MAX_IMAGES = 40
MAX_PAGES = 12
VARIANTS: dict[str, tuple[str, ...]] = {
    "hero": ("split", "centered", "full-bleed"),
    "services": ("grid", "cards", "list"),
    "features": ("grid", "cards", "list"),
    "about": ("split", "stacked"),
    "testimonials": ("cards", "quote"),
    "gallery": ("grid", "masonry"),
}


def keep(value: PhaseModel, inputs: Inputs, rules: Callable[[], PhaseModel]):
    """Phases with no cross-references to check."""
    return value, []


def clip(text: str, limit: int) -> str:
    """Shorten at a word boundary so titles and descriptions never end mid-word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-|")
    return (cut or text[: limit - 1]) + "…"


def as_key(raw: str, taken: set[str], fallback: str) -> str:
    """A safe, unique key: lowercase-hyphenated, never empty, never a duplicate."""
    base = slugify(raw or "", max_length=50) or fallback
    if not KEY_RE.fullmatch(base):
        base = fallback
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def section_plan(value: SectionPlan, inputs: Inputs, rules: Callable[[], PhaseModel]):
    notes: Notes = []
    taken: set[str] = set()
    sections: list[Section] = []
    for s in value.sections:
        key = as_key(s.key, taken, s.type)
        if key != s.key:
            notes.append(f"section key {s.key!r} -> {key!r}")
        sections.append(
            s.model_copy(update={"key": key, "importance": min(5, max(1, s.importance))})
        )
    if not any(s.type == "hero" for s in sections):
        sections.insert(
            0,
            Section(
                key=as_key("hero", taken, "hero"),
                type="hero",
                importance=5,
                notes="Opening statement",
            ),
        )
        notes.append("added a hero section")
    elif sections[0].type != "hero":
        hero = next(s for s in sections if s.type == "hero")
        sections.remove(hero)
        sections.insert(0, hero)
        notes.append("moved the hero first")
    if not any(s.type == "contact" for s in sections):
        sections.append(
            Section(
                key=as_key("contact", taken, "contact"),
                type="contact",
                importance=5,
                notes="How to get in touch",
            )
        )
        notes.append("added a contact section")
    if len(sections) < 3:
        ruled = rules()
        assert isinstance(ruled, SectionPlan)
        return ruled, [*notes, "too few sections; used the rule-based plan"]
    return SectionPlan(sections=sections), notes


def layout(value: Layout, inputs: Inputs, rules: Callable[[], PhaseModel]):
    assert inputs.section_plan is not None
    notes: Notes = []
    given = {s.key: s for s in value.sections}
    ruled: dict[str, SectionLayout] | None = None
    out: list[SectionLayout] = []
    for section in inputs.section_plan.sections:
        item = given.get(section.key)
        if item is None:
            if ruled is None:
                r = rules()
                assert isinstance(r, Layout)
                ruled = {s.key: s for s in r.sections}
            item = ruled.get(section.key) or SectionLayout(
                key=section.key, variant="default", columns=1, image_slots=0
            )
            notes.append(f"layout for section {section.key!r} was missing")
        allowed = VARIANTS.get(section.type, ("default",))
        variant = item.variant if item.variant in allowed else allowed[0]
        out.append(
            SectionLayout(
                key=section.key,
                variant=variant,
                columns=min(4, max(1, item.columns)),
                image_slots=min(4, max(0, item.image_slots)),
            )
        )
    dropped = set(given) - {s.key for s in inputs.section_plan.sections}
    if dropped:
        notes.append(f"dropped layouts for unknown sections {sorted(dropped)}")
    return Layout(sections=out), notes


def page_plan(value: PagePlan, inputs: Inputs, rules: Callable[[], PhaseModel]):
    assert inputs.section_plan is not None
    notes: Notes = []
    sections = inputs.section_plan.sections
    known = {s.key for s in sections}
    placed: set[str] = set()
    taken: set[str] = set()
    pages: list[Page] = []
    for i, page in enumerate(value.pages[:MAX_PAGES]):
        slug = as_key(page.slug, taken, f"page-{i + 1}")
        keys = []
        for key in page.section_keys:
            if key not in known:
                notes.append(f"page {slug!r}: dropped unknown section {key!r}")
            elif key in placed:
                notes.append(f"page {slug!r}: section {key!r} is already on another page")
            else:
                keys.append(key)
                placed.add(key)
        pages.append(page.model_copy(update={"slug": slug, "section_keys": keys}))
    hero = next(s.key for s in sections if s.type == "hero")
    contact = next(s.key for s in sections if s.type == "contact")
    # Home holds the hero and comes first, whatever the model called it.
    home = next((p for p in pages if p.slug == "home"), None) or next(
        (p for p in pages if hero in p.section_keys), None
    )
    if home is None:
        home = Page(slug="home", title="Home", purpose="Welcome visitors", section_keys=[])
        pages.insert(0, home)
        notes.append("added a home page")
    if home.slug != "home":
        notes.append(f"page {home.slug!r} renamed to 'home'")
        taken.discard(home.slug)
        home.slug = "home"
    pages.remove(home)
    pages.insert(0, home)
    for key in [k for k in (hero,) if k not in home.section_keys]:
        for p in pages:
            if key in p.section_keys:
                p.section_keys.remove(key)
        home.section_keys.insert(0, key)
        placed.add(key)
        notes.append("moved the hero to the home page")
    contact_page = next((p for p in pages if p.slug == "contact"), None)
    if contact_page is None:
        contact_page = Page(
            slug="contact", title="Contact", purpose="Get in touch", section_keys=[]
        )
        pages.append(contact_page)
        notes.append("added a contact page")
    pages.remove(contact_page)
    pages.append(contact_page)
    if contact not in contact_page.section_keys:
        for p in pages:
            if contact in p.section_keys:
                p.section_keys.remove(contact)
        contact_page.section_keys.append(contact)
        placed.add(contact)
    # A section nobody placed goes on the page of the section before it, keeping reading order.
    page_of = {k: p for p in pages for k in p.section_keys}
    for i, s in enumerate(sections):
        if s.key in placed:
            continue
        prev = next((page_of[x.key] for x in reversed(sections[:i]) if x.key in page_of), home)
        target = prev if prev is not contact_page or s.type == "contact" else home
        target.section_keys.append(s.key)
        page_of[s.key] = target
        notes.append(f"section {s.key!r} was on no page; put it on {target.slug!r}")
    order = {s.key: i for i, s in enumerate(sections)}
    for p in pages:
        p.section_keys.sort(key=order.__getitem__)
    empty = [p.slug for p in pages if not p.section_keys]
    if empty:
        notes.append(f"dropped empty pages {empty}")
    pages = [p for p in pages if p.section_keys]
    return PagePlan(pages=pages), notes


def image_plan(value: ImagePlan, inputs: Inputs, rules: Callable[[], PhaseModel]):
    assert inputs.section_plan is not None
    notes: Notes = []
    sections = {s.key: s for s in inputs.section_plan.sections}
    hero = next(s.key for s in inputs.section_plan.sections if s.type == "hero")
    taken: set[str] = set()
    images = []
    for img in value.images[:MAX_IMAGES]:
        section_key = img.section_key
        if section_key not in sections:
            if img.purpose == "hero":
                section_key = hero
            else:
                notes.append(f"image {img.key!r}: dropped, section {img.section_key!r} unknown")
                continue
            notes.append(f"image {img.key!r}: section {img.section_key!r} -> {hero!r}")
        key = as_key(img.key, taken, f"image-{len(images) + 1}")
        alt = clip(img.alt or img.prompt or f"Image for {inputs.config.name}", ALT_MAX)
        images.append(img.model_copy(update={"key": key, "section_key": section_key, "alt": alt}))
    if not any(i.purpose == "hero" for i in images):
        ruled = rules()
        assert isinstance(ruled, ImagePlan)
        hero_img = next((i for i in ruled.images if i.purpose == "hero"), None)
        if hero_img is not None:
            images.insert(0, hero_img.model_copy(update={"key": as_key("hero", taken, "hero")}))
            notes.append("added a hero image")
    return ImagePlan(images=images), notes


def style_system(value: StyleSystem, inputs: Inputs, rules: Callable[[], PhaseModel]):
    notes: Notes = []
    ruled: StyleSystem | None = None

    def fallback() -> StyleSystem:
        nonlocal ruled
        if ruled is None:
            r = rules()
            assert isinstance(r, StyleSystem)
            ruled = r
        return ruled

    palette = value.palette.model_dump()
    for name, hexv in list(palette.items()):
        if name == "neutrals":
            good = [c for c in hexv if color.is_hex(c)]
            palette[name] = good if len(good) >= 3 else fallback().palette.neutrals
        elif not color.is_hex(hexv):
            palette[name] = getattr(fallback().palette, name)
            notes.append(f"palette.{name} {hexv!r} is not #rrggbb")
    brand = inputs.config.brand
    for name in ("primary", "secondary", "accent"):
        wanted = getattr(brand.colors, name)
        if wanted and palette[name].lower() != wanted.lower():
            palette[name] = wanted.lower()
            notes.append(f"palette.{name} set to the brand colour")
    text, background = color.readable_pair(palette["text"], palette["background"])
    if background != palette["background"]:
        notes.append("palette.background moved so body text can reach 4.5:1")
        palette["background"] = background
    if color.contrast(text, palette["surface"]) < color.AA_TEXT:
        # A light surface on a dark background (or the reverse) leaves no text colour that
        # reads on both: keep the background and make the surface a tint of it.
        tint = color.mix(background, text, 0.06)
        palette["surface"] = tint if color.contrast(text, tint) >= color.AA_TEXT else background
        notes.append("palette.surface moved toward the background so text reads on both")
    if text != palette["text"]:
        notes.append("palette.text adjusted for contrast on background and surface")
        palette["text"] = text
    muted = color.ensure_contrast(palette["muted_text"], palette["background"])
    if muted != palette["muted_text"]:
        notes.append("palette.muted_text adjusted for contrast on background")
        palette["muted_text"] = muted
    fonts = value.fonts.model_dump()
    for name in ("heading", "body"):
        wanted = getattr(brand.fonts, name)
        if wanted:
            fonts[name] = wanted
        elif not re.fullmatch(FONT_RE, fonts[name] or ""):
            fonts[name] = getattr(fallback().fonts, name)
            notes.append(f"fonts.{name} is not a plain font family name")
    repaired = value.model_copy(
        update={
            "palette": value.palette.model_validate(palette),
            "fonts": value.fonts.model_validate(fonts),
            "base_font_px": min(20, max(15, value.base_font_px)),
            "type_scale_ratio": min(1.333, max(1.1, value.type_scale_ratio)),
            "spacing_unit_px": min(12, max(4, value.spacing_unit_px)),
            "radius_px": min(24, max(0, value.radius_px)),
            "shadow_strength": min(1.0, max(0.0, value.shadow_strength)),
        }
    )
    return repaired, notes


def seo_strategy(value: SeoStrategy, inputs: Inputs, rules: Callable[[], PhaseModel]):
    assert inputs.page_plan is not None
    notes: Notes = []
    given = {p.slug: p for p in value.pages}
    ruled: dict | None = None
    pages = []
    for page in inputs.page_plan.pages:
        seo = given.get(page.slug)
        if seo is None:
            if ruled is None:
                r = rules()
                assert isinstance(r, SeoStrategy)
                ruled = {p.slug: p for p in r.pages}
            seo = ruled.get(page.slug) or value.pages[0].model_copy(update={"slug": page.slug})
            notes.append(f"SEO for page {page.slug!r} was missing")
        title = clip(seo.title or f"{page.title} | {inputs.config.name}", TITLE_MAX)
        description = clip(seo.description or page.purpose, DESCRIPTION_MAX)
        if (title, description) != (seo.title, seo.description):
            notes.append(f"page {page.slug!r}: title or description shortened")
        pages.append(seo.model_copy(update={"title": title, "description": description}))
    return value.model_copy(update={"pages": pages}), notes


def page_copy(value: PageCopy, inputs: Inputs, rules: Callable[[], PhaseModel]):
    assert inputs.page is not None
    notes: Notes = []
    given = {s.key: s for s in value.sections}
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
        sections.append(copy)
    return PageCopy(slug=inputs.page.slug, sections=sections), notes

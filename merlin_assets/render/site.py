"""Render pages, the shared stylesheet and script, the sitemap and robots.txt."""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from merlin_assets import color
from merlin_assets.config import FONT_RE
from merlin_assets.phases.layout import SectionLayout
from merlin_assets.phases.page_plan import Page
from merlin_assets.phases.section_plan import SECTION_TYPES
from merlin_assets.phases.site_images import ImageFile
from merlin_assets.phases.site_pages.copy import SectionCopy
from merlin_assets.phases.style_system import StyleSystem
from merlin_assets.render.context import HOME_SLUG, PageContext, page_filename, page_url

TEMPLATES_DIR = Path(__file__).parent / "templates"
SITE_JS = (TEMPLATES_DIR / "site.js").read_text(encoding="utf-8")
LANG = "en"
IMAGES_DIR = "images"
# Delivered in a <meta> element, where browsers ignore frame-ancestors (and Chromium logs an
# error for it), so anti-framing belongs in the web server's headers, not here.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# Image file names come from our own imaging code; anything else could walk out of images/.
_IMAGE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.(webp|jpe?g|png)$")
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$")
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 ().-]{4,24}$")
_IDENT_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_SCHEMA_TYPE_RE = re.compile(r"^[A-Z][A-Za-z]{1,59}$")
_OG_TYPE_RE = re.compile(r"^[a-z][a-z._:]{0,29}$")
_HEX_FIELDS = ("primary", "secondary", "accent", "background", "surface", "text", "muted_text")
# Ids the page chrome uses; a section key must not shadow them.
_RESERVED_IDS = frozenset({"main", "site-nav", "top"})
_ITEM_SPLIT_RE = re.compile(r"\s+[–—-]\s+|:\s+")

DEFAULT_COLUMNS = {
    "services": 3,
    "features": 3,
    "testimonials": 3,
    "pricing": 3,
    "gallery": 3,
    "team": 4,
    "process": 4,
}
TYPE_LABELS = {
    "hero": "Welcome",
    "value-proposition": "Why choose us",
    "services": "Services",
    "features": "Features",
    "about": "About us",
    "process": "How it works",
    "testimonials": "What people say",
    "pricing": "Pricing",
    "gallery": "Gallery",
    "team": "Our team",
    "faq": "Frequently asked questions",
    "cta": "Get in touch",
    "contact": "Contact",
}

_SERIF_HINTS = (
    "serif",
    "playfair",
    "merriweather",
    "lora",
    "georgia",
    "garamond",
    "baskerville",
    "fraunces",
    "cormorant",
    "crimson",
    "spectral",
    "bitter",
    "slab",
    "arvo",
    "times",
    "caslon",
    "bodoni",
    "didot",
    "literata",
    "newsreader",
    "prata",
)
_SANS_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
_SERIF_STACK = 'Georgia, Cambria, "Times New Roman", Times, serif'
_MONO_STACK = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace'


def safe_url(url: str | None, *, default: str = "#") -> str:
    """`url` if it is relative or http(s)/mailto/tel, else `default`.

    Control characters are refused outright because browsers strip tabs and newlines from
    URLs, so "java\\tscript:" would otherwise slip past the scheme check.
    """
    if not url or _CONTROL_RE.search(url):
        return default
    url = url.strip()
    if not url:
        return default
    # Browsers read "//host" and "\\host" as another origin, and "/\\host" the same way.
    if url[:2] in ("//", "\\\\", "/\\", "\\/"):
        return default
    match = _SCHEME_RE.match(url)
    if match and match.group(1).lower() not in _SAFE_SCHEMES:
        return default
    return url


def _json_ld(data: object) -> Markup:
    """JSON for a script block: <, > and & escaped so "</script>" cannot end the block."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


@functools.cache
def environment() -> Environment:
    """The Jinja environment: autoescaped, and strict so a missing value is an error."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "j2"),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# --- view models: everything the templates show, prepared and checked in Python ---------------


@dataclass(frozen=True)
class ImageView:
    src: str
    srcset: str
    width: int
    height: int
    alt: str
    largest_webp: str | None

    @property
    def is_square(self) -> bool:
        return abs(self.width - self.height) <= max(self.width, self.height) * 0.05


@dataclass(frozen=True)
class Item:
    title: str
    text: str
    image: ImageView | None = None

    @property
    def initials(self) -> str:
        """Up to two initials, shown in place of a missing team photo."""
        return "".join(w[0] for w in self.title.split()[:2] if w[0].isalnum()).upper()


@dataclass(frozen=True)
class Quote:
    quote: str
    author: str
    role: str


@dataclass(frozen=True)
class Link:
    href: str
    label: str
    current: bool = False


@dataclass
class SectionView:
    key: str
    anchor: str
    type: str
    variant: str
    classes: str
    level: int
    eyebrow: str
    heading: str
    paragraphs: list[str]
    bullets: list[str]
    cta: Link | None
    columns: int
    images: list[ImageView]
    items: list[Item] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    faqs: list[tuple[str, list[str]]] = field(default_factory=list)
    secondary: Link | None = None

    @property
    def item_level(self) -> int:
        return self.level + 1

    @property
    def image(self) -> ImageView | None:
        return self.images[0] if self.images else None


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks are just spaces."""
    parts = re.split(r"\n\s*\n", text or "")
    return [" ".join(p.split()) for p in parts if p.strip()]


def _split_item(text: str) -> tuple[str, str]:
    """'Title: detail' or 'Title - detail' as a heading and its text; else all heading."""
    text = " ".join(text.split())
    parts = _ITEM_SPLIT_RE.split(text, maxsplit=1)
    if len(parts) == 2 and 0 < len(parts[0]) <= 60 and parts[1]:
        detail = parts[1]
        # The detail now starts its own paragraph, so it reads as a sentence.
        return parts[0], detail[0].upper() + detail[1:]
    return text, ""


def _ident(value: str, fallback: str) -> str:
    value = re.sub(r"[^a-z0-9-]+", "-", (value or "").lower()).strip("-")
    return value if _IDENT_RE.fullmatch(value) else fallback


def _image_view(img: ImageFile, fallback_alt: str) -> ImageView:
    webps: list[tuple[int, str]] = []
    for width, name in img.files.items():
        if not width.isdigit() or not name.lower().endswith(".webp"):
            continue
        webps.append((int(width), _image_name(name)))
    webps.sort()
    srcset = ", ".join(f"{IMAGES_DIR}/{name} {w}w" for w, name in webps)
    alt = " ".join((img.alt or "").split()) or fallback_alt
    return ImageView(
        src=f"{IMAGES_DIR}/{_image_name(img.fallback)}",
        srcset=srcset,
        width=max(1, img.width),
        height=max(1, img.height),
        alt=alt,
        largest_webp=webps[-1][1] if webps else None,
    )


def _image_name(name: str) -> str:
    if not _IMAGE_NAME_RE.fullmatch(name or "") or len(name) > 200:
        raise ValueError(f"unsafe image file name: {name!r}")
    return name


def _contact_page(pages: list[Page]) -> Page | None:
    return next((p for p in pages if p.slug == "contact"), None) or next(
        (p for p in pages if "contact" in p.slug), None
    )


@dataclass(frozen=True)
class ContactInfo:
    location: str
    email: str | None
    mailto: str | None
    phone: str | None
    tel: str | None


def _contact_info(ctx: PageContext) -> ContactInfo:
    org = ctx.seo.organization
    email = org.email.strip() if _EMAIL_RE.fullmatch(org.email.strip()) else None
    phone = org.telephone.strip() if _PHONE_RE.fullmatch(org.telephone.strip()) else None
    return ContactInfo(
        location=" ".join((ctx.config.location or org.area_served).split()),
        email=email,
        mailto=safe_url(f"mailto:{email}") if email else None,
        phone=phone,
        tel=safe_url("tel:" + re.sub(r"[^0-9+]", "", phone)) if phone else None,
    )


def _anchor(key: str, index: int) -> str:
    """The id a section gets: its key when that is a safe, unreserved id."""
    anchor = _ident(key, f"section-{index + 1}")
    return f"section-{anchor}" if anchor in _RESERVED_IDS else anchor


def _section_views(ctx: PageContext, contact_href: str, contact: ContactInfo) -> list[SectionView]:
    copies: dict[str, SectionCopy] = {c.key: c for c in ctx.page_copy.sections}
    explore = next(
        (
            p
            for p in ctx.pages
            if p.slug not in (HOME_SLUG, ctx.page.slug) and "contact" not in p.slug
        ),
        None,
    )
    views: list[SectionView] = []
    tone = "tint"  # the hero is tinted, so the first section after it starts plain
    for index, section in enumerate(ctx.sections):
        if section.type not in SECTION_TYPES:
            raise ValueError(f"unknown section type {section.type!r}")
        copy = copies.get(section.key)
        if copy is None:
            raise ValueError(f"page {ctx.page.slug!r} has no copy for section {section.key!r}")
        layout = ctx.layouts.get(section.key) or SectionLayout(
            key=section.key, variant="default", columns=0, image_slots=0
        )
        variant = _ident(layout.variant, "default")
        columns = layout.columns if 1 <= layout.columns <= 4 else 0
        columns = columns or DEFAULT_COLUMNS.get(section.type, 1)
        heading = " ".join(copy.heading.split()) or TYPE_LABELS[section.type]
        fallback_alt = f"{heading} – {ctx.config.name}"
        images = [
            _image_view(ctx.images[k], fallback_alt)
            for k in ctx.section_images.get(section.key, [])
            if k in ctx.images
        ]
        # Whatever opens a page gets the hero band, so every page starts the same way.
        if section.type == "hero" or (index == 0 and section.type != "cta"):
            tone_class = "tone-hero"
            tone = "tint"
        elif section.type == "cta":
            tone_class = "tone-brand"
            tone = "brand"
        else:
            tone = "plain" if tone != "plain" else "tint"
            tone_class = f"tone-{tone}"
        label = " ".join(copy.cta_label.split())
        cta: Link | None = None
        if section.type == "contact":
            if contact.mailto:
                cta = Link(contact.mailto, label or "Email us")
        elif section.type == "hero":
            label = label or ctx.copywriting.cta_labels.primary
            cta = Link(contact_href, label) if label else None
        elif label:
            cta = Link(contact_href, label)
        classes = [
            "section",
            f"section--{section.type}",
            f"section--{section.type}-{variant}",
            tone_class,
            "has-media" if images else "no-media",
        ]
        view = SectionView(
            key=section.key,
            anchor=_anchor(section.key, index),
            type=section.type,
            variant=variant,
            classes=" ".join(classes),
            level=1 if index == 0 else 2,
            eyebrow=" ".join(copy.eyebrow.split()),
            heading=heading,
            paragraphs=_paragraphs(copy.body),
            bullets=[" ".join(b.split()) for b in copy.bullets if b.strip()],
            cta=cta,
            columns=columns,
            images=images,
        )
        _fill_items(view, ctx)
        _fit_columns(view)
        secondary_label = " ".join(ctx.copywriting.cta_labels.secondary.split())
        if section.type == "hero" and explore is not None and secondary_label:
            view.secondary = Link(page_filename(explore.slug), secondary_label)
        views.append(view)
    return views


def _fill_items(view: SectionView, ctx: PageContext) -> None:
    """Attach the repeated items a section type shows: cards, steps, quotes, questions."""
    cw = ctx.copywriting
    if view.type == "services":
        pairs = [(s.name, s.description) for s in cw.services if s.name.strip()]
        if not pairs:
            pairs = [_split_item(b) for b in view.bullets]
        # Service images (often icons) sit on the first cards rather than floating apart.
        view.items = [
            Item(" ".join(name.split()), " ".join(text.split()), _nth(view.images, i))
            for i, (name, text) in enumerate(pairs)
        ]
    elif view.type in ("features", "process", "pricing"):
        view.items = [Item(*_split_item(b)) for b in view.bullets]
    elif view.type == "team":
        view.items = [
            Item(*_split_item(b), image=_nth(view.images, i)) for i, b in enumerate(view.bullets)
        ]
    elif view.type == "testimonials":
        view.quotes = [
            Quote(" ".join(t.quote.split()), " ".join(t.author.split()), " ".join(t.role.split()))
            for t in cw.testimonials
            if t.quote.strip()
        ]
        if view.variant == "quote":
            view.quotes = view.quotes[:1]
        view.columns = min(view.columns, max(1, len(view.quotes)))
    elif view.type == "gallery":
        view.columns = min(view.columns, max(1, len(view.images)))
    elif view.type == "faq":
        view.faqs = [
            (" ".join(f.question.split()), _paragraphs(f.answer))
            for f in cw.faqs
            if f.question.strip()
        ]


def _fit_columns(view: SectionView) -> None:
    """A grid never has more columns than items, so two cards do not sit in three slots."""
    if view.items:
        view.columns = min(view.columns, len(view.items))


def _nth(images: list[ImageView], i: int) -> ImageView | None:
    return images[i] if i < len(images) else None


def _json_ld_graph(
    ctx: PageContext,
    canonical: str,
    og_image: str | None,
    contact: ContactInfo,
    views: list[SectionView],
) -> dict:
    site = ctx.config.site_url
    org = ctx.seo.organization
    schema_type = ctx.seo.schema_type if _SCHEMA_TYPE_RE.fullmatch(ctx.seo.schema_type) else ""
    business: dict[str, object] = {
        "@type": schema_type or "LocalBusiness",
        "@id": f"{site}/#organization",
        "name": org.name.strip() or ctx.config.name,
        "url": f"{site}/",
        "description": org.description.strip() or ctx.config.description,
        "areaServed": org.area_served.strip() or ctx.config.location,
        "telephone": contact.phone,
        "email": contact.email,
        "image": og_image,
    }
    graph: list[dict[str, object]] = [{k: v for k, v in business.items() if v}]
    if ctx.page.slug == HOME_SLUG:
        graph.append(
            {
                "@type": "WebSite",
                "@id": f"{site}/#website",
                "url": f"{site}/",
                "name": ctx.seo.site_title.strip() or ctx.config.name,
                "publisher": {"@id": f"{site}/#organization"},
            }
        )
    else:
        graph.append(
            {
                "@type": "WebPage",
                "@id": canonical,
                "url": canonical,
                "name": ctx.page_seo.title.strip() or ctx.page.title,
                "isPartOf": {"@id": f"{site}/#website"},
                "about": {"@id": f"{site}/#organization"},
            }
        )
    faqs = [f for v in views if v.type == "faq" for f in v.faqs]
    if faqs:
        graph.append(
            {
                "@type": "FAQPage",
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": q,
                        "acceptedAnswer": {"@type": "Answer", "text": " ".join(a)},
                    }
                    for q, a in faqs
                ],
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}


def render_page(ctx: PageContext, *, year: int) -> str:
    """One page of the site as a complete HTML document."""
    site = ctx.config.site_url
    nav = [
        Link(page_filename(p.slug), " ".join(p.title.split()) or p.slug, p.slug == ctx.page.slug)
        for p in ctx.pages
    ]
    contact_page = _contact_page(ctx.pages)
    contact = _contact_info(ctx)
    here = next((i for i, s in enumerate(ctx.sections) if s.type == "contact"), None)
    # Buttons lead to the contact page, or to the contact section when it is on this page.
    if here is not None and (contact_page is None or contact_page.slug == ctx.page.slug):
        contact_href = "#" + _anchor(ctx.sections[here].key, here)
    elif contact_page is not None:
        contact_href = page_filename(contact_page.slug)
    else:
        contact_href = page_filename(ctx.pages[0].slug if ctx.pages else HOME_SLUG)
    views = _section_views(ctx, contact_href, contact)

    hero_images = [v.image for v in views if v.type == "hero" and v.image]
    any_images = [img for v in views for img in v.images]
    og_img = (hero_images or any_images or [None])[0]
    og_image = (
        f"{site}/{IMAGES_DIR}/{og_img.largest_webp}" if og_img and og_img.largest_webp else None
    )

    canonical = page_url(site, ctx.page.slug)
    name = " ".join(ctx.config.name.split())
    title = " ".join(ctx.page_seo.title.split()) or f"{ctx.page.title} | {name}"
    description = (
        " ".join(ctx.page_seo.description.split())
        or " ".join(ctx.copywriting.value_proposition.split())
        or " ".join(ctx.config.description.split())
    )
    og_type = ctx.seo.og_type.strip() if _OG_TYPE_RE.fullmatch(ctx.seo.og_type.strip()) else ""
    head = {
        "lang": LANG,
        "title": title,
        "description": description,
        "keywords": ", ".join(" ".join(k.split()) for k in ctx.page_seo.keywords if k.strip()),
        "canonical": safe_url(canonical),
        "csp": CSP,
        "og_type": og_type or "website",
        "og_image": safe_url(og_image, default="") if og_image else "",
        "og_image_alt": og_img.alt if og_img else "",
        "site_name": " ".join(ctx.seo.site_title.split()) or name,
        "theme_color": ctx.style.palette.primary if color.is_hex(ctx.style.palette.primary) else "",
        "json_ld": _json_ld(_json_ld_graph(ctx, canonical, og_image, contact, views)),
    }
    return (
        environment()
        .get_template("base.html")
        .render(
            head=head,
            brand={"name": name, "href": nav[0].href if nav else "index.html"},
            nav=nav,
            sections=views,
            page_title=" ".join(ctx.page.title.split()) or name,
            contact=contact,
            tagline=" ".join(ctx.copywriting.tagline.split()),
            year=int(year),
        )
    )


# --- stylesheet -------------------------------------------------------------------------------


def _font_stack(name: str, role: str) -> Markup:
    if not re.fullmatch(FONT_RE, name or ""):
        raise ValueError(f"fonts.{role} is not a plain font family name: {name!r}")
    lowered = name.lower()
    if "mono" in lowered:
        generic = _MONO_STACK
    elif "sans" not in lowered and any(h in lowered for h in _SERIF_HINTS):
        generic = _SERIF_STACK
    else:
        generic = _SANS_STACK
    # Safe to mark: the name matched FONT_RE, which admits no quote, semicolon or brace.
    return Markup(f'"{name}", {generic}')


def _finite(value: float, lo: float, hi: float, default: float) -> float:
    if not isinstance(value, int | float) or not math.isfinite(value):
        return default
    return min(hi, max(lo, value))


def _rgb(hex_color: str) -> str:
    r, g, b = color.to_rgb(hex_color)
    return f"{r} {g} {b}"


def css_tokens(style: StyleSystem) -> dict[str, object]:
    """Checked and derived design tokens; raises ValueError on anything unsafe for CSS."""
    pal = style.palette
    for name in _HEX_FIELDS:
        if not color.is_hex(getattr(pal, name)):
            raise ValueError(f"palette.{name} is not #rrggbb: {getattr(pal, name)!r}")
    for i, value in enumerate(pal.neutrals):
        if not color.is_hex(value):
            raise ValueError(f"palette.neutrals[{i}] is not #rrggbb: {value!r}")
    heading_font = _font_stack(style.fonts.heading, "heading")
    body_font = _font_stack(style.fonts.body, "body")

    bg, surface = pal.background.lower(), pal.surface.lower()
    # A surface indistinguishable from the background would make alternating bands invisible.
    tint = surface if color.contrast(surface, bg) >= 1.04 else color.mix(bg, pal.primary, 0.06)
    hero_bg = color.mix(bg, pal.primary, 0.08)
    text = pal.text.lower()
    for back in (bg, tint, hero_bg):
        text = color.ensure_contrast(text, back)
    muted = pal.muted_text.lower()
    for back in (bg, tint, hero_bg):
        muted = color.ensure_contrast(muted, back)
    link = pal.primary.lower()
    for back in (bg, tint, hero_bg):
        link = color.ensure_contrast(link, back)
    eyebrow = pal.accent.lower()
    for back in (bg, tint, hero_bg):
        eyebrow = color.ensure_contrast(eyebrow, back)
    btn_ink = color.readable_on(pal.primary)
    btn_bg = color.ensure_contrast(pal.primary.lower(), btn_ink)
    btn_hover = color.ensure_contrast(color.shift(btn_bg, light=-0.07), btn_ink)
    brand_end = color.ensure_contrast(color.mix(btn_bg, pal.secondary, 0.45), btn_ink)
    # The footer is always a dark band: the text colour on light themes, a deeper background
    # on dark ones.
    if color.luminance(bg) < color.luminance(text):
        footer_bg, footer_ink = color.mix(bg, "#000000", 0.35), text
    else:
        footer_bg, footer_ink = text, bg
    footer_ink = color.ensure_contrast(footer_ink, footer_bg)

    base = _finite(style.base_font_px, 14, 22, 17)
    ratio = _finite(style.type_scale_ratio, 1.067, 1.5, 1.25)
    unit = _finite(style.spacing_unit_px, 4, 12, 8)
    radius = _finite(style.radius_px, 0, 32, 10)
    shadow = _finite(style.shadow_strength, 0, 1, 0.4)

    h1 = max(ratio**5, 2.4)
    h2 = max(ratio**3, 1.75)
    h3 = max(ratio**2, 1.25)

    def rem(x: float) -> str:
        return f"{x:.3f}".rstrip("0").rstrip(".") + "rem"

    ink = _rgb(text)
    if shadow <= 0:
        shadows = ("none", "none", "none")
    else:
        shadows = (
            f"0 1px 2px rgb({ink} / {0.04 + 0.06 * shadow:.3f})",
            f"0 2px 4px -1px rgb({ink} / {0.04 + 0.06 * shadow:.3f}), "
            f"0 10px 24px -6px rgb({ink} / {0.06 + 0.16 * shadow:.3f})",
            f"0 4px 8px -2px rgb({ink} / {0.04 + 0.06 * shadow:.3f}), "
            f"0 24px 48px -12px rgb({ink} / {0.1 + 0.24 * shadow:.3f})",
        )
    return {
        "colors": {
            "primary": pal.primary.lower(),
            "secondary": pal.secondary.lower(),
            "accent": pal.accent.lower(),
            "bg": bg,
            "surface": surface,
            "tint": tint,
            "hero-bg": hero_bg,
            "text": text,
            "muted": muted,
            "link": link,
            "eyebrow": eyebrow,
            "border": color.mix(bg, text, 0.12),
            "border-strong": color.mix(bg, text, 0.22),
            "btn-bg": btn_bg,
            "btn-ink": btn_ink,
            "btn-hover": btn_hover,
            "brand-start": btn_bg,
            "brand-end": brand_end,
            "brand-ink": btn_ink,
            "footer-bg": footer_bg,
            "footer-ink": footer_ink,
        },
        "neutrals": [n.lower() for n in pal.neutrals],
        "heading_font": heading_font,
        "body_font": body_font,
        "base_pct": f"{base / 16 * 100:.3f}".rstrip("0").rstrip("."),
        "h1": rem(h1),
        "h1_min": rem(max(2.0, h1 * 0.62)),
        "h2": rem(h2),
        "h2_min": rem(max(1.5, h2 * 0.75)),
        "h3": rem(h3),
        "lead": rem(min(1.3, ratio)),
        "small": rem(1 / ratio),
        "unit": f"{unit:g}px",
        "radius": f"{radius:g}px",
        "radius_lg": f"{min(radius * 1.5, 40):g}px",
        "shadow_sm": shadows[0],
        "shadow_md": shadows[1],
        "shadow_lg": shadows[2],
    }


def render_css(style: StyleSystem) -> str:
    """The shared stylesheet, built from the style system's tokens."""
    return environment().get_template("site.css.j2").render(t=css_tokens(style))


# --- sitemap and robots -----------------------------------------------------------------------


def _check_site_url(site_url: str) -> str:
    base = site_url.rstrip("/")
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?", base):
        raise ValueError(f"not a plain http(s) site URL: {site_url!r}")
    return base


def render_sitemap(site_url: str, slugs: list[str]) -> str:
    """sitemap.xml listing every page by absolute URL."""
    base = _check_site_url(site_url)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for slug in slugs:
        lines.append(f"  <url><loc>{xml_escape(page_url(base, slug))}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def render_robots(site_url: str) -> str:
    """robots.txt that allows everything and points at the sitemap."""
    base = _check_site_url(site_url)
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"

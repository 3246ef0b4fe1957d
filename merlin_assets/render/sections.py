"""Section view models: everything the templates show for a section, prepared and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from merlin_assets.limits import ID_RE
from merlin_assets.phases.layout import SectionLayout
from merlin_assets.phases.page_plan import Page
from merlin_assets.phases.section_plan import SECTION_TYPES
from merlin_assets.phases.site_images import ImageFile
from merlin_assets.phases.site_pages.copy import SectionCopy
from merlin_assets.render.context import HOME_SLUG, PageContext, page_filename
from merlin_assets.render.environment import IMAGES_DIR
from merlin_assets.render.urls import safe_url

# Image file names come from our own imaging code; anything else could walk out of images/.
_IMAGE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.(webp|jpe?g|png)$")
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$")
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 ().-]{4,24}$")
_IDENT_RE = ID_RE
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

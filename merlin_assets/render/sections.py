"""Section view models: everything the templates show for a section, prepared and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlsplit

from merlin_assets.config.project import EMAIL_RE, PHONE_RE, OpeningHours
from merlin_assets.render.context import HOME_SLUG, PageContext, page_filename
from merlin_assets.render.environment import IMAGES_DIR
from merlin_assets.render.placeholders import placeholder_class
from merlin_assets.render.urls import safe_url
from merlin_assets.types.field_limits import ID_RE
from merlin_assets.types.images import ImageFile
from merlin_assets.types.pages import Page, SectionLayout
from merlin_assets.types.section_types import SECTION_TYPES
from merlin_assets.types.site_copy import SectionCopy
from merlin_assets.writers.text import find_email, find_phone

# Image file names come from our own imaging code; anything else could walk out of images/.
_IMAGE_NAME_RE = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.(webp|jpe?g|png|avif)$"
)
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$")
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
    avif_srcset: str = ""  # only the business's own photos are served as AVIF too
    placeholder: str = ""  # the <img>'s class whose rule paints its placeholder

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
    avifs = sorted((int(w), _image_name(n)) for w, n in img.avif.items() if w.isdigit())
    return ImageView(
        avif_srcset=", ".join(f"{IMAGES_DIR}/{name} {w}w" for w, name in avifs),
        src=f"{IMAGES_DIR}/{_image_name(img.fallback)}",
        srcset=srcset,
        width=max(1, img.width),
        height=max(1, img.height),
        alt=alt,
        largest_webp=webps[-1][1] if webps else None,
        placeholder=placeholder_class(img),
    )


def _image_name(name: str) -> str:
    if not _IMAGE_NAME_RE.fullmatch(name or "") or len(name) > 200:
        raise ValueError(f"unsafe image file name: {name!r}")
    return name


def find_contact_page(pages: list[Page]) -> Page | None:
    return next((p for p in pages if p.slug == "contact"), None) or next(
        (p for p in pages if "contact" in p.slug), None
    )


DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
OSM_SEARCH = "https://www.openstreetmap.org/search?query="
# An https origin as the config admits it (lower-case host, optional port): safe in a CSP.
ORIGIN_RE = re.compile(r"^https://[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?$")
_CLOCK_RE = re.compile(r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")


@dataclass(frozen=True)
class HoursRow:
    """One day of the opening-hours table: closed, or one or more "07:30–16:00" periods."""

    key: str  # "mon"
    day: str  # "Monday"
    closed: bool
    periods: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactInfo:
    """How to reach the business: only what the config (or its notes) states, checked."""

    location: str
    email: str | None
    mailto: str | None
    phone: str | None
    tel: str | None
    address: tuple[str, ...] = ()  # its lines, as written
    map_url: str | None = None
    hours: tuple[HoursRow, ...] = ()
    form_action: str | None = None
    form_origin: str | None = None


def _in_notes(value: str, notes: str, *, digits: bool) -> bool:
    """Whether a value a model wrote is stated in the config's notes (so it is not invented)."""
    if not value:
        return False
    if digits:
        wanted = re.sub(r"\D", "", value)
        return len(wanted) >= 5 and wanted in re.sub(r"\D", "", notes)
    return value.lower() in notes.lower()


def _checked_email(*candidates: str | None) -> str | None:
    for value in candidates:
        value = (value or "").strip()
        if value and (_EMAIL_RE.fullmatch(value) or re.fullmatch(EMAIL_RE, value)):
            return value
    return None


def _checked_phone(*candidates: str | None) -> str | None:
    for value in candidates:
        value = " ".join((value or "").split())
        digits = sum(c.isdigit() for c in value)
        if value and re.fullmatch(PHONE_RE, value) and 3 <= digits <= 20:
            return value
    return None


def tel_href(phone: str) -> str:
    """`tel:` and the number's digits, with its leading + when it has one.

    An international number's "(0)" is the trunk prefix dialled only at home, so it is dropped:
    "+44 (0)131 555 0186" is tel:+441315550186.
    """
    phone = phone.strip()
    if phone.startswith("+"):
        return "tel:+" + re.sub(r"\D", "", re.sub(r"\(\s*0\s*\)", "", phone))
    return "tel:" + re.sub(r"\D", "", phone)


def map_href(address: str, map_url: str | None) -> str | None:
    """The config's map link, else an OpenStreetMap search for the address."""
    if map_url:
        url = safe_url(map_url, default="")
        return url if url.startswith("https://") else None
    query = " ".join(address.split())
    return OSM_SEARCH + quote_plus(query) if query else None


def form_origin(endpoint: str | None) -> str | None:
    """The https origin a form posts to (what the CSP's form-action must allow), or None."""
    if not endpoint or safe_url(endpoint, default="") != endpoint:
        return None
    parts = urlsplit(endpoint)
    if parts.scheme != "https" or parts.username or parts.password:
        return None
    origin = f"https://{parts.netloc}"
    return origin if ORIGIN_RE.fullmatch(origin) else None


def _period_text(opens: str, closes: str) -> str:
    if (opens, closes) == ("00:00", "24:00"):
        return "Open 24 hours"
    return f"{opens}\u2013{closes}"


def hours_rows(hours: OpeningHours | None) -> tuple[HoursRow, ...]:
    """Monday to Sunday, each day the config speaks of; a day it leaves out is not shown."""
    if hours is None:
        return ()
    rows = []
    for key, name in DAY_NAMES.items():
        day = getattr(hours, key, None)
        if day is None:
            continue
        periods = tuple(
            _period_text(p.opens, p.closes)
            for p in day.periods
            if _CLOCK_RE.fullmatch(p.opens) and _CLOCK_RE.fullmatch(p.closes)
        )
        if day.closed or not periods:
            rows.append(HoursRow(key, name, True))
        else:
            rows.append(HoursRow(key, name, False, periods))
    return tuple(rows)


def contact_info(ctx: PageContext) -> ContactInfo:
    """Config facts first, then what the notes state; a model's value only if the notes do."""
    config, org = ctx.config, ctx.seo.organization
    given = config.contact
    notes = config.notes or ""
    email = _checked_email(
        given.email if given else None,
        find_email(notes),
        org.email if _in_notes(org.email.strip(), notes, digits=False) else None,
    )
    phone = _checked_phone(
        given.phone if given else None,
        find_phone(notes),
        org.telephone if _in_notes(org.telephone, notes, digits=True) else None,
    )
    address = given.address if given and given.address else ""
    lines = tuple(" ".join(line.split()) for line in address.splitlines() if line.strip())
    origin = form_origin(config.form_endpoint)
    return ContactInfo(
        location=" ".join((config.location or org.area_served).split()),
        email=email,
        mailto=safe_url(f"mailto:{email}") if email else None,
        phone=phone,
        tel=safe_url(tel_href(phone)) if phone else None,
        address=lines,
        map_url=map_href(", ".join(lines), given.map_url if given else None) if lines else None,
        hours=hours_rows(config.hours),
        form_action=config.form_endpoint if origin else None,
        form_origin=origin,
    )


def section_anchor(key: str, index: int) -> str:
    """The id a section gets: its key when that is a safe, unreserved id."""
    anchor = _ident(key, f"section-{index + 1}")
    return f"section-{anchor}" if anchor in _RESERVED_IDS else anchor


def section_views(ctx: PageContext, contact_href: str, contact: ContactInfo) -> list[SectionView]:
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
            # Beside a form the message goes through the form; the email link stays listed.
            if contact.mailto and not contact.form_action:
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
            anchor=section_anchor(section.key, index),
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

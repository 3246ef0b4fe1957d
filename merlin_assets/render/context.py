"""Everything one page needs to render, and how page slugs map to files and URLs."""

from __future__ import annotations

from dataclasses import dataclass

from merlin_assets.config.project import ProjectConfig
from merlin_assets.media.brand import BrandLogo
from merlin_assets.types.field_limits import ID_RE
from merlin_assets.types.images import ImageFile
from merlin_assets.types.pages import Page, Section, SectionLayout, SitePage
from merlin_assets.types.seo import PageSeo, SeoStrategy
from merlin_assets.types.site_copy import Copywriting, PageCopy
from merlin_assets.types.style import StyleSystem

HOME_SLUG = "home"
# Slugs become file names and URL paths, so nothing outside this set may reach either.
SLUG_RE = ID_RE


@dataclass(frozen=True)
class PageContext:
    """The inputs for rendering one page."""

    config: ProjectConfig
    page: Page
    pages: list[Page]
    seo: SeoStrategy
    page_seo: PageSeo
    copywriting: Copywriting
    page_copy: PageCopy
    sections: list[Section]
    layouts: dict[str, SectionLayout]
    images: dict[str, ImageFile]
    section_images: dict[str, list[str]]
    style: StyleSystem
    # Whether the brand kit's icons and social card are published beside the page; not when
    # the kit degraded (see `Node.role`), so the page links none that are missing.
    icons: bool = True
    # The business's own logo, published at the site root and shown in the header.
    logo: BrandLogo | None = None
    logo_dark: BrandLogo | None = None  # on the footer's dark background
    # Pages other nodes publish (a privacy notice): every page links them from its footer.
    declared_pages: tuple[SitePage, ...] = ()


def _check_slug(slug: str) -> str:
    if not SLUG_RE.fullmatch(slug or ""):
        raise ValueError(f"not a safe page slug: {slug!r}")
    return slug


def page_filename(slug: str) -> str:
    """The file a page is written to: the home page is index.html."""
    if _check_slug(slug) == HOME_SLUG:
        return "index.html"
    return f"{slug}.html"


def page_url(site_url: str, slug: str) -> str:
    """The absolute URL of a page; the home page is the site root."""
    base = site_url.rstrip("/")
    if _check_slug(slug) == HOME_SLUG:
        return base + "/"
    return f"{base}/{slug}.html"

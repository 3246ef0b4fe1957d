"""Render pages, the shared stylesheet and script, the sitemap and robots.txt."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from jinja2 import Template

from merlin_assets import color
from merlin_assets.render.context import HOME_SLUG, PageContext, page_filename, page_url
from merlin_assets.render.css import css_tokens, render_css
from merlin_assets.render.environment import IMAGES_DIR, SITE_JS, TEMPLATES_DIR, environment
from merlin_assets.render.head import (
    CSP,
    LANG,
    OG_TYPE_RE,
    content_security_policy,
    json_ld_graph,
    json_ld_markup,
)
from merlin_assets.render.sections import (
    DEFAULT_COLUMNS,
    TYPE_LABELS,
    ContactInfo,
    HoursRow,
    ImageView,
    Item,
    Link,
    Quote,
    SectionView,
    contact_info,
    find_contact_page,
    section_anchor,
    section_views,
)
from merlin_assets.render.urls import safe_url

__all__ = [
    "CSP",
    "DEFAULT_COLUMNS",
    "IMAGES_DIR",
    "LANG",
    "SITE_JS",
    "TEMPLATES_DIR",
    "TYPE_LABELS",
    "ContactInfo",
    "HoursRow",
    "ImageView",
    "Item",
    "Link",
    "Quote",
    "SectionView",
    "content_security_policy",
    "css_tokens",
    "environment",
    "render_css",
    "render_page",
    "render_robots",
    "render_sitemap",
    "safe_url",
]


def render_page(
    ctx: PageContext,
    *,
    year: int,
    template: str | Template = "base.html",
    values: Mapping[str, Any] | None = None,
) -> str:
    """One page of the site as a complete HTML document.

    A page a node declares passes its own `template`, one that extends base.html and fills
    its `main` block, and the `values` that template reads beside the site's own.
    """
    site = ctx.config.site_url
    nav = [
        Link(page_filename(p.slug), " ".join(p.title.split()) or p.slug, p.slug == ctx.page.slug)
        for p in ctx.pages
    ]
    footer_links = [
        Link(page_filename(p.slug), p.label, p.slug == ctx.page.slug)
        for p in ctx.declared_pages
        if p.footer
    ]
    contact_page = find_contact_page(ctx.pages)
    contact = contact_info(ctx)
    here = next((i for i, s in enumerate(ctx.sections) if s.type == "contact"), None)
    # Buttons lead to the contact page, or to the contact section when it is on this page.
    if here is not None and (contact_page is None or contact_page.slug == ctx.page.slug):
        contact_href = "#" + section_anchor(ctx.sections[here].key, here)
    elif contact_page is not None:
        contact_href = page_filename(contact_page.slug)
    else:
        contact_href = page_filename(ctx.pages[0].slug if ctx.pages else HOME_SLUG)
    views = section_views(ctx, contact_href, contact)

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
    og_type = ctx.seo.og_type.strip() if OG_TYPE_RE.fullmatch(ctx.seo.og_type.strip()) else ""
    head = {
        "lang": LANG,
        "title": title,
        "description": description,
        "keywords": ", ".join(" ".join(k.split()) for k in ctx.page_seo.keywords if k.strip()),
        "canonical": safe_url(canonical),
        "csp": content_security_policy(contact.form_origin),
        "og_type": og_type or "website",
        "og_image": safe_url(og_image, default="") if og_image else "",
        "og_image_alt": og_img.alt if og_img else "",
        "site_name": " ".join(ctx.seo.site_title.split()) or name,
        "theme_color": ctx.style.palette.primary if color.is_hex(ctx.style.palette.primary) else "",
        "json_ld": json_ld_markup(json_ld_graph(ctx, canonical, og_image, contact, views)),
        "icons": ctx.icons,
    }
    return (
        environment()
        .get_template(template)
        .render(
            **(values or {}),
            head=head,
            brand={
                "name": name,
                "href": nav[0].href if nav else "index.html",
                "logo": ctx.logo,
                "logo_dark": ctx.logo_dark,
            },
            nav=nav,
            footer_links=footer_links,
            sections=views,
            page_title=" ".join(ctx.page.title.split()) or name,
            contact=contact,
            tagline=" ".join(ctx.copywriting.tagline.split()),
            year=int(year),
        )
    )


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

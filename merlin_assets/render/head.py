"""The page head's facts: content security policy, and the JSON-LD graph for search engines."""

from __future__ import annotations

import json
import re

from markupsafe import Markup

from merlin_assets.config.project import OpeningHours
from merlin_assets.render.context import HOME_SLUG, PageContext
from merlin_assets.render.sections import DAY_NAMES, ORIGIN_RE, ContactInfo, SectionView

LANG = "en"
# Delivered in a <meta> element, where browsers ignore frame-ancestors (and Chromium logs an
# error for it), so anti-framing belongs in the web server's headers, not here. Fonts are
# self-hosted (fonts/ beside assets/), so font-src needs nothing but the site.
_CSP_BASE = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'"
)
# A site without a form endpoint has no form, so nothing may be submitted anywhere.
CSP = f"{_CSP_BASE}; form-action 'none'"


def content_security_policy(form_origin: str | None = None) -> str:
    """The page's policy; with a contact form, form-action allows exactly its https origin."""
    if form_origin is None:
        return CSP
    if not ORIGIN_RE.fullmatch(form_origin):
        raise ValueError(f"not an https origin: {form_origin!r}")
    return f"{_CSP_BASE}; form-action {form_origin}"


_SCHEMA_TYPE_RE = re.compile(r"^[A-Z][A-Za-z]{1,59}$")
OG_TYPE_RE = re.compile(r"^[a-z][a-z._:]{0,29}$")


def json_ld_markup(data: object) -> Markup:
    """JSON for a script block: <, > and & escaped so "</script>" cannot end the block."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def opening_hours_specification(hours: OpeningHours | None) -> list[dict[str, object]]:
    """schema.org OpeningHoursSpecification entries: days with the same hours share one.

    A closed day opens and closes at 00:00, and a period to midnight closes at 23:59, as
    Google's structured-data guide writes them. Days the config leaves out are left out.
    """
    if hours is None:
        return []
    spans: dict[tuple[str, str], list[str]] = {}
    for key, name in DAY_NAMES.items():
        day = getattr(hours, key, None)
        if day is None:
            continue
        periods = [(p.opens, p.closes) for p in day.periods] if not day.closed else []
        for opens, closes in periods or [("00:00", "00:00")]:
            spans.setdefault((opens, "23:59" if closes == "24:00" else closes), []).append(name)
    return [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": days, "opens": o, "closes": c}
        for (o, c), days in spans.items()
    ]


def json_ld_graph(
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
    if contact.address:
        business["address"] = {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(contact.address),
        }
    given = ctx.config.contact
    if given and given.map_url and contact.map_url == given.map_url:
        business["hasMap"] = given.map_url
    business["openingHoursSpecification"] = opening_hours_specification(ctx.config.hours)
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

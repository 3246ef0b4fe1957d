"""The page head's facts: content security policy, and the JSON-LD graph for search engines."""

from __future__ import annotations

import json
import re

from markupsafe import Markup

from merlin_assets.render.context import HOME_SLUG, PageContext
from merlin_assets.render.sections import ContactInfo, SectionView

LANG = "en"
# Delivered in a <meta> element, where browsers ignore frame-ancestors (and Chromium logs an
# error for it), so anti-framing belongs in the web server's headers, not here.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)

_SCHEMA_TYPE_RE = re.compile(r"^[A-Z][A-Za-z]{1,59}$")
_OG_TYPE_RE = re.compile(r"^[a-z][a-z._:]{0,29}$")


def _json_ld(data: object) -> Markup:
    """JSON for a script block: <, > and & escaped so "</script>" cannot end the block."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


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

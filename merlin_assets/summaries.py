"""What each finished item tells a person: timings, call figures and a short preview.

Plain values only; the Dagster layer decides how each is shown (keys ending in `_md` are
markdown, `path` is a path, lists and dicts are JSON).
"""

from __future__ import annotations

from typing import Any

from merlin_assets.engine import CONFIG, IMAGES, PAGES, QUALITY, SITE, ItemEvent
from merlin_assets.llm.base import iso
from merlin_assets.models import (
    Copywriting,
    DesignContext,
    DesignStrategy,
    ImageFile,
    ImagePlan,
    Layout,
    PagePlan,
    QualityReport,
    SectionPlan,
    SeoStrategy,
    StyleSystem,
)


def timing(event: ItemEvent) -> dict[str, Any]:
    calls = event.calls
    data: dict[str, Any] = {
        "started_at": iso(event.started_at),
        "finished_at": iso(event.finished_at),
        "duration_s": event.duration_s,
        "depth": event.depth,
    }
    if event.blocked_s:
        data["blocked_s"] = event.blocked_s
    if calls:
        data.update(
            provider=calls[0].provider,
            model=", ".join(sorted({c.model for c in calls})),
            llm_calls=len(calls),
            llm_s=round(sum(c.duration_s for c in calls), 4),
            limiter_wait_s=round(sum(c.wait_s for c in calls), 4),
            attempts=sum(c.attempts for c in calls),
            tokens_in=sum(c.tokens_in for c in calls),
            tokens_out=sum(c.tokens_out for c in calls),
            cost_usd=round(sum(c.cost_usd for c in calls), 6),
            cache_hits=sum(c.cache_hit for c in calls),
            fallback=event.fallback,
            calls=[c.as_dict() for c in calls],
        )
        reasons = [c.fallback_reason for c in calls if c.fallback_reason]
        if reasons:
            data["fallback_reason"] = "; ".join(reasons)
    if event.notes:
        data["repairs"] = event.notes
    return data


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


def describe(event: ItemEvent) -> dict[str, Any]:
    """Counts and a preview of what the item holds."""
    v = event.value
    if event.asset == CONFIG:
        return {
            "project": v.project_id,
            "name": v.name,
            "industry": v.industry,
            "config_hash": v.content_hash(),
            "services": len(v.services),
        }
    if isinstance(v, DesignStrategy):
        return {
            "personality": ", ".join(v.brand_personality),
            "conversion_goal": v.conversion_goal,
            "preview_md": f"**Voice:** {v.voice}\n\n"
            f"**Trust builders**\n{_bullets(v.trust_builders)}",
        }
    if isinstance(v, DesignContext):
        return {
            "audience": v.audience.who,
            "preview_md": f"**Value proposition:** {v.value_proposition}\n\n"
            f"**Pain points**\n{_bullets(v.audience.pain_points)}",
        }
    if isinstance(v, SectionPlan):
        return {
            "sections": len(v.sections),
            "preview_md": _bullets([f"`{s.key}` ({s.type}, {s.importance}/5)" for s in v.sections]),
        }
    if isinstance(v, StyleSystem):
        p = v.palette
        return {
            "fonts": f"{v.fonts.heading} / {v.fonts.body}",
            "mood": v.mood,
            "preview_md": "| token | colour |\n|---|---|\n"
            + "\n".join(
                f"| {k} | `{getattr(p, k)}` |"
                for k in ("primary", "secondary", "accent", "background", "surface", "text")
            ),
        }
    if isinstance(v, Layout):
        return {"sections": len(v.sections), "variants": {s.key: s.variant for s in v.sections}}
    if isinstance(v, PagePlan):
        return {
            "pages": len(v.pages),
            "slugs": [p.slug for p in v.pages],
            # Which sections each page holds: the timings store derives page -> image edges.
            "page_sections": {p.slug: list(p.section_keys) for p in v.pages},
            "preview_md": _bullets([f"**{p.slug}**: {', '.join(p.section_keys)}" for p in v.pages]),
        }
    if isinstance(v, ImagePlan):
        return {
            "images": len(v.images),
            "keys": [i.key for i in v.images],
            "image_sections": {i.key: i.section_key for i in v.images},
            "hero": next((i.key for i in v.images if i.purpose == "hero"), ""),
            "preview_md": _bullets(
                [f"`{i.key}` ({i.purpose}, {i.aspect}): {i.alt}" for i in v.images]
            ),
        }
    if isinstance(v, Copywriting):
        return {
            "tagline": v.tagline,
            "services": len(v.services),
            "faqs": len(v.faqs),
            "preview_md": f"**{v.tagline}**\n\n{v.value_proposition}\n\n"
            + _bullets([f"**{s.name}**: {s.description}" for s in v.services]),
        }
    if isinstance(v, SeoStrategy):
        return {
            "site_title": v.site_title,
            "schema_type": v.schema_type,
            "preview_md": "| page | title | description |\n|---|---|---|\n"
            + "\n".join(f"| {p.slug} | {p.title} | {p.description} |" for p in v.pages),
        }
    if event.asset == IMAGES:
        assert isinstance(v, ImageFile)
        return {
            "image": v.key,
            "width": v.width,
            "height": v.height,
            "alt": v.alt,
            "source": v.source,
            "files": sorted(v.files.values()),
        }
    if event.asset == PAGES:
        page, copy = v
        return {
            "page": page.slug,
            "path": page.path,
            "title": page.title,
            "description": page.description,
            "bytes": page.bytes,
            "preview_md": "\n\n".join(f"### {s.heading}\n{s.body}" for s in copy.sections),
        }
    if event.asset == SITE:
        return {
            "path": str(v["path"]),
            "pages": len(v["pages"]),
            "images": len(v["images"]),
            "bytes": v["bytes"],
        }
    if event.asset == QUALITY:
        assert isinstance(v, QualityReport)
        return {
            "score": v.score,
            "passed": sum(c.passed for c in v.checks),
            "failed": [c.name for c in v.checks if not c.passed],
            "preview_md": "\n".join(
                f"- {'✅' if c.passed else '❌'} **{c.name}** {'; '.join(c.findings[:3])}"
                for c in v.checks
            ),
        }
    return {}


def metadata(event: ItemEvent) -> dict[str, Any]:
    return {**describe(event), **timing(event)}

"""A page a node publishes beside the planned ones (a privacy notice), with the site's header,
navigation and footer around its own content.

A node that publishes one subclasses `DeclaredPageNode`: it writes its copy from its inputs
(`write`) and gives a template that extends base.html and fills its `main` block. Its `pages`
declaration links it from every page's footer and lists it in sitemap.xml; its `copy_fields`
put its copy before the content review; `ships_files` publishes it. No other module names it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from merlin_assets.config.project import ProjectConfig
from merlin_assets.phases.base import Need, Node
from merlin_assets.phases.site_pages import PageFile, save_page
from merlin_assets.phases.site_pages.copy import copy_fields
from merlin_assets.render.context import PageContext
from merlin_assets.render.environment import environment
from merlin_assets.render.site import render_page
from merlin_assets.storage.local import MissingArtifactError
from merlin_assets.types.pages import Page, SitePage
from merlin_assets.types.seo import PageSeo
from merlin_assets.types.site_copy import PageCopy

if TYPE_CHECKING:
    from pathlib import Path

    from merlin_assets.content_gate import CopyField
    from merlin_assets.engine.scheduler import ItemEvent, Scheduler

# What every page's frame is made from: the plan's pages for the navigation, the copy's
# tagline and the SEO's site name, the style's theme colour, the brand kit's icons and logo.
FRAME = (
    Need("project_config"),
    Need("page_plan"),
    Need("copywriting"),
    Need("seo_strategy"),
    Need("style_system"),
    Need("brand_kit"),
)


def page_copy_fields(item: str, v: tuple[PageFile | None, PageCopy]) -> list[CopyField]:
    """A declared page's copy, read as a planned page's is."""
    return copy_fields(item, v[1])


def preview(v: tuple[PageFile, PageCopy]) -> dict[str, Any]:
    """A declared page's metadata: its file and what it says."""
    page, copy = v
    return {
        "path": page.path,
        "title": page.title,
        "bytes": page.bytes,
        "preview_md": "\n\n".join(f"### {s.heading}\n{s.body}" for s in copy.sections),
    }


@dataclass(frozen=True)
class PageHead:
    """A declared page's <title> and meta description."""

    title: str
    description: str


def render_declared(
    values: dict[str, Any],
    page: SitePage,
    head: PageHead,
    copy: PageCopy,
    template: str,
    declared: tuple[SitePage, ...],
) -> str:
    """The declared page as a complete HTML document, in the site's frame."""
    brand = values["brand_kit"]
    ctx = PageContext(
        config=values["project_config"],
        page=Page(slug=page.slug, title=page.label, purpose=head.title, section_keys=[]),
        pages=values["page_plan"].pages,
        seo=values["seo_strategy"],
        page_seo=PageSeo(
            slug=page.slug, title=head.title, description=head.description, keywords=[]
        ),
        copywriting=values["copywriting"],
        page_copy=copy,
        sections=[],
        layouts={},
        images={},
        section_images={},
        style=values["style_system"],
        icons=bool(brand.files),
        logo=brand.logo,
        logo_dark=brand.logo_dark,
        declared_pages=declared,
    )
    jinja = environment().from_string(template)
    return render_page(ctx, year=datetime.now(UTC).year, template=jinja, values={"copy": copy})


@dataclass(frozen=True, kw_only=True)
class DeclaredPageNode(Node):
    """A node that writes one page by rules from the config and publishes it."""

    # The page's copy and its head, from the config's facts only (no model call).
    write: Callable[[ProjectConfig], PageCopy]
    head: Callable[[ProjectConfig], PageHead]
    # Jinja source that extends "base.html", fills its `main` block and reads `copy`.
    template: str
    needs: tuple[Need, ...] = FRAME
    kinds: frozenset[str] = frozenset({"html", "jinja"})
    preview: Callable[[Any], dict[str, Any]] = preview
    copy_fields: Callable[[str, Any], list[CopyField]] | None = page_copy_fields
    ships_files: bool = True
    counts_as_phase: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.pages) != 1:
            raise ValueError(f"'{self.name}' publishes one page: declare it in `pages`")

    async def build(self, run: Scheduler, item: Any = None) -> ItemEvent:
        values = await run.gather(self.needs)
        config, page = values["project_config"], self.pages[0]
        clock = run.clock(run.cpu)
        async with clock.slot():
            copy, head = self.write(config), self.head(config)
            html = await asyncio.to_thread(
                render_declared, values, page, head, copy, self.template, run.graph.declared_pages
            )
        saved = save_page(run, page.slug, html, head.title, head.description)
        return clock.event(self.name, None, (saved, copy))

    def load(self, run: Scheduler, key: str | None = None) -> tuple[PageFile, PageCopy]:
        """The page an earlier run published, for a run that does not make it (applying an
        edits file): its record as saved, and its copy written again by the rules from the
        stored config, the same words without a model call."""
        record = run.store.pages_dir(run.project_id) / f"{self.pages[0].slug}.json"
        if not record.is_file():
            raise MissingArtifactError(
                f"'{self.name}' has no stored page for '{run.project_id}': run `merlin generate`"
            )
        saved = PageFile.model_validate_json(record.read_text(encoding="utf-8"))
        return saved, self.write(run.store.load_config(run.project_id))

    def site_files(self, run: Scheduler, value: tuple[PageFile, PageCopy]) -> dict[str, Path]:
        saved, _ = value
        return {saved.path: run.store.pages_dir(run.project_id) / saved.path}

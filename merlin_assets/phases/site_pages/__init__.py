"""Site pages: one per planned page, its section copy written and rendered to an HTML file."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from merlin_assets.edits.apply import apply_page
from merlin_assets.edits.state import stored_edits
from merlin_assets.phases.base import Need, Node, Partitioning
from merlin_assets.phases.site_pages.copy import PAGE_COPY
from merlin_assets.phases.site_pages.redo import Redo
from merlin_assets.phases.site_pages.redo import ask as ask_again
from merlin_assets.types.images import ImagePlan
from merlin_assets.types.pages import Page, PagePlan, SitePage
from merlin_assets.types.site_copy import PageCopy

if TYPE_CHECKING:
    from pathlib import Path

    from merlin_assets.content_gate import CopyField
    from merlin_assets.engine.scheduler import ItemEvent, Scheduler

IMAGES = "site_images"
# The brand kit, awaited like the images: a page links its icons only when they are published.
BRAND = "brand_kit"


class PageFile(BaseModel):
    slug: str
    path: str
    title: str
    description: str
    bytes: int


def preview(v: tuple[PageFile, PageCopy]) -> dict[str, Any]:
    page, copy = v
    return {
        "page": page.slug,
        "path": page.path,
        "title": page.title,
        "description": page.description,
        "bytes": page.bytes,
        "preview_md": "\n\n".join(f"### {s.heading}\n{s.body}" for s in copy.sections),
    }


def save_page(run: Scheduler, slug: str, html: str, title: str, description: str) -> PageFile:
    """Write a page's HTML to the project's pages folder and its record beside it."""
    from merlin_assets.paths import write_atomic
    from merlin_assets.render.context import page_filename

    filename = page_filename(slug)
    pages_dir = run.store.pages_dir(run.project_id)
    write_atomic(pages_dir / filename, html)
    saved = PageFile(
        slug=slug, path=filename, title=title, description=description, bytes=len(html.encode())
    )
    run.store.save_json(pages_dir / f"{slug}.json", saved.model_dump())
    return saved


def own_images(page: Page, plan: ImagePlan) -> list[str]:
    """The images a page shows: those of its sections, and the hero for its Open Graph card."""
    keys = [i.key for i in plan.images if i.section_key in page.section_keys]
    hero = next((i.key for i in plan.images if i.purpose == "hero"), None)
    if hero and hero not in keys:
        keys.append(hero)
    return keys


def copy_fields(item: str, v: tuple[PageFile | None, PageCopy]) -> list[CopyField]:
    """A page's copy, as its copy call declares it."""
    assert PAGE_COPY.copy_fields is not None
    return PAGE_COPY.copy_fields(item, v[1])


def _render(
    inputs,
    page,
    copy,
    seo,
    style,
    image_plan,
    images,
    icons,
    logo=(None, None),
    declared: tuple[SitePage, ...] = (),
) -> str:
    from merlin_assets.render.context import PageContext
    from merlin_assets.render.site import render_page

    by_key = {s.key: s for s in inputs.section_plan.sections}
    section_images: dict[str, list[str]] = {}
    for img in image_plan.images:
        section_images.setdefault(img.section_key, []).append(img.key)
    ctx = PageContext(
        config=inputs.config,
        page=page,
        pages=inputs.page_plan.pages,
        seo=seo,
        page_seo=next(p for p in seo.pages if p.slug == page.slug),
        copywriting=inputs.copywriting,
        page_copy=copy,
        sections=[by_key[k] for k in page.section_keys],
        layouts={s.key: s for s in inputs.layout.sections},
        images=images,
        section_images=section_images,
        style=style,
        icons=icons,
        logo=logo[0],
        logo_dark=logo[1],
        declared_pages=declared,
    )
    return render_page(ctx, year=datetime.now(UTC).year)


class PagesNode(Node):
    async def build(self, run: Scheduler, item: Page | None = None) -> ItemEvent:
        assert item is not None
        page = item
        inputs = PAGE_COPY.make_inputs({**await run.gather(PAGE_COPY.needs), "page": page})
        clock = run.clock()
        redo = run.requests.get(f"{self.name}[{page.slug}]")
        stored = f"{PAGE_COPY.name}-{page.slug}"
        answer = None
        if isinstance(redo, Redo):
            # Redone on request: one call with the owner's note, the rest of the page as stored.
            answer = await ask_again(run, inputs, clock, redo)
            copy = answer.value
        elif run.from_store and run.store.has(run.project_id, stored):
            # Applying edits: the copy written last time, no model call.
            copy = run.store.load(run.project_id, stored, PageCopy)
        else:
            answer = await run.ask(PAGE_COPY, f"page:{page.slug}", inputs, clock)
            copy = answer.value
        # The copy call ran while the images were still being made; now wait for what the
        # page shows.
        later = await clock.wait(run.gather(n for n in self.waits if n.scope == "project"))
        seo, style, image_plan = later["seo_strategy"], later["style_system"], later["image_plan"]
        found = await clock.wait(run.need_items(IMAGES, own_images(page, image_plan)))
        images = {k: v for k, v in found.items() if v is not None}
        icons = bool(later[BRAND].files)
        logo = (later[BRAND].logo, later[BRAND].logo_dark)
        # The project's edits file: pinned content, text and titles it sets, hidden sections.
        shown, shown_copy, page_seo = apply_page(
            stored_edits(run.store, run.project_id),
            page,
            copy,
            next(p for p in seo.pages if p.slug == page.slug),
        )
        seo = seo.model_copy(
            update={"pages": [page_seo if p.slug == page.slug else p for p in seo.pages]}
        )
        # The pages other nodes declare are linked from this one's footer; their nodes need
        # not have run yet, as only the declaration (slug and label) is read.
        declared = run.graph.declared_pages
        async with clock.slot(run.cpu):
            html = await asyncio.to_thread(
                _render,
                inputs,
                shown,
                shown_copy,
                seo,
                style,
                image_plan,
                images,
                icons,
                logo,
                declared,
            )
        saved = save_page(run, page.slug, html, page_seo.title, page_seo.description)
        if answer is None:
            return clock.event(self.name, page.slug, (saved, shown_copy))
        run.store.save(run.project_id, stored, copy)
        return clock.event(self.name, page.slug, (saved, shown_copy), **answer.event_fields())

    def site_files(self, run: Scheduler, value: tuple[PageFile, PageCopy]) -> dict[str, Path]:
        saved, _ = value
        return {saved.path: run.store.pages_dir(run.project_id) / saved.path}

    def sitemap_slugs(self, value: tuple[PageFile, PageCopy]) -> list[str]:
        return [value[0].slug]


def _pages(plan: PagePlan) -> list[Page]:
    return list(plan.pages)


NODE = PagesNode(
    name="site_pages",
    group="pages",
    description="One page of a project: its section copy, rendered to an HTML file.",
    kinds=frozenset({"openai", "html", "jinja"}),
    needs=PAGE_COPY.needs,
    waits=(
        Need("seo_strategy"),
        Need("style_system"),
        Need("image_plan"),
        Need(BRAND),
        Need(IMAGES, scope="own"),
    ),
    partitioning=Partitioning(
        dimension="page", slots="page_slots", plan="page_plan", items=_pages, key=lambda p: p.slug
    ),
    preview=preview,
    counts_as_phase=False,
    copy_fields=copy_fields,
)

CALLS = (PAGE_COPY,)

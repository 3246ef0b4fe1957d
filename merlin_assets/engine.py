"""Runs the phase graph for one project on asyncio: every item starts when its inputs exist.

The engine knows nothing of Dagster. It reports each finished item (phase, image, page, site,
quality report) through `emit`; the Dagster step turns those into materializations. Phases
that are not selected are loaded from the artifact store instead of being recomputed, which is
how a single phase, image or page is redone from the UI.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import shutil
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from merlin_assets import paths, phases
from merlin_assets.config import ProjectConfig, load_config
from merlin_assets.imaging.draw import aspect_size
from merlin_assets.imaging.encode import save_web_image
from merlin_assets.inputs import Inputs
from merlin_assets.llm.base import LLM, CallRecord, ChatRequest, ImageRequest, ImageResult, now
from merlin_assets.llm.offline import OfflineLLM, write_by_rules
from merlin_assets.models import (
    ImageFile,
    ImagePlan,
    Page,
    PageCopy,
    PageFile,
    PagePlan,
    PhaseModel,
    PlannedImage,
    QualityReport,
    SectionPlan,
    StyleSystem,
)
from merlin_assets.prompts.common import SYSTEM
from merlin_assets.quality import assess_site
from merlin_assets.render.context import PageContext, page_filename
from merlin_assets.render.site import (
    SITE_JS,
    render_css,
    render_page,
    render_robots,
    render_sitemap,
)
from merlin_assets.store import ArtifactStore

R = TypeVar("R")
SITE = "site"
QUALITY = "quality_assessment"
CONFIG = "project_config"
IMAGES = "site_images"
PAGES = "site_pages"


@dataclass
class ItemEvent:
    """One finished unit of work: a phase, an image, a page, the site or its quality report."""

    asset: str
    partition: str | None
    started_at: float
    finished_at: float
    depth: int
    value: Any
    calls: list[CallRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Time spent inside the item waiting for other items (a page waiting for its images):
    # not the item's own work, so it is left out of its duration.
    blocked_s: float = 0.0

    @property
    def duration_s(self) -> float:
        return round(self.finished_at - self.started_at - self.blocked_s, 4)

    @property
    def fallback(self) -> bool:
        return any(c.status == "fallback" for c in self.calls)


Emit = Callable[[ItemEvent], None]


class Clock:
    """An item's own time: it starts when the item first gets a slot, and waits after that
    (for a slot, or for other items) are counted as blocked, not as the item's work."""

    def __init__(self, slots: asyncio.Semaphore):
        self.slots = slots
        self.started_at: float | None = None
        self.blocked_s = 0.0

    @contextlib.asynccontextmanager
    async def slot(self, slots: asyncio.Semaphore | None = None):
        asked = now()
        async with slots or self.slots:
            if self.started_at is None:
                self.started_at = now()
            else:
                self.blocked_s += now() - asked
            yield

    async def wait(self, awaitable: Awaitable[R]) -> R:
        asked = now()
        try:
            return await awaitable
        finally:
            if self.started_at is not None:
                self.blocked_s += now() - asked

    def event(self, asset: str, partition: str | None, depth: int, value: Any, **kw) -> ItemEvent:
        assert self.started_at is not None
        return ItemEvent(
            asset,
            partition,
            self.started_at,
            now(),
            depth,
            value,
            blocked_s=round(self.blocked_s, 4),
            **kw,
        )


class SiteBuilder:
    """Builds, or rebuilds parts of, one project's site."""

    def __init__(
        self,
        *,
        project_id: str,
        llm: LLM,
        store: ArtifactStore,
        sites_root: Path,
        max_concurrency: int,
        emit: Emit,
        config_path: Path | None = None,
    ):
        self.project_id = project_id
        self.llm = llm
        self.store = store
        self.sites_root = Path(sites_root)
        self.emit = emit
        self.config_path = config_path
        # `calls` caps provider calls in flight; `cpu` caps the local work around them
        # (encoding, rendering, publishing) at the number of cores, so that work never takes
        # a call's slot. With a cap of 1 both are one semaphore: strictly one item at a time,
        # the sequential baseline. No item holds a slot while waiting for another item, so
        # neither can deadlock.
        self.calls = asyncio.Semaphore(max(1, max_concurrency))
        self.cpu = (
            self.calls
            if max_concurrency <= 1
            else asyncio.Semaphore(min(max_concurrency, os.cpu_count() or 1))
        )
        self.selected: set[str] = set()
        self._tasks: dict[str, asyncio.Task] = {}
        self._image_tasks: dict[str, asyncio.Task[ImageFile]] = {}
        self._fallback_llm = OfflineLLM()

    # --- entry points -------------------------------------------------------------------

    async def run(self, selected: set[str]) -> None:
        """Materialize the selected assets; with `site` selected, every image and page too."""
        self.selected = set(selected)
        wanted = [n for n in (CONFIG, *phases.PHASE_ORDER) if n in self.selected]
        jobs: list[Awaitable] = [self._need(n) for n in wanted]
        if SITE in self.selected:
            jobs.append(self._site())
        elif QUALITY in self.selected:
            jobs.append(self._quality(paths.site_dir(self.sites_root, self.project_id)))
        await _all(jobs)

    async def run_images(self, keys: list[str]) -> None:
        """Redo some images from the stored plan and swap them into the published site."""
        plan = await self._need("image_plan")
        wanted = {i.key: i for i in plan.images}
        missing = [k for k in keys if k not in wanted]
        if missing:
            raise KeyError(f"images {missing} are not in the image plan of '{self.project_id}'")
        files = await _all([self._image(wanted[k]) for k in keys])
        live = paths.site_dir(self.sites_root, self.project_id)
        for f in files:
            if live.is_dir():
                self._copy_image(f, live / "images", self._images_dir())

    async def run_pages(self, slugs: list[str]) -> None:
        """Redo some pages from stored upstream results and swap them into the published site."""
        plan: PagePlan = await self._need("page_plan")
        wanted = {p.slug: p for p in plan.pages}
        missing = [s for s in slugs if s not in wanted]
        if missing:
            raise KeyError(f"pages {missing} are not in the page plan of '{self.project_id}'")
        files = await _all([self._page(wanted[s]) for s in slugs])
        live = paths.site_dir(self.sites_root, self.project_id)
        for f in files:
            if live.is_dir():
                paths.write_atomic(live / f.path, (self._pages_dir() / f.path).read_bytes())

    # --- the graph -----------------------------------------------------------------------

    def _need(self, name: str) -> asyncio.Task:
        """The task that yields `name`'s result: computed when selected, else loaded."""
        task = self._tasks.get(name)
        if task is None:
            if name == CONFIG:
                coro = self._config()
            elif name in self.selected:
                coro = self._phase(phases.PHASES[name])
            else:
                coro = self._load(name)
            task = self._tasks[name] = asyncio.create_task(coro, name=name)
        return task

    async def _config(self) -> ProjectConfig:
        if CONFIG not in self.selected:
            return self.store.load_config(self.project_id)
        started = now()
        if self.config_path is not None:
            config = load_config(self.config_path)
        else:
            config = self.store.load_config(self.project_id)
        if config.project_id != self.project_id:
            raise ValueError(
                f"config {self.config_path} is for project '{config.project_id}', "
                f"not '{self.project_id}'"
            )
        self.store.save(self.project_id, CONFIG, config)
        self.emit(ItemEvent(CONFIG, None, started, now(), 0, config))
        return config

    async def _load(self, name: str) -> PhaseModel:
        return self.store.load(self.project_id, name, phases.PHASES[name].model)

    async def _inputs(self, deps: tuple[str, ...], **extra: Any) -> Inputs:
        config, *values = await asyncio.gather(self._need(CONFIG), *(self._need(d) for d in deps))
        return Inputs(config=config, **dict(zip(deps, values, strict=True)), **extra)

    async def _ask(self, phase: phases.Phase, item: str, inputs: Inputs, clock: Clock):
        """One structured call with its repair; any failure falls back to the rules."""
        request = ChatRequest(
            phase=phase.name,
            item=item,
            system=SYSTEM,
            prompt=phase.prompt(inputs),
            schema=phase.model,
            inputs=inputs,
        )
        async with clock.slot():
            try:
                result = await self.llm.chat(request)
            except Exception as exc:  # a provider bug must cost one item, not the site
                result = await self._fallback_llm.chat(request)
                result.call.status = "fallback"
                result.call.fallback_reason = f"{type(exc).__name__}: {exc}"[:300]
            value, notes = phase.repair(result.value, inputs, lambda: write_by_rules(request))
        return value, result.call, notes

    async def _phase(self, phase: phases.Phase) -> PhaseModel:
        inputs = await self._inputs(phase.deps)
        clock = Clock(self.calls)
        value, call, notes = await self._ask(phase, phase.name, inputs, clock)
        self.store.save(self.project_id, phase.name, value)
        self.emit(
            clock.event(
                phase.name, None, phases.depth(phase.name), value, calls=[call], notes=notes
            )
        )
        return value

    # --- images --------------------------------------------------------------------------

    def _images_dir(self) -> Path:
        return self.store.images_dir(self.project_id)

    def _pages_dir(self) -> Path:
        return self.store.pages_dir(self.project_id)

    async def _all_images(self) -> dict[str, ImageFile]:
        await self._all_images_started()
        files = await _all(list(self._image_tasks.values()))
        return {f.key: f for f in files}

    async def _image(self, planned: PlannedImage) -> ImageFile:
        config, style = await asyncio.gather(self._need(CONFIG), self._need("style_system"))
        clock = Clock(self.calls)
        request = ImageRequest(
            item=f"image:{planned.key}",
            image=planned,
            palette=style.palette,
            size=aspect_size(planned.aspect, planned.purpose),
            seed=Inputs(config=config).seed(f"image:{planned.key}"),
            config=config,
        )
        async with clock.slot():
            try:
                result = await self.llm.image(request)
            except Exception as exc:  # one bad image never stops the site
                result = await self._fallback_llm.image(request)
                result.call.status = "fallback"
                result.call.fallback_reason = f"{type(exc).__name__}: {exc}"[:300]
        async with clock.slot(self.cpu):
            saved = await asyncio.to_thread(self._save_image, result, planned)
        self.emit(
            clock.event(
                IMAGES, planned.key, phases.depth("image_plan") + 1, saved, calls=[result.call]
            )
        )
        return saved

    def _save_image(self, result: ImageResult, planned: PlannedImage) -> ImageFile:
        source = "fallback" if result.fallback else result.call.provider
        source = source if source in {"offline", "openai", "fallback"} else "openai"
        saved = save_web_image(
            result.image, self._images_dir(), key=planned.key, alt=planned.alt, source=source
        )
        self.store.save_json(self._images_dir() / f"{planned.key}.json", saved.model_dump())
        return saved

    def _stored_images(self, plan: ImagePlan) -> dict[str, ImageFile]:
        found = {}
        for img in plan.images:
            meta = self._images_dir() / f"{img.key}.json"
            if meta.exists():
                found[img.key] = ImageFile.model_validate_json(meta.read_bytes())
        return found

    @staticmethod
    def _copy_image(saved: ImageFile, dest: Path, src: Path) -> None:
        for name in [*saved.files.values(), saved.fallback]:
            paths.write_atomic(dest / name, (src / name).read_bytes())

    # --- pages ---------------------------------------------------------------------------

    async def _all_pages(self) -> list[PageFile]:
        plan: PagePlan = await self._need("page_plan")
        return await _all([self._page(p) for p in plan.pages])

    async def _page(self, page: Page) -> PageFile:
        inputs = await self._inputs(phases.PAGE_COPY.deps, page=page)
        clock = Clock(self.calls)
        copy, call, notes = await self._ask(phases.PAGE_COPY, f"page:{page.slug}", inputs, clock)
        assert isinstance(copy, PageCopy)
        seo, style, image_plan = await clock.wait(
            asyncio.gather(
                self._need("seo_strategy"), self._need("style_system"), self._need("image_plan")
            )
        )
        images = await clock.wait(self._page_images(page, image_plan, inputs.section_plan))
        async with clock.slot(self.cpu):
            html = await asyncio.to_thread(
                self._render, inputs, page, copy, seo, style, image_plan, images
            )
        filename = page_filename(page.slug)
        paths.write_atomic(self._pages_dir() / filename, html)
        page_seo = next(p for p in seo.pages if p.slug == page.slug)
        saved = PageFile(
            slug=page.slug,
            path=filename,
            title=page_seo.title,
            description=page_seo.description,
            bytes=len(html.encode()),
        )
        self.store.save_json(self._pages_dir() / f"{page.slug}.json", saved.model_dump())
        self.store.save(self.project_id, f"page_copy-{page.slug}", copy)
        self.emit(
            clock.event(
                PAGES,
                page.slug,
                phases.depth("page_copy") + 1,
                (saved, copy),
                calls=[call],
                notes=notes,
            )
        )
        return saved

    async def _page_images(
        self, page: Page, plan: ImagePlan, sections: SectionPlan | None
    ) -> dict[str, ImageFile]:
        keys = [i.key for i in plan.images if i.section_key in page.section_keys]
        hero = next((i.key for i in plan.images if i.purpose == "hero"), None)
        if hero and hero not in keys:
            keys.append(hero)  # every page's Open Graph image is the hero
        if SITE in self.selected:
            await self._all_images_started()
            files = await _all([self._image_tasks[k] for k in keys])
            return {f.key: f for f in files}
        stored = self._stored_images(plan)
        return {k: stored[k] for k in keys if k in stored}

    async def _all_images_started(self) -> None:
        plan: ImagePlan = await self._need("image_plan")
        for img in plan.images:
            # No await between the check and the insert: callers racing here start each once.
            if img.key not in self._image_tasks:
                self._image_tasks[img.key] = asyncio.create_task(self._image(img), name=img.key)

    def _render(self, inputs, page, copy, seo, style, image_plan, images) -> str:
        layouts = {s.key: s for s in inputs.layout.sections}
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
            layouts=layouts,
            images=images,
            section_images=section_images,
            style=style,
        )
        return render_page(ctx, year=datetime.now(UTC).year)

    # --- the site ------------------------------------------------------------------------

    async def _site(self) -> None:
        # Pages start on their own inputs: a page's copy call needs the page plan, not the image
        # plan, so it runs while the image plan is still being written.
        config, images, pages = await asyncio.gather(
            self._need(CONFIG), self._all_images(), self._all_pages()
        )
        style: StyleSystem = await self._need("style_system")
        clock = Clock(self.cpu)
        async with clock.slot():
            live = await asyncio.to_thread(self._publish, config, style, images, pages)
            total = sum(p.stat().st_size for p in live.rglob("*") if p.is_file())
        value = {"path": live, "pages": pages, "images": images, "bytes": total}
        self.emit(clock.event(SITE, None, phases.depth("page_copy") + 2, value))
        await self._quality(live)

    def _publish(self, config, style, images, pages) -> Path:
        staged = paths.staging_dir(self.sites_root, self.project_id)
        try:
            for page in pages:
                shutil.copyfile(self._pages_dir() / page.path, staged / page.path)
            (staged / "images").mkdir()
            for saved in images.values():
                self._copy_image(saved, staged / "images", self._images_dir())
            (staged / "assets").mkdir()
            (staged / "assets" / "site.css").write_text(render_css(style))
            (staged / "assets" / "site.js").write_text(SITE_JS)
            (staged / "sitemap.xml").write_text(
                render_sitemap(config.site_url, [p.slug for p in pages])
            )
            (staged / "robots.txt").write_text(render_robots(config.site_url))
            return paths.publish(staged, self.sites_root, self.project_id)
        except BaseException:
            paths.discard(staged)
            raise

    async def _quality(self, live: Path) -> QualityReport:
        style: StyleSystem = await self._need("style_system")
        clock = Clock(self.cpu)
        async with clock.slot():
            report = await asyncio.to_thread(assess_site, live, style)
        self.store.save(self.project_id, QUALITY, report)
        self.emit(clock.event(QUALITY, None, phases.depth("page_copy") + 3, report))
        return report


async def _all(aws: list[Awaitable]) -> list:
    """Gather, but on the first failure cancel the rest so a broken run stops promptly."""
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for t in tasks:
            t.cancel()
        raise


def stream(work: Callable[[Emit], Awaitable[None]]) -> Iterator[ItemEvent]:
    """Run `work` on its own event loop in a thread and yield its events as they happen.

    The caller (a Dagster step) writes each event to the event log while the loop keeps
    working, so event-log writes never stall calls in flight.
    """
    events: queue.Queue = queue.Queue()
    done = object()
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(work(events.put))
        except BaseException as exc:
            failure.append(exc)
        finally:
            events.put(done)

    thread = threading.Thread(target=target, name="merlin-engine", daemon=True)
    thread.start()
    while (item := events.get()) is not done:
        yield item
    thread.join()
    if failure:
        raise failure[0]

"""Site images: one per planned image, generated or drawn, saved in web sizes with a fallback."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from merlin_assets.edits.state import stored_edits
from merlin_assets.imaging.draw import aspect_size
from merlin_assets.imaging.encode import save_web_image
from merlin_assets.llm.base import ImageRequest, ImageResult
from merlin_assets.media.derive import derive
from merlin_assets.media.plan import photo_for
from merlin_assets.media.pool import media_pool
from merlin_assets.media.serve import photo_job, photo_record
from merlin_assets.phases.base import Need, Node, NodeInputs, Partitioning
from merlin_assets.render.placeholders import placeholder_css
from merlin_assets.types.images import ImageFile, ImagePlan, PlannedImage

if TYPE_CHECKING:
    from pathlib import Path

    from merlin_assets.engine.scheduler import ItemEvent, Scheduler
    from merlin_assets.storage.local import ArtifactStore


def preview(v: ImageFile) -> dict[str, Any]:
    return {
        "image": v.key,
        "width": v.width,
        "height": v.height,
        "alt": v.alt,
        "source": v.source,
        "files": sorted(v.files.values()),
        # A user's photo: which file, and whether this run encoded it or took the cache.
        **({"photo": v.photo, "encoded": not v.cached} if v.photo else {}),
    }


def _save(
    store: ArtifactStore, images_dir: Path, result: ImageResult, planned: PlannedImage
) -> ImageFile:
    source = "fallback" if result.fallback else result.call.provider
    source = source if source in {"offline", "openai", "fallback"} else "openai"
    saved = save_web_image(
        result.image, images_dir, key=planned.key, alt=planned.alt, source=source
    )
    store.save_json(images_dir / f"{planned.key}.json", saved.model_dump())
    return saved


class ImagesNode(Node):
    async def build(self, run: Scheduler, item: PlannedImage | None = None) -> ItemEvent:
        assert item is not None
        values = await run.gather(self.needs)
        config, style = values["project_config"], values["style_system"]
        clock = run.clock()
        own = _own(run, item.key)
        if own is not None:
            # Replaced in the edits file by a file of the user's: no image is made for it.
            return clock.event(self.name, item.key, own)
        if photo_for(config, item) is not None:
            return await self._from_photo(run, config, item, clock)
        request = ImageRequest(
            item=f"image:{item.key}",
            image=item,
            palette=style.palette,
            size=aspect_size(item.aspect, item.purpose),
            seed=NodeInputs(config=config).seed(f"image:{item.key}"),
            config=config,
        )
        result = await run.calls.image(request, clock)
        async with clock.slot(run.cpu):
            saved = await asyncio.to_thread(
                _save, run.store, run.store.images_dir(run.project_id), result, item
            )
        return clock.event(self.name, item.key, saved, calls=[result.call])

    async def _from_photo(self, run: Scheduler, config, item: PlannedImage, clock) -> ItemEvent:
        """The slot cut from the business's own photo, in the media pool; no model is called."""
        job = photo_job(config, run.config_path, item)
        cache = run.store.root / ".media-cache"  # no project id starts with a dot
        out = run.store.images_dir(run.project_id)
        async with clock.slot(run.cpu):
            made = await asyncio.get_running_loop().run_in_executor(
                media_pool(), derive, job, str(cache), str(out)
            )
        saved = photo_record(item, made, photo_for(config, item).file)  # type: ignore[union-attr]
        run.store.save_json(out / f"{item.key}.json", saved.model_dump())
        return clock.event(self.name, item.key, saved)

    def load(self, run: Scheduler, key: str | None = None) -> ImageFile | None:
        """The stored image (the user's where the edits file replaced it), or None when it
        was never made (a page then goes without)."""
        own = _own(run, key)
        if own is not None:
            return own
        meta = run.store.images_dir(run.project_id) / f"{key}.json"
        if not meta.exists():
            return None
        return ImageFile.model_validate_json(meta.read_bytes())

    def site_css(self, run: Scheduler, value: ImageFile | None) -> str:
        """The rule that paints this image's placeholder under it while it loads."""
        return placeholder_css(value) if value is not None else ""

    def site_files(self, run: Scheduler, value: ImageFile | None) -> dict[str, Path]:
        if value is None:
            return {}
        src = run.store.images_dir(run.project_id)
        names = [*value.files.values(), *value.avif.values(), value.fallback]
        return {f"images/{n}": src / n for n in names}


def _own(run: Scheduler, key: str | None) -> ImageFile | None:
    state = stored_edits(run.store, run.project_id)
    return state.images.get(key or "") if state is not None else None


def _images(plan: ImagePlan) -> list[PlannedImage]:
    return list(plan.images)


NODE = ImagesNode(
    name="site_images",
    group="media",
    description="One planned image of a project, saved as responsive WebP sizes and a JPEG "
    "fallback.",
    kinds=frozenset({"pillow", "openai", "webp"}),
    needs=(Need("project_config"), Need("image_plan"), Need("style_system")),
    partitioning=Partitioning(
        dimension="image",
        slots="image_slots",
        plan="image_plan",
        items=_images,
        key=lambda image: image.key,
    ),
    preview=preview,
    counts_as_phase=False,
)

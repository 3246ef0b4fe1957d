"""From an edits file to the state a project keeps: checked whole against the stored site,
pins filled, the user's images cut to their slots. Nothing is stored here; the caller saves
the state only when all of it is good."""

from __future__ import annotations

import hashlib
from pathlib import Path

from merlin_assets.config.errors import ConfigError
from merlin_assets.edits.apply import changes, pin
from merlin_assets.edits.loading import SiteShape, read_edits
from merlin_assets.edits.state import OWN, EditsState, stored_edits
from merlin_assets.media.check import MediaFile
from merlin_assets.media.derive import Job, derive
from merlin_assets.media.serve import photo_record
from merlin_assets.types.images import ImageFile, ImagePlan, PlannedImage
from merlin_assets.types.pages import PagePlan
from merlin_assets.types.seo import SeoStrategy
from merlin_assets.types.site_copy import PageCopy

# The copy each page node stores (`phases.site_pages`: `page_copy-<slug>`).
COPY = "page_copy"
# As the config's own photos (`media.serve`): full-width slots 1600 px, the rest 960 px.
WIDE = {"hero", "background"}


def own_image(
    store, project_id: str, planned: PlannedImage, media: MediaFile, alt: str | None
) -> ImageFile:
    """The user's file cut to the slot's shape and saved in every web size."""
    out = store.images_dir(project_id)
    if not isinstance(out, Path):
        raise ConfigError(
            str(media.path), media.field, "replacing an image needs a local work folder"
        )
    stem = f"{planned.key}{OWN}"
    job = Job(
        source=str(media.path),
        digest=media.digest,
        key=stem,
        aspect=planned.aspect if planned.purpose != "icon" else "1:1",
        focus=None,
        max_width=1600 if planned.purpose in WIDE else 960,
    )
    made = derive(job, str(store.root / ".media-cache"), str(out))
    shown = planned.model_copy(update={"key": stem, "alt": alt or planned.alt})
    return photo_record(shown, made, media.path.name).model_copy(update={"key": planned.key})


def site_shape(store, project_id: str) -> SiteShape:
    """What the project's built site offers to edit, from its stored plans."""
    return SiteShape.of(
        store.load(project_id, "page_plan", PagePlan),
        store.load(project_id, "image_plan", ImagePlan),
    )


def prepare(store, project_id: str, path: Path) -> EditsState:
    """The project's new edits state from the file at `path`.

    Raises:
        ConfigError: naming the file and the field of the first thing refused.
        MissingArtifactError: when the project's site was never built.
    """
    page_plan = store.load(project_id, "page_plan", PagePlan)
    site = site_shape(store, project_id)
    edits, files, raw = read_edits(path, site)
    previous = stored_edits(store, project_id)
    copies = {
        p.slug: store.load(project_id, f"{COPY}-{p.slug}", PageCopy)
        for p in page_plan.pages
        if store.has(project_id, f"{COPY}-{p.slug}")
    }
    seo = {p.slug: p for p in store.load(project_id, "seo_strategy", SeoStrategy).pages}
    sections, titles = pin(edits, previous, copies, seo)
    images = {
        key: own_image(store, project_id, site.images[key], files[key], edits.images[key].alt)
        for key in edits.images
    }
    generated = {key: f"generated image {key}" for key in edits.images}
    return EditsState(
        source=path.name,
        digest=hashlib.sha256(raw).hexdigest(),
        edits=edits,
        pinned_sections=sections,
        pinned_titles=titles,
        images=images,
        changes=changes(edits, copies, seo, generated),
    )

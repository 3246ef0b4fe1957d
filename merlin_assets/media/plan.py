"""Filling the image plan's slots from the business's own photos first, by their `use`.

Every photo gets a slot: the plan's own slot of that kind when one is free, else a new slot
added to the section of that kind, else (no such section) any free slot, else a new one on the
gallery, about or hero section. What is left of the plan is generated as before. A filled
slot's prompt says whose photo it is; that prompt is what the image node reads, so the plan on
disk (and its preview) tells which images are the user's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from merlin_assets.config.media import Photo
from merlin_assets.types.images import PlannedImage

if TYPE_CHECKING:
    from merlin_assets.config.project import ProjectConfig

USER_PROMPT = "The business's own photo {file}, used as it is: never sent to an image model."
# Which section type a `use` belongs in, and the aspect of a slot added for it.
_SECTION = {"hero": "hero", "about": "about", "gallery": "gallery", "team": "team"}
_SECTION["service"] = "services"
_ADDED_ASPECT = {"hero": "16:9", "about": "4:3", "gallery": "4:3", "team": "1:1"}
_ADDED_ASPECT["service"] = "4:3"
# Where a photo with no slot of its kind (or `use: any`) goes, in order.
_ANY_ORDER = ("gallery", "about", "team", "hero", "services")


def user_prompt(photo: Photo) -> str:
    return USER_PROMPT.format(file=photo.file)


def photo_for(config: ProjectConfig, image: PlannedImage) -> Photo | None:
    """The config's photo a planned image shows, or None when it is to be generated."""
    for photo in config.photos:
        if image.prompt == user_prompt(photo):
            return photo
    return None


def _ordered(config: ProjectConfig) -> list[Photo]:
    """Photos with a use first (team members' in team order), then `any`, config order within."""
    by_file = {p.file.lower(): p for p in config.photos}
    members = [by_file[m.photo.lower()] for m in config.team if m.photo]
    offers = [by_file[o.photo.lower()] for o in config.offers if o.photo]
    named = {id(p) for p in members + offers}
    rest = [p for p in config.photos if id(p) not in named]
    first = [p for p in rest if p.use != "any"]
    return members + offers + first + [p for p in rest if p.use == "any"]


def _use(photo: Photo, config: ProjectConfig) -> str:
    if any(m.photo and m.photo.lower() == photo.file.lower() for m in config.team):
        return "team"
    if any(o.photo and o.photo.lower() == photo.file.lower() for o in config.offers):
        return "service"
    return photo.use


def fit_photos(
    config: ProjectConfig, images: list[PlannedImage], sections: dict[str, str]
) -> tuple[list[PlannedImage], list[str]]:
    """The plan's images with every config photo placed, and notes on what was placed where.

    Args:
        config: The project; its `photos` are placed.
        images: The planned images, in order.
        sections: Section type -> the key of its first section.
    """
    if not config.photos:
        return images, []
    out = list(images)
    taken: set[int] = set()
    keys = {i.key for i in out}
    members = {m.photo.lower() for m in config.team if m.photo}
    notes: list[str] = []

    def free(section_type: str, *, hero_ok: bool) -> int | None:
        key = sections.get(section_type)
        for i, img in enumerate(out):
            if i in taken or img.section_key != key:
                continue
            if img.purpose == "hero" and not hero_ok:
                continue
            return i
        return None

    def add(section_type: str, use: str) -> int | None:
        key = sections.get(section_type)
        if key is None:
            return None
        n = 1
        while f"{section_type}-photo-{n}" in keys:
            n += 1
        slot = PlannedImage(
            key=f"{section_type}-photo-{n}",
            section_key=key,
            purpose="supporting",
            prompt="",
            alt="",
            aspect=_ADDED_ASPECT.get(use, "4:3"),  # type: ignore[arg-type]
        )
        keys.add(slot.key)
        out.append(slot)
        return len(out) - 1

    for photo in _ordered(config):
        use = _use(photo, config)
        at: int | None = None
        if use != "any":
            kind = _SECTION[use]
            at = free(kind, hero_ok=use == "hero")
            if at is None and use != "hero":
                at = add(kind, use)
        for kind in _ANY_ORDER if at is None else ():
            at = free(kind, hero_ok=True)
            if at is not None:
                break
        for kind in ("gallery", "about", "hero") if at is None else ():
            at = add(kind, "gallery")
            if at is not None:
                break
        if at is None:
            notes.append(f"photo {photo.file!r}: no section to show it on")
            continue
        taken.add(at)
        slot = out[at]
        update = {"prompt": user_prompt(photo), "alt": photo.alt or ""}
        if photo.file.lower() in members:
            update["aspect"] = "1:1"  # one person's portrait, beside the others as equals
        out[at] = slot.model_copy(update=update)
        notes.append(f"image {slot.key!r}: the business's photo {photo.file!r}")
    return out, notes

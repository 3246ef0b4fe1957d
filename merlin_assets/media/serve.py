"""From a planned slot to the job that fills it, and from the job's result to the image record."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from merlin_assets.config.errors import ConfigError
from merlin_assets.media.check import check_media
from merlin_assets.media.derive import Derived, Job
from merlin_assets.media.plan import photo_for
from merlin_assets.types.images import ImageFile

if TYPE_CHECKING:
    from merlin_assets.config.project import ProjectConfig
    from merlin_assets.types.images import PlannedImage

# Hero slots are shown full-width; 1600 px covers a 1440 px layout at 1x and phones at 3x.
# Other slots sit in columns no wider than 960 px.
_MAX_WIDTH = {"hero": 1600, "background": 1600}


def config_file(config_path: Path | str | None) -> Path:
    """The config file the media sit beside; a stored or remote copy has no folder to read."""
    if config_path is None or "://" in str(config_path):
        raise ConfigError(
            str(config_path or "(stored config)"),
            "photos",
            "the business's photos and logo are read beside the config file; run with its path",
        )
    return Path(config_path)


def photo_job(config: ProjectConfig, config_path: Path | str | None, image: PlannedImage) -> Job:
    """The job for a slot the plan gave to one of the config's photos."""
    photo = photo_for(config, image)
    assert photo is not None
    index = next(i for i, p in enumerate(config.photos) if p is photo)
    field = f"photos[{index}].file"
    checked = check_media(config, config_file(config_path), only=field)[field]
    return Job(
        source=str(checked.path),
        digest=checked.digest,
        key=image.key,
        aspect=image.aspect if image.purpose != "icon" else "1:1",
        focus=photo.focus,
        max_width=_MAX_WIDTH.get(image.purpose, 960),
    )


def photo_record(image: PlannedImage, made: Derived, photo: str) -> ImageFile:
    """The slot's record: its files, sizes and placeholder, and the photo it was cut from."""
    return ImageFile(
        key=image.key,
        alt=image.alt,
        width=made.width,
        height=made.height,
        files={w: f"{image.key}-{n}" for w, n in made.webp.items()},
        avif={w: f"{image.key}-{n}" for w, n in made.avif.items()},
        fallback=f"{image.key}.jpg",
        source="user",
        color=made.color,
        thumb=made.thumb,
        photo=photo,
        cached=made.cached,
    )

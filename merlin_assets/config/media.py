"""Config field types for the business's own media: file paths, photos and their uses.

Only what can be told from the text is checked here (no URL, no absolute path, no '..', a
known extension). The files themselves are checked against the config's folder by
`merlin_assets.media.check` when the config is loaded with `merlin_assets.media.load`.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator

from merlin_assets.config.fields import BLANK_IS_NONE, LINE, StrictModel, kind_name, show_value

if TYPE_CHECKING:
    from merlin_assets.config.project import ProjectConfig

PHOTO_USES = ("hero", "about", "gallery", "team", "service", "any")
PhotoUse = Literal["hero", "about", "gallery", "team", "service", "any"]
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
LOGO_SUFFIXES = (".svg", *PHOTO_SUFFIXES)
MAX_PHOTOS = 40
# Alt text is read aloud; WebAIM's guidance (and image_plan's ALT_MAX) is about 125 characters.
ALT_MAX = 125
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//)?|^//")


def _relative_path(suffixes: tuple[str, ...]):
    def check(value: object) -> object:
        if not isinstance(value, str):
            raise ValueError(f"expected a file path, got {kind_name(value)}")
        text = value.strip()
        if _URL_RE.match(text) and not re.match(r"^[A-Za-z]:[\\/]", text):
            raise ValueError(
                f"{show_value(text)} is a URL; nothing is downloaded: save the file in the "
                "config's folder and give its path, e.g. media/logo.svg"
            )
        if "\\" in text or "\x00" in text:
            raise ValueError("use '/' between folders; backslashes and NULs are not allowed")
        path = PurePosixPath(text)
        if path.is_absolute() or re.match(r"^[A-Za-z]:", text):
            raise ValueError(
                f"{show_value(text)} is an absolute path; give a path relative to the config file"
            )
        if ".." in path.parts:
            raise ValueError(f"{show_value(text)} leaves the config's folder ('..' is not allowed)")
        if path.suffix.lower() not in suffixes:
            raise ValueError(
                f"{show_value(text)} is not one of {', '.join(s[1:] for s in suffixes)} "
                "(by its extension)"
            )
        return text

    return BeforeValidator(check)


PhotoPath = Annotated[str, Field(min_length=1, max_length=255), _relative_path(PHOTO_SUFFIXES)]
LogoPath = Annotated[str, Field(min_length=1, max_length=255), _relative_path(LOGO_SUFFIXES)]


def _focus(value: object) -> object:
    """`"0.3,0.6"`, `[0.3, 0.6]` or `{x: 0.3, y: 0.6}` -> (0.3, 0.6)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",")]
    elif isinstance(value, dict):
        parts = [value.get("x"), value.get("y")]
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        raise ValueError(f"got {kind_name(value)}; write x,y between 0 and 1, e.g. 0.3,0.6")
    if len(parts) != 2:
        raise ValueError("write two numbers x,y between 0 and 1, e.g. 0.3,0.6")
    try:
        x, y = (float(p) for p in parts)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError("write two numbers x,y between 0 and 1, e.g. 0.3,0.6") from None
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ValueError(f"{x:g},{y:g} is outside 0..1 (0,0 is the top left, 1,1 bottom right)")
    return (x, y)


class Photo(StrictModel):
    """A photograph the business supplies, with where it fits and what it shows."""

    file: PhotoPath
    alt: Annotated[Annotated[str, Field(max_length=ALT_MAX), LINE] | None, BLANK_IS_NONE] = None
    use: PhotoUse = "any"
    focus: Annotated[tuple[float, float] | None, BeforeValidator(_focus)] = None

    @field_validator("alt")
    @classmethod
    def _alt_says_something(cls, value: str | None) -> str | None:
        if value is not None and not re.search(r"\w", value):
            raise ValueError("alt text has no words; describe what the photo shows")
        return value


def photo_problem(photos: list[Photo], team: list, offers: list) -> tuple[str, str] | None:
    """The first cross-field problem with the config's photos, as (field, reason), or None.

    A missing alt is not one here: a vision model may describe the photo (`missing_alt`
    says when it may not).
    """
    seen: dict[str, int] = {}
    for i, photo in enumerate(photos):
        key = photo.file.lower()
        if key in seen:
            return f"photos[{i}].file", f"{photo.file!r} is listed twice (also photos[{seen[key]}])"
        seen[key] = i
    for name, entries in (("team", team), ("offers", offers)):
        for i, entry in enumerate(entries):
            if entry.photo is not None and entry.photo.lower() not in seen:
                return (
                    f"{name}[{i}].photo",
                    f"{entry.photo!r} is not one of the config's photos; add it under photos: "
                    f"with its alt text, e.g. photos: [{{file: {entry.photo}, alt: ..., use: "
                    f"{'team' if name == 'team' else 'service'}}}]",
                )
    return None


def missing_alt(photos: list[Photo]) -> tuple[str, str] | None:
    """The first photo without alt text as (field, reason), for a run no model can describe
    photos in: a photo published without alt is invisible to a blind reader."""
    for i, photo in enumerate(photos):
        if photo.alt is None:
            return (
                f"photos[{i}].alt",
                f"missing for {photo.file!r}: add alt: a short description of what the photo "
                "shows, e.g. alt: Fresh sourdough loaves on the counter (or configure a "
                "vision model: a `vision` route in the MERLIN_ENDPOINTS file)",
            )
    return None


def media_refs(config: ProjectConfig) -> list[tuple[str, str, bool]]:
    """(field, value, is_logo) for every media file the config names."""
    refs = [
        (f"brand.{name}", getattr(config.brand, name), True)
        for name in ("logo", "logo_dark", "icon")
        if getattr(config.brand, name)
    ]
    refs += [(f"photos[{i}].file", p.file, False) for i, p in enumerate(config.photos)]
    return refs

"""Reading an edits file: checked like a config, then against the site that was built.

Every refusal is a `ConfigError` naming the edits file, the field path (`pages.home.sections.
hero.heading`) and, for a name the site does not have, the names it does: an edit that cannot
apply is refused whole before anything is written.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from merlin_assets.config.errors import ConfigError
from merlin_assets.config.fields import MAX_CONFIG_BYTES
from merlin_assets.config.loading import TooBig, check_json_shape, field_path, load_yaml
from merlin_assets.edits.model import CHOICES, EditsFile
from merlin_assets.media.check import MediaFile, check_file
from merlin_assets.projects.files import EDITS_MARK
from merlin_assets.types.images import ImagePlan, PlannedImage
from merlin_assets.types.pages import PagePlan

EDITS_SUFFIXES = (".yaml", ".yml", ".json")


def edits_path_for(config_path: Path | str) -> Path | None:
    """The edits file beside a config, when there is one."""
    config = Path(config_path)
    for suffix in EDITS_SUFFIXES:
        candidate = config.with_name(f"{config.stem}{EDITS_MARK}{suffix}")
        if candidate.is_file() and not candidate.is_symlink():
            return candidate
    return None


@dataclass(frozen=True)
class SiteShape:
    """What a built site offers to edit: its pages, each page's sections, its images."""

    pages: dict[str, list[str]]
    images: dict[str, PlannedImage] = field(default_factory=dict)

    @classmethod
    def of(cls, page_plan: PagePlan, image_plan: ImagePlan) -> SiteShape:
        return cls(
            pages={p.slug: list(p.section_keys) for p in page_plan.pages},
            images={i.key: i for i in image_plan.images},
        )


def _one_of(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(names) if names else "(none)"


def parse_edits(raw: bytes, *, source: str, suffix: str = ".yaml") -> EditsFile:
    """The file's shape: YAML or JSON, bounded like a config, of known fields only."""
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(source, "", f"file is {len(raw)} bytes; the limit is {MAX_CONFIG_BYTES}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(source, "", f"not UTF-8 text ({exc.reason})") from None
    if "\x00" in text:
        raise ConfigError(source, "", "contains a NUL byte")
    try:
        if suffix == ".json":
            data = json.loads(text)
            check_json_shape(data)
        else:
            data = load_yaml(text)
    except (RecursionError, TooBig) as exc:
        raise ConfigError(source, "", f"nested too deeply or too big: {exc}") from None
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(source, "", f"invalid {suffix.lstrip('.').upper()}: {detail}") from None
    if data is None:
        return EditsFile()
    if not isinstance(data, dict):
        raise ConfigError(source, "", "the top level must be a mapping (pages:, images:)")
    try:
        return EditsFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        where = field_path(loc)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            level = _level(loc)
            name = str(loc[-1])
            msg = f"unknown field '{name}'; valid fields: {_one_of(CHOICES[level])}"
            close = difflib.get_close_matches(name, CHOICES[level], n=1)
            msg += f" (did you mean '{close[0]}'?)" if close else ""
        raise ConfigError(source, where, msg) from None


def _level(loc: tuple) -> str:
    """Which mapping an unknown field sits in, from its place (`pages.home.sections.x.y`)."""
    depth = len(loc)
    if depth == 1:
        return "top"
    if loc[0] == "images":
        return "image"
    return "section" if depth >= 5 else "page"


def check_against(edits: EditsFile, site: SiteShape, *, source: str) -> None:
    """Every page, section and image the file names exists on the site."""
    for slug, page in edits.pages.items():
        if slug not in site.pages:
            raise ConfigError(
                source,
                f"pages.{slug}",
                f"no page '{slug}'; valid pages: {_one_of(list(site.pages))}",
            )
        keys = site.pages[slug]
        for key in page.sections:
            if key not in keys:
                raise ConfigError(
                    source,
                    f"pages.{slug}.sections.{key}",
                    f"no section '{key}' on page '{slug}'; valid sections: {_one_of(keys)}",
                )
        hidden = {k for k, s in page.sections.items() if s.hide}
        if keys and hidden >= set(keys):
            raise ConfigError(
                source,
                f"pages.{slug}.sections",
                f"hides every section of page '{slug}'; keep at least one",
            )
    for key in edits.images:
        if key not in site.images:
            raise ConfigError(
                source,
                f"images.{key}",
                f"no image '{key}'; valid images: {_one_of(list(site.images))}",
            )


def check_image_files(edits: EditsFile, folder: Path, *, source: str) -> dict[str, MediaFile]:
    """The user's image files, checked as the config's photos are: inside `folder`, no symlink,
    of the kind their bytes say, decodable, within the size and pixel limits."""
    return {
        key: check_file(folder, image.file, source=source, field=f"images.{key}.file")[0]
        for key, image in edits.images.items()
    }


def read_edits(path: Path, site: SiteShape) -> tuple[EditsFile, dict[str, MediaFile], bytes]:
    """The edits file at `path`, checked whole: (edits, image files by key, its bytes)."""
    source = str(path)
    try:
        if path.is_symlink():
            raise ConfigError(source, "", "is a symlink; edits files are read only as real files")
        with path.open("rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(source, "", f"cannot read: {exc.strerror}") from None
    edits = parse_edits(raw, source=source, suffix=path.suffix.lower())
    check_against(edits, site, source=source)
    return edits, check_image_files(edits, path.parent, source=source), raw

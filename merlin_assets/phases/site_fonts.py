"""The site's self-hosted brand fonts: WOFF2 subsets of the style system's heading and body
families, their licences, the @font-face rules and the font stacks of the stylesheet.

The subsets cover whole Unicode blocks (Latin and general punctuation always, plus the blocks of
the config's and the copywriting's characters), not the exact characters of the pages. So the
node needs no page: it runs as soon as the style and the copywriting exist, beside the image
plan and the images, off the critical path; and its subsets depend only on (font file, weight,
blocks), so they come from the machine's font cache for every site after the first.

The site takes the files like any shipping node's, and the CSS through `site_css` and
`css_stacks` (see `Node`), without naming this node.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from merlin_assets.phases.base import Need, Node
from merlin_assets.storage.local import MissingArtifactError

if TYPE_CHECKING:
    from merlin_assets.config.project import ProjectConfig
    from merlin_assets.engine.scheduler import ItemEvent, Scheduler
    from merlin_assets.phases.style_system import StyleSystem
    from merlin_assets.types.site_copy import Copywriting

RECORD = "fonts.json"
# What a font file in the site may be called (names come from the package index and a digest).
_FILE_RE = re.compile(r"fonts/[a-z0-9]+(?:-[a-z0-9]+)*(?:-\d{3}-[0-9a-f]{8}\.woff2|-LICENSE\.txt)")


class SiteFonts(BaseModel):
    """The fonts a site serves, as recorded beside their files."""

    model_config = ConfigDict(extra="forbid")

    families: dict[str, str | None]  # role -> installed family served, None: system fonts only
    stacks: dict[str, str]  # role -> full CSS font-family value
    css: str  # @font-face rules, first in assets/site.css (urls are ../fonts/...)
    files: dict[str, int]  # site path -> bytes
    blocks: list[str]  # the Unicode blocks the subsets were asked to cover
    made: dict[str, str]  # font file -> "subset", "disk" (machine cache) or "memory"
    notes: list[str]

    @property
    def bytes(self) -> int:
        return sum(self.files.values())


def preview(v: SiteFonts) -> dict[str, Any]:
    return {
        "families": {role: name or "system fonts" for role, name in v.families.items()},
        "files": sorted(v.files),
        "bytes": v.bytes,
        "blocks": v.blocks,
        "cache": {name: how for name, how in sorted(v.made.items())},
        "notes": v.notes or ["none"],
    }


def _strings(value: Any) -> list[str]:
    """Every string in a dumped model, depth first."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def site_text(config: ProjectConfig, copywriting: Copywriting) -> str:
    """The text the fonts' blocks are read from: the config's (name, description, services,
    location, audiences, testimonials, contact, ...) and the copywriting's."""
    return " ".join([*_strings(config.model_dump()), *_strings(copywriting.model_dump())])


def make_fonts(
    config: ProjectConfig, style: StyleSystem, copywriting: Copywriting
) -> tuple[SiteFonts, dict[str, bytes]]:
    """The record and the files (by site path) of a project's fonts."""
    from merlin_assets.render.fonts import build_fonts

    bundle = build_fonts(style.fonts.heading, style.fonts.body, site_text(config, copywriting))
    record = SiteFonts(
        families=dict(bundle.families),
        stacks=dict(bundle.stacks),
        css=bundle.css,
        files={rel: len(data) for rel, data in bundle.files.items()},
        blocks=list(bundle.blocks),
        made=dict(bundle.sources),
        notes=list(bundle.notes),
    )
    return record, dict(bundle.files)


def _write(folder: Path, files: dict[str, bytes]) -> None:
    from merlin_assets.paths import write_atomic

    names = {rel.split("/", 1)[1] for rel in files}
    for rel, data in files.items():
        name = rel.split("/", 1)[1]
        path = folder / name
        if not (path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data):
            write_atomic(path, data)
    # A site served only system fonts writes no file, yet the record still goes here.
    folder.mkdir(parents=True, exist_ok=True)
    # Fonts of an earlier style would pile up: the folder holds this record's files only.
    for old in folder.iterdir():
        if old.is_file() and old.name != RECORD and old.name not in names:
            old.unlink(missing_ok=True)


class SiteFontsNode(Node):
    def folder(self, run: Scheduler) -> Path:
        return run.store.project_dir(run.project_id) / "fonts"

    async def build(self, run: Scheduler, item: Any = None) -> ItemEvent:
        values = await run.gather(self.needs)
        config, style = values["project_config"], values["style_system"]
        clock = run.clock(run.cpu)
        async with clock.slot():
            # Subsetting is CPU work (none on a cache hit): in a thread, under the CPU slot.
            record, files = await asyncio.to_thread(
                make_fonts, config, style, values["copywriting"]
            )
            await asyncio.to_thread(_write, self.folder(run), files)
        run.store.save_json(self.folder(run) / RECORD, record.model_dump())
        return clock.event(self.name, None, record)

    def load(self, run: Scheduler, key: str | None = None) -> SiteFonts:
        try:
            return SiteFonts.model_validate_json((self.folder(run) / RECORD).read_bytes())
        except FileNotFoundError:
            raise MissingArtifactError(
                f"'{self.name}' has not been materialized for project '{run.project_id}'; "
                f"materialize it (or the whole project) first"
            ) from None

    def degraded(self, error: str) -> SiteFonts:
        # No file and no @font-face; no stacks either, so the stylesheet uses the ones it
        # makes from the style's names, which go on to the visitor's system fonts.
        return SiteFonts(
            families={}, stacks={}, css="", files={}, blocks=[], made={}, notes=[error]
        )

    def site_files(self, run: Scheduler, value: SiteFonts) -> dict[str, Path]:
        folder = self.folder(run)
        return {
            rel: folder / rel.split("/", 1)[1] for rel in value.files if _FILE_RE.fullmatch(rel)
        }

    def site_css(self, run: Scheduler, value: SiteFonts) -> str:
        return value.css

    def css_stacks(self, value: SiteFonts) -> dict[str, str] | None:
        return dict(value.stacks) or None


NODE = SiteFontsNode(
    name="site_fonts",
    group="brand",
    description="Self-hosted WOFF2 brand fonts, subset to the Unicode blocks of the site's text "
    "(cached per machine), with their licences, @font-face rules and font stacks.",
    kinds=frozenset({"python", "woff2"}),
    needs=(Need("project_config"), Need("style_system"), Need("copywriting")),
    preview=preview,
    counts_as_phase=False,
    ships_files=True,
    role="polish",
    degrades_to="system fonts",
)

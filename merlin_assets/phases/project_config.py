"""The project config: the business to build for, validated and kept for later runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from merlin_assets.config.project import (
    MAX_CONFIG_BYTES,
    ProjectConfig,
    parse_config_text,
)
from merlin_assets.llm.base import now
from merlin_assets.media.load import load_with_media
from merlin_assets.phases.base import Node

if TYPE_CHECKING:
    from merlin_assets.engine.scheduler import ItemEvent, Scheduler


def _read(ref: str | Path, *, vision: bool = False) -> ProjectConfig:
    """A config file, or a snapshot in the object store (`s3://...`) on a fleet."""
    text = str(ref)
    if "://" not in text:
        return load_with_media(ref, vision=vision)
    from merlin_assets import storage
    from merlin_assets.config.environment import Settings

    fs = storage.settings_filesystem(Settings())
    with fs.open(text.split("://", 1)[1], "rb") as fh:
        raw = fh.read(MAX_CONFIG_BYTES + 1)
    return parse_config_text(raw, source=text, suffix=Path(text).suffix.lower())


def preview(v: ProjectConfig) -> dict[str, Any]:
    return {
        "project": v.project_id,
        "name": v.name,
        "industry": v.industry,
        "config_hash": v.content_hash(),
        "services": len(v.services),
        **({"palette": "from the logo"} if v.brand.colors_from_logo else {}),
        **({"photos": len(v.photos)} if v.photos else {}),
    }


class ConfigNode(Node):
    """The source of the graph: a config file when the run names one, else the stored copy."""

    async def build(self, run: Scheduler, item: Any = None) -> ItemEvent:
        clock = run.clock()
        clock.started_at = now()  # the item's own time is reading the config
        if run.config_path is not None:
            config = _read(run.config_path, vision=run.calls.llm.vision)
        else:
            config = run.store.load_config(run.project_id)
        if config.project_id != run.project_id:
            raise ValueError(
                f"config {run.config_path} is for project '{config.project_id}', "
                f"not '{run.project_id}'"
            )
        # Photos without alt text are described before the config is kept, so the stored copy
        # (what later runs and the plan read) has every alt.
        calls = await run.calls.describe_photos(config, run.config_path, clock)
        run.store.save(run.project_id, self.name, config)
        return clock.event(self.name, None, config, calls=calls)

    def load(self, run: Scheduler, key: str | None = None) -> ProjectConfig:
        return run.store.load_config(run.project_id)


NODE = ConfigNode(
    name="project_config",
    group="project",
    description="The validated project config: the business to build for.",
    kinds=frozenset({"python", "yaml"}),
    needs=(),
    preview=preview,
)

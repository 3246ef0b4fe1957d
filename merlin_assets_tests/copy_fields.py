"""A site's copy as the content gate reads it, from an offline build.

Two ways to build one project's copy without a model, giving the same values by node name
(`site_pages` maps each page slug to `(page file or None, PageCopy)`):

- `build_rules` calls the rule-based writers directly, wired as the phase graph wires them
  (fast: no images, no rendering);
- `build_offline` runs the whole graph through the engine with the offline model (every
  phase falls back to its rule-based writer), on folders of the caller's own.

`site_fields` turns either into the `CopyField`s of every piece of visitor copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from merlin_assets.config.project import ProjectConfig
from merlin_assets.content_gate import CopyField, Facts, Finding, check_site
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.phases import graph
from merlin_assets.phases.content_review import site_copy
from merlin_assets_tests.phase_support import (
    run_whole_site,
    scheduler,
    write_all_by_rules,
)


def build_rules(config: ProjectConfig) -> dict[str, Any]:
    """Every rule-based writer up to page copy, as the phase graph wires them."""
    values, pages = write_all_by_rules(config)
    values["project_config"] = config
    values["site_pages"] = {page.slug: (None, page) for page in pages}
    return values


def build_offline(config: ProjectConfig, root: Path) -> dict[str, Any]:
    """Node name -> value (partitioned nodes: item key -> value) of one engine build."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"{config.project_id}.yaml"
    path.write_text(
        yaml.safe_dump(config.model_dump(mode="json", exclude_none=True), sort_keys=False),
        encoding="utf-8",
    )
    values: dict[str, Any] = {}

    def keep(event: Any) -> None:
        if event.partition is None:
            values[event.asset] = event.value
        else:
            values.setdefault(event.asset, {})[event.partition] = event.value

    run_whole_site(
        scheduler(
            project_id=config.project_id,
            llm=OfflineLLM(),
            work=root / "work",
            sites=root / "sites",
            emit=keep,
            config_path=path,
        )
    )
    return values


def site_fields(values: dict[str, Any]) -> list[CopyField]:
    """Every field of visitor copy, of every node in `values` that declares some."""
    return site_copy(graph().nodes, values)


def site_findings(config: ProjectConfig, values: dict[str, Any]) -> list[Finding]:
    """The content gate's findings on the whole site of one build."""
    return check_site(site_fields(values), Facts.from_config(config))

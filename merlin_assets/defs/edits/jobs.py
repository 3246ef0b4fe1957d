"""Applying a project's edits file: the pages rendered again from stored results, no model
called, and published as a new release.

The projects sensor launches `apply_site_edits` when an edits file appears or changes beside a
config; from the UI's launchpad:

    ops:
      apply_edits:
        config: {project: crumb-co-bakery, edits_path: /path/to/crumb-and-co-bakery.edits.yaml}

A job of its own rather than `generate_site` with a flag: it selects no phase asset, so it
cannot make one by mistake, and it carries no asset checks it would have to answer.
"""

from pathlib import Path

import dagster as dg
from pydantic import Field

from merlin_assets.config.errors import ConfigError
from merlin_assets.defs.metadata import to_metadata
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.defs.runner import run_nodes
from merlin_assets.edits.prepare import prepare
from merlin_assets.edits.state import STATE
from merlin_assets.hosts import failures
from merlin_assets.storage.local import MissingArtifactError

# What the fast path makes again: the site, with every page re-rendered from its stored copy.
SITE, PAGES = "site", "site_pages"
JOB = "apply_site_edits"


class EditsConfig(dg.Config):
    """Which project, and its edits file."""

    project: str = Field(description="The project id (its partition in `projects`).")
    edits_path: str = Field(description="The edits file, e.g. projects/bakery.edits.yaml.")


@dg.op(name="apply_edits", tags={"kind": "html"})
def apply_edits_op(
    context: dg.OpExecutionContext, config: EditsConfig, llm: LLMResource, paths: PathsResource
) -> str:
    """Check the edits file against the built site, keep it, render every page again from
    stored results with it applied, and publish that as a new release (a `site`
    materialization saying which)."""
    store = paths.store(context.instance)
    try:
        state = prepare(store, config.project, Path(config.edits_path))
    except (ConfigError, MissingArtifactError) as exc:
        raise dg.Failure(str(exc)) from None
    store.save(config.project, STATE, state)
    context.log.info(f"{state.source}: {len(state.changes)} edit(s) for '{config.project}'")
    value: dict = {}
    for event in run_nodes(
        context,  # type: ignore[arg-type]
        llm,
        paths,
        project_id=config.project,
        from_store=(SITE, (PAGES,)),
    ):
        if event.asset == SITE:
            value = event.value
    for failed in failures(value.get("deploys", [])):
        context.log.error(f"deploy failed: {failed}")
    release = value.get("release", {})
    context.log_event(
        dg.AssetMaterialization(
            asset_key=SITE,
            partition=config.project,
            description=f"edits file {state.source} applied",
            metadata=to_metadata(
                {
                    **release,
                    "edits_file": state.source,
                    "edits": [c.model_dump() for c in state.changes],
                    "deploys": value.get("deploys", []),
                }
            ),
        )
    )
    return str(release.get("release", ""))


@dg.job(
    name=JOB,
    description="Apply a project's edits file: pages rendered again from stored results "
    "(no model call) and published as a new release.",
    executor_def=dg.in_process_executor,
    tags={"merlin/job": "edits"},
)
def apply_site_edits():
    apply_edits_op()


@dg.definitions
def jobs() -> dg.Definitions:
    return dg.Definitions(jobs=[apply_site_edits])

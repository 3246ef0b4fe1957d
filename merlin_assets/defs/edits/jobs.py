"""Applying a project's edits file: the pages rendered again from stored results, no model
called, and published as a new release.

The projects sensor applies an edits file in its own tick when it can (`apply.apply_in_tick`)
and launches `apply_site_edits` when it cannot; from the UI's launchpad:

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
from merlin_assets.defs.edits.apply import SITE, apply_edits
from merlin_assets.defs.metadata import to_metadata
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.hosts import failures
from merlin_assets.storage.local import MissingArtifactError

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
    try:
        applied = apply_edits(
            context.instance,
            llm,
            paths,
            project_id=config.project,
            edits_path=Path(config.edits_path),
            run_id=context.run.run_id,
        )
    except (ConfigError, MissingArtifactError) as exc:
        raise dg.Failure(str(exc)) from None
    state = applied.state
    context.log.info(f"{state.source}: {len(state.changes)} edit(s) for '{config.project}'")
    for failed in failures(applied.site.get("deploys", [])):
        context.log.error(f"deploy failed: {failed}")
    context.log_event(
        dg.AssetMaterialization(
            asset_key=SITE,
            partition=config.project,
            description=f"edits file {state.source} applied",
            metadata=to_metadata(applied.metadata()),
        )
    )
    return applied.release


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

"""The project's phases, its site and its quality report: one multi-asset, one step per run.

Dagster's executors cost seconds per step here (see DESIGN.md), so the whole graph runs as one
asyncio step and records every phase, image and page as its own materialization the moment it
finishes. `can_subset` keeps each phase materializable alone from the UI.
"""

import os

import dagster as dg

from merlin_assets.defs.metadata import EventWriter
from merlin_assets.defs.partitions import projects
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.defs.runner import run_project
from merlin_assets.defs.specs import check_specs, project_specs
from merlin_assets.hosts import failures
from merlin_assets.phases import graph
from merlin_assets.timings.ingest import CONCURRENCY_TAG, PROVIDER_TAG


class GenerateConfig(dg.Config):
    """Where the project config comes from; without a path the last validated copy is used."""

    config_path: str | None = None


@dg.multi_asset(
    name="site_pipeline",
    specs=project_specs(graph()),
    check_specs=check_specs(graph()),
    partitions_def=projects,
    can_subset=True,
)
def site_pipeline(
    context: dg.AssetExecutionContext,
    config: GenerateConfig,
    llm: LLMResource,
    paths: PathsResource,
):
    """Every phase of one project, scheduled on its real data dependencies."""
    project_id = context.partition_key
    writer = EventWriter(context, project_id)
    # How the run was set up, whoever started it, for the timings store.
    context.instance.add_run_tags(
        context.run.run_id,
        {CONCURRENCY_TAG: str(llm.concurrency()), PROVIDER_TAG: llm.provider_name()}
        # Fleet workers name themselves (merlin fleet up): which one ran this run.
        | ({"merlin/worker": w} if (w := os.environ.get("MERLIN_WORKER_NAME")) else {}),
    )
    events = run_project(
        context.instance,
        context.run.run_id,
        llm,
        paths,
        project_id=project_id,
        selected={key.to_user_string() for key in context.selected_asset_keys},
        # A local file, or an s3:// snapshot the projects sensor wrote on a fleet.
        config_path=config.config_path or None,
    )
    for event in events:
        # A host the site could not be deployed to: the local site is live, the run says so.
        for failed in failures(event.value.get("deploys", [])) if event.asset == "site" else []:
            context.log.error(f"deploy failed: {failed}")
        yield from writer.results(event)


generate_site = dg.define_asset_job(
    "generate_site",
    selection=dg.AssetSelection.assets(site_pipeline),
    partitions_def=projects,
    description="Build one project's whole site: every phase, image, page and quality check.",
    # The job is one step: the multiprocess executor would only add a process per run (start-up
    # seconds and its memory) around it.
    executor_def=dg.in_process_executor,
)

"""The project's phases, its site and its quality report: one multi-asset, one step per run.

Dagster's executors cost seconds per step here (see DESIGN.md), so the whole graph runs as one
asyncio step and records every phase, image and page as its own materialization the moment it
finishes. `can_subset` keeps each phase materializable alone from the UI.
"""

from pathlib import Path

import dagster as dg

from merlin_assets import phases
from merlin_assets.defs.metadata import EventWriter
from merlin_assets.defs.partitions import from_project, projects
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.engine import CONFIG, IMAGES, PAGES, QUALITY, SITE, SiteBuilder, stream
from merlin_assets.quality import CHECKS
from merlin_assets.timings.ingest import CONCURRENCY_TAG, PROVIDER_TAG

PHASE_KINDS = {"python", "openai"}


def _spec(name: str, group: str, deps: list, description: str, kinds: set[str]) -> dg.AssetSpec:
    return dg.AssetSpec(
        name,
        deps=deps,
        group_name=group,
        description=description,
        kinds=kinds,
        tags={"merlin/phase": name},
    )


def _specs() -> list[dg.AssetSpec]:
    # Built in a function: module-level specs would be loaded as assets of their own.
    return [
        _spec(
            CONFIG,
            "project",
            [],
            "The validated project config: the business to build for.",
            {"python", "yaml"},
        ),
        *(
            _spec(p.name, p.group, [CONFIG, *p.deps], p.description, PHASE_KINDS)
            for p in phases.PHASES.values()
        ),
        _spec(
            SITE,
            "site",
            [
                "style_system",
                dg.AssetDep(PAGES, partition_mapping=from_project),
                dg.AssetDep(IMAGES, partition_mapping=from_project),
            ],
            "The published site: pages, images, CSS, JS, sitemap.xml and robots.txt.",
            {"html", "css"},
        ),
        _spec(
            QUALITY,
            "site",
            [SITE],
            "Scores and concrete findings about the published site.",
            {"python"},
        ),
    ]


def _check_specs() -> list[dg.AssetCheckSpec]:
    return [dg.AssetCheckSpec(n, asset=SITE, description=d) for n, d in CHECKS.items()]


class GenerateConfig(dg.Config):
    """Where the project config comes from; without a path the last validated copy is used."""

    config_path: str | None = None


@dg.multi_asset(
    name="site_pipeline",
    specs=_specs(),
    check_specs=_check_specs(),
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
    selected = {key.to_user_string() for key in context.selected_asset_keys}
    writer = EventWriter(context, project_id)
    # How the run was set up, whoever started it, for the timings store.
    context.instance.add_run_tags(
        context.run.run_id,
        {CONCURRENCY_TAG: str(llm.concurrency()), PROVIDER_TAG: llm.provider_name()},
    )

    async def work(emit):
        provider = llm.open()
        builder = SiteBuilder(
            project_id=project_id,
            llm=provider,
            store=paths.store(context.instance),
            sites_root=paths.sites_root(),
            max_concurrency=llm.concurrency(),
            emit=emit,
            config_path=Path(config.config_path) if config.config_path else None,
        )
        try:
            await builder.run(selected)
        finally:
            await provider.aclose()

    for event in stream(work):
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

"""`site_pages`: normally written by the project's pipeline step; here, redone one at a time."""

import dagster as dg

from merlin_assets.defs.partitions import from_project, images_of_project, project_pages
from merlin_assets.defs.regenerate import regenerate
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.engine import IMAGES, PAGES


@dg.asset(
    name=PAGES,
    partitions_def=project_pages,
    deps=[
        *(
            dg.AssetDep(name, partition_mapping=from_project)
            for name in ("page_plan", "layout", "copywriting", "seo_strategy", "style_system")
        ),
        dg.AssetDep(IMAGES, partition_mapping=images_of_project),
    ],
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="pages",
    kinds={"openai", "html", "jinja"},
)
def site_pages(context: dg.AssetExecutionContext, llm: LLMResource, paths: PathsResource) -> None:
    """One page of a project: its section copy, rendered to an HTML file."""
    regenerate(context, llm, paths, PAGES)

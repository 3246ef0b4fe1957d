"""`site_images`: normally written by the project's pipeline step; here, redone one at a time."""

import dagster as dg

from merlin_assets.defs.partitions import from_project, project_images
from merlin_assets.defs.regenerate import regenerate
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.engine import IMAGES


@dg.asset(
    name=IMAGES,
    partitions_def=project_images,
    deps=[
        dg.AssetDep("image_plan", partition_mapping=from_project),
        dg.AssetDep("style_system", partition_mapping=from_project),
    ],
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="media",
    kinds={"pillow", "openai", "webp"},
)
def site_images(context: dg.AssetExecutionContext, llm: LLMResource, paths: PathsResource) -> None:
    """One planned image of a project, saved as responsive WebP sizes and a JPEG fallback."""
    regenerate(context, llm, paths, IMAGES)

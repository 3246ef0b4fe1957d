"""Redoing single images or pages from the UI, from their project's stored phase results."""

from collections import defaultdict

import dagster as dg

from merlin_assets.defs.metadata import DIMENSION, to_metadata
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.engine import IMAGES, SiteBuilder, stream
from merlin_assets.summaries import metadata


def regenerate(
    context: dg.AssetExecutionContext, llm: LLMResource, paths: PathsResource, asset: str
) -> None:
    """Run the chosen partitions, grouped by project, and record each one's metadata."""
    dim, _ = DIMENSION[asset]
    wanted: dict[str, list[str]] = defaultdict(list)
    partitions = context.assets_def.partitions_def
    assert isinstance(partitions, dg.MultiPartitionsDefinition)
    for key in context.partition_keys:
        parts = partitions.get_partition_key_from_str(key).keys_by_dimension
        wanted[parts["project"]].append(parts[dim])

    for project_id, keys in wanted.items():

        async def work(emit, project_id=project_id, keys=keys):
            provider = llm.open()
            builder = SiteBuilder(
                project_id=project_id,
                llm=provider,
                store=paths.store(context.instance),
                sites_root=paths.sites_root(),
                max_concurrency=llm.concurrency(),
                emit=emit,
            )
            try:
                if asset == IMAGES:
                    await builder.run_images(keys)
                else:
                    await builder.run_pages(keys)
            finally:
                await provider.aclose()

        for event in stream(work):
            if event.asset != asset:
                continue
            context.add_asset_metadata(
                to_metadata(metadata(event)),
                partition_key=dg.MultiPartitionKey({dim: event.partition, "project": project_id}),
            )

"""Images and pages: one asset per partitioned node, project × place in the plan.

Normally each item is written by its project's pipeline step, which logs it as this asset's
partition; materializing a partition here redoes that one item from stored upstream results and
swaps it into the live site.
"""

from collections import defaultdict

import dagster as dg

from merlin_assets.defs.metadata import to_metadata
from merlin_assets.defs.partitions import item_key, item_named, items_of, slot_of
from merlin_assets.defs.releases.deploys import deploy_live
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.defs.runner import run_project
from merlin_assets.defs.specs import deps_of
from merlin_assets.phases import Graph, graph
from merlin_assets.phases.base import Node
from merlin_assets.releases.releases import Published
from merlin_assets.releases.summary import release_metadata
from merlin_assets.summaries import metadata


def _regenerate(
    context: dg.AssetExecutionContext, llm: LLMResource, paths: PathsResource, node: Node
) -> None:
    """Run the chosen partitions (places in a plan), grouped by project, and record each
    one's metadata."""
    part = node.partitioning
    assert part is not None
    wanted: dict[str, list[int]] = defaultdict(list)
    partitions = context.assets_def.partitions_def
    assert isinstance(partitions, dg.MultiPartitionsDefinition)
    for key in context.partition_keys:
        dims = partitions.get_partition_key_from_str(key).keys_by_dimension
        wanted[dims["project"]].append(slot_of(dims[part.dimension]))
    for project_id, slots in wanted.items():
        events = run_project(
            context.instance,
            context.run.run_id,
            llm,
            paths,
            project_id=project_id,
            items=(node.name, slots),
        )
        for event in events:
            if event.asset != node.name or event.slot is None:
                continue
            context.add_asset_metadata(
                to_metadata({**item_named(node, event.partition), **metadata(event)}),
                partition_key=item_key(node, project_id, event.slot),
            )
        log_release(context, paths, project_id)


def log_release(context: dg.AssetExecutionContext, paths: PathsResource, project_id: str) -> None:
    """The redone items went live as a new release, pushed to the project's hosts: a
    materialization of `site` says which release, and each deploy."""
    store = paths.publisher().release_store
    live = store.live(project_id) if store is not None else None
    if store is None or live is None:
        return
    published = Published(store.manifest(project_id, live))
    deploys = deploy_live(context, paths, project_id)
    context.log_event(
        dg.AssetMaterialization(
            asset_key="site",
            partition=project_id,
            metadata=to_metadata(
                {**release_metadata(published), "deploys": [d.as_dict() for d in deploys]}
            ),
        )
    )


def item_asset(g: Graph, node: Node) -> dg.AssetsDefinition:
    @dg.asset(
        name=node.name,
        partitions_def=items_of(node),
        deps=deps_of(g, node),
        backfill_policy=dg.BackfillPolicy.single_run(),
        group_name=node.group,
        kinds=set(node.kinds),
        description=node.description,
    )
    def _asset(context: dg.AssetExecutionContext, llm: LLMResource, paths: PathsResource) -> None:
        _regenerate(context, llm, paths, node)

    return _asset


@dg.definitions
def items() -> dg.Definitions:
    g = graph()
    return dg.Definitions(assets=[item_asset(g, g.nodes[n]) for n in g.partitioned_nodes])

"""Projects, and the items (images, pages) inside each, as dynamic partitions.

An item partition is keyed by project and by the item's place in its plan (`01`, `02`, ...),
not by the item's own name (`hero`, `about`): plans name their items freely, so names differ
between projects, and Dagster computes an asset's partition statuses over every project x key
pair. With names as keys, 10,000 projects made that 10^9 pairs and the UI waited 29-44 s for
`site_images`' statuses; places stay as few as the longest plan (`python -m
merlin_assets.bench.partition_scale`, README "Scaling out"). Each partition's metadata names
its item (`image: hero`), and the built-in multi-dimension mapping keeps its lineage to its
own project's plans, which a one-dimension `<project>/<item>` key could not (a custom
`PartitionMapping` is dropped from what the UI and daemon see).
"""

from __future__ import annotations

from functools import cache

import dagster as dg

from merlin_assets.phases.base import Node

projects = dg.DynamicPartitionsDefinition(name="projects")

# An item partition reads the project-level results of its own project.
from_project = dg.MultiToSingleDimensionPartitionMapping(partition_dimension_name="project")
# An item reads the items of another node in its own project, whatever their key.
items_of_project = dg.MultiPartitionMapping(
    {"project": dg.DimensionPartitionMapping("project", dg.IdentityPartitionMapping())}
)


@cache
def slots(name: str) -> dg.DynamicPartitionsDefinition:
    """The dynamic partitions that hold one kind of item's places (e.g. `image_slots`)."""
    return dg.DynamicPartitionsDefinition(name=name)


def items_of(node: Node) -> dg.MultiPartitionsDefinition:
    """Project × place partitions for a node made once per item of a plan."""
    part = node.partitioning
    assert part is not None
    return dg.MultiPartitionsDefinition({"project": projects, part.dimension: slots(part.slots)})


def slot_key(slot: int) -> str:
    """The partition key of an item's place in its plan, from 1: `01`, `02`, ..."""
    return f"{slot:02d}"


def slot_keys(count: int) -> list[str]:
    return [slot_key(n) for n in range(1, count + 1)]


def slot_of(key: str) -> int:
    """The place a partition key names; a clear error for anything else (an old name key)."""
    if not key.isdigit() or int(key) < 1:
        raise ValueError(f"'{key}' is not an item place (01, 02, ...)")
    return int(key)


def item_key(node: Node, project_id: str, slot: int) -> dg.MultiPartitionKey:
    part = node.partitioning
    assert part is not None
    return dg.MultiPartitionKey({part.dimension: slot_key(slot), "project": project_id})


def item_named(node: Node, key: str) -> dict[str, str]:
    """The metadata that says which item a place partition holds (`image: hero`)."""
    part = node.partitioning
    assert part is not None
    return {part.dimension: key}

"""Projects, and the items (images, pages) inside each, as dynamic partitions."""

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
    """The dynamic partitions that hold one kind of item's keys (e.g. `image_slots`)."""
    return dg.DynamicPartitionsDefinition(name=name)


def items_of(node: Node) -> dg.MultiPartitionsDefinition:
    """Project × item partitions for a node made once per item of a plan."""
    part = node.partitioning
    assert part is not None
    return dg.MultiPartitionsDefinition({"project": projects, part.dimension: slots(part.slots)})


def item_key(node: Node, project_id: str, key: str) -> dg.MultiPartitionKey:
    part = node.partitioning
    assert part is not None
    return dg.MultiPartitionKey({part.dimension: key, "project": project_id})

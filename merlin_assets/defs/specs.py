"""Every AssetSpec, dependency and check, generated from the graph's declarations."""

from __future__ import annotations

import dagster as dg

from merlin_assets.defs.partitions import from_project, items_of_project
from merlin_assets.phases import Graph
from merlin_assets.phases.base import Node


def deps_of(graph: Graph, node: Node) -> list[dg.AssetDep | str]:
    """A node's upstream assets, each with the partition mapping its partitioning needs."""
    deps: list[dg.AssetDep | str] = []
    for name in node.upstream:
        upstream = graph.nodes[name]
        if node.partitioning is None and upstream.partitioning is None:
            deps.append(name)
        elif upstream.partitioning is None or node.partitioning is None:
            deps.append(dg.AssetDep(name, partition_mapping=from_project))
        else:
            deps.append(dg.AssetDep(name, partition_mapping=items_of_project))
    return deps


def project_specs(graph: Graph) -> list[dg.AssetSpec]:
    """The project-level nodes: one step per project makes them all."""
    return [
        dg.AssetSpec(
            name,
            deps=deps_of(graph, node),
            group_name=node.group,
            description=node.description,
            kinds=set(node.kinds),
            # Shown in the UI: whether a failure of this node costs the site or only its part.
            tags={"merlin/phase": name, "merlin/role": node.role},
        )
        for name, node in graph.nodes.items()
        if node.partitioning is None
    ]


def complete_description(node: Node) -> str:
    return (
        f"{node.name} was made in full; fails with its error when it raised and the site was "
        f"published with {node.degrades_to}"
    )


def check_specs(graph: Graph) -> list[dg.AssetCheckSpec]:
    declared = [
        dg.AssetCheckSpec(check, asset=node.checks_on, description=description)
        for node in graph.nodes.values()
        if node.checks_on
        for check, description in node.checks.items()
    ]
    complete = [
        dg.AssetCheckSpec(node.complete_check, asset=name, description=complete_description(node))
        for name, node in graph.nodes.items()
        if node.complete_check
    ]
    return declared + complete

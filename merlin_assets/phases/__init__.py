"""The site graph, discovered from this package: every module declares its node as `NODE`.

A module may also declare `CALLS`, phases that are asked inside another node (a page's copy,
inside each page) rather than being assets of their own. Nothing here names a node: adding a
phase is adding a module.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache

from merlin_assets.phases.base import Need, Node, Phase
from merlin_assets.types.pages import SitePage


@dataclass(frozen=True)
class Graph:
    """Every node by name, sources first, and every kind of structured call by name."""

    nodes: dict[str, Node]
    phases: dict[str, Phase]
    depths: dict[str, int]

    @property
    def project_nodes(self) -> tuple[str, ...]:
        """Nodes made once per project, in dependency order."""
        return tuple(n for n, node in self.nodes.items() if node.partitioning is None)

    @property
    def partitioned_nodes(self) -> tuple[str, ...]:
        return tuple(n for n, node in self.nodes.items() if node.partitioning is not None)

    @property
    def llm_phases(self) -> tuple[str, ...]:
        """Project-level nodes made by one structured call each."""
        return tuple(n for n in self.project_nodes if n in self.phases)

    @property
    def counted_phases(self) -> tuple[str, ...]:
        """What `merlin generate` counts as its phases."""
        return tuple(n for n in self.project_nodes if self.nodes[n].counts_as_phase)

    @property
    def declared_pages(self) -> tuple[SitePage, ...]:
        """The pages nodes publish beside the planned ones, in graph order."""
        return tuple(page for node in self.nodes.values() for page in node.pages)

    @property
    def last(self) -> str:
        """The project-level node that finishes a run."""
        return self.project_nodes[-1]

    def depth(self, name: str) -> int:
        """Rounds of dependent work before the node starts (a source is round 0)."""
        return self.depths[name]

    def group(self, name: str) -> str | None:
        node = self.nodes.get(name)
        return node.group if node else None

    def planned_by(self, name: str) -> list[Node]:
        """Partitioned nodes whose items the node `name` lists."""
        return [n for n in self.nodes.values() if n.partitioning and n.partitioning.plan == name]


def _depths(nodes: dict[str, Node]) -> dict[str, int]:
    # A node that waits on more inputs mid-way (a page renders after its copy call) does two
    # rounds of work.
    depths: dict[str, int] = {}
    for name, node in nodes.items():
        before = max((depths[n.name] for n in node.needs), default=-1)
        depths[name] = before + 1 + (1 if node.waits else 0)
    return depths


def _declared() -> tuple[list[Node], list[Phase]]:
    nodes: list[Node] = []
    calls: list[Phase] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        node = getattr(module, "NODE", None)
        if node is not None:
            nodes.append(node)
        calls.extend(getattr(module, "CALLS", ()))
    return nodes, calls


def _all_of(node: Node) -> Need:
    return Need(node.name, scope="all" if node.partitioning else "project")


def _with_collected(nodes: list[Node]) -> list[Node]:
    # The node that publishes the site needs every node that ships files into it (pages,
    # icons, a social card), and the content review every node that declares visitor copy, so
    # a new node is published and reviewed without touching either.
    shippers = [_all_of(n) for n in nodes if n.ships_files]
    writers = [_all_of(n) for n in nodes if n.copy_fields is not None]
    out = []
    for node in nodes:
        for collects, found in ((node.collects_files, shippers), (node.collects_copy, writers)):
            if collects:
                extra = tuple(n for n in found if n.name not in node.upstream)
                node = dataclasses.replace(node, needs=(*node.needs, *extra))
        out.append(node)
    return out


def _ordered(nodes: list[Node]) -> dict[str, Node]:
    """Dependency order in rounds, by name within a round, never by how files are listed."""
    by_name = {n.name: n for n in nodes}
    if len(by_name) != len(nodes):
        raise ValueError("two modules declare a node of the same name")
    for node in nodes:
        unknown = [u for u in node.upstream if u not in by_name]
        if unknown:
            raise ValueError(f"'{node.name}' needs unknown nodes {unknown}")
    done: dict[str, Node] = {}
    while len(done) < len(by_name):
        ready = sorted(
            n for n, node in by_name.items() if n not in done and set(node.upstream) <= set(done)
        )
        if not ready:
            raise ValueError(f"the graph has a cycle among {sorted(set(by_name) - set(done))}")
        done.update((n, by_name[n]) for n in ready)
    return done


@cache
def graph() -> Graph:
    """The graph declared by the modules of this package."""
    nodes, calls = _declared()
    ordered = _ordered(_with_collected(nodes))
    phases = {n: node for n, node in ordered.items() if isinstance(node, Phase)}
    for call in calls:
        phases[call.name] = call
    return Graph(nodes=ordered, phases=phases, depths=_depths(ordered))

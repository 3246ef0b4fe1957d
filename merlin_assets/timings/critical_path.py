"""The critical path: the longest chain of measured durations through the asset graph.

The edges are the graph's own declarations (`merlin_assets.phases`): each item depends on the
nodes its node needs, on all items of a partitioned node it needs whole, and on its own items of
one it needs in part (a page's images: those of its sections plus the hero, from the plans'
metadata). A node that waits on more inputs mid-way (a page renders after its copy call) is
split in two: its lead part weighs the time from its start to the end of its call (a wait for
a free call slot included) and depends on its needs; the rest weighs the remainder of its
duration (`blocked_s`, the wait, is already left out of `duration_s`) and depends on the lead
part and on what it waits for. Counting the whole page after its images would overstate the
path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from merlin_assets.phases import graph as declared
from merlin_assets.phases.base import Need


@dataclass
class PlanLinks:
    """Which images each page shows, from the plans' metadata (absent: every image)."""

    image_sections: dict[str, str] = field(default_factory=dict)
    page_sections: dict[str, list[str]] = field(default_factory=dict)
    hero: str | None = None

    def images_of(self, slug: str, images: list[str]) -> list[str]:
        sections = self.page_sections.get(slug)
        if sections is None or not self.image_sections:
            return images
        wanted = {k for k, s in self.image_sections.items() if s in sections}
        if self.hero:
            wanted.add(self.hero)
        return [i for i in images if i in wanted]


def _copy(item: str) -> str:
    return f"{item}:copy"


def graph(
    items: Iterable[Mapping[str, Any]], links: PlanLinks | None = None
) -> dict[str, tuple[float, list[str]]]:
    """Node -> (weight in seconds, upstream nodes), for the items that were measured."""
    links = links or PlanLinks()
    nodes_of = declared().nodes
    rows = [r for r in items if r["asset"] in nodes_of]
    present = {r["item"] for r in rows}
    by_asset: dict[str, list[Mapping[str, Any]]] = {}
    for r in rows:
        by_asset.setdefault(r["asset"], []).append(r)

    def upstream(need: Need, partition: str | None) -> list[str]:
        found = by_asset.get(need.name, [])
        if need.scope == "project":
            return [need.name] if need.name in present else []
        if need.scope == "all":
            return [r["item"] for r in found]
        mine = links.images_of(partition or "", [r["partition"] for r in found])
        return [f"{need.name}[{k}]" for k in mine if f"{need.name}[{k}]" in present]

    def deps(needs: Iterable[Need], partition: str | None) -> list[str]:
        return [d for n in needs for d in upstream(n, partition)]

    out: dict[str, tuple[float, list[str]]] = {}
    for r in rows:
        node = nodes_of[r["asset"]]
        name, weight, part = r["item"], float(r["duration_s"] or 0.0), r.get("partition")
        if not node.waits:
            out[name] = (weight, deps(node.needs, part))
            continue
        lead = r.get("lead_s")
        lead_s = min(float(lead if lead is not None else r.get("llm_s") or 0.0), weight)
        out[_copy(name)] = (lead_s, deps(node.needs, part))
        out[name] = (weight - lead_s, [_copy(name), *deps(node.waits, part)])
    return out


def critical_path(
    items: Iterable[Mapping[str, Any]], links: PlanLinks | None = None
) -> tuple[float, list[str]]:
    """Length of the longest dependency chain, and its items from first to last."""
    nodes = graph(items, links)
    if not nodes:
        return 0.0, []

    @cache
    def finish(name: str) -> tuple[float, tuple[str, ...]]:
        weight, deps = nodes[name]
        best: tuple[float, tuple[str, ...]] = (-1.0, ())
        for dep in deps:
            candidate = finish(dep)
            if candidate[0] > best[0]:
                best = candidate
        best = (max(best[0], 0.0), best[1])
        return best[0] + weight, (*best[1], name)

    total, chain = max((finish(n) for n in nodes), key=lambda t: t[0])
    path: list[str] = []
    for node in chain:
        item = node.removesuffix(":copy")
        if not path or path[-1] != item:
            path.append(item)
    return total, path

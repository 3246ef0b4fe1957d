"""The critical path: the longest chain of measured durations through the asset graph.

The edges are the real data dependencies (`merlin_assets.phases`): a phase needs the config and
its upstream phases; an image needs the image plan and the style; a page's copy call needs its
page-copy inputs, and its rendering needs that copy, the SEO strategy, the style and the images
of its sections (plus the hero, its Open Graph image); the site needs every page and image; the
quality report needs the site. A page is split in two nodes because its copy call runs while
its images are still being made: counting the whole page after its images would overstate the
path. The page's copy node weighs the time from its start to the end of its copy call (a wait
for a free call slot included), its render node the rest of its duration (`blocked_s`, the
wait for images, is already left out of `duration_s`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from merlin_assets import phases
from merlin_assets.engine import CONFIG, IMAGES, PAGES, QUALITY, SITE


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
    rows = list(items)
    present = {r["item"] for r in rows}
    image_keys = [r["partition"] for r in rows if r["asset"] == IMAGES]
    page_items = [r["item"] for r in rows if r["asset"] == PAGES]
    image_items = [r["item"] for r in rows if r["asset"] == IMAGES]

    def known(names: Iterable[str]) -> list[str]:
        return [n for n in names if n in present]

    nodes: dict[str, tuple[float, list[str]]] = {}
    for r in rows:
        asset, name, weight = r["asset"], r["item"], float(r["duration_s"] or 0.0)
        if asset == CONFIG:
            nodes[name] = (weight, [])
        elif asset in phases.PHASES:
            nodes[name] = (weight, known([CONFIG, *phases.PHASES[asset].deps]))
        elif asset == IMAGES:
            nodes[name] = (weight, known([CONFIG, "image_plan", "style_system"]))
        elif asset == PAGES:
            lead = r.get("lead_s")
            copy_s = min(float(lead if lead is not None else r.get("llm_s") or 0.0), weight)
            nodes[_copy(name)] = (copy_s, known([CONFIG, *phases.PAGE_COPY.deps]))
            mine = links.images_of(r["partition"], image_keys)
            nodes[name] = (
                weight - copy_s,
                [
                    _copy(name),
                    *known(["seo_strategy", "style_system", "image_plan"]),
                    *known(f"{IMAGES}[{k}]" for k in mine),
                ],
            )
        elif asset == SITE:
            nodes[name] = (weight, known(["style_system", *page_items, *image_items]))
        elif asset == QUALITY:
            nodes[name] = (weight, known([SITE]))
    return nodes


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

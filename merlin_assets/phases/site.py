"""The site: every page and image, shared CSS and JS, sitemap.xml and robots.txt, published in
one step so a visitor never sees half of it.

The node names none of the nodes that add to it: every node that ships files is one of its
needs (see `phases.graph`), and from each it takes `site_files`, `site_css` (put first in
assets/site.css, e.g. @font-face rules), `css_stacks` (the stylesheet's font stacks) and
`sitemap_slugs` (its pages in sitemap.xml)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from merlin_assets.hosts import deploy_published
from merlin_assets.phases.base import Need, Node
from merlin_assets.releases.manifest import ReleaseInfo
from merlin_assets.releases.summary import release_metadata

if TYPE_CHECKING:
    from merlin_assets.engine.scheduler import ItemEvent, Scheduler

PAGES, IMAGES = "site_pages", "site_images"


def preview(v: dict[str, Any]) -> dict[str, Any]:
    shown = {
        "path": str(v["path"]),
        "pages": len(v["pages"]),
        "images": len(v["images"]),
        "bytes": v["bytes"],
        **v.get("release", {}),
    }
    if v.get("deploys"):
        from merlin_assets.hosts import deploy_summary

        shown.update(deploy_summary(v["deploys"]))
    return shown


def _size(source: Path | bytes | str) -> int:
    if isinstance(source, Path):
        return source.stat().st_size
    return len(source.encode() if isinstance(source, str) else source)


def _refuse_clashes(shipped_by: dict[str, str], node: str, given: Any) -> None:
    """Two nodes never publish the same file (a declared page whose slug the plan also took)."""
    for path in given:
        if shipped_by.setdefault(path, node) != node:
            raise ValueError(f"'{node}' and '{shipped_by[path]}' both publish {path!r}")


class SiteNode(Node):
    async def build(self, run: Scheduler, item: Any = None) -> ItemEvent:
        from merlin_assets.render.site import SITE_JS, render_css, render_robots, render_sitemap

        values = await run.gather(self.needs)
        config, style = values["project_config"], values["style_system"]
        pages = [saved for saved, _ in values[PAGES].values()]
        files: dict[str, Path | bytes | str] = {}
        css: list[str] = []
        stacks: dict[str, str] = {}
        slugs: list[str] = []
        shipped_by: dict[str, str] = {}
        for need in self.needs:
            node, value = run.graph.nodes[need.name], values[need.name]
            for one in value.values() if need.scope == "all" else [value]:
                given = node.site_files(run, one)
                _refuse_clashes(shipped_by, node.name, given)
                files.update(given)
                css.append(node.site_css(run, one))
                stacks.update(node.css_stacks(one) or {})
                slugs += node.sitemap_slugs(one)
        # What the nodes give comes first; relative urls in it are relative to assets/.
        files["assets/site.css"] = "".join(css) + render_css(style, stacks=stacks or None)
        files["assets/site.js"] = SITE_JS
        files["sitemap.xml"] = render_sitemap(config.site_url, slugs)
        files["robots.txt"] = render_robots(config.site_url)
        info = ReleaseInfo(run_id=run.run_id, config_digest=config.content_hash())
        if run.from_store:
            info = info.model_copy(update={"kind": "edits", "note": "edits file applied"})
        clock = run.clock(run.cpu)
        async with clock.slot():
            published = await asyncio.to_thread(
                run.publisher.publish_release, run.project_id, files, info
            )
            total = sum(_size(s) for s in files.values())
        # Then every host the config names, once the local site is live: a host that fails
        # leaves it live and is named in the value (network time, counted as the item's own).
        deploys = await asyncio.to_thread(deploy_published, config, run.publisher, run.project_id)
        value = {
            "path": run.publisher.location(run.project_id),
            "pages": pages,
            "images": values[IMAGES],
            "bytes": total,
            "release": release_metadata(published) if published else {},
            "deploys": [d.as_dict() for d in deploys],
        }
        return clock.event(self.name, None, value)

    def load(self, run: Scheduler, key: str | None = None) -> dict[str, Any]:
        """The live site as published by an earlier run (its quality can be reassessed)."""
        return {"path": run.publisher.location(run.project_id), "pages": [], "images": {}}


NODE = SiteNode(
    name="site",
    group="site",
    description="The published site: pages, images, CSS, JS, sitemap.xml and robots.txt.",
    kinds=frozenset({"html", "css"}),
    needs=(
        Need("project_config"),
        Need("style_system"),
        Need(PAGES, scope="all"),
        Need(IMAGES, scope="all"),
    ),
    preview=preview,
    counts_as_phase=False,
    collects_files=True,
)

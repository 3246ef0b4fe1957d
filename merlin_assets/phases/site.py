"""The site: every page and image, shared CSS and JS, its self-hosted fonts (subset to the
pages' text), sitemap.xml and robots.txt, published in one step so a visitor never sees half
of it."""

from __future__ import annotations

import asyncio
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from merlin_assets.phases.base import Need, Node

if TYPE_CHECKING:
    from merlin_assets.engine.scheduler import ItemEvent, Scheduler

PAGES, IMAGES = "site_pages", "site_images"


def preview(v: dict[str, Any]) -> dict[str, Any]:
    return {
        "path": str(v["path"]),
        "pages": len(v["pages"]),
        "images": len(v["images"]),
        "bytes": v["bytes"],
    }


def _size(source: Path | bytes | str) -> int:
    if isinstance(source, Path):
        return source.stat().st_size
    return len(source.encode() if isinstance(source, str) else source)


class _VisibleText(HTMLParser):
    """The text a visitor can see on a page: everything outside head, script and style."""

    _HIDDEN = frozenset({"head", "script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
            return
        for name, value in attrs:
            # Placeholders and input values show in the page's fonts too.
            if name in ("placeholder", "value") and value and not self._hidden:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(pages: list[Path | bytes | str]) -> str:
    """The visible text of the site's HTML pages, for the font subset."""
    out: list[str] = []
    for page in pages:
        html = page.read_text(encoding="utf-8") if isinstance(page, Path) else page
        parser = _VisibleText()
        parser.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
        parser.close()
        out.extend(parser.parts)
    return " ".join(out)


def _fonts_and_css(style: Any, pages: list[Path | bytes | str]) -> tuple[dict[str, bytes], str]:
    """Self-hosted subset fonts for the pages' text, and the stylesheet that loads them."""
    from merlin_assets.render.fonts import build_fonts
    from merlin_assets.render.site import render_css

    bundle = build_fonts(style.fonts.heading, style.fonts.body, visible_text(pages))
    css = render_css(style, stacks=bundle.stacks)
    # @font-face first; its url("../fonts/...") is relative to assets/site.css.
    return dict(bundle.files), bundle.css + css


class SiteNode(Node):
    async def build(self, run: Scheduler, item: Any = None) -> ItemEvent:
        from merlin_assets.render.site import SITE_JS, render_robots, render_sitemap

        values = await run.gather(self.needs)
        config, style = values["project_config"], values["style_system"]
        pages = [saved for saved, _ in values[PAGES].values()]
        files: dict[str, Path | bytes | str] = {}
        for need in self.needs:
            node, value = run.graph.nodes[need.name], values[need.name]
            for one in value.values() if need.scope == "all" else [value]:
                files.update(node.site_files(run, one))
        files["assets/site.js"] = SITE_JS
        files["sitemap.xml"] = render_sitemap(config.site_url, [p.slug for p in pages])
        files["robots.txt"] = render_robots(config.site_url)
        html = [files[p.path] for p in pages if p.path in files]
        clock = run.clock(run.cpu)
        async with clock.slot():
            # Subsetting the fonts is CPU work: in a thread, under the CPU slot.
            fonts, css = await asyncio.to_thread(_fonts_and_css, style, html)
            files.update(fonts)
            files["assets/site.css"] = css
            live = await asyncio.to_thread(run.publisher.publish, run.project_id, files)
            total = sum(_size(s) for s in files.values())
        value = {"path": live, "pages": pages, "images": values[IMAGES], "bytes": total}
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

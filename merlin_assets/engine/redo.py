"""One page's copy (or one section of it) made again with the owner's note, everything
upstream loaded from stored results, and published as a release of the live site.

Shared by the `regenerate_page` job and `merlin regenerate`, which runs it before importing
Dagster so that the page is live as soon as the model has answered (see `cli/regenerate.py`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from merlin_assets.engine.calls import Calls
from merlin_assets.engine.scheduler import ItemEvent, Scheduler, stream, warming
from merlin_assets.llm.base import LLM
from merlin_assets.phases import graph
from merlin_assets.phases.site_pages.redo import Redo
from merlin_assets.releases.manifest import ReleaseInfo
from merlin_assets.releases.releases import Published
from merlin_assets.storage.local import ArtifactStore
from merlin_assets.storage.publishing import Publisher

PAGES = "site_pages"


class NoLiveSite(RuntimeError):
    """The project's live site went away (or never was) while the page was made."""


def release_note(redo: Redo) -> str:
    """The release's note: what was redone, and what the owner asked."""
    what = redo.page if redo.section is None else f"{redo.page} section {redo.section}"
    return f"{what} regenerated" + (f": {redo.note}" if redo.note else "")


@dataclass
class Redone:
    """The page's events (its calls, the gate's word) and the release now live."""

    events: list[ItemEvent]
    published: Published

    @property
    def page(self) -> ItemEvent:
        return next(e for e in self.events if e.asset == PAGES)


def redo_release(
    llm: LLM,
    store: ArtifactStore,
    publisher: Publisher,
    *,
    project_id: str,
    redo: Redo,
    info: ReleaseInfo,
    run_id: str,
    max_concurrency: int,
) -> Redone:
    """Make the page as asked and publish it into the live release's files; the release
    records the page's cost."""
    releases = publisher.release_store
    if releases is None:
        raise NoLiveSite(f"'{project_id}' has no release store to publish the page into")
    done: dict[str, Published | None] = {}

    async def work(emit):
        made: list[ItemEvent] = []

        def keep(event: ItemEvent) -> None:
            made.append(event)
            emit(event)

        # The gate's word lists load while the call is out, as a run's do (`Scheduler.run`).
        async with (
            Scheduler(
                graph=graph(),
                project_id=project_id,
                calls=Calls(llm),
                store=store,
                publisher=publisher,
                max_concurrency=max_concurrency,
                emit=keep,
                run_id=run_id,
            ) as run,
            warming(),
        ):
            run.requests[f"{PAGES}[{redo.page}]"] = redo
            run.making.add(PAGES)
            value = (await run.need_items(PAGES, [redo.page]))[redo.page]
            files = dict(run.graph.nodes[PAGES].site_files(run, value))
            cost = sum(c.cost_usd for e in made if e.asset == PAGES for c in e.calls)
            costed = info.model_copy(update={"cost_usd": round(cost, 6)})
            done["published"] = await asyncio.to_thread(
                releases.publish_items, project_id, files, costed
            )

    events = list(stream(work))
    published = done["published"]
    if published is None:
        raise NoLiveSite(f"'{project_id}' has no live site to publish the page into")
    return Redone(events, published)

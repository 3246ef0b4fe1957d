"""One page's copy, or one section of it, redone with the owner's note: from the UI, or from
`merlin regenerate` (which runs this job in process).

Launch `regenerate_page` from the UI's launchpad with the project, the page's slug and,
optionally, the section (from 1) and a note:

    ops:
      regenerate:
        config: {project: crumb-co-bakery, page: about, section: 2,
                 note: "warmer, mention the harbour"}

Everything but that page comes from stored results: the other pages, the images and the CSS
are the live release's bytes. The page goes live as a new release (kind `items`) whose note
says what was asked, and is pushed to the project's hosts.
"""

import asyncio
import contextlib
import time

import dagster as dg
from pydantic import Field

from merlin_assets.content_gate.warm import warm
from merlin_assets.defs.metadata import to_metadata
from merlin_assets.defs.partitions import item_key, item_named
from merlin_assets.defs.releases.deploys import deploy_live
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.edits.state import stored_edits
from merlin_assets.engine import Calls, ItemEvent, Scheduler, stream
from merlin_assets.phases import graph
from merlin_assets.phases.site_pages.redo import Redo, RedoError, choose
from merlin_assets.releases.manifest import ReleaseInfo
from merlin_assets.releases.releases import Published
from merlin_assets.releases.summary import release_metadata
from merlin_assets.storage.local import MissingArtifactError
from merlin_assets.summaries import metadata
from merlin_assets.types.pages import PagePlan

PAGES = "site_pages"


class RegenerateConfig(dg.Config):
    """Which page of which project, which of its sections, and what to change."""

    project: str = Field(description="The project id (its partition in `projects`).")
    page: str = Field(description="The page's slug (`home`, `about`, ...).")
    section: int | None = Field(
        default=None, description="The section to redo, from 1; unset: the whole page's copy"
    )
    note: str | None = Field(
        default=None, description="What to change, told to the model with the copy asked for"
    )


def release_note(redo: Redo) -> str:
    """The release's note: what was redone, and what the owner asked."""
    what = redo.page if redo.section is None else f"{redo.page} section {redo.section}"
    return f"{what} regenerated" + (f": {redo.note}" if redo.note else "")


def redo_page(
    context: dg.OpExecutionContext,
    llm: LLMResource,
    paths: PathsResource,
    *,
    project_id: str,
    redo: Redo,
    info: ReleaseInfo,
) -> tuple[list[ItemEvent], Published]:
    """Make the page as asked, everything upstream loaded from stored results, and publish it
    into the live release's files; the page's events and the release."""
    publisher = paths.publisher()
    releases = publisher.release_store
    assert releases is not None
    done: dict[str, Published | None] = {}

    async def work(emit):
        calls = Calls(llm.open(scope=context.run.run_id))
        run = Scheduler(
            graph=graph(),
            project_id=project_id,
            calls=calls,
            store=paths.store(context.instance),
            publisher=publisher,
            max_concurrency=llm.concurrency(),
            emit=emit,
            run_id=context.run.run_id,
        )
        run.requests[f"{PAGES}[{redo.page}]"] = redo
        run.making.add(PAGES)
        # The gate's word lists load while the call is out, as a run's do (`Scheduler.run`):
        # loaded inside the review they came after it, 2 s of CPU on the shared machine.
        warming = asyncio.ensure_future(asyncio.to_thread(warm))
        try:
            value = (await run.need_items(PAGES, [redo.page]))[redo.page]
            files = dict(run.graph.nodes[PAGES].site_files(run, value))
            done["published"] = await asyncio.to_thread(
                releases.publish_items, project_id, files, info
            )
        finally:
            await calls.aclose()
            # A list that failed to load ahead loads again in the check that reads it.
            with contextlib.suppress(Exception):
                await warming

    events = list(stream(work))
    published = done["published"]
    if published is None:  # the live site went away while the page was made
        raise dg.Failure(f"'{project_id}' has no live site to publish the page into")
    return events, published


@dg.op(name="regenerate", tags={"kind": "openai"})
def regenerate_op(
    context: dg.OpExecutionContext,
    config: RegenerateConfig,
    llm: LLMResource,
    paths: PathsResource,
) -> str:
    """Redo one page's copy (or one section of it) in one call carrying the note, publish the
    page as a new release with every other file as it was, and push it to the hosts.

    Records a `site_pages` materialization of the page's partition (its calls, the gate's
    word) and a `site` materialization naming the release and the note."""
    redo = Redo(config.page, config.section, config.note or None)
    releases = paths.publisher().release_store
    try:
        store = paths.store(context.instance)
        plan = store.load(config.project, "page_plan", PagePlan)
        choose(plan, redo, config.project, stored_edits(store, config.project))
    except (MissingArtifactError, RedoError) as exc:
        raise dg.Failure(str(exc)) from None
    if releases is None or releases.live(config.project) is None:
        raise dg.Failure(f"'{config.project}' has no live site to redo a page of")
    started = time.perf_counter()
    info = ReleaseInfo(run_id=context.run.run_id, note=release_note(redo))
    events, published = redo_page(
        context, llm, paths, project_id=config.project, redo=redo, info=info
    )
    live_s = round(time.perf_counter() - started, 4)
    node = graph().nodes[PAGES]
    slot = [p.slug for p in plan.pages].index(redo.page) + 1
    for event in events:
        if event.asset == PAGES and event.partition == redo.page:
            context.log_event(
                dg.AssetMaterialization(
                    asset_key=PAGES,
                    partition=item_key(node, config.project, slot),
                    description=info.note,
                    metadata=to_metadata(
                        {**item_named(node, redo.page), **metadata(event), "note": redo.note or ""}
                    ),
                )
            )
    deploys = deploy_live(context, paths, config.project)
    context.log_event(
        dg.AssetMaterialization(
            asset_key="site",
            partition=config.project,
            description=info.note,
            metadata=to_metadata(
                {
                    **release_metadata(published),
                    "redo_page": redo.page,
                    "redo_section": redo.section or 0,
                    "live_s": live_s,
                    "deploys": [d.as_dict() for d in deploys],
                }
            ),
        )
    )
    return published.release


@dg.job(
    name="regenerate_page",
    description="Redo one page's copy, or one section of it, with a note; publish it as a new "
    "release and push it to the hosts.",
    executor_def=dg.in_process_executor,
    tags={"merlin/job": "regenerate"},
)
def regenerate_page():
    regenerate_op()


@dg.definitions
def jobs() -> dg.Definitions:
    return dg.Definitions(jobs=[regenerate_page])

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
import time

import dagster as dg
from pydantic import Field

from merlin_assets.defs.metadata import to_metadata
from merlin_assets.defs.partitions import item_key, item_named
from merlin_assets.defs.releases.deploys import deploy_live
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.engine import Calls, Scheduler, stream
from merlin_assets.phases import graph
from merlin_assets.phases.site_pages.redo import Redo, RedoError, choose
from merlin_assets.releases.manifest import ReleaseInfo
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
    store = paths.store(context.instance)
    publisher = paths.publisher()
    releases = publisher.release_store
    try:
        plan = store.load(config.project, "page_plan", PagePlan)
        page = choose(plan, redo, config.project)
    except (MissingArtifactError, RedoError) as exc:
        raise dg.Failure(str(exc)) from None
    if releases is None or releases.live(config.project) is None:
        raise dg.Failure(f"'{config.project}' has no live site to redo a page of")
    node = graph().nodes[PAGES]
    started = time.perf_counter()
    info = ReleaseInfo(run_id=context.run.run_id, note=release_note(redo))
    done: dict = {}

    async def work(emit):
        calls = Calls(llm.open(scope=context.run.run_id))
        run = Scheduler(
            graph=graph(),
            project_id=config.project,
            calls=calls,
            store=store,
            publisher=publisher,
            max_concurrency=llm.concurrency(),
            emit=emit,
            run_id=context.run.run_id,
        )
        run.requests[f"{PAGES}[{page.slug}]"] = redo
        run.making.add(PAGES)
        try:
            value = (await run.need_items(PAGES, [page.slug]))[page.slug]
            files = dict(node.site_files(run, value))
            done["published"] = await asyncio.to_thread(
                releases.publish_items, config.project, files, info
            )
        finally:
            await calls.aclose()

    slot = [p.slug for p in plan.pages].index(page.slug) + 1
    for event in stream(work):
        if event.asset != PAGES or event.partition != page.slug:
            continue
        context.log_event(
            dg.AssetMaterialization(
                asset_key=PAGES,
                partition=item_key(node, config.project, slot),
                description=info.note,
                metadata=to_metadata(
                    {**item_named(node, page.slug), **metadata(event), "note": redo.note or ""}
                ),
            )
        )
    published = done["published"]
    live_s = round(time.perf_counter() - started, 4)
    deploys = deploy_live(context, paths, config.project)
    context.log_event(
        dg.AssetMaterialization(
            asset_key="site",
            partition=config.project,
            description=info.note,
            metadata=to_metadata(
                {
                    **release_metadata(published),
                    "redo_page": page.slug,
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

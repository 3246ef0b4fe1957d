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

import time

import dagster as dg
from pydantic import Field

from merlin_assets.defs.metadata import to_metadata
from merlin_assets.defs.partitions import item_key, item_named
from merlin_assets.defs.releases.deploys import deploy_live
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.edits.state import stored_edits
from merlin_assets.engine.redo import NoLiveSite, Redone, redo_release, release_note
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
    # One call by default, as a redo is asked for: the content gate's rules still read the new
    # copy (an invented award or figure is asked again or written by rules); the judge is a
    # second model call on the critical path.
    fact_check: bool = Field(
        default=False,
        description="Also have the fact-check judge read the new copy (a second model call)",
    )


def materializations(
    project_id: str, plan: PagePlan, redo: Redo, redone: Redone, *, live_s: float, deploys: list
) -> list[dg.AssetMaterialization]:
    """What a redo reports: the page's partition of `site_pages` (its calls, the gate's word,
    the note) and the `site` naming the release, the note and each host's deploy. Logged by
    the op, reported without a run by `merlin regenerate`."""
    node = graph().nodes[PAGES]
    slot = [p.slug for p in plan.pages].index(redo.page) + 1
    note = release_note(redo)
    pages = [
        dg.AssetMaterialization(
            asset_key=PAGES,
            partition=item_key(node, project_id, slot),
            description=note,
            metadata=to_metadata(
                {**item_named(node, redo.page), **metadata(event), "note": redo.note or ""}
            ),
        )
        for event in redone.events
        if event.asset == PAGES and event.partition == redo.page
    ]
    site = dg.AssetMaterialization(
        asset_key="site",
        partition=project_id,
        description=note,
        metadata=to_metadata(
            {
                **release_metadata(redone.published),
                "redo_page": redo.page,
                "redo_section": redo.section or 0,
                "live_s": live_s,
                "deploys": [d.as_dict() for d in deploys],
            }
        ),
    )
    return [*pages, site]


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
    try:
        redone = redo_release(
            llm.open(scope=context.run.run_id, fact_check=config.fact_check),
            store,
            paths.publisher(),
            project_id=config.project,
            redo=redo,
            info=info,
            run_id=context.run.run_id,
            max_concurrency=llm.concurrency(),
        )
    except NoLiveSite as exc:
        raise dg.Failure(str(exc)) from None
    live_s = round(time.perf_counter() - started, 4)
    deploys = deploy_live(context, paths, config.project)
    for mat in materializations(config.project, plan, redo, redone, live_s=live_s, deploys=deploys):
        context.log_event(mat)
    return redone.published.release


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

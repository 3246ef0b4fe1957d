"""The one adapter between a Dagster step and the scheduler: runs nodes, yields their events."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import dagster as dg

from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.engine import Calls, ItemEvent, Scheduler, stream
from merlin_assets.phases import graph


def run_nodes(
    context: dg.AssetExecutionContext,
    llm: LLMResource,
    paths: PathsResource,
    *,
    project_id: str,
    selected: Iterable[str] = (),
    items: tuple[str, list[int]] | None = None,
    config_path: Path | str | None = None,
    from_store: tuple[str, tuple[str, ...]] | None = None,
) -> Iterator[ItemEvent]:
    """Make the selected nodes of one project, or redo some items of one partitioned node
    (`items`: the node and the items' places in their plan, from 1), and yield each finished
    item as it happens. `from_store`: a node to make again with the items of these nodes
    rebuilt from what they stored (see `Scheduler.run_from_store`)."""
    yield from run_project(
        context.instance,
        context.run.run_id,
        llm,
        paths,
        project_id=project_id,
        selected=selected,
        items=items,
        config_path=config_path,
        from_store=from_store,
    )


def run_project(
    instance: dg.DagsterInstance,
    run_id: str,
    llm: LLMResource,
    paths: PathsResource,
    *,
    project_id: str,
    selected: Iterable[str] = (),
    items: tuple[str, list[int]] | None = None,
    config_path: Path | str | None = None,
    from_store: tuple[str, tuple[str, ...]] | None = None,
) -> Iterator[ItemEvent]:
    """`run_nodes` without a step: what the projects sensor's tick needs (`defs/edits`)."""
    wanted = set(selected)

    async def work(emit):
        calls = Calls(llm.open(scope=run_id))
        scheduler = Scheduler(
            graph=graph(),
            project_id=project_id,
            calls=calls,
            store=paths.store(instance),
            publisher=paths.publisher(),
            max_concurrency=llm.concurrency(),
            emit=emit,
            config_path=config_path,
            run_id=run_id,
        )
        try:
            if from_store is not None:
                await scheduler.run_from_store(*from_store)
            elif items is not None:
                name, slots = items
                await scheduler.run_items(name, await scheduler.keys_at(name, slots))
            else:
                await scheduler.run(wanted)
        finally:
            await calls.aclose()

    yield from stream(work)

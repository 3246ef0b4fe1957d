"""The one adapter between a Dagster step and the scheduler: runs nodes, yields their events."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import dagster as dg

from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.engine import Calls, ItemEvent, Scheduler, stream
from merlin_assets.phases import graph


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
    """Make the selected nodes of one project, or redo some items of one partitioned node
    (`items`: the node and the items' places in their plan, from 1), and yield each finished
    item as it happens. `from_store`: a node to make again with the items of these nodes
    rebuilt from what they stored (see `Scheduler.run_from_store`). Called from steps (with
    the run's instance and id) and from the projects sensor's tick (`defs/edits`)."""
    wanted = set(selected)

    async def work(emit):
        async with Scheduler(
            graph=graph(),
            project_id=project_id,
            calls=Calls(llm.open(scope=run_id)),
            store=paths.store(instance),
            publisher=paths.publisher(),
            max_concurrency=llm.concurrency(),
            emit=emit,
            config_path=config_path,
            run_id=run_id,
        ) as scheduler:
            if from_store is not None:
                await scheduler.run_from_store(*from_store)
            elif items is not None:
                name, slots = items
                await scheduler.run_items(name, await scheduler.keys_at(name, slots))
            else:
                await scheduler.run(wanted)

    yield from stream(work)

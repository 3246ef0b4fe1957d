"""Runs declared nodes for one project on asyncio: every item starts when its inputs exist.

The scheduler knows no node by name. It reads each node's declaration (what it needs, whether
it is made once per item of a plan) and either makes the node, when this run selected it, or
loads its stored result. It knows nothing of Dagster either: each finished item is handed to
`emit`, and the Dagster step turns those into materializations.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import queue
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from merlin_assets.content_gate.warm import warm
from merlin_assets.engine.calls import Calls
from merlin_assets.gateway.keys import hide_keys
from merlin_assets.llm.base import CallRecord, now
from merlin_assets.llm.endpoints import FACT_CHECK_ROUTE
from merlin_assets.storage.local import ArtifactStore
from merlin_assets.storage.publishing import Publisher

if TYPE_CHECKING:
    from merlin_assets.phases import Graph
    from merlin_assets.phases.base import Need, Node, NodeInputs, Phase

R = TypeVar("R")
# Threads for the blocking calls one run makes at once (see `stream`).
IO_THREADS = 32
log = logging.getLogger(__name__)


@dataclass
class ItemEvent:
    """One finished unit of work: a node, or one item of a partitioned node."""

    asset: str
    partition: str | None
    started_at: float
    finished_at: float
    value: Any
    calls: list[CallRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Time spent inside the item waiting for other items (a page waiting for its images):
    # not the item's own work, so it is left out of its duration.
    blocked_s: float = 0.0
    depth: int = 0
    # The content gate's word on the item's copy (see `merlin_assets.engine.gate`).
    gate_findings: list[str] = field(default_factory=list)
    regenerated: bool = False
    field_fallbacks: list[str] = field(default_factory=list)
    removed_sentences: list[str] = field(default_factory=list)
    gate_read: int = 0
    # An item's place in its plan, from 1: what Dagster keys its partition by (see
    # `merlin_assets.defs.partitions`).
    slot: int | None = None
    # A polish node that raised: its error ("ValueError: ..."), and the value is the node's
    # `degraded` one. None when the node was made in full.
    degraded: str | None = None

    @property
    def duration_s(self) -> float:
        return round(self.finished_at - self.started_at - self.blocked_s, 4)

    @property
    def fallback(self) -> bool:
        """Whether the rules wrote any of it (a judge that failed wrote nothing)."""
        return any(c.status == "fallback" for c in self.calls if c.kind != FACT_CHECK_ROUTE)


Emit = Callable[[ItemEvent], None]


class Clock:
    """An item's own time: it starts when the item first gets a slot, and waits after that
    (for a slot, or for other items) are counted as blocked, not as the item's work."""

    def __init__(self, slots: asyncio.Semaphore):
        self.slots = slots
        self.started_at: float | None = None
        self.blocked_s = 0.0

    @contextlib.asynccontextmanager
    async def slot(self, slots: asyncio.Semaphore | None = None):
        asked = now()
        async with slots or self.slots:
            if self.started_at is None:
                self.started_at = now()
            else:
                self.blocked_s += now() - asked
            yield

    async def wait(self, awaitable: Awaitable[R]) -> R:
        asked = now()
        try:
            return await awaitable
        finally:
            if self.started_at is not None:
                self.blocked_s += now() - asked

    def event(self, asset: str, partition: str | None, value: Any, **kw) -> ItemEvent:
        started = self.started_at if self.started_at is not None else now()
        return ItemEvent(
            asset, partition, started, now(), value, blocked_s=round(self.blocked_s, 4), **kw
        )


class Scheduler:
    """Makes, or loads, the nodes of one project's graph."""

    def __init__(
        self,
        *,
        graph: Graph,
        project_id: str,
        calls: Calls,
        store: ArtifactStore,
        publisher: Publisher,
        max_concurrency: int,
        emit: Emit,
        config_path: Path | str | None = None,
        run_id: str | None = None,
    ):
        self.graph = graph
        # Recorded in the release a publish makes.
        self.run_id = run_id
        self.project_id = project_id
        self.calls = calls
        self.store = store
        self.publisher = publisher
        self.emit = emit
        self.config_path = config_path
        # `call_slots` caps provider calls in flight; `cpu` caps the local work around them
        # (encoding, rendering, publishing) at the number of cores, so that work never takes
        # a call's slot. With a cap of 1 both are one semaphore: strictly one item at a time,
        # the sequential baseline. No item holds a slot while waiting for another item, so
        # neither can deadlock.
        self.call_slots = asyncio.Semaphore(max(1, max_concurrency))
        self.cpu = (
            self.call_slots
            if max_concurrency <= 1
            else asyncio.Semaphore(min(max_concurrency, os.cpu_count() or 1))
        )
        self.selected: set[str] = set()
        # Partitioned nodes whose items this run makes (the rest are loaded when needed).
        self.making: set[str] = set()
        # Items made again from what they stored (a page its copy) rather than by a model: the
        # fast path that applies an edits file (`run_from_store`).
        self.from_store = False
        self._tasks: dict[str, asyncio.Task] = {}
        # What whoever started the run asked of single items, by item (`<node>[<key>]`):
        # a page's copy redone with the owner's note (`merlin regenerate`).
        self.requests: dict[str, Any] = {}

    # --- entry points -------------------------------------------------------------------

    async def __aenter__(self) -> Scheduler:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        # However the work ended: the provider's connections and caches are closed.
        await self.calls.aclose()

    async def run(self, selected: Iterable[str]) -> None:
        """Make the selected nodes and, for each, every item of the partitioned nodes it
        needs whole (the publishing node makes every image and page)."""
        self.selected = set(selected)
        wanted = [n for n in self.graph.project_nodes if n in self.selected]
        for name in wanted:
            for need in self.graph.nodes[name].needs:
                if need.scope == "all":
                    self.making.add(need.name)
        async with warming():
            await gather_all([self.need(n) for n in wanted])

    async def run_from_store(self, name: str, remake: Iterable[str]) -> None:
        """Make `name` again, with every item of the `remake` nodes rebuilt from what it stored
        and every other node loaded: no model is called."""
        self.selected = {name}
        self.making = set(remake)
        self.from_store = True
        await self.need(name)

    async def keys_at(self, name: str, slots: list[int]) -> list[str]:
        """The keys of the items at these places (from 1) of the node's plan."""
        part = self.graph.nodes[name].partitioning
        assert part is not None, f"'{name}' is not partitioned"
        keys = [part.key(i) for i in part.items(await self.need(part.plan))]
        wrong = [s for s in slots if not 1 <= s <= len(keys)]
        if wrong:
            raise KeyError(
                f"{part.dimension}s {wrong} are not in the {part.plan.replace('_', ' ')} of "
                f"'{self.project_id}', which has {len(keys)}"
            )
        return [keys[s - 1] for s in slots]

    async def run_items(self, name: str, keys: list[str]) -> None:
        """Redo some items of a partitioned node from stored upstream results, and swap their
        files into what is live."""
        node = self.graph.nodes[name]
        part = node.partitioning
        assert part is not None, f"'{name}' is not partitioned"
        self.making.add(name)
        plan = await self.need(part.plan)
        known = {part.key(i) for i in part.items(plan)}
        missing = [k for k in keys if k not in known]
        if missing:
            raise KeyError(
                f"{part.dimension}s {missing} are not in the {part.plan.replace('_', ' ')} "
                f"of '{self.project_id}'"
            )
        values = await self.need_items(name, keys)
        files: dict[str, Any] = {}
        for value in values.values():
            files.update(node.site_files(self, value))
        await asyncio.to_thread(self.publisher.replace_files, self.project_id, files)

    # --- what a node asks for -----------------------------------------------------------

    def need(self, name: str) -> asyncio.Task:
        """The task that yields a project-level node's value: made when selected, else loaded."""
        task = self._tasks.get(name)
        if task is None:
            node = self.graph.nodes[name]
            coro = self._make(node) if name in self.selected else self._load(node)
            task = self._tasks[name] = asyncio.create_task(coro, name=name)
        return task

    def need_item(self, name: str, key: str) -> asyncio.Task:
        """The task that yields one item of a partitioned node."""
        ident = f"{name}[{key}]"
        task = self._tasks.get(ident)
        if task is None:
            node = self.graph.nodes[name]
            coro = self._make_item(node, key) if name in self.making else self._load(node, key)
            task = self._tasks[ident] = asyncio.create_task(coro, name=ident)
        return task

    async def need_items(self, name: str, keys: Iterable[str]) -> dict[str, Any]:
        keys = list(dict.fromkeys(keys))
        values = await gather_all([self.need_item(name, k) for k in keys])
        return dict(zip(keys, values, strict=True))

    async def need_all(self, name: str) -> dict[str, Any]:
        """Every item of a partitioned node, in plan order."""
        part = self.graph.nodes[name].partitioning
        assert part is not None
        plan = await self.need(part.plan)
        return await self.need_items(name, [part.key(i) for i in part.items(plan)])

    async def gather(self, needs: Iterable[Need], own: list[str] | None = None) -> dict[str, Any]:
        """Upstream values by node name: whole nodes, all items, or this item's own items."""
        needs = list(needs)

        async def one(need: Need) -> Any:
            if need.scope == "project":
                return await self.need(need.name)
            if need.scope == "all":
                return await self.need_all(need.name)
            return await self.need_items(need.name, own or [])

        values = await gather_all([one(n) for n in needs])
        return {n.name: v for n, v in zip(needs, values, strict=True)}

    def clock(self, slots: asyncio.Semaphore | None = None) -> Clock:
        return Clock(slots or self.call_slots)

    async def ask(self, phase: Phase, item: str, inputs: NodeInputs, clock: Clock):
        """One structured call with its repair, inside a call slot; see `Calls.ask`."""
        return await self.calls.ask(phase, item, inputs, clock)

    # --- making and loading ---------------------------------------------------------------

    async def _make(self, node: Node, item: Any = None, slot: int | None = None) -> Any:
        if node.role == "polish":
            event = await self._make_polish(node, item)
        else:
            event = await node.build(self, item)
        event.depth = self.graph.depth(node.name)
        event.slot = slot
        self.emit(event)
        return event.value

    async def _make_polish(self, node: Node, item: Any) -> ItemEvent:
        """Build a polish node; if it raises, its degraded value stands in and the run goes on.

        Its inputs are awaited first, outside the guard: an upstream node's failure is that
        node's (and fails the run), never this one's degradation.
        """
        await self.gather((*node.needs, *node.waits))
        started = now()
        try:
            return await node.build(self, item)
        except Exception as exc:
            error = describe_error(exc)
            # Said once, in the summary and the failed check, not mid-progress as well.
            log.info("%s degraded to %s: %s", node.name, node.degrades_to, error)
            # A polish node is made once per project (`Node`), so it has no partition.
            return ItemEvent(node.name, None, started, now(), node.degraded(error), degraded=error)

    async def _make_item(self, node: Node, key: str) -> Any:
        part = node.partitioning
        assert part is not None
        plan = await self.need(part.plan)
        items = {part.key(i): (n, i) for n, i in enumerate(part.items(plan), start=1)}
        if key not in items:
            raise KeyError(f"{part.dimension} '{key}' is not in the {part.plan} of this project")
        slot, item = items[key]
        return await self._make(node, item, slot)

    async def _load(self, node: Node, key: str | None = None) -> Any:
        return node.load(self, key)


@contextlib.asynccontextmanager
async def warming() -> AsyncIterator[None]:
    """The gate's word lists loading in a thread while the block waits on the network: loaded
    inside the first review they held the first copy back by 2-7 s (warm.py)."""
    loading = asyncio.ensure_future(asyncio.to_thread(warm))
    try:
        yield
    finally:
        await _settle(loading)


async def _settle(warming: asyncio.Future) -> None:
    """Wait for the warm-up; a list that failed to load is only logged, since the check that
    reads it loads it again and fails that item alone."""
    try:
        await warming
    except Exception as exc:
        log.warning("the content gate's word lists did not load ahead: %s", describe_error(exc))


def describe_error(exc: BaseException) -> str:
    """An error as one line for metadata and the summary: its type and message, cut to 300
    characters, with anything shaped like an API key hidden."""
    message = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return hide_keys(text)[:300]


async def gather_all(aws: list[Awaitable]) -> list:
    """Gather, but on the first failure cancel the rest so a broken run stops promptly."""
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for t in tasks:
            t.cancel()
        raise


def stream(work: Callable[[Emit], Awaitable[None]]) -> Iterator[ItemEvent]:
    """Run `work` on its own event loop in a thread and yield its events as they happen.

    The caller (a Dagster step) writes each event to the event log while the loop keeps
    working, so event-log writes never stall calls in flight.
    """
    events: queue.Queue = queue.Queue()
    done = object()
    failure: list[BaseException] = []

    async def main() -> None:
        # Cache reads and writes wait in the same thread pool as image saves and gate reviews.
        # With asyncio's default of cores + 4 threads (6 here) a judge call's cache lookup
        # queued 12 s behind slow saves on a loaded machine. The scheduler's `cpu` semaphore
        # already caps the CPU work, so more threads only keep the quick ones from queueing.
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=IO_THREADS, thread_name_prefix="merlin-io")
        )
        await work(events.put)

    def target() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:
            failure.append(exc)
        finally:
            events.put(done)

    thread = threading.Thread(target=target, name="merlin-engine", daemon=True)
    thread.start()
    while (item := events.get()) is not done:
        yield item
    thread.join()
    if failure:
        raise failure[0]

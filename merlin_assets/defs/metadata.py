"""Turns the engine's plain summaries into Dagster metadata and events."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import dagster as dg

from merlin_assets.ast_imports import AST_IMPORTS
from merlin_assets.defs.partitions import item_key, item_named, slot_key, slot_keys
from merlin_assets.defs.specs import complete_description
from merlin_assets.engine import ItemEvent
from merlin_assets.phases import graph
from merlin_assets.phases.base import Node
from merlin_assets.phases.quality_assessment import QualityReport
from merlin_assets.summaries import metadata
from merlin_assets.timings.gantt import markdown
from merlin_assets.timings.report import timeline_of_entries
from merlin_assets.timings.rows import Entry


def to_metadata(values: dict[str, Any]) -> dict[str, dg.MetadataValue]:
    out: dict[str, dg.MetadataValue] = {}
    for key, value in values.items():
        if key.endswith("_md"):
            out[key.removesuffix("_md")] = dg.MetadataValue.md(value)
        elif key == "path":
            out[key] = dg.MetadataValue.path(value)
        elif isinstance(value, (list, dict)):
            out[key] = dg.MetadataValue.json(value)
        elif isinstance(value, bool):
            out[key] = dg.MetadataValue.bool(value)
        elif isinstance(value, int):
            out[key] = dg.MetadataValue.int(value)
        elif isinstance(value, float):
            out[key] = dg.MetadataValue.float(value)
        else:
            out[key] = dg.MetadataValue.text(str(value))
    return out


_warming: list[threading.Thread] = []


def _import_plotting() -> None:
    # The picture itself reports any real failure; one at a time with the other imports that
    # parse source (ast_imports.py).
    with contextlib.suppress(Exception), AST_IMPORTS:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot


def warm_timeline() -> None:
    """Import matplotlib in the background while the run waits on its first calls.

    The timeline is drawn when the last item finishes; importing the plotting library then
    put one to two seconds on the tail of every run, after all the work was done.
    """
    if not _warming:
        thread = threading.Thread(target=_import_plotting, name="merlin-warm", daemon=True)
        _warming.append(thread)
        thread.start()


class EventWriter:
    """Records engine events on a step's context as they arrive."""

    def __init__(self, context: dg.AssetExecutionContext, project_id: str):
        warm_timeline()
        self.context = context
        self.project_id = project_id
        self.graph = graph()
        self._known: dict[str, set[str]] = {}
        self._entries: list[Entry] = []

    def _ensure_partition(self, defn: str, *keys: str) -> None:
        known = self._known.get(defn)
        if known is None:
            known = self._known[defn] = set(self.context.instance.get_dynamic_partitions(defn))
        missing = [k for k in dict.fromkeys(keys) if k not in known]
        if missing:
            self.context.instance.add_dynamic_partitions(defn, missing)
            known.update(missing)

    def _plan_partitions(self, event: ItemEvent) -> None:
        # One instance write for a whole plan, not one per image or page as each finishes:
        # each write is a storage transaction on the step's thread.
        for node in self.graph.planned_by(event.asset):
            part = node.partitioning
            assert part is not None
            self._ensure_partition(part.slots, *slot_keys(len(part.items(event.value))))

    def _metadata(self, event: ItemEvent) -> dict[str, Any]:
        values = metadata(event)
        self._entries.append(Entry(event.asset, event.partition, values))
        if event.asset == self.graph.last:
            values = {**values, **self._timeline()}
        return values

    def _timeline(self) -> dict[str, Any]:
        """The run so far as a Gantt picture, so the last materialization shows it in the UI."""
        try:
            png = timeline_of_entries(self.context.run.run_id, self.project_id, self._entries)
        except Exception as exc:  # a picture must never fail the run
            self.context.log.warning(f"no timeline picture: {exc}")
            return {}
        return {"timeline_md": markdown(png, "run timeline")}

    def log_partition(self, node: Node, event: ItemEvent) -> None:
        """An image or page as its own partition's materialization, the moment it exists."""
        part = node.partitioning
        assert part is not None and event.partition is not None and event.slot is not None
        self._ensure_partition(part.slots, slot_key(event.slot))
        # The partition is the item's place in its plan; its metadata says which item it is.
        values = {**item_named(node, event.partition), **self._metadata(event)}
        self.context.log_event(
            dg.AssetMaterialization(
                asset_key=event.asset,
                partition=item_key(node, self.project_id, event.slot),
                metadata=to_metadata(values),
            )
        )

    def results(self, event: ItemEvent) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        """What the multi-asset step yields for one engine event."""
        node = self.graph.nodes[event.asset]
        if node.partitioning is not None:
            self.log_partition(node, event)
            return
        self._plan_partitions(event)
        yield dg.MaterializeResult(
            asset_key=event.asset, metadata=to_metadata(self._metadata(event))
        )
        selected = self.context.selected_asset_check_keys
        if node.checks_on:
            yield from check_results(node, event.value, selected)
        if node.complete_check:
            yield from complete_result(node, event, selected)


def complete_result(
    node: Node, event: ItemEvent, selected: set[dg.AssetCheckKey] | frozenset
) -> Iterator[dg.AssetCheckResult]:
    """A polish node's own check: passed when made in full, failed with the error when it
    degraded (a warning: the site was published, without this part)."""
    assert node.complete_check is not None
    if dg.AssetCheckKey(dg.AssetKey(node.name), node.complete_check) not in selected:
        return
    findings = [f"{event.degraded}; published with {node.degrades_to}"] if event.degraded else []
    yield dg.AssetCheckResult(
        asset_key=node.name,
        check_name=node.complete_check,
        passed=event.degraded is None,
        severity=dg.AssetCheckSeverity.WARN,
        description=event.degraded or complete_description(node),
        metadata={
            "findings": dg.MetadataValue.json(findings),
            "findings_count": len(findings),
            **({"error": dg.MetadataValue.text(event.degraded)} if event.degraded else {}),
        },
    )


def check_results(
    node: Node, report: QualityReport, selected: set[dg.AssetCheckKey] | frozenset
) -> Iterator[dg.AssetCheckResult]:
    assert node.checks_on is not None
    for check in report.checks:
        key = dg.AssetCheckKey(dg.AssetKey(node.checks_on), check.name)
        if key not in selected:
            continue
        yield dg.AssetCheckResult(
            asset_key=node.checks_on,
            check_name=check.name,
            passed=check.passed,
            severity=dg.AssetCheckSeverity.ERROR
            if check.name in node.error_checks
            else dg.AssetCheckSeverity.WARN,
            description=node.checks[check.name],
            metadata={
                "findings": dg.MetadataValue.json(check.findings),
                "findings_count": len(check.findings),
                **check.figures,
            },
        )

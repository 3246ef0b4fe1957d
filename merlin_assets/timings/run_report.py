"""What the event log says about one run: its items, checks and status, as the CLI shows it
and the timings store ingests it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from merlin_assets.phases import graph

# What `merlin generate` counts: phases done out of all, then images and pages, then the site.
PHASE_ASSETS = graph().counted_phases
ITEM_ASSETS = tuple(graph().nodes)
PARTITIONED = graph().partitioned_nodes
SITE, QUALITY = "site", "quality_assessment"


def _value(entry: dg.MetadataValue | Any) -> Any:
    return getattr(entry, "value", entry)


@dataclass
class ItemTiming:
    asset: str
    partition: str | None
    started_at: str
    finished_at: str
    duration_s: float
    fallback: bool
    llm_calls: int
    # Every metadata value as plain data (`calls` is a list of dicts): what the timings
    # store ingests.
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class CheckResult:
    name: str
    passed: bool
    severity: str
    timestamp: float
    findings: int
    asset: str = SITE


@dataclass
class RunReport:
    """What the event log says about one run, as the CLI shows it."""

    run_id: str
    status: str = "STARTED"
    items: list[ItemTiming] = field(default_factory=list)
    planned_images: int | None = None
    planned_pages: int | None = None
    checks: dict[str, bool] = field(default_factory=dict)
    check_findings: dict[str, list[str]] = field(default_factory=dict)
    check_results: list[CheckResult] = field(default_factory=list)
    site_path: str | None = None
    quality_score: float | None = None
    cursor: str | None = None

    def done(self, asset: str) -> int:
        return sum(1 for i in self.items if i.asset == asset)

    @property
    def degraded(self) -> list[ItemTiming]:
        """Polish nodes that raised, and were published without (see `Node.role`)."""
        return [i for i in self.items if i.meta.get("degraded")]

    @property
    def phases_done(self) -> int:
        return sum(1 for i in self.items if i.asset in PHASE_ASSETS)

    def refresh(self, instance: dg.DagsterInstance) -> None:
        """Read events written since the last refresh."""
        while True:
            conn = instance.get_records_for_run(
                self.run_id,
                cursor=self.cursor,
                of_type={
                    dg.DagsterEventType.ASSET_MATERIALIZATION,
                    dg.DagsterEventType.ASSET_CHECK_EVALUATION,
                },
                limit=500,
            )
            for record in conn.records:
                self._take(record.event_log_entry)
            self.cursor = conn.cursor
            if not conn.has_more:
                break
        run = instance.get_run_by_id(self.run_id)
        if run is not None:
            self.status = run.status.value

    def _take(self, entry: dg.EventLogEntry) -> None:
        event = entry.dagster_event
        if event is None:
            return
        if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            data = event.event_specific_data
            self.checks[data.check_name] = data.passed
            findings = data.metadata.get("findings")
            self.check_findings[data.check_name] = list(_value(findings) or [])
            self.check_results.append(
                CheckResult(
                    name=data.check_name,
                    passed=data.passed,
                    severity=data.severity.value,
                    timestamp=entry.timestamp,
                    findings=len(self.check_findings[data.check_name]),
                    asset=data.asset_key.to_user_string(),
                )
            )
            return
        mat = event.step_materialization_data.materialization
        asset = mat.asset_key.to_user_string()
        meta = {k: _value(v) for k, v in mat.metadata.items()}
        # Only images and pages are items within a project; the rest are the project itself.
        partition = None
        if asset in PARTITIONED and mat.partition:
            # The partition is the item's place in its plan; the metadata names the item (a
            # run recorded before places were keys has the name as its first dimension).
            dimension = graph().nodes[asset].partitioning.dimension
            partition = str(meta.get(dimension) or str(mat.partition).split("|")[0])
        if asset == "image_plan":
            self.planned_images = int(meta.get("images", 0))
        elif asset == "page_plan":
            self.planned_pages = int(meta.get("pages", 0))
        elif asset == SITE:
            self.site_path = str(meta.get("path"))
        elif asset == QUALITY:
            self.quality_score = float(meta.get("score", 0))
        self.items.append(
            ItemTiming(
                asset=asset,
                partition=partition,
                started_at=str(meta.get("started_at", "")),
                finished_at=str(meta.get("finished_at", "")),
                duration_s=float(meta.get("duration_s", 0.0)),
                fallback=bool(meta.get("fallback", False)),
                llm_calls=int(meta.get("llm_calls", 0)),
                meta=meta,
            )
        )

    def wall_s(self) -> float:
        from datetime import datetime

        starts = [datetime.fromisoformat(i.started_at) for i in self.items if i.started_at]
        ends = [datetime.fromisoformat(i.finished_at) for i in self.items if i.finished_at]
        if not starts:
            return 0.0
        return round((max(ends) - min(starts)).total_seconds(), 3)

    def sum_s(self) -> float:
        return round(sum(i.duration_s for i in self.items), 3)

    def as_json(self) -> str:
        return json.dumps(
            {
                "run_id": self.run_id,
                "status": self.status,
                "site": self.site_path,
                "wall_s": self.wall_s(),
                "sum_s": self.sum_s(),
                "quality_score": self.quality_score,
                "checks": self.checks,
            }
        )

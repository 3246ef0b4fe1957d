"""One run's event log as table rows: the run, each item and each LLM call.

Pure data in, pure data out: the same functions serve ingestion (entries read back from the
event log) and the step itself (entries it is about to log), so the Gantt attached to a run and
the one `merlin timings --gantt` draws come from the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from merlin_assets.hosts.records import deploy_rows
from merlin_assets.phases import graph
from merlin_assets.timings.critical_path import PlanLinks, critical_path

SITE = "site"
KINDS = {
    "project_config": "config",
    "site_images": "image",
    "site_pages": "page",
    SITE: "site",
    "quality_assessment": "quality",
}
# The order groups appear in, top to bottom, in tables and the Gantt.
GROUP_ORDER = ("project", "design", "planning", "content", "media", "pages", "site", "checks")


@dataclass(frozen=True)
class Entry:
    """One materialization as plain data: its asset, partition and metadata values."""

    asset: str
    partition: str | None
    meta: Mapping[str, Any]


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    severity: str
    timestamp: float
    findings: int
    asset: str = SITE  # the asset the check is on (the site's quality, or a polish node)


@dataclass
class RunInfo:
    """What the run record and its tags say, independent of its items."""

    run_id: str
    project: str
    status: str
    started_at: float | None = None
    ended_at: float | None = None
    job: str = "generate_site"
    source: str = "ui"
    config_hash: str = ""
    config_file: str = ""
    provider: str = ""
    concurrency: int | None = None
    error: str = ""


@dataclass
class RunRows:
    run: dict[str, Any]
    items: list[dict[str, Any]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    deploys: list[dict[str, Any]] = field(default_factory=list)


def item_name(asset: str, partition: str | None) -> str:
    return f"{asset}[{partition}]" if partition else asset


def group_of(asset: str) -> str:
    return graph().group(asset) or "other"


def _ts(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value), UTC)
    return datetime.fromisoformat(str(value))


def _num(meta: Mapping[str, Any], key: str, kind: type = float) -> Any:
    value = meta.get(key)
    return kind(value) if value not in (None, "") else kind(0)


def _plan_links(entries: Iterable[Entry]) -> PlanLinks:
    links = PlanLinks()
    for e in entries:
        if e.asset == "image_plan":
            links.image_sections = dict(e.meta.get("image_sections") or {})
            links.hero = str(e.meta.get("hero") or "") or None
        elif e.asset == "page_plan":
            links.page_sections = {
                k: list(v) for k, v in (e.meta.get("page_sections") or {}).items()
            }
    return links


def build_rows(info: RunInfo, entries: list[Entry], checks: list[Check] = ()) -> RunRows:
    """Rows for the three tables; deterministic, so ingesting a run twice writes the same."""
    starts = [_ts(e.meta.get("started_at")) for e in entries]
    origin = min((s for s in starts if s), default=None)
    items: list[dict[str, Any]] = []
    calls: list[dict[str, Any]] = []
    for entry in entries:
        m = entry.meta
        name = item_name(entry.asset, entry.partition)
        started, finished = _ts(m.get("started_at")), _ts(m.get("finished_at"))
        call_ends = [_ts(c.get("finished_at")) for c in m.get("calls") or []]
        call_ends = [c for c in call_ends if c]
        items.append(
            {
                "run_id": info.run_id,
                "project": info.project,
                "item": name,
                "asset": entry.asset,
                "partition": entry.partition,
                "kind": KINDS.get(entry.asset, "phase"),
                "phase_group": group_of(entry.asset),
                "depth": _num(m, "depth", int),
                "started_at": started,
                "finished_at": finished,
                "start_offset_s": round((started - origin).total_seconds(), 4)
                if started and origin
                else None,
                "duration_s": _num(m, "duration_s"),
                "blocked_s": _num(m, "blocked_s"),
                "status": "degraded"
                if m.get("degraded")
                else "fallback"
                if m.get("fallback")
                else "ok",
                "attempts": _num(m, "attempts", int),
                "fallback": bool(m.get("fallback", False)),
                "fallback_reason": str(m.get("fallback_reason") or ""),
                "llm_calls": _num(m, "llm_calls", int),
                "llm_s": _num(m, "llm_s"),
                "limiter_wait_s": _num(m, "limiter_wait_s"),
                "tokens_in": _num(m, "tokens_in", int),
                "tokens_out": _num(m, "tokens_out", int),
                "cost_usd": _num(m, "cost_usd"),
                "cache_hits": _num(m, "cache_hits", int),
                "provider": str(m.get("provider") or ""),
                "model": str(m.get("model") or ""),
                "endpoint": str(m.get("endpoint") or ""),
                "on_critical_path": False,
                # The content gate: what it found in the item's copy, whether the item was
                # asked for again, and which fields the rules wrote in the end.
                "regenerated": bool(m.get("regenerated", False)),
                "gate_findings": json.dumps(list(m.get("gate_findings") or [])),
                "field_fallbacks": json.dumps(list(m.get("field_fallbacks") or [])),
                "removed_sentences": json.dumps(list(m.get("removed_sentences") or [])),
                # A polish node that raised and was published without (see `Node.role`).
                "degraded": bool(m.get("degraded", False)),
                "degraded_error": str(m.get("degraded_error") or ""),
                # Not stored: from the item's start to the end of its last call, queueing for
                # a slot included (what a page does before it waits for its images).
                "lead_s": (max(call_ends) - started).total_seconds()
                if call_ends and started
                else None,
            }
        )
        for index, call in enumerate(m.get("calls") or []):
            calls.append(
                {
                    "run_id": info.run_id,
                    "project": info.project,
                    "item": name,
                    "asset": entry.asset,
                    "call_index": index,
                    "call": str(call.get("item", "")),
                    "kind": str(call.get("kind", "")),
                    "provider": str(call.get("provider", "")),
                    "model": str(call.get("model", "")),
                    "key_alias": str(call.get("key_alias") or ""),
                    "started_at": _ts(call.get("started_at")),
                    "finished_at": _ts(call.get("finished_at")),
                    "duration_s": _num(call, "duration_s"),
                    "wait_s": _num(call, "wait_s"),
                    "attempts": _num(call, "attempts", int),
                    "tokens_in": _num(call, "tokens_in", int),
                    "tokens_out": _num(call, "tokens_out", int),
                    "images": _num(call, "images", int),
                    "cost_usd": _num(call, "cost_usd"),
                    "cache_hit": bool(call.get("cache_hit", False)),
                    "status": str(call.get("status", "")),
                    "fallback_reason": str(call.get("fallback_reason") or ""),
                    "endpoint": str(call.get("endpoint") or ""),
                    "failover": str(call.get("failover") or ""),
                }
            )
    for check in checks:
        at = _ts(check.timestamp)
        items.append(
            {
                "run_id": info.run_id,
                "project": info.project,
                "item": f"check:{check.name}",
                "asset": check.asset,
                "partition": None,
                "kind": "check",
                "phase_group": "checks",
                "depth": None,
                "started_at": at,
                "finished_at": at,
                "start_offset_s": round((at - origin).total_seconds(), 4) if origin else None,
                # Checks are computed inside quality_assessment; their time is counted there.
                "duration_s": 0.0,
                "blocked_s": 0.0,
                "status": "passed" if check.passed else "failed",
                "attempts": 0,
                "fallback": False,
                "fallback_reason": "",
                "llm_calls": 0,
                "llm_s": 0.0,
                "limiter_wait_s": 0.0,
                "tokens_in": 0,
                "tokens_out": 0,
                "cost_usd": 0.0,
                "cache_hits": 0,
                "provider": "",
                "model": check.severity,
                "on_critical_path": False,
                "degraded": False,
                "degraded_error": "",
            }
        )

    measured = [i for i in items if i["kind"] != "check"]
    path_s, path = critical_path(measured, _plan_links(entries))
    on_path = set(path)
    for item in items:
        item["on_critical_path"] = item["item"] in on_path
    finishes = [i["finished_at"] for i in measured if i["finished_at"]]
    wall = (max(finishes) - origin).total_seconds() if origin and finishes else 0.0
    run = {
        "run_id": info.run_id,
        "project": info.project,
        "job": info.job,
        "source": info.source,
        "config_hash": info.config_hash,
        "config_file": info.config_file,
        "status": info.status,
        "provider": info.provider or _first(measured, "provider"),
        "concurrency": info.concurrency,
        "started_at": _ts(info.started_at),
        "ended_at": _ts(info.ended_at),
        "run_s": round(info.ended_at - info.started_at, 4)
        if info.started_at and info.ended_at
        else None,
        "first_item_at": origin,
        "wall_s": round(wall, 4),
        "sum_s": round(sum(i["duration_s"] for i in measured), 4),
        "critical_path_s": round(path_s, 4),
        "critical_path": " > ".join(path),
        "items": len(measured),
        "images": sum(1 for i in measured if i["kind"] == "image"),
        "pages": sum(1 for i in measured if i["kind"] == "page"),
        "llm_calls": len(calls),
        "cache_hits": sum(1 for c in calls if c["cache_hit"]),
        "tokens_in": sum(c["tokens_in"] for c in calls),
        "tokens_out": sum(c["tokens_out"] for c in calls),
        "cost_usd": round(sum(c["cost_usd"] for c in calls), 6),
        "limiter_wait_s": round(sum(c["wait_s"] for c in calls), 4),
        "fallbacks": sum(1 for i in measured if i["fallback"]),
        "checks_passed": sum(1 for c in checks if c.passed),
        "checks_failed": sum(1 for c in checks if not c.passed),
        "error": info.error,
        "gate_flagged": sum(1 for i in measured if i["gate_findings"] != "[]"),
        "regenerated": sum(1 for i in measured if i["regenerated"]),
        "field_fallbacks": sum(len(json.loads(i["field_fallbacks"])) for i in measured),
        "removed_sentences": sum(
            len(json.loads(i.get("removed_sentences", "[]"))) for i in measured
        ),
        "degraded": sum(1 for i in measured if i["degraded"]),
    }
    site = next((e for e in entries if e.asset == SITE), None)
    deploys = (
        deploy_rows(info.run_id, info.project, site.meta, _ts(site.meta.get("finished_at")))
        if site
        else []
    )
    return RunRows(run=run, items=items, calls=calls, deploys=deploys)


def _first(items: list[dict[str, Any]], key: str) -> str:
    return next((str(i[key]) for i in items if i.get(key)), "")

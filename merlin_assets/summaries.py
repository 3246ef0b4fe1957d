"""What each finished item tells a person: timings, call figures and a short preview.

Plain values only; the Dagster layer decides how each is shown (keys ending in `_md` are
markdown, `path` is a path, lists and dicts are JSON).
"""

from __future__ import annotations

from typing import Any

from merlin_assets.engine.scheduler import ItemEvent
from merlin_assets.llm.base import iso
from merlin_assets.llm.endpoints import FACT_CHECK_ROUTE
from merlin_assets.phases import graph


def timing(event: ItemEvent) -> dict[str, Any]:
    calls = event.calls
    data: dict[str, Any] = {
        "started_at": iso(event.started_at),
        "finished_at": iso(event.finished_at),
        "duration_s": event.duration_s,
        "depth": event.depth,
    }
    if event.blocked_s:
        data["blocked_s"] = event.blocked_s
    if calls:
        data.update(
            provider=calls[0].provider,
            model=", ".join(sorted({c.model for c in calls})),
            llm_calls=len(calls),
            llm_s=round(sum(c.duration_s for c in calls), 4),
            limiter_wait_s=round(sum(c.wait_s for c in calls), 4),
            attempts=sum(c.attempts for c in calls),
            tokens_in=sum(c.tokens_in for c in calls),
            tokens_out=sum(c.tokens_out for c in calls),
            cost_usd=round(sum(c.cost_usd for c in calls), 6),
            cache_hits=sum(c.cache_hit for c in calls),
            fallback=event.fallback,
            calls=[c.as_dict() for c in calls],
        )
        reasons = [c.fallback_reason for c in calls if c.fallback_reason]
        if reasons:
            data["fallback_reason"] = "; ".join(reasons)
        endpoint = wrote(calls)
        if endpoint:
            data["endpoint"] = endpoint
        judged = [c for c in calls if c.kind == FACT_CHECK_ROUTE]
        if judged:
            data["judge_cost_usd"] = round(sum(c.cost_usd for c in judged), 6)
    if event.notes:
        data["repairs"] = event.notes
    if event.gate_read:
        data["gate_read"] = event.gate_read
    if event.gate_findings:
        data["gate_findings"] = event.gate_findings
        data["regenerated"] = event.regenerated
    if event.field_fallbacks:
        data["field_fallbacks"] = event.field_fallbacks
    if event.removed_sentences:
        data["removed_sentences"] = event.removed_sentences
    if event.degraded:
        node = graph().nodes.get(event.asset)
        data.update(
            degraded=True,
            degraded_error=event.degraded,
            published_with=node.degrades_to if node else "",
        )
    return data


def wrote(calls: list) -> str:
    """Which endpoint wrote the item: the one that answered its last call, `rules` when the
    rules did; empty for providers without endpoints (offline)."""
    calls = [c for c in calls if c.kind != FACT_CHECK_ROUTE]  # the judge writes nothing
    if not any(c.endpoint for c in calls):
        return ""
    last = calls[-1]
    return "rules" if last.status == "fallback" else last.endpoint or last.provider


def describe(event: ItemEvent) -> dict[str, Any]:
    """Counts and a preview of what the item holds, as its node declares them."""
    node = graph().nodes.get(event.asset)
    return node.preview(event.value) if node else {}


def metadata(event: ItemEvent) -> dict[str, Any]:
    return {**describe(event), **timing(event)}

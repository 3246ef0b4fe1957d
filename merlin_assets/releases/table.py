"""Rows of the DuckDB `releases` table: every switch of a live site, read back from its `site`
materialization (a run's publish, items redone, a rollback job), or written at once by
`merlin rollback`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import dagster as dg

SITE = "site"
COUNTS = (
    "pages_added",
    "pages_changed",
    "pages_removed",
    "images_added",
    "images_changed",
    "images_removed",
)


def _value(meta: dict[str, Any], key: str, default: Any = None) -> Any:
    entry = meta.get(key)
    return default if entry is None else getattr(entry, "value", entry)


def release_rows(instance: dg.DagsterInstance, run_id: str, run: dict[str, Any]) -> list[dict]:
    """One row per `site` materialization of the run that names a release."""
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    ).records
    rows = []
    for record in records:
        entry = record.event_log_entry
        mat = entry.asset_materialization
        if mat is None or mat.asset_key.to_user_string() != SITE:
            continue
        row = release_row(
            dict(mat.metadata),
            project=mat.partition or run.get("project", ""),
            run_id=run_id,
            at=entry.timestamp,
            run=run,
        )
        if row is not None:
            rows.append(row)
    return rows


def release_row(
    meta: dict[str, Any], *, project: str, run_id: str, at: float, run: dict[str, Any]
) -> dict[str, Any] | None:
    """The row of one switch, from its `site` materialization's metadata; None when it
    names no release."""
    release = _value(meta, "release")
    if not release:
        return None
    rollback = bool(_value(meta, "rollback", False))
    edits = _value(meta, "hand_edits", []) or []
    words = _value(meta, "words_changed", {}) or {}
    return {
        "release": str(release),
        "project": project,
        "run_id": run_id,
        "kind": "rollback" if rollback else str(_value(meta, "release_kind", "publish")),
        "switched_at": datetime.fromtimestamp(at, UTC),
        "config_hash": run.get("config_hash", ""),
        "parent": str(_value(meta, "release_parent", "") or ""),
        "replaced": str(_value(meta, "replaced", "") or ""),
        **{k: int(_value(meta, k, 0) or 0) for k in COUNTS},
        "words_changed": sum(int(v) for v in words.values()),
        "hand_edits": len(edits),
        "conflicts": sum(1 for e in edits if e.get("outcome") == "conflict"),
        "cost_usd": None if rollback else run.get("cost_usd"),
        "note": str(_value(meta, "note", "") or "") or None,
    }

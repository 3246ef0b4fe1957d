"""Deploys as the site's metadata shows them and as the timings store's `deploys` rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from merlin_assets.hosts.base import Deploy

# Columns of the `deploys` table, in the order `merlin_assets.timings.queries` declares them.
COLUMNS = (
    "host",
    "kind",
    "deploy_id",
    "url",
    "files_uploaded",
    "bytes_uploaded",
    "files_deleted",
    "files_total",
    "seconds",
    "detail",
    "error",
)


def deploy_summary(deploys: Sequence[Deploy | Mapping[str, Any]]) -> dict[str, Any]:
    """What the site's materialization shows: every deploy, and the hosts that failed."""
    rows = [d.as_dict() if isinstance(d, Deploy) else dict(d) for d in deploys]
    shown: dict[str, Any] = {"deploys": rows}
    failed = [str(r["host"]) for r in rows if r.get("error")]
    if failed:
        shown["deploy_failed"] = ", ".join(failed)
    return shown


def deploy_rows(
    run_id: str, project: str, site_meta: Mapping[str, Any], at: datetime | None
) -> list[dict[str, Any]]:
    """One `deploys` row per host in a site materialization's metadata (none without hosts)."""
    found: Iterable[Any] = site_meta.get("deploys") or []
    rows = []
    for d in found:
        if not isinstance(d, Mapping):
            continue
        row = {c: d.get(c) for c in COLUMNS}
        row.update(
            run_id=run_id,
            project=project,
            deployed_at=at,
            status="failed" if d.get("error") else "ok",
        )
        rows.append(row)
    return rows

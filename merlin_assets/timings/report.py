"""What one run's timings say, as a person reads them: summary figures and the timeline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from merlin_assets.timings import gantt
from merlin_assets.timings.rows import Entry, RunInfo, RunRows, build_rows


def ratios(run: Mapping[str, Any]) -> dict[str, float | None]:
    """speedup = sum_s / wall_s and efficiency = critical_path_s / wall_s, as the views do."""
    wall = run["wall_s"] or 0.0
    return {
        "speedup": round(run["sum_s"] / wall, 2) if wall else None,
        "efficiency": round(run["critical_path_s"] / wall, 3) if wall else None,
    }


def timeline(rows: RunRows) -> bytes:
    run = rows.run
    title = f"{run['project']} · run {run['run_id'][:8]} · {run['status'].lower()}"
    return gantt.draw(rows.items, rows.calls, title=title, summary={**run, **ratios(run)})


def timeline_of_entries(run_id: str, project: str, entries: list[Entry]) -> bytes:
    """The timeline of a run still in progress, from the entries it has logged so far."""
    rows = build_rows(RunInfo(run_id=run_id, project=project, status="STARTED"), entries)
    rows.run["status"] = "finishing"
    return timeline(rows)

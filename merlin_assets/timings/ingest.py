"""Reading a finished run back from the Dagster event log into the timings store."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import dagster as dg

from merlin_assets.config.environment import Settings
from merlin_assets.releases.table import release_row, release_rows
from merlin_assets.timings.rows import Check, Entry, RunInfo, RunRows, build_rows
from merlin_assets.timings.run_report import RunReport
from merlin_assets.timings.store import TimingsStore, default_db_path, timings_store

FINISHED = (
    dg.DagsterRunStatus.SUCCESS,
    dg.DagsterRunStatus.FAILURE,
    dg.DagsterRunStatus.CANCELED,
)
# Tags every run of the site job carries (set by the CLI, the sensor or the step itself).
SOURCE_TAG = "merlin/source"
CONFIG_HASH_TAG = "merlin/config_hash"
CONFIG_FILE_TAG = "merlin/config_file"
CONCURRENCY_TAG = "merlin/concurrency"
PROVIDER_TAG = "merlin/provider"


def _source(tags: dict[str, str]) -> str:
    if tags.get(SOURCE_TAG):
        return tags[SOURCE_TAG]
    if tags.get("dagster/sensor_name"):
        return "sensor"
    if tags.get("dagster/backfill"):
        return "backfill"
    return "ui"


def _error(instance: dg.DagsterInstance, run_id: str) -> str:
    records = instance.get_records_for_run(
        run_id, of_type={dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.RUN_FAILURE}
    ).records
    for record in records:
        event = record.event_log_entry.dagster_event
        if event is not None and event.is_step_failure:
            error = event.step_failure_data.error
            while error is not None and error.cause is not None:
                error = error.cause
            if error is not None:
                return error.message.strip()[:500]
    for record in records:
        if record.event_log_entry.dagster_event is not None:
            return (record.event_log_entry.dagster_event.message or "").strip()[:500]
    return ""


def run_rows(instance: dg.DagsterInstance, run_id: str) -> RunRows | None:
    """The rows for a finished run, or None while it is still going (or unknown)."""
    record = instance.get_run_record_by_id(run_id)
    if record is None or record.dagster_run.status not in FINISHED:
        return None
    run = record.dagster_run
    tags = dict(run.tags)
    report = RunReport(run_id=run_id)
    report.refresh(instance)
    entries = [Entry(i.asset, i.partition, i.meta) for i in report.items]
    config_meta = next((i.meta for i in report.items if i.asset == "project_config"), {})
    concurrency = tags.get(CONCURRENCY_TAG)
    info = RunInfo(
        run_id=run_id,
        project=tags.get("dagster/partition", "") or str(config_meta.get("project", "")),
        status=run.status.value,
        started_at=record.start_time,
        ended_at=record.end_time,
        job=run.job_name,
        source=_source(tags),
        # The validated content's hash, whatever the file looked like; else the tag.
        config_hash=str(config_meta.get("config_hash") or tags.get(CONFIG_HASH_TAG, "")),
        config_file=tags.get(CONFIG_FILE_TAG, ""),
        provider=tags.get(PROVIDER_TAG, ""),
        concurrency=int(concurrency) if concurrency and concurrency.isdigit() else None,
        error=_error(instance, run_id) if run.status != dg.DagsterRunStatus.SUCCESS else "",
    )
    checks = [
        Check(c.name, c.passed, c.severity, c.timestamp, c.findings, c.asset)
        for c in report.check_results
    ]
    return build_rows(info, entries, checks)


def ingest_run(instance: dg.DagsterInstance, run_id: str, store: TimingsStore) -> RunRows | None:
    """Record a finished run; safe to repeat (the run's files are replaced with equal rows)."""
    rows = run_rows(instance, run_id)
    if rows is not None:
        store.write_run(rows)
        switches = release_rows(instance, run_id, rows.run)
        if switches:
            store.write_rows("releases", run_id, switches)
    return rows


def record_release(
    instance: dg.DagsterInstance,
    project_id: str,
    key: str,
    meta: dict[str, Any],
    *,
    cost_usd: float | None = None,
) -> None:
    """A publish made outside a run (an edits file applied in the sensor's tick, `merlin
    regenerate`) as its row of the `releases` table now: no run will carry it there. `meta` is
    its `site` materialization's metadata; `key` stands for the run id."""
    settings = Settings()
    db = settings.timings_db or default_db_path(instance.root_directory)
    row = release_row(
        meta, project=project_id, run_id=key, at=time.time(), run={"cost_usd": cost_usd}
    )
    if row is not None:
        timings_store(settings, Path(db)).write_rows("releases", key, [row])

"""Records every finished run in the timings store, whoever started it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import dagster as dg

from merlin_assets.defs.timings.resources import TimingsDBResource
from merlin_assets.timings.ingest import FINISHED, ingest_run

BATCH = 25
# A run that cannot be read after this many ticks is reported and passed over, so one broken
# run cannot hold up every run after it.
MAX_ATTEMPTS = 10


def _cursor(raw: str | None) -> dict:
    data = json.loads(raw) if raw else {}
    return {
        "after": float(data.get("after", 0.0)),
        "seen": list(data.get("seen", [])),
        "failures": dict(data.get("failures", {})),
    }


@dg.sensor(
    name="run_timings",
    minimum_interval_seconds=5,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records each finished run (success, failure or cancel; from the sensor, the "
    "UI or `merlin generate`) in the DuckDB timings store. The cursor only moves past a run "
    "once its rows are written.",
)
def run_timings(
    context: dg.SensorEvaluationContext, timings_db: TimingsDBResource
) -> dg.SensorResult | dg.SkipReason:
    """Finished runs, in the order they finished, into the timings store."""
    cursor = _cursor(context.cursor)
    after = cursor["after"]
    # Runs finishing in the same instant as the cursor are re-listed and skipped by id.
    since = datetime.fromtimestamp(after, UTC) - timedelta(milliseconds=1) if after else None
    records = context.instance.get_run_records(
        filters=dg.RunsFilter(statuses=list(FINISHED), updated_after=since),
        order_by="update_timestamp",
        ascending=True,
        limit=BATCH,
    )
    store = timings_db.store(context.instance)
    recorded = []
    for record in records:
        run_id = record.dagster_run.run_id
        stamp = record.update_timestamp.timestamp()
        if stamp <= after and run_id in cursor["seen"]:
            continue
        try:
            ingest_run(context.instance, run_id, store)
        except Exception as exc:
            attempts = cursor["failures"].get(run_id, 0) + 1
            if attempts < MAX_ATTEMPTS:
                cursor["failures"][run_id] = attempts
                context.log.warning(f"run {run_id} not recorded yet (attempt {attempts}): {exc}")
                break  # the cursor stays before this run, so it is tried again next tick
            context.log.error(f"run {run_id} passed over after {attempts} attempts: {exc}")
        else:
            recorded.append(run_id)
        cursor["failures"].pop(run_id, None)
        if stamp > after:
            after, cursor["seen"] = stamp, [run_id]
        else:
            cursor["seen"].append(run_id)
    cursor["after"] = after
    if recorded:
        context.log.info(f"recorded {len(recorded)} run(s) in {store.db_path}")
    else:
        store.ensure_views()
    text = json.dumps(cursor, sort_keys=True)
    if not recorded:
        return dg.SensorResult(skip_reason="no newly finished runs", cursor=text)
    return dg.SensorResult(cursor=text)

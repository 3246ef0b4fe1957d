"""Starts a site run when a project config appears, or changes, in the projects folder."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from merlin_assets.defs.partitions import projects
from merlin_assets.defs.pipeline.assets import generate_site
from merlin_assets.paths import write_atomic
from merlin_assets.project_files import Scan, scan
from merlin_assets.settings import Settings
from merlin_assets.timings.ingest import CONFIG_FILE_TAG, CONFIG_HASH_TAG, SOURCE_TAG


def _snapshot(root: Path, found) -> Path:
    """The exact bytes this run is for: an edit after the tick cannot change what it builds."""
    dest = root / "configs" / f"{found.project_id}-{found.file_hash}{found.suffix}"
    if not dest.exists():
        write_atomic(dest, found.raw)
    return dest


def _work_root(instance: dg.DagsterInstance) -> Path:
    work = Settings().work_dir
    return (Path(work) if work else Path(instance.root_directory) / "merlin").absolute()


@dg.sensor(
    name="project_configs",
    job=generate_site,
    minimum_interval_seconds=5,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Builds a project's site when its config (*.yaml, *.yml, *.json) appears or "
    "changes in MERLIN_PROJECTS_DIR (default projects/). One run per content; invalid files "
    "are reported and retried once edited; removing a file never removes a site.",
)
def project_configs(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    """New or changed project configs become runs of `generate_site`."""
    folder = Settings().projects_dir.absolute()
    if not folder.is_dir():
        return dg.SkipReason(f"projects folder {folder} does not exist")
    previous = json.loads(context.cursor) if context.cursor else {}
    result: Scan = scan(folder, previous)
    for bad in result.invalid:
        context.log.warning(f"skipped invalid config {bad.message}")

    known = set(context.instance.get_dynamic_partitions(projects.name))
    new_ids = sorted({f.project_id for f in result.found} - known)
    by_project: dict[str, list[str]] = {}
    requests = []
    root = _work_root(context.instance)
    for found in result.found:
        by_project.setdefault(found.project_id, []).append(found.name)
        config_path = _snapshot(root, found)
        context.log.info(f"{found.name}: project '{found.project_id}', run key {found.run_key}")
        requests.append(
            dg.RunRequest(
                run_key=found.run_key,
                partition_key=found.project_id,
                run_config={
                    "ops": {"site_pipeline": {"config": {"config_path": str(config_path)}}}
                },
                tags={
                    SOURCE_TAG: "sensor",
                    CONFIG_FILE_TAG: found.name,
                    CONFIG_HASH_TAG: found.content_hash,
                },
            )
        )
    for project_id, names in by_project.items():
        if len(names) > 1:
            context.log.warning(
                f"{', '.join(names)} all describe project '{project_id}'; the last run wins"
            )
    cursor = json.dumps(result.state, sort_keys=True)
    if not requests:
        invalid = result.invalid_now()
        reason = (
            "invalid configs skipped: " + "; ".join(b.message for b in invalid)
            if invalid
            else f"no new or changed configs in {folder}"
        )
        return dg.SensorResult(skip_reason=reason, cursor=cursor)
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[projects.build_add_request(new_ids)] if new_ids else [],
        cursor=cursor,
    )

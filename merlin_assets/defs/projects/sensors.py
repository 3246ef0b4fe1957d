"""Starts a site run when a project config appears, or changes, in the projects folder, and
applies the edits file beside a config when it does (in the tick, or by a run)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from merlin_assets import storage
from merlin_assets.config.environment import Settings
from merlin_assets.defs.edits.apply import apply_in_tick
from merlin_assets.defs.edits.jobs import apply_site_edits
from merlin_assets.defs.partitions import projects
from merlin_assets.defs.pipeline.assets import generate_site
from merlin_assets.paths import write_atomic
from merlin_assets.projects.files import Scan, scan
from merlin_assets.projects.sensor_state import (
    LocalStateStore,
    ObjectStateStore,
    digest,
    read_cursor,
    write_cursor,
)
from merlin_assets.projects.snapshot import snapshot_with_media
from merlin_assets.projects.sources import FolderSource, source_for
from merlin_assets.timings.ingest import CONFIG_FILE_TAG, CONFIG_HASH_TAG, SOURCE_TAG

SENSOR = "project_configs"


class _Keeping:
    """Where this sensor keeps config snapshots and its state: the work folder, or the object
    store on a fleet (any worker reads the snapshot, any daemon host the state)."""

    def __init__(self, settings: Settings, instance: dg.DagsterInstance):
        self.where = storage.location(settings)
        if self.where is None:
            work = settings.work_dir
            self.root = (
                Path(work) if work else Path(instance.root_directory) / "merlin"
            ).absolute()
            self.state = LocalStateStore(self.root / "sensors")
        else:
            self.fs = storage.settings_filesystem(settings)
            self.state = ObjectStateStore(self.fs, self.where.path("sensors"))

    def snapshots(self, found: list, folder: Path | None) -> list[str]:
        """The exact bytes each run is for: an edit after the tick cannot change what it
        builds. Into a bucket they go up together (s3fs sends them concurrently): one at a
        time, a first look at 10,000 configs spent minutes on the uploads. A config with media
        (only watched in a folder) gets a folder with copies of its files beside it."""
        names = [f"{f.project_id}-{f.file_hash}{f.suffix}" for f in found]
        if self.where is None:
            out = []
            for one, name in zip(found, names, strict=True):
                if one.media and folder is not None:
                    dest = self.root / "configs" / one.run_key
                    out.append(str(snapshot_with_media(dest, one.name, one.raw, folder, one.media)))
                    continue
                dest = self.root / "configs" / name
                if not dest.exists():
                    write_atomic(dest, one.raw)
                out.append(str(dest))
            return out
        if found:
            self.fs.pipe(
                {self.where.path("configs", n): f.raw for f, n in zip(found, names, strict=True)}
            )
        return [self.where.url("configs", name) for name in names]


@dg.sensor(
    name="project_configs",
    jobs=[generate_site, apply_site_edits],
    # Dagster's daemon evaluates sensors every 5 s at most; 4 keeps this one in every loop
    # (at 5, a loop that came round a moment early would skip it, and an edit waited 10 s).
    minimum_interval_seconds=4,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Builds a project's site when its config (*.yaml, *.yml, *.json) appears or "
    "changes in MERLIN_PROJECTS_DIR (default projects/), or a logo or photo it names does, "
    "and applies its edits file (<config name>.edits.yaml) without a model call when that "
    "appears or changes. One run per content; invalid files are reported and retried once "
    "edited; removing a file never removes a site.",
)
def project_configs(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    """New or changed project configs become runs of `generate_site`."""
    settings = Settings()
    source = source_for(settings.projects_dir, settings.s3_endpoint_url)
    folder = source.describe()
    if not source.exists():
        return dg.SkipReason(f"projects folder {folder} does not exist")
    keeping = _Keeping(settings, context.instance)
    key, inline = read_cursor(context.cursor)
    previous = inline if inline is not None else (keeping.state.load(SENSOR, key) if key else None)
    result: Scan = scan(source, previous or {})
    for bad in result.invalid:
        context.log.warning(f"skipped invalid config {bad.message}")

    known = set(context.instance.get_dynamic_partitions(projects.name))
    new_ids = sorted({f.project_id for f in result.found} - known)
    by_project: dict[str, list[str]] = {}
    requests = []
    local = Path(folder) if isinstance(source, FolderSource) else None
    snapshots = keeping.snapshots(result.found, local)
    for found, config_path in zip(result.found, snapshots, strict=True):
        by_project.setdefault(found.project_id, []).append(found.name)
        context.log.info(f"{found.name}: project '{found.project_id}', run key {found.run_key}")
        requests.append(
            dg.RunRequest(
                job_name=generate_site.name,
                run_key=found.run_key,
                partition_key=found.project_id,
                run_config={"ops": {"site_pipeline": {"config": {"config_path": config_path}}}},
                tags={
                    SOURCE_TAG: "sensor",
                    CONFIG_FILE_TAG: found.name,
                    CONFIG_HASH_TAG: found.content_hash,
                },
            )
        )
    edits_requests, applied = _edits(context, source, result, known - set(by_project))
    requests += edits_requests
    for project_id, names in by_project.items():
        if len(names) > 1:
            context.log.warning(
                f"{', '.join(names)} all describe project '{project_id}'; the last run wins"
            )
    # Nothing changed (the usual tick): the state in force stays, no digest to compute.
    state_key = key if key and result.state == previous else digest(result.state)
    if state_key != key:
        keeping.state.save(SENSOR, state_key, result.state)
    cursor = write_cursor(state_key, len(result.state))
    if not requests and not applied:
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
        asset_events=applied,
        cursor=cursor,
    )


def _edits(
    context: dg.SensorEvaluationContext, source, result: Scan, ready: set[str]
) -> tuple[list[dg.RunRequest], list[dg.AssetMaterialization]]:
    """Each new or changed edits file whose project has a site, applied in this tick (its
    `site` materialization), or else by a run of `apply_site_edits`.

    An edits file is checked against the built site, so one whose project is new or being
    rebuilt in this tick is left unseen (out of the state) and looked at again next tick."""
    requests, applied = [], []
    for edits in result.edits:
        if not isinstance(source, FolderSource):
            context.log.warning(f"{edits.name}: edits files are applied from a local folder only")
            continue
        if edits.project_id is None or edits.project_id not in ready:
            result.state.pop(edits.name, None)
            if edits.project_id is None:
                context.log.warning(f"{edits.name}: no config beside it names a project yet")
            continue
        path = Path(source.describe()) / edits.name
        done = apply_in_tick(context, edits.project_id, path, edits.run_key)
        if done is not None:
            applied.append(done)
            continue
        context.log.info(f"{edits.name}: edits for '{edits.project_id}', run key {edits.run_key}")
        requests.append(
            dg.RunRequest(
                job_name=apply_site_edits.name,
                run_key=edits.run_key,
                run_config={
                    "ops": {
                        "apply_edits": {
                            "config": {"project": edits.project_id, "edits_path": str(path)}
                        }
                    }
                },
                tags={SOURCE_TAG: "sensor", CONFIG_FILE_TAG: edits.name},
            )
        )
    return requests, applied

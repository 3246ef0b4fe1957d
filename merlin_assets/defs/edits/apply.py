"""An edits file applied to a built site: checked against it, kept, every page rendered again
from stored results with it applied, and published as a new release. No model is called.

Two callers: the `apply_site_edits` job (from the UI's launchpad, and from the sensor when it
cannot apply at once) and the projects sensor's own tick (`apply_in_tick`), which makes a
plain edit live within seconds of the file changing: a run under `merlin dev` waits about 5 s
in the queue and 4 s for its own process to import Dagster and Merlin again, for a step of
0.4 s (`merlin bench --scenario lifecycle`, 2 cores).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg

from merlin_assets.defs.metadata import to_metadata
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.defs.runner import run_project
from merlin_assets.edits.prepare import prepare
from merlin_assets.edits.state import STATE, EditsState
from merlin_assets.storage.local import MissingArtifactError
from merlin_assets.timings.ingest import CONFIG_FILE_TAG, record_release

# What is made again: the site, with every page re-rendered from its stored copy.
SITE, PAGES = "site", "site_pages"
# Runs that publish a project: a tick applying edits beside one would race it to the live site.
IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


@dataclass
class Applied:
    """The edits state kept, and the site node's value (its release and deploys)."""

    state: EditsState
    site: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def release(self) -> str:
        return str(self.site.get("release", {}).get("release", ""))

    def metadata(self) -> dict[str, Any]:
        """The `site` materialization's metadata: the release, the edits, the deploys."""
        return {
            **self.site.get("release", {}),
            "edits_file": self.state.source,
            "edits": [c.model_dump() for c in self.state.changes],
            "deploys": self.site.get("deploys", []),
            "apply_s": round(self.seconds, 4),
        }


def apply_edits(
    instance: dg.DagsterInstance,
    llm: LLMResource,
    paths: PathsResource,
    *,
    project_id: str,
    edits_path: Path,
    run_id: str,
) -> Applied:
    """Apply the edits file at `edits_path` to the project's built site and publish it.

    Raises:
        ConfigError: naming the file and field of the first entry refused (nothing written).
        MissingArtifactError: when the project's site was never built.
    """
    started = time.perf_counter()
    store = paths.store(instance)
    state = prepare(store, project_id, edits_path)
    store.save(project_id, STATE, state)
    site: dict[str, Any] = {}
    for event in run_project(
        instance, run_id, llm, paths, project_id=project_id, from_store=(SITE, (PAGES,))
    ):
        if event.asset == SITE:
            site = event.value
    return Applied(state, site, time.perf_counter() - started)


def busy(instance: dg.DagsterInstance, project_id: str, edits_file: str) -> bool:
    """A run that publishes this project (a build, or an earlier edits run) is queued or on."""
    for tags in ({"dagster/partition": project_id}, {CONFIG_FILE_TAG: edits_file}):
        if instance.get_run_records(dg.RunsFilter(statuses=IN_FLIGHT, tags=tags), limit=1):
            return True
    return False


def remote_hosts(paths: PathsResource, instance: dg.DagsterInstance, project_id: str) -> bool:
    """The project's config deploys beyond local folders: a deploy over the network belongs
    in a run (its time, retries and failure shown there), not in a sensor's tick."""
    try:
        config = paths.store(instance).load_config(project_id)
    except MissingArtifactError:
        return True
    return any(entry.host != "folder" for entry in config.publish)


def apply_in_tick(
    context: dg.SensorEvaluationContext, project_id: str, edits_path: Path, key: str
) -> dg.AssetMaterialization | None:
    """The edits applied in this tick, as the `site` materialization to report; None when a
    run must do it (a run of the project in flight, hosts to deploy to, or the edits refused:
    the run then fails naming the file and field, where the UI shows failures)."""
    instance = context.instance
    paths = PathsResource.from_env()
    if busy(instance, project_id, edits_path.name) or remote_hosts(paths, instance, project_id):
        return None
    try:
        applied = apply_edits(
            instance,
            LLMResource.from_env(provider="offline"),
            paths,
            project_id=project_id,
            edits_path=edits_path,
            run_id=key,
        )
    except Exception as exc:  # the run says it where people look for failures
        context.log.warning(f"{edits_path.name}: not applied in the tick ({exc}); starting a run")
        return None
    meta = applied.metadata()
    context.log.info(
        f"{edits_path.name}: release {applied.release} of '{project_id}' live "
        f"({len(applied.state.changes)} edit(s), {applied.seconds:.2f} s, no model call)"
    )
    record_release(instance, project_id, key, meta)
    return dg.AssetMaterialization(
        asset_key=SITE,
        partition=project_id,
        description=f"edits file {applied.state.source} applied by the projects sensor",
        metadata=to_metadata(meta),
    )

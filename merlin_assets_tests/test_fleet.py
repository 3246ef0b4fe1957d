"""A fleet on one machine: Postgres, Redis, the S3 test server, the daemon and two Celery
workers (merlin_assets/fleet), running offline `generate_site` runs that the project sensor
starts from configs dropped into the watched folder.

Sites and phase results go to a shared local folder (MERLIN_SITES_DIR / MERLIN_WORK_DIR) while
the pipeline's resources keep them on disk; when they publish to MERLIN_STORAGE_URL the sites
are looked up in the bucket instead.
"""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import pytest

from merlin_assets.fleet import processes

# Every fleet test starts these; test_fleet_state.py shares them.
FLEET_NEEDS = [
    pytest.mark.needs_extra("fleet"),
    pytest.mark.needs_service("redis-server", "moto_server", "postgres"),
]
pytestmark = [pytest.mark.slow, *FLEET_NEEDS]

REPO = Path(__file__).parents[1]
EXAMPLES = REPO / "examples" / "projects"
WORKER_TAG = "merlin/worker"


def config_text(index: int) -> tuple[str, str]:
    """A distinct project: an example config renamed. Returns (file text, project id)."""
    from merlin_assets.config.project import load_config

    examples = sorted(EXAMPLES.glob("*.yaml"))
    source = examples[index % len(examples)]
    text = source.read_text()
    text = re.sub(r"^name: (.*)$", rf"name: \1 Fleet {index}", text, count=1, flags=re.M)
    text = re.sub(r"^id: (.*)$", rf"id: \1-fleet-{index}", text, count=1, flags=re.M)
    probe = Path(f"/tmp/merlin-fleet-probe-{index}.yaml")
    probe.write_text(text)
    try:
        return text, load_config(probe).project_id
    finally:
        probe.unlink()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    from merlin_assets.fleet.local import LocalFleet

    root = tmp_path_factory.mktemp("fleet")
    fleet = LocalFleet(
        root, workers=2, concurrency=1, webserver=False, offline=True, monitor_every_s=5
    )
    fleet.up()
    try:
        yield fleet
    finally:
        report = dict(fleet.down())
        fleet.remove()
        assert all(not outcome.startswith("still") for outcome in report.values()), report


@pytest.fixture(scope="module")
def instance(fleet):
    import dagster as dg

    with dg.DagsterInstance.from_config(str(fleet.home)) as inst:
        yield inst


def runs_of(instance, project_id: str):
    import dagster as dg

    return instance.get_runs(dg.RunsFilter(tags={"dagster/partition": project_id}))


def wait_for(predicate, timeout_s: float, every_s: float = 1.0, what: str = ""):
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_s}s waiting for {what}")
        time.sleep(every_s)


def site_complete(fleet, project_id: str) -> bool:
    local = Path(fleet.state["env"]["MERLIN_SITES_DIR"]) / project_id
    if (local / "index.html").is_file():
        return True
    from merlin_assets.storage import StorageLocation, filesystem
    from merlin_assets.storage.object_publisher import ObjectStorePublisher

    env = fleet.state["env"]
    where = StorageLocation.parse(env["MERLIN_STORAGE_URL"])
    fs = filesystem(
        env["MERLIN_S3_ENDPOINT_URL"],
        key=env["AWS_ACCESS_KEY_ID"],
        secret=env["AWS_SECRET_ACCESS_KEY"],
    )
    live = ObjectStorePublisher(fs, where.path("sites")).live(project_id)
    return bool(live) and "index.html" in (live.get("files") or [])


def leftover_files(folder: Path) -> list[str]:
    """Files a worker left in its own folder, beyond its copy of the instance config."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder) != Path("dagster_home/dagster.yaml")
    )


def test_six_runs_spread_over_two_workers_and_leave_nothing_behind(fleet, instance):
    import dagster as dg

    projects = {}
    peaks = {1: 0.0, 2: 0.0}
    submitted = time.monotonic()
    for index in range(6):
        text, project_id = config_text(index)
        (fleet.projects_dir / f"fleet-{index}.yaml").write_text(text)
        projects[project_id] = index

    def all_done():
        for i in peaks:
            pgid = fleet.worker_pgid(i)
            if pgid:
                peaks[i] = max(peaks[i], processes.peak_rss_mb(pgid))
        runs = [r for p in projects for r in runs_of(instance, p)]
        done = [r for r in runs if r.is_finished]
        return len(done) == len(projects) and len(runs) == len(projects) and runs

    runs = wait_for(all_done, 300, 1.0, "6 runs to finish")
    elapsed = time.monotonic() - submitted
    print(f"\n6 runs on 2 workers: {elapsed:.1f}s from configs dropped to all finished")
    print(f"peak memory per worker (main + pool child): {peaks}")

    assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs), [
        (r.run_id, r.status) for r in runs
    ]
    workers = {r.tags.get(WORKER_TAG) for r in runs}
    assert workers == {"w1", "w2"}, workers
    for project_id in projects:
        assert site_complete(fleet, project_id), project_id
    for i in (1, 2):
        assert leftover_files(fleet.worker_dir(i)) == [], i


def test_killed_worker_run_is_retried_on_the_other_worker(fleet, instance):
    import dagster as dg

    text, project_id = config_text(6)
    (fleet.projects_dir / "fleet-kill.yaml").write_text(text)

    def started_on_a_worker():
        for run in runs_of(instance, project_id):
            if run.status == dg.DagsterRunStatus.STARTED and run.tags.get(WORKER_TAG):
                return run
        return None

    first = wait_for(started_on_a_worker, 120, 0.5, "the run to start on a worker")
    victim = first.tags[WORKER_TAG]
    pgid = fleet.worker_pgid(int(victim[1:]))
    assert pgid is not None
    processes.signal_group(pgid, signal.SIGKILL)
    killed = time.monotonic()

    def retried_and_done():
        runs = runs_of(instance, project_id)
        retries = [r for r in runs if r.tags.get("dagster/parent_run_id") == first.run_id]
        return retries[0] if retries and retries[0].is_finished else None

    retry = wait_for(retried_and_done, 240, 1.0, "the retry to finish")
    after = time.monotonic() - killed
    print(f"\nworker {victim} killed; retry {retry.run_id[:8]} finished {after:.1f}s later")
    assert instance.get_run_by_id(first.run_id).status == dg.DagsterRunStatus.FAILURE
    assert retry.status == dg.DagsterRunStatus.SUCCESS
    assert retry.tags.get(WORKER_TAG) not in {None, victim}
    assert site_complete(fleet, project_id)

"""A fleet whose workers keep no state: projects, sites, timings, budgets and replies are in the
bucket and in Redis, and every server is a real one started here.

One fleet (merlin_assets/fleet: Postgres, Celery's Redis, moto S3, the daemon, 2 Celery workers
each in an empty folder of its own) builds sites against the local OpenAI-compatible server,
which allows each of its 2 keys `RPM` requests a minute, as Merlin is told (MERLIN_KEY_RPM).
Merlin's budgets, cooldowns and reply cache are in a second Redis (MERLIN_REDIS_URL) that one
test restarts mid-batch. Configs are dropped into the bucket (MERLIN_PROJECTS_DIR=s3://...),
sites are read back from the bucket only, timings are read by a third process that has nothing
but environment variables. A reader polls the published sites the whole time.

The tests share the fleet and run in order: the first batch, then what it left (sites, 429s,
timings), a re-run on the other worker, the Redis restart, and the reader's verdict.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from merlin_assets_tests.html_refs import refs_of
from merlin_assets_tests.test_fleet import (
    FLEET_NEEDS,
    WORKER_TAG,
    leftover_files,
    runs_of,
    wait_for,
)

pytestmark = [pytest.mark.slow, *FLEET_NEEDS]

KEYS = ("sk-fleet-state-0001", "sk-fleet-state-0002")
RPM = 30  # per key, on the server and in Merlin
FIRST_BATCH = 12
RESTART_BATCH = 3
# Generous for a loaded 2-core machine; about 3 minutes on an idle one.
BATCH_TIMEOUT_S = 900
CALL_PATHS = ("/v1/chat/completions", "/v1/images/generations")
SITES_ROOT = "merlin/fleet/sites"
PROJECTS_PREFIX = "merlin/projects"


def _profile():
    from merlin_assets.bench.scenarios import Profile

    return Profile(chat_s=0.2, image_s=0.1, images=3, pages=2)


# Content-addressed font subsets (render/fonts.py, under MERLIN_CACHE_DIR): made from the
# installed font files alone and rebuilt identically on any machine, so a worker that loses
# them loses only the CPU to make them again; a cache, not state.
DERIVED = ("cache/merlin/fonts/",)


def state_left(folder: Path) -> list[str]:
    """What a worker left in its folder beyond its instance config and derived caches."""
    return [f for f in leftover_files(folder) if not f.startswith(DERIVED)]


def project_id(index: int) -> str:
    return f"fleet-state-{index:02d}"


def config_text(index: int, note: str = "") -> str:
    from merlin_assets.bench.runner import bench_config

    text = yaml.safe_dump(
        bench_config(project_id(index), f"Fleet State {index:02d}"), sort_keys=False
    )
    # A comment changes the file (a new run key: the sensor starts a run), not the project.
    return text + (f"# {note}\n" if note else "")


# --- the servers ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake():
    from merlin_assets.bench import scenarios as sc
    from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings

    profile = _profile()
    server = FakeOpenAI(
        ServerSettings(
            per_key_rpm={"*": RPM},
            chat_latency_s=profile.chat_s,
            image_latency_s=profile.image_s,
            responder=sc.responder(profile),
            seed=11,
        )
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def merlin_redis(tmp_path_factory):
    """Merlin's shared state (budgets, cooldowns, replies), apart from Celery's queue."""
    from merlin_assets.testing.redis_server import RedisServer

    server = RedisServer(directory=tmp_path_factory.mktemp("merlin-redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory, fake, merlin_redis):
    from merlin_assets.fleet.local import LocalFleet

    root = tmp_path_factory.mktemp("fleet-state")
    fleet = LocalFleet(
        root,
        workers=2,
        concurrency=1,
        webserver=False,
        monitor_every_s=5,
        env={
            "MERLIN_LLM": "openai",
            "OPENAI_API_KEYS": ",".join(KEYS),
            "OPENAI_BASE_URL": fake.base_url,
            "MERLIN_KEY_RPM": str(RPM),
            # Only the requests budget is the server's; images have no separate limit here.
            "MERLIN_KEY_IMAGES_PER_MIN": "0",
            "MERLIN_REDIS_URL": merlin_redis.url,
            "MERLIN_PROJECTS_DIR": f"s3://{PROJECTS_PREFIX}",
        },
    )
    fleet.up()
    try:
        yield fleet
    finally:
        report = dict(fleet.down())
        # The processes' logs outlive the fleet, in pytest's kept temporary folders.
        shutil.copytree(
            fleet.root / "logs", tmp_path_factory.mktemp("fleet-state-logs"), dirs_exist_ok=True
        )
        fleet.remove()
        assert all(not outcome.startswith("still") for outcome in report.values()), report


@pytest.fixture(scope="module")
def instance(fleet):
    import dagster as dg

    with dg.DagsterInstance.from_config(str(fleet.home)) as inst:
        yield inst


def bucket(fleet):
    from merlin_assets.storage import filesystem

    env = fleet.state["env"]
    return filesystem(
        env["MERLIN_S3_ENDPOINT_URL"],
        key=env["AWS_ACCESS_KEY_ID"],
        secret=env["AWS_SECRET_ACCESS_KEY"],
    )


def publisher(fleet):
    from merlin_assets.storage.object_publisher import ObjectStorePublisher

    return ObjectStorePublisher(bucket(fleet), SITES_ROOT)


def timings_store(fleet):
    from merlin_assets.timings.store import ObjectTimingsStore

    return ObjectTimingsStore(bucket(fleet), "merlin/fleet/timings")


def drop(fleet, index: int, note: str = "") -> None:
    bucket(fleet).pipe_file(
        f"{PROJECTS_PREFIX}/{project_id(index)}.yaml", config_text(index, note).encode()
    )


def finished(instance, projects: list[str], per_project: int = 1):
    """All runs of `projects` once each has `per_project` finished runs, else None."""
    runs = [r for p in projects for r in runs_of(instance, p)]
    done = [r for r in runs if r.is_finished]
    if len(done) >= per_project * len(projects) and len(done) == len(runs):
        return runs
    return None


def calls(fake) -> list[dict]:
    return [r for r in fake.requests if r["path"] in CALL_PATHS]


def worst_window(records: list[dict], window_s: float = 60.0) -> dict[str, int]:
    """Per key: the most requests the server counted in any sliding `window_s` (it counts a
    request when it arrives, `ts_start`)."""
    worst: dict[str, int] = {}
    for key in {r["key"] for r in records}:
        stamps = sorted(r["ts_start"] for r in records if r["key"] == key and r["status"] != 429)
        inside: deque[float] = deque()
        best = 0
        for t in stamps:
            inside.append(t)
            while inside[0] <= t - window_s:
                inside.popleft()
            best = max(best, len(inside))
        worst[key] = best
    return worst


# --- reading sites from the bucket ---------------------------------------------------------


def local_refs(page: str, html: str) -> set[str]:
    """Site files `page` links to or embeds, as paths from the site's root."""
    found = set()
    for ref in refs_of(html):
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        path = unquote(parts.path)
        if path.startswith("/"):
            target = path.lstrip("/")
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if not target or target == "." or target.endswith("/"):
            target = posixpath.join(target.rstrip("/"), "index.html").lstrip("./")
        found.add(target)
    return found


def broken_refs(files: dict[str, bytes], present: set[str]) -> dict[str, set[str]]:
    broken = {}
    for rel, data in files.items():
        if rel.endswith(".html"):
            missing = {r for r in local_refs(rel, data.decode()) if r not in present}
            if missing:
                broken[rel] = missing
    return broken


class Reader(threading.Thread):
    """Polls every known project's live site: the pointer, its pages, and everything they link
    to or embed must exist in the release the pointer names."""

    def __init__(self, fleet):
        super().__init__(name="site-reader", daemon=True)
        from merlin_assets.storage.object_publisher import POINTER, RELEASES

        self.fs = bucket(fleet)
        self.pointer, self.releases = POINTER, RELEASES
        self.projects: list[str] = []
        self.stop = threading.Event()
        self.reads = 0
        self.releases_seen: dict[str, set[str]] = {}
        self.broken: list[tuple[str, str, dict]] = []
        self.errors: list[str] = []

    def live(self, project: str) -> dict | None:
        try:
            return json.loads(self.fs.cat_file(f"{SITES_ROOT}/{project}/{self.pointer}"))
        except FileNotFoundError:
            return None

    def read(self, project: str) -> None:
        pointer = self.live(project)
        if pointer is None:
            return
        release = pointer["release"]
        prefix = f"{SITES_ROOT}/{project}/{self.releases}/{release}"
        pages = {
            rel: self.fs.cat_file(f"{prefix}/{rel}")
            for rel in pointer["files"]
            if rel.endswith(".html")
        }
        present = {k[len(prefix) + 1 :] for k in self.fs.find(prefix)}
        missing_listed = set(pointer["files"]) - present
        broken = broken_refs(pages, present)
        if missing_listed:
            broken["LIVE"] = missing_listed
        if broken:
            # Only a publish bug if the pointer still names this release (a reader that was
            # overtaken by two publishes reads a collected release; it would read LIVE again).
            again = self.live(project)
            if again is not None and again["release"] == release:
                self.broken.append((project, release, broken))
        self.reads += 1
        self.releases_seen.setdefault(project, set()).add(release)

    def run(self) -> None:
        while not self.stop.is_set():
            for project in list(self.projects):
                try:
                    self.read(project)
                except FileNotFoundError:
                    pass  # a page of a release collected under a slow reader
                except Exception as exc:  # reported by the test
                    self.errors.append(f"{project}: {exc!r}")
            self.stop.wait(0.5)


class HeldOpen(threading.Thread):
    """A DuckDB session over the timings Parquet, held open and queried while runs finish."""

    def __init__(self, fleet):
        super().__init__(name="duckdb-session", daemon=True)
        self.store = timings_store(fleet)
        self.stop = threading.Event()
        self.counts: list[int] = []
        self.errors: list[str] = []

    def run(self) -> None:
        self.store.ensure_views()
        with self.store.connect() as con:
            while not self.stop.is_set():
                try:
                    self.counts.append(con.execute("SELECT count(*) FROM runs").fetchone()[0])
                except Exception as exc:  # reported by the test
                    self.errors.append(repr(exc))
                self.stop.wait(2.0)


def _running(thread):
    """A watcher thread for the module's runs: started, then stopped and joined."""
    thread.start()
    yield thread
    thread.stop.set()
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def reader(fleet):
    yield from _running(Reader(fleet))


@pytest.fixture(scope="module")
def held(fleet):
    yield from _running(HeldOpen(fleet))


@pytest.fixture(scope="module")
def first_batch(fleet, instance, fake, reader, held):
    """FIRST_BATCH configs dropped into the bucket at once, built to the end."""
    from merlin_assets.fleet import processes

    fake.clear_requests()
    projects = [project_id(i) for i in range(1, FIRST_BATCH + 1)]
    reader.projects.extend(projects)
    peaks = {1: 0.0, 2: 0.0}
    started = time.monotonic()
    for i in range(1, FIRST_BATCH + 1):
        drop(fleet, i)

    def done():
        for i in peaks:
            pgid = fleet.worker_pgid(i)
            if pgid:
                peaks[i] = max(peaks[i], processes.peak_rss_mb(pgid))
        return finished(instance, projects)

    try:
        runs = wait_for(done, BATCH_TIMEOUT_S, 1.0, f"{FIRST_BATCH} runs to finish")
    except TimeoutError:
        states = [
            (r.tags.get("dagster/partition"), r.status.value)
            for p in projects
            for r in runs_of(instance, p)
        ]
        raise TimeoutError(f"{len(states)} runs so far: {states}") from None
    elapsed = time.monotonic() - started
    records = calls(fake)
    print(
        f"\n{FIRST_BATCH} runs on 2 workers: {elapsed:.1f}s from configs dropped to all "
        f"finished; {len(records)} calls (bound {len(records) / (len(KEYS) * RPM) * 60:.0f}s); "
        f"peak MB per worker {peaks}"
    )
    return {"runs": runs, "projects": projects, "calls": records, "held": held, "peaks": peaks}


# --- the tests -----------------------------------------------------------------------------


def test_configs_in_the_bucket_are_built_on_both_workers_into_the_bucket(
    fleet, first_batch, tmp_path
):
    import dagster as dg

    from merlin_assets.storage.object_publisher import ObjectStorePublisher  # noqa: F401

    runs = first_batch["runs"]
    assert len(runs) == FIRST_BATCH
    assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs), [
        (r.tags.get("dagster/partition"), r.status) for r in runs
    ]
    by_worker: dict[str, int] = {}
    for run in runs:
        by_worker[run.tags.get(WORKER_TAG)] = by_worker.get(run.tags.get(WORKER_TAG), 0) + 1
    print(f"\nruns per worker: {by_worker}")
    assert set(by_worker) == {"w1", "w2"}, by_worker

    pub = publisher(fleet)
    profile = _profile()
    for project in first_batch["projects"]:
        site = pub.download(project, tmp_path / project)
        assert site is not None, f"{project} has no live site in the bucket"
        files = {
            p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()
        }
        pages = [rel for rel in files if rel.endswith(".html")]
        assert len(pages) >= profile.pages, (project, pages)
        assert broken_refs(files, set(files)) == {}, project
        images = {
            ref
            for rel in pages
            for ref in local_refs(rel, files[rel].decode())
            if ref.rsplit(".", 1)[-1] in {"jpg", "jpeg", "png", "webp", "avif"}
        }
        assert images, f"{project}: no page shows an image"
    # The sites live in the bucket only: nothing was written to the shared folder.
    local_sites = Path(fleet.state["env"]["MERLIN_SITES_DIR"])
    assert not any(local_sites.rglob("index.html")), "a site was published to local disk"
    for i in (1, 2):
        assert state_left(fleet.worker_dir(i)) == [], i


def test_two_workers_together_keep_within_every_keys_limit(first_batch):
    records = first_batch["calls"]
    limited = [r for r in records if r["status"] == 429]
    worst = worst_window(records)
    print(f"\n{len(records)} calls, {len(limited)} 429s; most in any 60 s per key: {worst}")
    assert records, "no calls reached the server"
    assert limited == []
    assert set(worst) <= set(KEYS)
    assert max(worst.values()) <= RPM, worst


def test_timings_from_a_third_process_show_every_run_while_duckdb_holds_a_session(
    fleet, first_batch, tmp_path
):
    runs = first_batch["runs"]
    store = timings_store(fleet)
    wanted = {r.run_id for r in runs}
    wait_for(lambda: wanted <= set(store.run_ids()), 120, 2.0, "every run in the timings")
    held = first_batch["held"]
    assert held.is_alive() and held.errors == [], held.errors
    assert held.counts, "the held session never read the runs"

    # A process with nothing but environment variables: its own empty HOME and folder.
    env_keys = (
        "MERLIN_STORAGE_URL",
        "MERLIN_S3_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
    )
    third = tmp_path / "third"
    third.mkdir()
    env = {k: fleet.state["env"][k] for k in env_keys}
    env.update(PATH=os.environ["PATH"], HOME=str(third), TMPDIR=str(third))
    # Every run the store holds, as `merlin timings` finds them, then the command itself for
    # one run (each command reads all the bucket's Parquet afresh: ~30 s on a loaded 2-core
    # machine with 12 runs, so not once per run).
    script = (
        "import json, sys, time\n"
        "from typer.testing import CliRunner\n"
        "from merlin_assets.cli.app import _timings_store, app\n"
        "out = {'run_ids': sorted(_timings_store().run_ids()), 'shown': {}, 'seconds': []}\n"
        "for run_id in sys.argv[1:]:\n"
        "    started = time.perf_counter()\n"
        "    res = CliRunner().invoke(app, ['timings', '--run', run_id, '--json'])\n"
        "    out['seconds'].append(round(time.perf_counter() - started, 1))\n"
        "    out['shown'][run_id] = json.loads(res.output) if res.exit_code == 0 else res.output\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, runs[-1].run_id],
        cwd=third,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert wanted <= set(out["run_ids"]), sorted(wanted - set(out["run_ids"]))
    bad = {k: v for k, v in out["shown"].items() if not isinstance(v, dict)}
    assert bad == {}, bad
    by_run = {run.run_id: run.tags.get("dagster/partition") for run in runs}
    for run_id, summary in out["shown"].items():
        assert summary["run_id"] == run_id and summary["project"] == by_run[run_id], summary
        assert summary["status"] == "SUCCESS", summary
    # The third process wrote nothing but what Python itself may cache.
    assert [p for p in third.rglob("*") if p.is_file() and "__pycache__" not in p.parts] == []
    print(f"\n`merlin timings --run` from a third process: {out['seconds']} s per run")
    print(f"\nheld session read runs {held.counts[:1]} ... {held.counts[-1:]} over the batch")


def test_a_reply_cached_by_one_worker_is_a_hit_on_the_other(fleet, instance, fake, first_batch):
    import dagster as dg

    runs = first_batch["runs"]
    first_of = {r.tags["dagster/partition"]: r for r in runs}
    pick = {}
    for run in runs:
        pick.setdefault(run.tags.get(WORKER_TAG), run.tags["dagster/partition"])
    chosen = sorted(pick.values())
    assert len(chosen) == 2
    # The worker that built the first project stops taking runs for a while (Celery's
    # cancel_consumer), so its re-run lands on the other worker.
    builder = first_of[chosen[0]].tags[WORKER_TAG]
    app = fleet.celery_app()
    node = next(
        n for reply in app.control.ping(timeout=2.0) for n in reply if n.startswith(builder)
    )
    app.control.cancel_consumer("dagster", destination=[node], reply=True)
    fake.clear_requests()
    try:
        for project in chosen:
            drop(fleet, int(project.rsplit("-", 1)[1]), note="again")
        after = wait_for(lambda: finished(instance, chosen, 2), 480, 1.0, "the re-runs")
    finally:
        app.control.add_consumer("dagster", destination=[node], reply=True)
        app.close()
    seconds = {r.run_id for r in after} - {first_of[p].run_id for p in chosen}
    reruns = [r for r in after if r.run_id in seconds]
    assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in reruns)
    crossed = [
        r
        for r in reruns
        if r.tags.get(WORKER_TAG) != first_of[r.tags["dagster/partition"]].tags.get(WORKER_TAG)
    ]
    moves = [
        f"{p} {first_of[p].tags[WORKER_TAG]} -> {r.tags[WORKER_TAG]}"
        for r in reruns
        for p in [r.tags["dagster/partition"]]
    ]
    print("\nre-runs: " + ", ".join(moves))
    assert chosen[0] in {r.tags["dagster/partition"] for r in crossed}, moves
    assert calls(fake) == [], "a re-run called the API"
    store = timings_store(fleet)
    wait_for(lambda: seconds <= set(store.run_ids()), 120, 2.0, "the re-runs' timings")
    for run in crossed:
        summary = store.summary(run.run_id)
        llm_calls = store.calls(run.run_id)
        assert llm_calls, run.run_id
        assert all(c["cache_hit"] for c in llm_calls), [c for c in llm_calls if not c["cache_hit"]][
            :3
        ]
        assert summary["cache_hits"] == len(llm_calls)


def test_redis_restarted_mid_batch_loses_no_run_and_exceeds_no_limit(
    fleet, instance, fake, merlin_redis, first_batch, reader
):
    import dagster as dg

    fake.clear_requests()
    indexes = range(FIRST_BATCH + 1, FIRST_BATCH + RESTART_BATCH + 1)
    projects = [project_id(i) for i in indexes]
    reader.projects.extend(projects)
    for i in indexes:
        drop(fleet, i)
    wait_for(lambda: len(calls(fake)) >= 6, 120, 0.2, "the batch's first calls")
    stopped = time.monotonic()
    merlin_redis.restart(down_s=3.0)
    print(f"\nMerlin's Redis restarted (empty) {len(calls(fake))} calls into the batch")
    runs = wait_for(
        lambda: finished(instance, projects), BATCH_TIMEOUT_S, 1.0, "the batch after the restart"
    )
    elapsed = time.monotonic() - stopped
    records = calls(fake)
    limited = [r for r in records if r["status"] == 429]
    worst = worst_window(records)
    print(
        f"batch done {elapsed:.0f}s after the restart; {len(records)} calls, "
        f"{len(limited)} 429s, most in any 60 s per key {worst}"
    )
    assert len(runs) == len(projects)
    assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs), [
        (r.tags.get("dagster/partition"), r.status) for r in runs
    ]
    assert limited == []
    assert max(worst.values()) <= RPM, worst
    pub = publisher(fleet)
    for project in projects:
        assert pub.live(project) is not None, project


def test_a_reader_polling_the_bucket_never_sees_a_broken_link_or_image(reader, first_batch):
    reader.stop.set()
    reader.join(timeout=30)
    republished = {p: len(r) for p, r in reader.releases_seen.items() if len(r) > 1}
    print(f"\nreader: {reader.reads} site reads, releases switched under it: {republished}")
    assert reader.errors == [], reader.errors[:5]
    assert reader.broken == [], reader.broken[:3]
    assert reader.reads >= FIRST_BATCH
    assert republished, "no site was republished while the reader polled"

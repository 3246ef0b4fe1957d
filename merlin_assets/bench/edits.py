"""An edit applied to a built site: seconds from the edits file changing to the new release
being live, and the model calls it made.

The bakery is built through the projects sensor's own evaluation and a run on a real Dagster
instance (offline: the build is not what is timed). Then its edits file is written, and the
sensor is ticked and the run it asks for executed, until the live release changes; the model
endpoint for that run is the fake OpenAI server at the seed profile's latencies, and every
request it receives is counted.

In process, not under the daemon of `merlin dev`: the sensor is evaluated with
`build_sensor_context` and its run executed with `execute_in_process`, with the definitions
loaded once beforehand (a running code server has them loaded). Under `merlin dev` two costs
come on top and are printed beside the figure, not measured here: the wait for the next tick
(the sensor runs at most every 5 s, so 0-5 s) and the start of the run's own process by the
default run launcher (Python, Dagster and the code location imported again).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

from merlin_assets.bench.hosts import BAKERY
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings

PROJECT = "crumb-co-bakery"
EDITS = "crumb-and-co-bakery.edits.yaml"
CALL_PATHS = ("/v1/chat/completions", "/v1/images/generations")
# The seed profile of `merlin bench` (bench/scenarios.py): a chat call 1.0 s, an image 0.5 s.
SEED_CHAT_S, SEED_IMAGE_S = 1.0, 0.5
# A tick with no change: the loop waits this long before looking again, as the daemon would
# (much shorter than its 5 s, so the figure is the product's time, not the poll's).
POLL_S = 0.05


@contextlib.contextmanager
def _env(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _live(sites: Path) -> str | None:
    pointer = sites / ".releases" / PROJECT / "LIVE"
    return json.loads(pointer.read_text())["release"] if pointer.exists() else None


def measure(work: Path, *, edits: int = 3) -> list[tuple[str, str]]:
    """Rows for the lifecycle table: edit to live (median and worst of `edits`), calls."""
    import dagster as dg

    from merlin_assets.definitions import defs
    from merlin_assets.defs.projects.sensors import project_configs
    from merlin_assets.defs.resources import LLMResource

    home, sites, projects = work / "home", work / "sites", work / "projects"
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text("")
    projects.mkdir()
    shutil.copy(BAKERY, projects / BAKERY.name)
    server = FakeOpenAI(ServerSettings(chat_latency_s=SEED_CHAT_S, image_latency_s=SEED_IMAGE_S))
    env = {
        "DAGSTER_HOME": str(home),
        "MERLIN_SITES_DIR": str(sites),
        "MERLIN_PROJECTS_DIR": str(projects),
        "MERLIN_CACHE_DIR": str(work / "llm-cache"),
        "MERLIN_LLM": "offline",
    }
    with server, _env(env), dg.DagsterInstance.get() as instance:
        loaded = defs()
        offline = LLMResource.from_env(provider="offline")
        # The provider reads its keys when a run opens it: set for every edit run below.
        keys = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEYS": "sk-bench-0001"}
        with _env(keys):
            model = LLMResource.from_env(provider="openai")
        cursor: str | None = None

        def tick() -> list[dg.RunRequest]:
            nonlocal cursor
            result = project_configs(dg.build_sensor_context(instance=instance, cursor=cursor))
            assert isinstance(result, dg.SensorResult)
            for add in result.dynamic_partitions_requests or []:
                instance.add_dynamic_partitions(add.partitions_def_name, list(add.partition_keys))
            cursor = result.cursor
            return list(result.run_requests or [])

        def execute(request: dg.RunRequest, llm: LLMResource) -> None:
            job = loaded.resolve_job_def(request.job_name or "generate_site")
            done = job.execute_in_process(
                instance=instance,
                run_config=request.run_config,
                partition_key=request.partition_key,
                resources={"llm": llm},
                tags=request.tags,
                raise_on_error=False,
            )
            assert done.success, f"{request.job_name} failed"

        started = time.perf_counter()
        for request in tick():
            execute(request, offline)
        build_s = time.perf_counter() - started
        live_s, tick_s, run_s = [], [], []
        server.clear_requests()
        for n in range(edits):
            before = _live(sites)
            data = {
                "pages": {"home": {"sections": {"hero": {"heading": f"Fresh bread, take {n}"}}}}
            }
            started = time.perf_counter()
            (projects / EDITS).write_text(yaml.safe_dump(data))
            while _live(sites) == before:
                at = time.perf_counter()
                requests = tick()
                tick_s.append(time.perf_counter() - at)
                if not requests:
                    time.sleep(POLL_S)
                for request in requests:
                    at = time.perf_counter()
                    with _env(keys):
                        execute(request, model)
                    run_s.append(time.perf_counter() - at)
            live_s.append(time.perf_counter() - started)
            assert f"take {n}" in (sites / PROJECT / "index.html").read_text()
        calls = len([r for r in server.requests if r["path"] in CALL_PATHS])
    return [
        ("edit: the site built first through the sensor (offline)", f"{build_s:.1f} s"),
        (
            f"edit live, in process, median of {edits} (target 5 s)",
            f"{statistics.median(live_s):.2f} s (worst {max(live_s):.2f} s)",
        ),
        (
            "edit: sensor tick / apply_site_edits run",
            f"{statistics.median(tick_s):.3f} s / {statistics.median(run_s):.2f} s",
        ),
        (f"edit: model calls at the seed profile (target 0), {edits} edits", str(calls)),
        ("edit: not counted, under `merlin dev`", "next tick 0-5 s; the run's own process start"),
    ]


def measure_dev(work: Path, *, edits: int = 3, timeout_s: float = 600) -> list[tuple[str, str]]:
    """The same figure under `dagster dev` (what `merlin dev` starts): the bakery dropped into
    the projects folder and built by the daemon's sensor run, then the edits file written and
    the live release polled, every tick wait and run-process start included."""
    import subprocess
    import sys

    from merlin_assets.testing.processes import stop_group
    from merlin_assets.testing.webserver import free_port, graphql

    repo = BAKERY.parents[2]
    home, sites, projects = work / "home", work / "sites", work / "projects"
    for folder in (home, sites, projects):
        folder.mkdir(parents=True)
    shutil.copy(repo / "dagster.yaml", home / "dagster.yaml")
    server = FakeOpenAI(ServerSettings(chat_latency_s=SEED_CHAT_S, image_latency_s=SEED_IMAGE_S))
    with server:
        env = {
            **os.environ,
            "DAGSTER_HOME": str(home),
            "MERLIN_PROJECTS_DIR": str(projects),
            "MERLIN_SITES_DIR": str(sites),
            "MERLIN_TIMINGS_DB": str(work / "timings.duckdb"),
            "MERLIN_CACHE_DIR": str(work / "llm-cache"),
            "MERLIN_LLM": "openai",
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEYS": "sk-bench-0001,sk-bench-0002",
            # This checkout's code, wherever the package was installed from.
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(repo), os.environ.get("PYTHONPATH")) if p
            ),
        }
        port = free_port()
        log = (work / "dagster-dev.log").open("wb")
        args = ["dagster", "dev", "-h", "127.0.0.1", "-p", str(port), "-w", "workspace.yaml"]
        proc = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=repo,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _until(lambda: graphql(port, "{ version }"), timeout_s, "the webserver")
            started = time.perf_counter()
            shutil.copy(BAKERY, projects / BAKERY.name)
            _until(lambda: _live(sites), timeout_s, "the site built by the sensor's run")
            build_s = time.perf_counter() - started
            server.clear_requests()
            live_s = []
            for n in range(edits):
                before = _live(sites)
                data = {"pages": {"home": {"sections": {"hero": {"heading": f"Loaves, take {n}"}}}}}
                started = time.perf_counter()
                (projects / EDITS).write_text(yaml.safe_dump(data))
                _until(lambda b=before: _live(sites) != b, timeout_s, "the edits' release")
                live_s.append(time.perf_counter() - started)
            calls = len([r for r in server.requests if r["path"] in CALL_PATHS])
            # The last run finishes its bookkeeping after the site is live; stopping the
            # daemon under it would record an interrupted run.
            _until(lambda: _settled(port), timeout_s, "the edits runs to finish")
        finally:
            stop_group(proc)
            log.close()
    with _env({"DAGSTER_HOME": str(home)}):
        queue_s, start_s, step_s = _phases(home)
    return [
        ("edit: the site built first by `dagster dev`'s sensor run", f"{build_s:.1f} s"),
        (
            f"edit live under `dagster dev`, median of {edits} (target 5 s)",
            f"{statistics.median(live_s):.2f} s (worst {max(live_s):.2f} s)",
        ),
        (
            "edit under `dagster dev`: run queued / process start / the step",
            f"{queue_s:.2f} s / {start_s:.2f} s / {step_s:.2f} s (medians)",
        ),
        (f"edit under `dagster dev`: model calls (target 0), {edits} edits", str(calls)),
    ]


RUNS = "{ runsOrError { ... on Runs { results { status } } } }"


def _settled(port: int) -> bool:
    from merlin_assets.testing.webserver import graphql

    runs = graphql(port, RUNS)["runsOrError"]["results"]
    return all(r["status"] in ("SUCCESS", "FAILURE", "CANCELED") for r in runs)


def _phases(home: Path) -> tuple[float, float, float]:
    """Medians over the edits runs, from their event logs: queued until the daemon takes the
    run, until its process has started the step, and the step until the release is recorded."""
    import dagster as dg

    queue, start, step = [], [], []
    with dg.DagsterInstance.get() as instance:
        for run in instance.get_runs(filters=dg.RunsFilter(job_name="apply_site_edits")):
            at = {}
            for record in instance.all_logs(run.run_id):
                kind = record.dagster_event.event_type_value if record.dagster_event else ""
                at.setdefault(kind, record.timestamp)
            if {"PIPELINE_ENQUEUED", "PIPELINE_STARTING", "STEP_START"} <= set(at):
                queue.append(at["PIPELINE_STARTING"] - at["PIPELINE_ENQUEUED"])
                start.append(at["STEP_START"] - at["PIPELINE_STARTING"])
                step.append(at.get("ASSET_MATERIALIZATION", at["STEP_START"]) - at["STEP_START"])
    return statistics.median(queue), statistics.median(start), statistics.median(step)


def _until(check, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            value = check()
            if value:
                return value
        time.sleep(0.1)
    raise TimeoutError(f"timed out waiting for {what}")

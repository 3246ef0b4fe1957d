"""An edit applied to a built site: seconds from the edits file changing to the new release
being live, and the model calls it made.

The bakery is built through the projects sensor's own evaluation and a run on a real Dagster
instance (offline: the build is not what is timed). Then its edits file is written, and the
sensor is ticked (it applies the edits in its tick: `defs/edits/apply.py`), and any run it
asks for instead executed, until the live release changes; the model endpoint is the fake
OpenAI server at the seed profile's latencies, and every request it receives is counted.

In process (`measure`): the sensor is evaluated with `build_sensor_context`, with the
definitions loaded once beforehand (a running code server has them loaded). Under `dagster
dev` (`measure_dev`) the wait for the daemon's next sensor loop comes on top: it evaluates
sensors at most every 5 s, so 0-5 s.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

from merlin_assets.bench.commands import live_release
from merlin_assets.bench.hosts import BAKERY
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings

PROJECT = "crumb-co-bakery"
EDITS = "crumb-and-co-bakery.edits.yaml"
CALL_PATHS = ("/v1/chat/completions", "/v1/images/generations")
# The seed profile of `merlin bench` (bench/scenarios.py): a chat call 1.0 s, an image 0.5 s.
SEED_CHAT_S, SEED_IMAGE_S = 1.0, 0.5
# Dagster's sensor daemon evaluates sensors at most this often (`MIN_INTERVAL_LOOP_TIME`).
LOOP_S = 5.0
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
            before = live_release(sites, PROJECT)
            data = {
                "pages": {"home": {"sections": {"hero": {"heading": f"Fresh bread, take {n}"}}}}
            }
            started = time.perf_counter()
            (projects / EDITS).write_text(yaml.safe_dump(data))
            while live_release(sites, PROJECT) == before:
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
    runs = f"{len(run_s)} run(s), median {statistics.median(run_s):.2f} s" if run_s else "0 runs"
    return [
        ("edit: the site built first through the sensor (offline)", f"{build_s:.1f} s"),
        (
            f"edit live, in process, median of {edits} (target 5 s)",
            f"{statistics.median(live_s):.2f} s (worst {max(live_s):.2f} s)",
        ),
        (
            "edit: sensor tick applying it / apply_site_edits runs",
            f"{max(tick_s):.3f} s / {runs}",
        ),
        (f"edit: model calls at the seed profile (target 0), {edits} edits", str(calls)),
    ]


def measure_dev(work: Path, *, edits: int = 10, timeout_s: float = 600) -> list[tuple[str, str]]:
    """The same figure under `dagster dev` (what `merlin dev` starts): the bakery dropped into
    the projects folder and built by the daemon's sensor run, then the edits file written and
    the live release polled, every wait for the daemon's sensor loop included.

    The edits are saved at moments spread evenly over the daemon's 5 s loop (in a shuffled
    order), as people's saves fall: written the moment the last edit went live (just after a
    loop), every edit would wait a whole loop, the worst case, which the table prints beside
    the median. The first edit waits until the build's run has finished: an edit during a
    build waits for it (`defs/edits/apply.py`), which is not what is measured here."""
    import random
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
            built = "the site built by the sensor's run"
            _until(lambda: live_release(sites, PROJECT), timeout_s, built)
            build_s = time.perf_counter() - started
            server.clear_requests()
            _until(lambda: _settled(port), timeout_s, "the build's run to finish")
            live_s = []
            moments = [(i + 0.5) * LOOP_S / edits for i in range(edits)]
            random.Random(7).shuffle(moments)
            for n, moment in enumerate(moments):
                time.sleep(moment)
                before = live_release(sites, PROJECT)
                data = {"pages": {"home": {"sections": {"hero": {"heading": f"Loaves, take {n}"}}}}}
                started = time.perf_counter()
                (projects / EDITS).write_text(yaml.safe_dump(data))
                _until(
                    lambda b=before: live_release(sites, PROJECT) != b,
                    timeout_s,
                    "the edits' release",
                )
                live_s.append(time.perf_counter() - started)
            calls = len([r for r in server.requests if r["path"] in CALL_PATHS])
            # The last run finishes its bookkeeping after the site is live; stopping the
            # daemon under it would record an interrupted run.
            _until(lambda: _settled(port), timeout_s, "the edits runs to finish")
        finally:
            stop_group(proc)
            log.close()
    with _env({"DAGSTER_HOME": str(home)}):
        apply_s, runs = _applied(home)
    return [
        ("edit: the site built first by `dagster dev`'s sensor run", f"{build_s:.1f} s"),
        (
            f"edit live under `dagster dev`, median of {edits} (target 5 s)",
            f"{statistics.median(live_s):.2f} s (worst {max(live_s):.2f} s)",
        ),
        (
            "edit under `dagster dev`: applied in the sensor's tick / apply_site_edits runs",
            f"{apply_s} / {runs}",
        ),
        (f"edit under `dagster dev`: model calls (target 0), {edits} edits", str(calls)),
    ]


RUNS = "{ runsOrError { ... on Runs { results { status } } } }"


def _settled(port: int) -> bool:
    from merlin_assets.testing.webserver import graphql

    runs = graphql(port, RUNS)["runsOrError"]["results"]
    return all(r["status"] in ("SUCCESS", "FAILURE", "CANCELED") for r in runs)


def _applied(home: Path) -> tuple[str, int]:
    """The median seconds the sensor's ticks spent applying the edits (their `site`
    materializations' `apply_s`), and how many `apply_site_edits` runs there were instead."""
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        records = instance.fetch_materializations(dg.AssetKey("site"), limit=100).records
        took = [
            float(m.metadata["apply_s"].value)
            for r in records
            if (m := r.asset_materialization) is not None and "apply_s" in m.metadata
        ]
        runs = len(instance.get_runs(filters=dg.RunsFilter(job_name="apply_site_edits")))
    return (f"{statistics.median(took):.2f} s" if took else "-"), runs


def _until(check, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            value = check()
            if value:
                return value
        time.sleep(0.1)
    raise TimeoutError(f"timed out waiting for {what}")

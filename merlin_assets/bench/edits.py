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

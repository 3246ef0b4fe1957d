"""Dagster at scale: N projects' partitions in Postgres, and how long the UI waits for them.

    python -m merlin_assets.bench.partition_scale --projects 10000

`site_images` and `site_pages` are partitioned project x place in the plan (`projects` x
`image_slots`, `projects` x `page_slots`: merlin_assets/defs/partitions.py). This starts a
Postgres (merlin_assets/fleet/postgres.py) in a temporary folder, adds N projects to `projects`
and their item keys to the slot partitions, records a materialization of every image partition
(as N built sites would have, written in batches straight to the event log), starts
`dagster-webserver` on the repository's definitions and times the GraphQL queries the asset's
page asks for: the partition counts (`partitionStats`), every partition's status
(`assetPartitionStatuses`) and the keys of each dimension.

`--keys` says what keys the second dimension holds:

- `places` (what Merlin records): an item's place in its plan, `01`, `02`, ...; projects plan
  5 to 10 images and 2 to 4 pages here, so the dimension holds 10 image keys however many
  projects.
- `names` (what Merlin recorded before): the item's own name, as plans name them, different in
  every project: every name in the dimension, for every project, is a partition (10^9 pairs at
  10,000 projects, almost none of which exist).
- `shared-names`: the same 10 names in every project (`hero`, `gallery-1`, ...).

Give several (`--keys places,names`) to compare them in one invocation. The first query of
each kind is cold (Dagster computes and stores the asset's status cache); the others read
that cache.

`--layout flat` measures the alternative of one dynamic dimension whose keys are
`<project>/<item>` (exactly the items that exist, no cross product, but no built-in mapping
to the project's own plans), on a stand-in module with the same asset names; it prints one
JSON object per case.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

IMAGE_KEYS = (
    "hero",
    "about-1",
    "gallery-1",
    "gallery-2",
    "gallery-3",
    "gallery-4",
    "team-1",
    "services-1",
    "testimonials-1",
    "cta-1",
)
PAGE_KEYS = ("home", "about", "services", "contact")
BATCH = 2000
QUERY_TIMEOUT_S = 600

_ASSET = """assetNodeOrError(assetKey: {path: %s}) { ... on AssetNode { %s } }"""
QUERIES = {
    "partitionStats": "partitionStats { numMaterialized numPartitions numFailed numMaterializing }",
    "assetPartitionStatuses": """assetPartitionStatuses {
      __typename
      ... on MultiPartitionStatuses { primaryDimensionName ranges {
        primaryDimStartKey primaryDimEndKey
        secondaryDim { __typename
          ... on DefaultPartitionStatuses { materializedPartitions failedPartitions
            materializingPartitions } } } }
      ... on DefaultPartitionStatuses { materializedPartitions failedPartitions } }""",
    "partitionKeysByDimension": "partitionKeysByDimension { name partitionKeys }",
}


def _write_home(home: Path, pg_url: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(
        "telemetry:\n  enabled: false\n"
        f"storage:\n  postgres:\n    postgres_url: {json.dumps(pg_url)}\n"
    )


KEY_MODES = ("places", "names", "shared-names")


def _item_keys(index: int, project: str, base: tuple[str, ...], keys: str) -> list[str]:
    """One project's item keys in the second dimension (see the module's doc)."""
    if keys == "places":
        # Plans differ in length: 6-10 images, 3-4 pages (the bench's page names are 4).
        count = len(base) - index % (len(base) // 2 + 1)
        return [f"{n:02d}" for n in range(1, count + 1)]
    if keys == "names":
        return [f"{project}-{k}" for k in base]
    return list(base)


# `--layout flat`: what the images would be as one dynamic dimension of `<project>/<item>` keys
# (only partitions that exist, no cross product), served from a module of its own.
FLAT_MODULE = """
import dagster as dg

image_items = dg.DynamicPartitionsDefinition(name="image_items")
page_items = dg.DynamicPartitionsDefinition(name="page_items")


@dg.asset(partitions_def=image_items)
def site_images() -> None: ...


@dg.asset(partitions_def=page_items)
def site_pages() -> None: ...


defs = dg.Definitions(assets=[site_images, site_pages])
"""


def _partition(layout: str, project: str, item: str):
    import dagster as dg

    if layout == "flat":
        return f"{project}/{item}"
    return dg.MultiPartitionKey({"image": item, "project": project})


def populate(
    instance, projects: list[str], keys_mode: str, materialize: int, layout: str = "current"
) -> dict[str, float]:
    """Add the partitions and record a materialization of the first `materialize` projects'
    image partitions; returns seconds per step."""
    import dagster as dg
    from dagster._core.events import DagsterEvent, DagsterEventType, StepMaterializationData
    from dagster._core.events.log import EventLogEntry
    from dagster._core.instance.utils import RUNLESS_JOB_NAME, RUNLESS_RUN_ID

    from merlin_assets.defs.partitions import projects as projects_def

    figures: dict[str, float] = {}
    started = time.perf_counter()
    for i in range(0, len(projects), BATCH):
        instance.add_dynamic_partitions(projects_def.name, projects[i : i + BATCH])
    for slots, base in (("image_slots", IMAGE_KEYS), ("page_slots", PAGE_KEYS)):
        per_project = [_item_keys(i, p, base, keys_mode) for i, p in enumerate(projects)]
        keys = list(dict.fromkeys(k for items in per_project for k in items))
        if layout == "flat":
            slots = slots.replace("_slots", "_items")
            keys = [
                f"{p}/{k}" for p, items in zip(projects, per_project, strict=True) for k in items
            ]
        for i in range(0, len(keys), BATCH):
            instance.add_dynamic_partitions(slots, keys[i : i + BATCH])
        figures[f"{slots}_keys"] = len(keys)
    figures["add_partitions_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    key = dg.AssetKey(["site_images"])
    entries = []
    written = 0
    for index, project in enumerate(projects[:materialize]):
        for item in _item_keys(index, project, IMAGE_KEYS, keys_mode):
            partition = _partition(layout, project, item)
            event = DagsterEvent(
                event_type_value=DagsterEventType.ASSET_MATERIALIZATION.value,
                job_name=RUNLESS_JOB_NAME,
                event_specific_data=StepMaterializationData(
                    dg.AssetMaterialization(asset_key=key, partition=partition)
                ),
            )
            entries.append(
                EventLogEntry(
                    error_info=None,
                    level="INFO",
                    user_message="",
                    run_id=RUNLESS_RUN_ID,
                    timestamp=time.time(),
                    dagster_event=event,
                )
            )
            if len(entries) >= BATCH:
                instance.event_log_storage.store_event_batch(entries)
                written += len(entries)
                entries = []
    if entries:
        instance.event_log_storage.store_event_batch(entries)
        written += len(entries)
    figures["materializations"] = written
    figures["materialize_s"] = round(time.perf_counter() - started, 1)
    return figures


def graphql(port: int, query: str, timeout_s: float = QUERY_TIMEOUT_S) -> tuple[float, dict]:
    """Seconds the webserver took to answer `query`, and its data."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        body = json.load(response)
    seconds = time.perf_counter() - started
    if "errors" in body:
        raise ValueError(body["errors"])
    return seconds, body["data"]


def _summary(name: str, data: dict) -> dict:
    node = data["assetNodeOrError"]
    if name == "partitionStats":
        return node["partitionStats"]
    if name == "partitionKeysByDimension":
        return {d["name"]: len(d["partitionKeys"]) for d in node["partitionKeysByDimension"]}
    statuses = node["assetPartitionStatuses"]
    ranges = statuses.get("ranges") or []
    return {"type": statuses["__typename"], "ranges": len(ranges)}


def measure(port: int, repeats: int) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for name, fields in QUERIES.items():
        query = "{ " + _ASSET % (json.dumps(["site_images"]), fields) + " }"
        times = []
        summary: dict = {}
        for _ in range(repeats):
            try:
                seconds, data = graphql(port, query)
            except TimeoutError:
                times.append(float(QUERY_TIMEOUT_S))
                summary = {"timed_out_s": QUERY_TIMEOUT_S}
                break
            times.append(seconds)
            summary = _summary(name, data)
        out[name] = {
            "cold_s": round(times[0], 2),
            "warm_s": round(statistics.median(times[1:]), 2) if len(times) > 1 else None,
            "max_s": round(max(times), 2),
            **summary,
        }
    return out


def _wait_webserver(port: int, proc: subprocess.Popen, log: Path, timeout_s: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        if proc.poll() is not None:
            raise RuntimeError(f"dagster-webserver exited:\n{log.read_text()[-2000:]}")
        try:
            graphql(port, "{ version }", timeout_s=5)
            return time.perf_counter() - started
        except (OSError, ValueError):
            time.sleep(0.5)
    raise TimeoutError(f"dagster-webserver did not answer in {timeout_s}s")


def _log(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def run(
    n: int, keys_mode: str, materialize: int, repeats: int, layout: str = "current", log=_log
) -> dict:
    import dagster as dg

    from merlin_assets.fleet import processes
    from merlin_assets.fleet.postgres import Postgres
    from merlin_assets.fleet.postgres import url as pg_url

    tmp = Path(tempfile.mkdtemp(prefix="merlin-partition-scale-"))
    port = processes.free_port()
    pg = Postgres(tmp / "postgres", port)
    web = None
    try:
        pg.start()
        home = tmp / "home"
        _write_home(home, pg_url(port))
        projects = [f"project-{i:05d}" for i in range(n)]
        with dg.DagsterInstance.from_config(str(home)) as instance:
            log(f"adding {n} projects ({keys_mode} as item keys, {layout} layout) ...")
            figures = populate(instance, projects, keys_mode, min(materialize, n), layout)
        log(f"  {figures}")
        web_port = processes.free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "MERLIN_"))}
        env.update(DAGSTER_HOME=str(home), MERLIN_LLM="offline")
        target = ["-m", "merlin_assets.definitions"]
        if layout == "flat":
            (tmp / "flat_defs.py").write_text(FLAT_MODULE)
            target = ["-f", str(tmp / "flat_defs.py")]
        log_path = tmp / "webserver.log"
        with log_path.open("wb") as out:
            web = subprocess.Popen(
                [
                    shutil.which("dagster-webserver") or "dagster-webserver",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(web_port),
                    *target,
                ],
                cwd=tmp,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        figures["webserver_up_s"] = round(_wait_webserver(web_port, web, log_path, 300), 1)
        log("  timing GraphQL ...")
        queries = measure(web_port, repeats)
        if layout == "flat":
            partitions = int(figures["image_items_keys"])
        else:
            partitions = n * int(figures["image_slots_keys"])
        return {
            "projects": n,
            "keys": keys_mode,
            "layout": layout,
            "partitions": partitions,
            **figures,
            "queries": queries,
        }
    finally:
        if web is not None:
            processes.signal_group(web.pid, signal.SIGINT)
            try:
                web.wait(timeout=20)
            except subprocess.TimeoutExpired:
                processes.signal_group(web.pid, signal.SIGKILL)
                web.wait(timeout=10)
        pg.remove()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument(
        "--keys",
        default="places",
        help=f"Comma-separated item keys to measure, of {', '.join(KEY_MODES)} (see above).",
    )
    parser.add_argument(
        "--materialized",
        type=int,
        default=None,
        help="Projects whose images are recorded as materialized (default: all).",
    )
    parser.add_argument("--repeats", type=int, default=3, help="Times each query is asked.")
    parser.add_argument(
        "--layout",
        choices=["current", "flat"],
        default="current",
        help="current: project x item (merlin_assets.definitions); flat: one dimension of "
        "<project>/<item> keys (a stand-in module).",
    )
    args = parser.parse_args()
    modes = [m.strip() for m in args.keys.split(",") if m.strip()]
    wrong = [m for m in modes if m not in KEY_MODES]
    if wrong or not modes:
        parser.error(f"--keys: {wrong or args.keys!r} not in {', '.join(KEY_MODES)}")
    out = []
    for mode in modes:
        materialize = args.projects if args.materialized is None else args.materialized
        out.append(run(args.projects, mode, materialize, args.repeats, args.layout))
    sys.stdout.write(json.dumps(out if len(out) > 1 else out[0], indent=1) + "\n")


if __name__ == "__main__":
    main()

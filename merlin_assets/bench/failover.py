"""The failover scenario: a batch of projects over an endpoint pool, with and without an outage.

Two local OpenAI-compatible servers are the pool's endpoints, `primary` first in every route
and `secondary` behind it. The batch (`FAILOVER_PROJECTS` configs, `FAILOVER_PARALLEL` real
`merlin generate` processes at a time, sharing one cache folder so their rate budgets and
circuits are shared as on one machine) is built twice in fresh folders: once with both servers
healthy, once with the primary answering HTTP 500 to everything from the moment half the batch
has finished. Each row reports sites published, calls the rules answered, calls per endpoint
(from the runs' own records) and, for the outage, the wall time it added.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from merlin_assets.bench import scenarios as sc
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings

if TYPE_CHECKING:
    from merlin_assets.bench.runner import Bench, Row

CALL_PATHS = ("/v1/chat/completions", "/v1/images/generations")
PRIMARY_KEYS = ("sk-bench-primary-0001", "sk-bench-primary-0002")
SECONDARY_KEYS = ("sk-bench-secondary-0001",)
LIMITS = {"rpm": 600, "tpm": 10_000_000, "images_per_min": 600}


def endpoints_file(path: Path, primary: str, secondary: str) -> Path:
    endpoints = [
        {
            "name": name,
            "base_url": url,
            "keys_env": env,
            "chat_model": "gpt-4o-mini",
            "image_model": "gpt-image-1",
            "limits": dict(LIMITS),
        }
        for name, url, env in (
            ("primary", primary, "BENCH_PRIMARY_KEYS"),
            ("secondary", secondary, "BENCH_SECONDARY_KEYS"),
        )
    ]
    order = ["primary", "secondary"]
    path.write_text(
        yaml.safe_dump(
            {"endpoints": endpoints, "routes": {"default": order, "images": order}},
            sort_keys=False,
        )
    )
    return path


def _server_counts(server: FakeOpenAI) -> tuple[int, int, int]:
    """Answered, failed (5xx) and rate-limited requests the server saw."""
    calls = [r for r in server.requests if r["path"] in CALL_PATHS]
    return (
        sum(1 for r in calls if r["status"] == 200),
        sum(1 for r in calls if r["status"] >= 500),
        sum(1 for r in calls if r["status"] == 429),
    )


def _by_endpoint(homes: list[Path]) -> dict[str, int]:
    from merlin_assets.timings.store import TimingsStore

    counts: dict[str, int] = {}
    for home in homes:
        store = TimingsStore(home / "merlin" / "timings.duckdb")
        with store.connect() as con:
            rows = con.execute(
                "SELECT CASE WHEN status = 'fallback' THEN 'rules' "
                "ELSE coalesce(nullif(endpoint, ''), provider) END, count(*) "
                "FROM llm_calls GROUP BY 1"
            ).fetchall()
        for name, n in rows:
            counts[name] = counts.get(name, 0) + int(n)
    return counts


def _batch(
    bench: Bench,
    scenario: sc.Scenario,
    mode: str,
    primary: FakeOpenAI,
    secondary: FakeOpenAI,
    outage: bool,
) -> Row:
    from merlin_assets.bench.runner import Row, bench_dagster_home, write_bench_config

    folder = bench.workdir / f"failover-{mode.replace(' ', '-')}"
    folder.mkdir(parents=True, exist_ok=True)
    pool_file = endpoints_file(folder / "endpoints.yaml", primary.base_url, secondary.base_url)
    for server in (primary, secondary):
        server.update(
            chat_latency_s=scenario.profile.chat_s,
            image_latency_s=scenario.profile.image_s,
            responder=sc.responder(scenario.profile),
            faults={},
            per_key_rpm=None,
        )
        server.clear_requests()
    slug = mode.replace(" ", "-")
    jobs = []
    for i in range(1, sc.FAILOVER_PROJECTS + 1):
        project = f"bench-failover-{slug}-{i:02d}"
        home = bench_dagster_home(folder / f"home-{i:02d}")
        config = write_bench_config(folder / "configs", project, f"Bench failover {mode} {i:02d}")
        env = bench._env(
            home,
            MERLIN_ENDPOINTS=str(pool_file),
            BENCH_PRIMARY_KEYS=",".join(PRIMARY_KEYS),
            BENCH_SECONDARY_KEYS=",".join(SECONDARY_KEYS),
            # One machine: every process shares the budgets and the circuits.
            MERLIN_CACHE_DIR=str(folder / "cache"),
            MERLIN_SITES_DIR=str(folder / "sites"),
        )
        jobs.append((project, home, config, env))

    done = 0
    lock = threading.Lock()
    outage_at: list[float] = []
    failures: list[str] = []

    def build(job) -> None:
        nonlocal done
        project, _home, config, env = job
        try:
            bench._generate(config, env)
        except RuntimeError as exc:
            failures.append(f"{project}: {exc}")
        with lock:
            done += 1
            if outage and done == sc.FAILOVER_PROJECTS // 2 and not outage_at:
                primary.update(faults={"500": 1.0})
                outage_at.append(time.monotonic())
                bench.log(f"  primary down after {done} of {sc.FAILOVER_PROJECTS} projects")

    started = time.monotonic()
    with ThreadPoolExecutor(sc.FAILOVER_PARALLEL) as pool:
        list(pool.map(build, jobs))
    wall = time.monotonic() - started

    homes = [home for _, home, _, _ in jobs]
    sites = sum(1 for project, *_ in jobs if (folder / "sites" / project / "index.html").is_file())
    counts = _by_endpoint(homes)
    fallbacks = counts.get("rules", 0)
    ok_p, failed_p, limited_p = _server_counts(primary)
    ok_s, failed_s, limited_s = _server_counts(secondary)
    by_endpoint = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
    if failed_p or failed_s:
        by_endpoint += f" (primary answered {failed_p} with HTTP 500)"
    status = "ok" if not failures else f"{len(failures)} failed: {failures[0][:120]}"
    return Row(
        scenario="failover",
        mode=mode,
        profile=f"{sc.FAILOVER_PROJECTS} x ({scenario.profile.describe()}), "
        f"{sc.FAILOVER_PARALLEL} at a time, 2 endpoints",
        status=status,
        runs=len(jobs),
        process_s=round(wall, 2),
        wall_s=round(wall, 2),
        calls=ok_p + ok_s,
        rate_limited=limited_p + limited_s,
        sites=sites,
        fallbacks=fallbacks,
        by_endpoint=by_endpoint,
    )


def run_failover(bench: Bench, scenario: sc.Scenario) -> list[Row]:
    """Both batches on one pair of servers: the bench's own as primary, a second one."""
    primary = bench.server
    with FakeOpenAI(ServerSettings(seed=6)) as secondary:
        rows = [
            _batch(bench, scenario, mode, primary, secondary, outage=mode == "outage")
            for mode in scenario.modes
        ]
    primary.update(faults={})
    base = next((r for r in rows if r.mode == "no outage"), None)
    for row in rows:
        if base is not None and row is not base and row.wall_s and base.wall_s:
            row.extra_s = round(row.wall_s - base.wall_s, 2)
    return rows

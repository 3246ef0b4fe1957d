"""`merlin bench --scenario fleet`: the many-projects workload on a local fleet.

A `LocalFleet` (merlin_assets/fleet: Postgres, Redis, moto S3, the daemon, 2 Celery workers with
`--concurrency=4`, each worker in an empty folder of its own) builds seed-profile projects whose
configs are dropped at once into the bucket (`MERLIN_PROJECTS_DIR=s3://merlin/projects`),
against the benchmark's OpenAI-compatible server allowing each of 2 keys 60 requests a minute,
as Merlin is told (`MERLIN_KEY_RPM`); budgets and replies are shared through the fleet's Redis.

Measured: configs dropped to the last run's end against the rate-limit bound (total calls /
(keys x rpm) minutes), the server's 429s (no fault is injected, so every one is
self-inflicted), runs per worker, the peak resident memory of each worker's process group
(Celery's main process and its 4 pool processes) and of every fleet process together
(Postgres included), and the CPU seconds per site of every fleet process, start-up included.
"""

from __future__ import annotations

import contextlib
import os
import resource
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from merlin_assets.bench import scenarios as sc

if TYPE_CHECKING:
    from merlin_assets.bench.runner import Bench, Row

FLEET_PROJECTS = 40
QUICK_PROJECTS = 6
WORKERS = 2
CONCURRENCY = 4
TIMEOUT_S = 1800
PROJECTS_PREFIX = "merlin/projects"
_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def projects_for(scenario: sc.Scenario) -> int:
    return QUICK_PROJECTS if "quick" in scenario.modes else FLEET_PROJECTS


def children_cpu_s() -> float:
    """CPU seconds of every finished (reaped) child of this process and their reaped children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class TreeCPU:
    """CPU seconds of every process below `root` while the block runs, sampled from /proc.

    For a tree whose processes are not all reaped by their parents (`dagster dev` stopped with
    SIGINT leaves its code server's runs to init), so `RUSAGE_CHILDREN` would miss them: each
    process's own utime + stime is kept at its last sample, and the sum is taken at the end
    (what a process used after its last sample, at most `every_s`, is missed).
    """

    def __init__(self, root: int | None = None, every_s: float = 0.5):
        import threading

        self.root = root or os.getpid()
        self.every_s = every_s
        self.used: dict[tuple[int, str], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="bench-cpu", daemon=True)

    def sample(self) -> None:
        stats = _all_stats()
        children: dict[int, list[int]] = {}
        for pid, fields in stats.items():
            children.setdefault(int(fields[1]), []).append(pid)
        todo = list(children.get(self.root, []))
        while todo:
            pid = todo.pop()
            fields = stats[pid]
            # (pid, start time): a reused pid is another process
            self.used[(pid, fields[19])] = (int(fields[11]) + int(fields[12])) / _TICK
            todo.extend(children.get(pid, []))

    def _loop(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(Exception):
                self.sample()
            self._stop.wait(self.every_s)

    @property
    def seconds(self) -> float:
        return sum(self.used.values())

    def __enter__(self) -> TreeCPU:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _all_stats() -> dict[int, list[str]]:
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None:
                out[int(entry.name)] = fields
    return out


def group_rss_mb(pgid: int, stats: dict[int, list[str]]) -> float:
    """Resident memory of a process group's live members right now (fields: pgrp 2, rss 21)."""
    pages = sum(int(stats[p][21]) for p in _members(pgid, stats))
    return pages * _PAGE / 2**20


def _members(pgid: int, stats: dict[int, list[str]]) -> list[int]:
    """The live members of a process group (a zombie holds no memory)."""
    return [p for p, f in stats.items() if int(f[2]) == pgid and f[0] != "Z"]


def pss_mb(pid: int) -> float:
    """A process's proportional set size: its private pages plus its share of pages it shares
    (a forked pool process shares the code and modules its parent loaded)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def group_pss_mb(pgid: int, stats: dict[int, list[str]]) -> float:
    """What a process group costs the machine: the sum of its members' PSS, so each shared
    page counts once (summed RSS counts it once per process)."""
    return sum(pss_mb(p) for p in _members(pgid, stats))


def postgres_pids(fleet, stats: dict[int, list[str]]) -> list[int]:
    """The fleet's postmaster and its children (started by pg_ctl: not our children)."""
    from merlin_assets.fleet.postgres import Postgres

    with contextlib.suppress(OSError, ValueError, RuntimeError, FileNotFoundError):
        port = fleet.state["ports"]["postgres"]
        pid_file = Postgres(fleet.root / "postgres", port).data / "postmaster.pid"
        master = int(pid_file.read_text().splitlines()[0])
        return [master] + [p for p, f in stats.items() if int(f[1]) == master]
    return []


def postgres_cpu_s(fleet) -> float:
    """The postmaster's CPU, with its reaped backends', and its live backends' own."""
    stats = _all_stats()
    pids = postgres_pids(fleet, stats)
    total = 0
    for i, pid in enumerate(pids):
        fields = stats.get(pid)
        if fields is None:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if i == 0:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime of reaped backends
    return total / _TICK


class FleetMemory:
    """Samples the memory of each worker's group and of every fleet process, keeps the peaks.

    The whole fleet is summed RSS, as `many`'s one machine is. A worker is its group's PSS
    (what the machine holds for it: pages its forked pool processes share with their parent
    count once) and, beside it, its summed RSS (those pages counted once per process).
    """

    def __init__(self, fleet):
        self.fleet = fleet
        self.workers: dict[str, float] = {}
        self.workers_rss: dict[str, float] = {}
        self.total = 0.0

    def sample(self) -> None:
        from merlin_assets.fleet import processes

        stats = _all_stats()
        total = 0.0
        for record in processes.recorded(self.fleet.root):
            rss = group_rss_mb(int(record["pid"]), stats)
            total += rss
            if record["name"].startswith("worker-"):
                name = record["name"].removeprefix("worker-")
                pss = group_pss_mb(int(record["pid"]), stats)
                self.workers[name] = max(self.workers.get(name, 0.0), pss)
                self.workers_rss[name] = max(self.workers_rss.get(name, 0.0), rss)
        pages = sum(int(stats[p][21]) for p in postgres_pids(self.fleet, stats) if p in stats)
        total += pages * _PAGE / 2**20
        self.total = max(self.total, total)


def run_fleet(bench: Bench, scenario: sc.Scenario) -> list[Row]:
    import dagster as dg

    from merlin_assets.bench.runner import (
        KEYS,
        Row,
        batch_figures,
        bench_config,
        round_or_none,
        run_sums,
    )
    from merlin_assets.fleet.local import LocalFleet
    from merlin_assets.storage import filesystem

    count = projects_for(scenario)
    mode = scenario.modes[0]
    folder = bench.workdir / f"fleet-{mode}"
    bench._profile(scenario.profile, rpm=sc.MANY_RPM)
    fleet = LocalFleet(
        folder,
        workers=WORKERS,
        concurrency=CONCURRENCY,
        webserver=False,
        env={
            "MERLIN_LLM": "openai",
            "OPENAI_API_KEYS": ",".join(KEYS),
            "OPENAI_BASE_URL": bench.server.base_url,
            "MERLIN_KEY_RPM": str(sc.MANY_RPM),
            # As in `many`: the server limits requests only, images have no budget of their own.
            "MERLIN_KEY_IMAGES_PER_MIN": "0",
            "MERLIN_PROJECTS_DIR": f"s3://{PROJECTS_PREFIX}",
        },
        log=lambda line: bench.log(f"  {line}"),
    )
    cpu_before = children_cpu_s()
    memory = FleetMemory(fleet)
    pg_cpu = 0.0
    try:
        fleet.up()
        env = fleet.state["env"]
        fs = filesystem(
            env["MERLIN_S3_ENDPOINT_URL"],
            key=env["AWS_ACCESS_KEY_ID"],
            secret=env["AWS_SECRET_ACCESS_KEY"],
        )
        configs = {
            f"bench-fleet-{i:02d}": yaml.safe_dump(
                bench_config(f"bench-fleet-{i:02d}", f"Bench fleet {i:02d}"), sort_keys=False
            ).encode()
            for i in range(1, count + 1)
        }
        bench.server.clear_requests()
        bench.log(f"  dropping {count} configs into s3://{PROJECTS_PREFIX}")
        dropped = time.time()
        fs.pipe({f"{PROJECTS_PREFIX}/{p}.yaml": text for p, text in configs.items()})
        with dg.DagsterInstance.from_config(str(fleet.home)) as instance:
            deadline = time.monotonic() + TIMEOUT_S
            while True:
                memory.sample()
                runs = instance.get_runs()
                done = [r for r in runs if r.is_finished]
                if len(done) >= count and len(done) == len(runs):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{len(done)}/{count} runs finished after {TIMEOUT_S}s")
                time.sleep(1.0)
            records = {r.run_id: instance.get_run_record_by_id(r.run_id) for r in runs}
        calls, limited = bench._calls()
        ends = [rec.end_time for rec in records.values() if rec and rec.end_time]
        starts_ends = [
            (rec.start_time, rec.end_time)
            for rec in records.values()
            if rec and rec.start_time and rec.end_time
        ]
        total_s = max(ends) - dropped
        sums = run_sums(fleet.home, list(records))
        pg_cpu = postgres_cpu_s(fleet)
    finally:
        fleet.down()
        fleet.remove()
    cpu_s = children_cpu_s() - cpu_before + pg_cpu
    ok = [r for r in runs if r.status == dg.DagsterRunStatus.SUCCESS]
    per_worker = Counter(r.tags.get("merlin/worker", "?") for r in runs)
    return [
        Row(
            scenario="fleet",
            mode=mode,
            profile=f"{count} x ({scenario.profile.describe()}), {sc.MANY_KEYS} keys x "
            f"{sc.MANY_RPM} rpm, {WORKERS} workers x {CONCURRENCY} runs",
            status="ok" if len(ok) == count else f"{len(ok)}/{count} succeeded",
            runs=len(runs),
            run_s=round_or_none(max(e - s for s, e in starts_ends)) if starts_ends else None,
            **batch_figures(total_s, sums, calls, limited),
            peak_mb=round(memory.total, 1),
            per_worker=" ".join(f"{w}:{n}" for w, n in sorted(per_worker.items())),
            peak_worker_mb=round(max(memory.workers.values(), default=0.0), 1),
            peak_worker_rss_mb=round(max(memory.workers_rss.values(), default=0.0), 1),
            cpu_s_per_site=round(cpu_s / max(1, len(runs)), 1),
        )
    ]

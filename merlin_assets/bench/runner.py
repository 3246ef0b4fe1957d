"""Runs the scenarios: the local OpenAI-compatible server, real Dagster runs, and their figures.

Every site is built by a real `merlin generate` process (or, for many projects, by runs the
`dagster dev` daemon launches), each against its own Dagster home, sites folder and reply cache
in a temporary folder, so rows never share a cache or a rate budget by accident. The server
runs in this process on 127.0.0.1 and is stopped, like every process started here, when the
benchmark ends or fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from merlin_assets.bench import scenarios as sc
from merlin_assets.bench.procs import TreeMemory
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets.testing.processes import stop_group
from merlin_assets.testing.webserver import free_port, graphql

REPO = Path(__file__).resolve().parents[2]
KEYS = ("sk-bench-key-0001", "sk-bench-key-0002")
CALL_PATHS = ("/v1/chat/completions", "/v1/images/generations")
GENERATE_TIMEOUT_S = 600
MANY_TIMEOUT_S = 900
Log = Callable[[str], None]


@dataclass
class Row:
    """One measured line of the table; None where a figure does not apply."""

    scenario: str
    mode: str
    profile: str
    status: str = "ok"
    runs: int = 1
    process_s: float | None = None  # whole process, start-up included (many: drop to last end)
    run_s: float | None = None  # Dagster run start to end (many: the longest run)
    wall_s: float | None = None  # first item start to last item end
    sum_s: float | None = None  # item durations summed
    critical_path_s: float | None = None
    bound_s: float | None = None  # many: total calls / total requests per minute
    speedup: float | None = None  # over the sequential run of the same scenario
    parallelism: float | None = None  # sum_s / wall_s
    efficiency: float | None = None  # critical path (many: the bound) / wall
    calls: int | None = None  # requests the server answered (chat and images)
    cache_hits: int | None = None
    rate_limited: int | None = None  # 429s the server sent: self-inflicted, no faults injected
    peak_mb: float | None = None  # sum of RSS of every process of the scenario, at peak
    peak_run_mb: float | None = None  # many: the largest single run's process tree
    # fleet: runs per worker, the largest worker's peak, CPU seconds per site (many too)
    per_worker: str | None = None
    peak_worker_mb: float | None = None  # a fleet worker's group at peak, PSS
    peak_worker_rss_mb: float | None = None  # the same group's summed RSS at peak
    cpu_s_per_site: float | None = None
    # failover: sites published, calls the rules answered, calls per endpoint, and the wall
    # time the outage added over the same batch without one.
    sites: int | None = None
    fallbacks: int | None = None
    by_endpoint: str | None = None
    extra_s: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import platform

    import dagster

    mem_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        line = Path("/proc/meminfo").read_text().splitlines()[0]
        mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "dagster": dagster.__version__,
        "platform": platform.platform(),
    }


def bench_config(project_id: str, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "id": project_id,
        "industry": "Bakery and cafe",
        "description": "A family-run sourdough bakery and cafe, baking on site before dawn.",
        "location": "Leith, Edinburgh",
        "services": ["Sourdough bread", "Pastries", "Celebration cakes"],
        "audiences": ["Local families", "Office workers"],
        "tone": "warm, crafted",
        "goals": ["Take more custom cake orders online"],
    }


def write_bench_config(folder: Path, project_id: str, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{project_id}.yaml"
    path.write_text(yaml.safe_dump(bench_config(project_id, name), sort_keys=False))
    return path


def bench_dagster_home(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    template = REPO / "dagster.yaml"
    if template.is_file():
        shutil.copyfile(template, path / "dagster.yaml")
    else:
        (path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return path


def _clean_env() -> dict[str, str]:
    """This environment without any Merlin, OpenAI or Dagster setting that could leak in."""
    prefixes = ("MERLIN_", "OPENAI_", "DAGSTER_")
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}


class Bench:
    """Runs scenarios one after another on one server and collects their rows.

    Args:
        workdir: A fresh folder for every Dagster home, site, cache and config.
        log: Where progress lines go.
    """

    def __init__(self, workdir: Path, log: Log):
        self.workdir = Path(workdir)
        self.log = log
        self.server = FakeOpenAI(ServerSettings(seed=5))

    @contextlib.contextmanager
    def serving(self) -> Iterator[Bench]:
        self.server.start()
        try:
            yield self
        finally:
            self.server.stop()

    # --- helpers -------------------------------------------------------------------------

    def _profile(self, profile: sc.Profile, rpm: int | None = None) -> None:
        self.server.update(
            chat_latency_s=profile.chat_s,
            image_latency_s=profile.image_s,
            responder=sc.responder(profile),
            per_key_rpm={"*": rpm} if rpm else None,
        )
        self.server.clear_requests()

    def _calls(self) -> tuple[int, int]:
        """Requests answered, and 429s among them, since the last `_profile`."""
        calls = [r for r in self.server.requests if r["path"] in CALL_PATHS]
        return (
            sum(1 for r in calls if r["status"] == 200),
            sum(1 for r in calls if r["status"] == 429),
        )

    def _env(self, home: Path, *, offline: bool = False, **extra: str) -> dict[str, str]:
        env = _clean_env()
        env.update(
            DAGSTER_HOME=str(home),
            MERLIN_SITES_DIR=str(home.parent / "sites"),
            MERLIN_TIMINGS_DB=str(home / "merlin" / "timings.duckdb"),
        )
        if offline:
            env["MERLIN_LLM"] = "offline"
        else:
            env.update(
                MERLIN_LLM="openai",
                OPENAI_API_KEYS=",".join(KEYS),
                OPENAI_BASE_URL=self.server.base_url,
                MERLIN_CACHE_DIR=str(home.parent / "cache"),
                # The default of 5 images a minute per key fits a low OpenAI tier; here it
                # would measure the limiter, not the pipeline.
                MERLIN_KEY_IMAGES_PER_MIN="0",
            )
        env.update(extra)
        return env

    def _generate(self, config: Path, env: dict[str, str]) -> tuple[float, float, str]:
        """One `merlin generate` process: seconds start to exit, peak tree memory, output."""
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "merlin_assets.cli", "generate", str(config)],
            cwd=config.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        with TreeMemory(proc.pid) as memory:
            try:
                output, _ = proc.communicate(timeout=GENERATE_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                stop_group(proc)
                output, _ = proc.communicate()
                output += f"\nbench: killed after {GENERATE_TIMEOUT_S}s"
        elapsed = time.monotonic() - started
        if proc.returncode != 0:
            tail = output.strip().splitlines()[-3:]
            raise RuntimeError(f"merlin generate exited {proc.returncode}: {' | '.join(tail)}")
        return elapsed, memory.peak_mb, output

    @staticmethod
    def _summary(home: Path, project: str) -> dict[str, Any]:
        from merlin_assets.timings.store import TimingsStore

        store = TimingsStore(home / "merlin" / "timings.duckdb")
        run_id = store.latest_run_id(project)
        summary = store.summary(run_id) if run_id else None
        if summary is None:
            raise RuntimeError(f"no timings recorded for {project} in {store.db_path}")
        return summary

    def _site_row(
        self,
        scenario: str,
        mode: str,
        profile: sc.Profile,
        home: Path,
        config: Path,
        env: dict[str, str],
        project: str,
    ) -> Row:
        elapsed, peak, _ = self._generate(config, env)
        summary = self._summary(home, project)
        calls, limited = self._calls()
        wall = summary["wall_s"] or 0.0
        return Row(
            scenario=scenario,
            mode=mode,
            profile=profile.describe() if profile.images else "offline provider",
            process_s=round(elapsed, 2),
            run_s=round_or_none(summary["run_s"]),
            wall_s=round_or_none(wall),
            sum_s=round_or_none(summary["sum_s"]),
            critical_path_s=round_or_none(summary["critical_path_s"]),
            parallelism=round(summary["sum_s"] / wall, 2) if wall else None,
            efficiency=round(summary["critical_path_s"] / wall, 3) if wall else None,
            calls=calls,
            cache_hits=int(summary["cache_hits"] or 0),
            rate_limited=limited,
            peak_mb=peak,
        )

    # --- scenarios -----------------------------------------------------------------------

    def run(self, chosen: list[sc.Scenario]) -> list[Row]:
        rows: list[Row] = []
        for scenario in chosen:
            self.log(f"{scenario.name}: {scenario.title} ({scenario.profile.describe()})")
            method = {
                "many": self.many_projects,
                "cached": self.cached,
                "offline": self.offline,
                "fleet": self.fleet,
                "failover": self.failover,
            }.get(scenario.name, self.site)
            cpu = _cpu_of(scenario.name)
            try:
                with cpu:
                    new = method(scenario)
            except Exception as exc:  # one broken scenario must not hide the others' rows
                new = [
                    Row(scenario.name, m, scenario.profile.describe(), status=f"failed: {exc}")
                    for m in scenario.modes
                ]
            if scenario.name == "many" and len(new) == 1 and new[0].runs:
                new[0].cpu_s_per_site = round(cpu.seconds / new[0].runs, 1)
            for row in new:
                self.log(f"  {row.mode}: " + _brief(row))
            rows += new
        _speedups(rows)
        return rows

    def site(self, scenario: sc.Scenario) -> list[Row]:
        """One project per mode; `sequential` runs the same code with one call at a time."""
        rows = []
        for mode in scenario.modes:
            folder = self.workdir / f"{scenario.name}-{mode}"
            home = bench_dagster_home(folder / "home")
            project = f"bench-{scenario.name}-{mode}"
            config = write_bench_config(folder, project, f"Bench {scenario.name} {mode}")
            concurrency = {"sequential": "1"}.get(mode)
            extra = {"MERLIN_MAX_CONCURRENCY": concurrency} if concurrency else {}
            self._profile(scenario.profile)
            env = self._env(home, **extra)
            rows.append(
                self._site_row(scenario.name, mode, scenario.profile, home, config, env, project)
            )
        return rows

    def cached(self, scenario: sc.Scenario) -> list[Row]:
        """Build a project, then build it again unchanged: the second run is measured."""
        folder = self.workdir / "cached"
        home = bench_dagster_home(folder / "home")
        project = "bench-cached"
        config = write_bench_config(folder, project, "Bench cached")
        self._profile(scenario.profile)
        env = self._env(home)
        self._generate(config, env)
        self.server.clear_requests()
        return [self._site_row("cached", "cached", scenario.profile, home, config, env, project)]

    def offline(self, scenario: sc.Scenario) -> list[Row]:
        """`merlin generate` of an example with the offline provider, process start to exit."""
        folder = self.workdir / "offline"
        home = bench_dagster_home(folder / "home")
        example = REPO / "examples" / "projects" / "crumb-and-co-bakery.yaml"
        if example.is_file():
            config = folder / example.name
            shutil.copyfile(example, config)
            project = "crumb-co-bakery"
        else:  # installed without the repository: a config of our own
            project = "bench-offline"
            config = write_bench_config(folder, project, "Bench offline")
        self.server.clear_requests()
        env = self._env(home, offline=True)
        return [self._site_row("offline", "offline", scenario.profile, home, config, env, project)]

    def many_projects(self, scenario: sc.Scenario) -> list[Row]:
        """Configs dropped at once into the sensor's folder under `dagster dev`."""
        folder = self.workdir / "many"
        home = bench_dagster_home(folder / "home")
        projects_dir = folder / "projects"
        projects_dir.mkdir(parents=True)
        staged = folder / "staged"
        configs = [
            write_bench_config(staged, f"bench-many-{i:02d}", f"Bench many {i:02d}")
            for i in range(1, sc.MANY_PROJECTS + 1)
        ]
        self._profile(scenario.profile, rpm=sc.MANY_RPM)
        env = self._env(
            home,
            MERLIN_PROJECTS_DIR=str(projects_dir),
            MERLIN_KEY_RPM=str(sc.MANY_RPM),
        )
        port = free_port()
        log_path = folder / "dagster-dev.log"
        with log_path.open("wb") as log_file:
            proc = subprocess.Popen(
                [
                    "dagster",
                    "dev",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-m",
                    "merlin_assets.definitions",
                ],
                cwd=folder,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        memory = TreeMemory(proc.pid, is_run=_is_run)
        try:
            with memory:
                _wait(lambda: graphql(port, _RUNS), 180, "the webserver", log_path)
                _wait(lambda: _sensor_daemon_healthy(port), 180, "the daemon", log_path)
                self.server.clear_requests()
                self.log(f"  dropping {len(configs)} configs into {projects_dir}")
                dropped = time.time()
                for config in configs:
                    os.replace(config, projects_dir / config.name)
                runs = _wait(
                    lambda: _finished_runs(port, len(configs)),
                    MANY_TIMEOUT_S,
                    "every run",
                    log_path,
                )
        finally:
            stop_group(proc)
        calls, limited = self._calls()
        ok = [r for r in runs if r["status"] == "SUCCESS"]
        total_s = max(r["endTime"] for r in runs) - dropped
        sums = run_sums(home, [r["runId"] for r in runs])
        return [
            Row(
                scenario="many",
                mode="sensor",
                profile=f"{len(configs)} x ({scenario.profile.describe()}), "
                f"{sc.MANY_KEYS} keys x {sc.MANY_RPM} rpm",
                status="ok" if len(ok) == len(configs) else f"{len(ok)}/{len(configs)} succeeded",
                runs=len(runs),
                run_s=round_or_none(max(r["endTime"] - r["startTime"] for r in runs)),
                **batch_figures(total_s, sums, calls, limited),
                peak_mb=memory.peak_mb,
                peak_run_mb=memory.peak_run_mb,
            )
        ]

    def failover(self, scenario: sc.Scenario) -> list[Row]:
        """A batch over an endpoint pool, then the same batch with the primary going down."""
        from merlin_assets.bench.failover import run_failover

        return run_failover(self, scenario)

    def fleet(self, scenario: sc.Scenario) -> list[Row]:
        """The many-projects workload on a local fleet of 2 workers (bench/fleet.py)."""
        from merlin_assets.bench.fleet import run_fleet

        return run_fleet(self, scenario)


def _cpu_of(scenario: str):
    """CPU seconds of every process `many` starts (sampled), for its CPU per site."""
    from merlin_assets.bench.fleet import TreeCPU

    return TreeCPU() if scenario == "many" else contextlib.nullcontext()


_RUNS = """{ runsOrError { ... on Runs { results {
  runId status startTime endTime tags { key value } } } } }"""
_DAEMONS = """{ instance { daemonHealth { allDaemonStatuses { daemonType healthy } } } }"""


def _is_run(cmd: str, parent: str) -> bool:
    """A run launched by the code server: a spawned process whose parent was not spawned
    (a step worker of the multiprocess executor is its child and counts as part of it)."""
    spawned = "spawn_main" in cmd or "execute_run" in cmd
    return spawned and "spawn_main" not in parent and "execute_run" not in parent


def _sensor_daemon_healthy(port: int) -> bool:
    statuses = graphql(port, _DAEMONS)["instance"]["daemonHealth"]["allDaemonStatuses"]
    return any(s["daemonType"] == "SENSOR" and s["healthy"] for s in statuses)


def _finished_runs(port: int, expected: int) -> list[dict] | None:
    runs = graphql(port, _RUNS)["runsOrError"]["results"]
    done = [r for r in runs if r["status"] in ("SUCCESS", "FAILURE", "CANCELED")]
    return done if len(done) >= expected else None


def _wait(check: Callable[[], Any], timeout: float, what: str, logs: Path) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            value = check()
            if value:
                return value
        time.sleep(0.5)
    tail = logs.read_text(errors="replace")[-2000:] if logs.exists() else ""
    raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}\n{tail}")


def run_sums(home: Path, run_ids: list[str]) -> dict[str, Any]:
    """Item durations and cache hits of finished runs, read from their event logs."""
    import dagster as dg

    from merlin_assets.timings.ingest import run_rows

    total, hits = 0.0, 0
    with dg.DagsterInstance.from_config(str(home)) as instance:
        for run_id in run_ids:
            rows = run_rows(instance, run_id)
            if rows is not None:
                total += rows.run["sum_s"] or 0.0
                hits += rows.run["cache_hits"] or 0
    return {"sum_s": total, "cache_hits": hits}


def batch_figures(total_s: float, sums: dict[str, Any], calls: int, limited: int) -> dict[str, Any]:
    """The figures of a batch built under the keys' limits (`many`, `fleet`): its time from the
    configs' drop against the rate-limit bound (every call at the keys' full rate)."""
    bound_s = calls / (sc.MANY_KEYS * sc.MANY_RPM) * 60
    return {
        "process_s": round(total_s, 2),
        "wall_s": round(total_s, 2),
        "sum_s": round_or_none(sums["sum_s"]),
        "bound_s": round(bound_s, 2),
        "parallelism": round(sums["sum_s"] / total_s, 2) if total_s else None,
        "efficiency": round(bound_s / total_s, 3) if total_s else None,
        "calls": calls,
        "cache_hits": sums["cache_hits"],
        "rate_limited": limited,
    }


def round_or_none(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _speedups(rows: list[Row]) -> None:
    """Speed-up over the sequential row of the same scenario, on graph wall time."""
    for row in rows:
        base = next(
            (r for r in rows if r.scenario == row.scenario and r.mode == "sequential"), None
        )
        if base is not None and base.wall_s and row.wall_s:
            row.speedup = round(base.wall_s / row.wall_s, 2)


def _brief(row: Row) -> str:
    if row.status != "ok" and row.wall_s is None:
        return row.status
    parts = [
        f"{k}={v}"
        for k, v in row.as_dict().items()
        if k
        in (
            "process_s",
            "run_s",
            "wall_s",
            "critical_path_s",
            "bound_s",
            "calls",
            "rate_limited",
            "peak_mb",
        )
        and v is not None
    ]
    return " ".join(parts)

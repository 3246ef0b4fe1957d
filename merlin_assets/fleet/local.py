"""`LocalFleet`: every piece of a Dagster fleet on this machine, started and stopped as one.

<dir>/fleet.json          ports, URLs and the environment every process got
<dir>/pids/*.json         one per process group started (processes.py)
<dir>/logs/*.log          each process's output
<dir>/postgres/           the Postgres cluster (or a pointer to it)
<dir>/dagster_home/       dagster.yaml (deploy/dagster.yaml filled in) + workspace.yaml
<dir>/config/             dagster_celery_config.py (deploy/celery_config.py)
<dir>/projects/           MERLIN_PROJECTS_DIR: drop configs here, the sensor starts runs
<dir>/shared/             MERLIN_SITES_DIR and MERLIN_WORK_DIR, the stand-in for a shared
                          mount while the pipeline keeps them on disk (with
                          MERLIN_STORAGE_URL honoured they live in the bucket instead)
<dir>/workers/wN/         worker N's own HOME, TMPDIR and caches, empty at start; it
                          should hold no state after its runs (a worker is disposable)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from merlin_assets.fleet import instance as fleet_instance
from merlin_assets.fleet import processes, redis, s3
from merlin_assets.fleet.postgres import Postgres
from merlin_assets.fleet.postgres import url as pg_url

BUCKET = "merlin"
STATE = "fleet.json"
WORKSPACE = "workspace.yaml"
# What the Dockerfile builds into the image, built once by `up` into the fleet's "image" folder:
# matplotlib's font list and the content gate's word lists and CMU stresses, which `warm`
# loads, building their cache files (content_gate/listcache.py).
IMAGE_BUILD = (
    "import matplotlib.font_manager; from merlin_assets.content_gate.warm import warm; warm()"
)


def _bin(name: str) -> str:
    """A console script of this Python's environment (falls back to PATH)."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else (shutil.which(name) or name)


class LocalFleet:
    def __init__(
        self,
        root: Path,
        *,
        workers: int = 2,
        concurrency: int = 1,
        webserver: bool = True,
        web_port: int | None = None,
        offline: bool = False,
        monitor_every_s: int = 30,
        env: Mapping[str, str] | None = None,
        log: Callable[[str], None] = lambda _line: None,
    ):
        self.root = Path(root).absolute()
        self.workers = workers
        self.concurrency = concurrency
        self.webserver = webserver
        self.web_port = web_port
        self.offline = offline
        self.monitor_every_s = monitor_every_s
        # Settings every process gets on top of the fleet's own (and overriding them): the
        # provider, its keys and limits, a bucket prefix as MERLIN_PROJECTS_DIR, another Redis.
        self.extra_env = dict(env or {})
        self.log = log
        self.state: dict = {}

    # -- where things are ------------------------------------------------------------------
    @property
    def home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def projects_dir(self) -> Path:
        return self.root / "projects"

    @property
    def shared(self) -> Path:
        return self.root / "shared"

    def worker_dir(self, index: int) -> Path:
        return self.root / "workers" / f"w{index}"

    def worker_pgid(self, index: int) -> int | None:
        for record in processes.recorded(self.root):
            if record["name"] == f"worker-w{index}":
                return int(record["pid"])
        return None

    # -- up --------------------------------------------------------------------------------
    def shared_env(self, ports: dict[str, int]) -> dict[str, str]:
        """What every process of the fleet is told about the shared services."""
        endpoint = s3.endpoint(ports["s3"])
        env = {
            "MERLIN_PG_URL": pg_url(ports["postgres"]),
            "MERLIN_CELERY_BROKER": redis.celery_url(ports["redis"]),
            "MERLIN_CELERY_BACKEND": redis.celery_url(ports["redis"]),
            "MERLIN_LOGS_BUCKET": BUCKET,
            "MERLIN_S3_ENDPOINT_URL": endpoint,
            "MERLIN_STORAGE_URL": f"s3://{BUCKET}/fleet",
            "MERLIN_REDIS_URL": redis.merlin_url(ports["redis"]),
            "MERLIN_PROJECTS_DIR": str(self.projects_dir),
            "MERLIN_SITES_DIR": str(self.shared / "sites"),
            "MERLIN_WORK_DIR": str(self.shared / "work"),
            **s3.credentials(),
        }
        if self.offline:
            env["MERLIN_LLM"] = "offline"
        env.update(self.extra_env)
        return env

    def up(self) -> dict:
        if processes.recorded(self.root):
            raise RuntimeError(f"a fleet is already running from {self.root} (merlin fleet down)")
        started = time.monotonic()
        self.root.mkdir(parents=True, exist_ok=True)
        for folder in (self.projects_dir, self.shared / "sites", self.shared / "work"):
            folder.mkdir(parents=True, exist_ok=True)
        ports = {
            "postgres": processes.free_port(),
            "redis": processes.free_port(),
            "s3": processes.free_port(),
        }
        if self.webserver:
            ports["webserver"] = self.web_port or processes.free_port()
        base = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
        shared = self.shared_env(ports)
        self.state = {
            "root": str(self.root),
            "ports": ports,
            "env": shared,
            "workers": self.workers,
            "concurrency": self.concurrency,
        }
        (self.root / STATE).write_text(json.dumps(self.state, indent=2))
        try:
            pg = Postgres(self.root / "postgres", ports["postgres"])
            pg.start()
            self.log(f"postgres   127.0.0.1:{ports['postgres']} ({pg.data})")
            redis.start(self.root, ports["redis"], base)
            self.log(f"redis      127.0.0.1:{ports['redis']}")
            s3.start(self.root, ports["s3"], base, [BUCKET])
            self.log(f"s3 (moto)  {s3.endpoint(ports['s3'])} bucket {BUCKET}")

            fleet_instance.write_home(
                self.home,
                shared,
                run_slots=self.workers * self.concurrency,
                poll_interval_s=self.monitor_every_s,
            )
            workspace = fleet_instance.write_workspace(self.home / WORKSPACE)
            config_dir = self.root / "config"
            fleet_instance.write_celery_config(config_dir)
            env = {**base, **shared, "DAGSTER_HOME": str(self.home)}
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (str(config_dir), os.environ.get("PYTHONPATH", "")) if p
            )

            env["MPLCONFIGDIR"] = str(self.root / "image" / "matplotlib")
            env["MERLIN_WORDLIST_CACHE_DIR"] = str(self.root / "image" / "wordlists")
            subprocess.run(
                [sys.executable, "-c", IMAGE_BUILD],
                env={**env, "HOME": str(self.root / "image")},
                check=True,
                capture_output=True,
            )
            for i in range(1, self.workers + 1):
                self._start_worker(i, env)
            processes.start(
                "daemon",
                [_bin("dagster-daemon"), "run", "-w", str(workspace)],
                root=self.root,
                env=env,
                cwd=self.root,
                stop_signal=signal.SIGTERM,
            )
            self.log("dagster-daemon started")
            if self.webserver:
                web = processes.start(
                    "webserver",
                    [
                        _bin("dagster-webserver"),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        str(ports["webserver"]),
                        "-w",
                        str(workspace),
                    ],
                    root=self.root,
                    env=env,
                    cwd=self.root,
                    stop_signal=signal.SIGINT,
                )
                processes.wait_port(ports["webserver"], 120, web.proc)
                self.log(f"webserver  http://127.0.0.1:{ports['webserver']}")
            self.wait_workers()
        except BaseException:
            self.down()
            raise
        self.state["up_s"] = round(time.monotonic() - started, 1)
        (self.root / STATE).write_text(json.dumps(self.state, indent=2))
        return self.state

    def _start_worker(self, index: int, env: dict[str, str]) -> None:
        """One Celery worker in a fresh folder of its own: HOME, TMPDIR, caches, DAGSTER_HOME."""
        folder = self.worker_dir(index)
        shutil.rmtree(folder, ignore_errors=True)
        home, tmp, cache = folder / "home", folder / "tmp", folder / "cache"
        for path in (home, tmp, cache):
            path.mkdir(parents=True)
        dagster_home = folder / "dagster_home"
        dagster_home.mkdir()
        # Each machine has its own copy of the instance config (nothing else in that home).
        shutil.copy(self.home / "dagster.yaml", dagster_home / "dagster.yaml")
        name = f"w{index}"
        worker_env = {
            **env,
            "DAGSTER_HOME": str(dagster_home),
            "HOME": str(home),
            "TMPDIR": str(tmp),
            "XDG_CACHE_HOME": str(cache),
            "XDG_CONFIG_HOME": str(home / ".config"),
            # Part of the "image" (built once by `up`, as the Dockerfile does at build time),
            # not something a worker writes: matplotlib's font list.
            "MPLCONFIGDIR": env["MPLCONFIGDIR"],
            "MERLIN_WORDLIST_CACHE_DIR": env["MERLIN_WORDLIST_CACHE_DIR"],
            # Font subsets are the same bytes on every machine: like the font list, a shared
            # part of the image, not a worker's state.
            "MERLIN_FONT_CACHE_DIR": str(self.root / "image" / "fonts"),
            "MERLIN_CACHE_DIR": str(cache / "merlin"),
            "MERLIN_WORKER_NAME": name,
            # glibc gives each thread that allocates its own arena (up to 8 per core), and a
            # run's threads (the step, the event loop, Pillow and the gate in worker threads)
            # each kept theirs: two arenas hold a run's memory with less left unreturned.
            "MALLOC_ARENA_MAX": env.get("MALLOC_ARENA_MAX", "2"),
        }
        processes.start(
            f"worker-{name}",
            [
                _bin("celery"),
                "-A",
                "dagster_celery.app",
                "worker",
                "-Q",
                "dagster",
                "-n",
                f"{name}@%h",
                "--prefetch-multiplier=1",
                f"--concurrency={self.concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            root=self.root,
            env=worker_env,
            cwd=folder,
            # Warm shutdown: a worker finishes its runs first (down gives it a grace period).
            stop_signal=signal.SIGTERM,
        )
        self.log(f"worker {name} started in {folder}")

    def celery_app(self):
        from celery import Celery

        env = self.state.get("env") or self.load_state()["env"]
        return Celery(broker=env["MERLIN_CELERY_BROKER"], backend=env["MERLIN_CELERY_BACKEND"])

    def wait_workers(self, timeout_s: float = 120.0) -> list[str]:
        """Block until every worker answers a ping over the broker; returns their names."""
        app = self.celery_app()
        expected = {f"w{i}" for i in range(1, self.workers + 1)}
        deadline = time.monotonic() + timeout_s
        try:
            while True:
                replies = app.control.ping(timeout=1.0) or []
                names = {name.split("@")[0] for reply in replies for name in reply}
                if expected <= names:
                    self.log(f"workers answering: {', '.join(sorted(names))}")
                    return sorted(names)
                if time.monotonic() > deadline:
                    raise TimeoutError(f"workers {sorted(expected - names)} did not answer")
                time.sleep(0.5)
        finally:
            app.close()

    # -- down ------------------------------------------------------------------------------
    def load_state(self) -> dict:
        path = self.root / STATE
        self.state = json.loads(path.read_text()) if path.is_file() else {}
        return self.state

    def down(self, grace_s: float = 20.0) -> list[tuple[str, str]]:
        """Stop everything `up` started, newest first, then Postgres. Says what happened."""
        report = []
        for record in reversed(processes.recorded(self.root)):
            report.append((record["name"], processes.stop_recorded(record, grace_s)))
        state = self.state or self.load_state()
        port = (state.get("ports") or {}).get("postgres")
        if (self.root / "postgres" / "location").is_file() and port:
            with contextlib.suppress(RuntimeError, FileNotFoundError):
                report.append(("postgres", Postgres(self.root / "postgres", port).stop()))
        return report

    def remove(self) -> None:
        """Stop, then delete the fleet folder and its Postgres cluster."""
        self.down()
        state = self.state or self.load_state()
        port = (state.get("ports") or {}).get("postgres", 0)
        if (self.root / "postgres" / "location").is_file():
            Postgres(self.root / "postgres", port).remove()
        shutil.rmtree(self.root, ignore_errors=True)

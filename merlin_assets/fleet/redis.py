"""A local Redis for the fleet: in memory, 127.0.0.1 only, a pid file like every fleet piece.

Database 0 is Celery's (the run queue and task states), database 1 Merlin's shared budgets and
reply cache (MERLIN_REDIS_URL).
"""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

from merlin_assets.fleet import processes

NAME = "redis"


def command(binary: str, port: int) -> list[str]:
    """redis-server on 127.0.0.1 only, in memory: nothing saved, nothing appended."""
    return [
        binary,
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--protected-mode",
        "yes",
    ]


def start(root: Path, port: int, env: dict[str, str]) -> processes.Started:
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
    started = processes.start(
        NAME,
        command(binary, port),
        root=root,
        env=env,
        cwd=root,
        stop_signal=signal.SIGTERM,
    )
    processes.wait_port(port, 15, started.proc)
    return started


def celery_url(port: int) -> str:
    return f"redis://127.0.0.1:{port}/0"


def merlin_url(port: int) -> str:
    return f"redis://127.0.0.1:{port}/1"

"""One `merlin` command in its own process, timed: wall and CPU seconds (on a shared machine the
CPU figure is the one that says what the command costs)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def timed_merlin(
    work: Path, env: dict[str, str], *args: str
) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall and CPU seconds of `merlin ARGS` run in `work`, and the finished process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", *args],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def live_release(sites: Path, project: str) -> str | None:
    """The release live under `sites` now, as the local folder's `LIVE` pointer names it;
    None before the first publish (or when the read caught the pointer being written)."""
    try:
        return json.loads((sites / ".releases" / project / "LIVE").read_text())["release"]
    except (OSError, ValueError):
        return None

"""Running a project through Dagster from the command line: its Dagster home, tags and orphans."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import dagster as dg


def ensure_dagster_home(cwd: Path) -> Path:
    """`DAGSTER_HOME` when set, else `.merlin/dagster_home` here, shared with `merlin dev`.

    The repository's `dagster.yaml` (run queue, concurrency, telemetry) is copied in when the
    home has none, so a project-local instance behaves like the documented one.
    """
    home = os.environ.get("DAGSTER_HOME")
    path = Path(home) if home else cwd / ".merlin" / "dagster_home"
    path.mkdir(parents=True, exist_ok=True)
    template = cwd / "dagster.yaml"
    if not (path / "dagster.yaml").exists() and template.is_file():
        shutil.copyfile(template, path / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(path.absolute())
    return path


PID_TAG = "merlin/pid"
HOST_TAG = "merlin/host"


def cli_run_tags() -> dict[str, str]:
    """Who runs an in-process run, so a later CLI can tell when that process has died."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed process its parent has not reaped yet still answers signal 0.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def fail_orphaned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the in-process runs whose `merlin generate` process was killed.

    No daemon watches an in-process run, so one killed with SIGKILL would otherwise show as
    STARTED forever; the next `merlin generate` on this machine closes it.
    """
    closed = []
    records = instance.get_run_records(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.STARTED], tags={HOST_TAG: socket.gethostname()}
        )
    )
    for record in records:
        run = record.dagster_run
        pid = run.tags.get(PID_TAG, "")
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            instance.report_run_failed(
                run, f"the merlin generate process (pid {pid}) ended without finishing the run"
            )
            closed.append(run.run_id)
    return closed

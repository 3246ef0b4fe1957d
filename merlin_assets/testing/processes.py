"""Stopping what a test or the benchmark started, and nothing else."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def stop_group(proc: subprocess.Popen, *, grace_s: float = 20.0) -> None:
    """Stop a process started with `start_new_session=True` and everything it started.

    `dagster dev` ignores SIGTERM and takes several seconds to wind down after SIGINT, so it
    gets SIGINT and `grace_s` to exit cleanly, then SIGKILL for whatever is left.
    """
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace_s)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)

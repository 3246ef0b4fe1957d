"""The process pool photos are encoded in: one worker per core this process may use.

Encoding is CPU work that holds the GIL in Pillow's resize and in the pure-Python parts of
smartcrop, so threads would queue behind each other; processes use every core. Workers are
started with "spawn": the pipeline runs inside Dagster with threads, and forking a threaded
process can copy a held lock into the child.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor

_LOCK = threading.Lock()
_POOL: ProcessPoolExecutor | None = None


def pool_size() -> int:
    """Cores this process may run on (the affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def media_pool() -> ProcessPoolExecutor:
    """The shared pool, started on first use and kept for the life of the process."""
    global _POOL
    with _LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(
                max_workers=pool_size(), mp_context=multiprocessing.get_context("spawn")
            )
        return _POOL


def shutdown() -> None:
    """Stop the pool's workers (tests and the bench end what they started)."""
    global _POOL
    with _LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=True, cancel_futures=True)
            _POOL = None


def _load_modules() -> int:
    import time

    import smartcrop  # noqa: F401

    time.sleep(0.2)  # long enough that each worker takes one of these, not one worker all
    return os.getpid()


def warm_up() -> int:
    """Start every worker and import what a job needs; returns how many distinct workers ran.

    A spawned worker imports Pillow, numpy and smartcrop on its first job (~1 s on a loaded
    2-core machine), which a bench would otherwise count as encoding time.
    """
    pool = media_pool()
    futures = [pool.submit(_load_modules) for _ in range(pool_size())]
    return len({f.result() for f in futures})

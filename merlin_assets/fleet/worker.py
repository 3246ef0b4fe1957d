"""What a Celery run worker does once, before its pool processes fork.

Celery's prefork pool forks its processes from the worker's main process, and each Dagster run
then imports Dagster's and Merlin's modules (the definitions, Pillow, DuckDB, the openai client,
matplotlib for the timeline) in its pool process: 4 runs at once held 4 private copies, about
700 MB each. Imported once in the main process before the fork, those pages are shared by every
pool process. `gc.freeze()` moves the loaded objects out of the collector's reach: a collection
in a child would otherwise write to every object's header and copy the pages it shares.
"""

from __future__ import annotations

import gc
import importlib
import logging

# What a run imports on its first item; all of it is needed by every run.
MODULES = (
    "merlin_assets.definitions",
    "merlin_assets.defs.metadata",
    "matplotlib.pyplot",
    "PIL.Image",
    "duckdb",
    "openai",
)

log = logging.getLogger(__name__)


def preload(modules: tuple[str, ...] = MODULES) -> list[str]:
    """Import `modules` in this process and freeze them; returns those that failed to import
    (a worker still starts without them: each run imports what it needs)."""
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a missing optional module must not stop the worker
            log.warning("preload: %s not imported: %s", name, exc)
            failed.append(name)
    gc.collect()
    gc.freeze()
    return failed

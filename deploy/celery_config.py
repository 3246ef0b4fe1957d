"""Celery settings for Merlin's run workers, from the environment.

`celery -A dagster_celery.app worker` reads a module named `dagster_celery_config` when it can
import one: install this file under that name on the workers' PYTHONPATH (the Dockerfile copies
it to /app/config/dagster_celery_config.py; `merlin fleet up` writes a copy into its folder).

    MERLIN_CELERY_BROKER    redis://host:6379/0   the run queue
    MERLIN_CELERY_BACKEND   redis://host:6379/0   task states, read by the Dagster daemon's run
                            monitoring from another process (so not rpc://)

The daemon's side (CeleryRunLauncher in deploy/dagster.yaml) reads the same two variables.
"""

import os

from celery.signals import worker_init

broker_url = os.environ["MERLIN_CELERY_BROKER"]
result_backend = os.environ.get("MERLIN_CELERY_BACKEND", broker_url)

# One Dagster run is one long task: a worker takes one at a time and asks for the next only
# when it has finished, so a free worker is never stuck behind a busy one's prefetched queue.
worker_prefetch_multiplier = 1
task_default_queue = "dagster"
task_default_priority = 5
# Task states stay readable for a day (run monitoring polls them while the run lives).
result_expires = 24 * 3600
# Acknowledge on receipt (Celery's default): a worker that dies mid-run does not hand the same
# run to another worker, which would find it already started. Dagster's run monitoring sees the
# dead worker and run retries start a new run instead.
task_acks_late = False
broker_connection_retry_on_startup = True
broker_transport_options = {
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}


# Load Dagster and Merlin once in the worker's main process, before the pool forks, so its
# processes share those pages instead of each holding a copy (merlin_assets/fleet/worker.py).
@worker_init.connect
def _preload(**_: object) -> None:
    from merlin_assets.fleet.worker import preload

    preload()


# A pool process that has grown past this after a run is replaced by a fresh fork of the
# preloaded main process: what one run leaves behind (allocator arenas, caches) does not
# accumulate over the worker's life. Celery reads KiB.
worker_max_memory_per_child = int(os.environ.get("MERLIN_WORKER_MAX_MEMORY_MB", "1024")) * 1024

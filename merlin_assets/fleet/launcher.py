"""CeleryRunLauncher that notices a dead worker.

The stock launcher reports a run whose Celery task is STARTED as running, and a task stays
STARTED in the result backend forever when its worker is killed (machine lost, OOM-killed,
SIGKILL). Here a STARTED task's worker, named in the task's state, is pinged over the broker;
no answer to two pings means the worker is gone, the run is reported failed, and Dagster's run
retries (`run_retries` in deploy/dagster.yaml) start it again on a worker that is alive.

Workers must run a pool whose main process answers while a task runs (prefork, the default),
not `--pool=solo`, and each needs a unique name (`-n w1@%h`).
"""

from __future__ import annotations

from dagster import DagsterRun
from dagster._core.launcher import CheckRunHealthResult, WorkerStatus
from dagster_celery.launcher import CeleryRunLauncher
from dagster_celery.tags import DAGSTER_CELERY_TASK_ID_TAG

PING_TIMEOUTS_S = (2.0, 4.0)


class MerlinCeleryRunLauncher(CeleryRunLauncher):
    def worker_of(self, run: DagsterRun) -> str | None:
        """The Celery worker running `run`'s task, as its STARTED state names it."""
        task_id = run.tags.get(DAGSTER_CELERY_TASK_ID_TAG)
        if not task_id:
            return None
        info = self.celery.AsyncResult(task_id).info
        return info.get("hostname") if isinstance(info, dict) else None

    def worker_answers(self, hostname: str) -> bool:
        for timeout in PING_TIMEOUTS_S:
            replies = self.celery.control.ping(destination=[hostname], timeout=timeout)
            if any(hostname in reply for reply in replies or []):
                return True
        return False

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        health = super().check_run_worker_health(run)
        if health.status != WorkerStatus.RUNNING:
            return health
        hostname = self.worker_of(run)
        if hostname is None or self.worker_answers(hostname):
            return health
        return CheckRunHealthResult(
            WorkerStatus.FAILED, f"Celery worker {hostname} running this run does not answer"
        )

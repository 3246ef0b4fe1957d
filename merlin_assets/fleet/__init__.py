"""A whole Dagster fleet on one machine, for development and tests: `merlin fleet up/down`.

Postgres (runs, events, schedules), Redis (Celery's run queue and task states, Merlin's shared
budgets and cache), an S3 test server (compute logs, and Merlin's objects when
MERLIN_STORAGE_URL is honoured), `dagster-webserver`, `dagster-daemon`, and N Celery workers
that each run one Dagster run at a time in a folder of their own. Every process is started in
its own process group with a pid file under `<dir>/pids`, so `down` stops exactly what `up`
started. deploy/ holds the same setup for several machines.
"""

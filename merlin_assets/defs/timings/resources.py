"""The timings store every finished run is recorded in."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from merlin_assets.settings import Settings
from merlin_assets.timings.store import TimingsStore, default_db_path


class TimingsDBResource(dg.ConfigurableResource):
    """The DuckDB timings database (`MERLIN_TIMINGS_DB`, default `merlin/timings.duckdb` in
    the Dagster home) and the Parquet files its views read."""

    path: str | None = None

    def store(self, instance: dg.DagsterInstance) -> TimingsStore:
        """The store for runs of `instance`."""
        chosen = self.path or Settings().timings_db
        return TimingsStore(Path(chosen) if chosen else default_db_path(instance.root_directory))


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"timings_db": TimingsDBResource()})

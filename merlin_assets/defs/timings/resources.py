"""The timings store every finished run is recorded in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import Field

from merlin_assets.config.environment import Settings
from merlin_assets.timings.store import TimingsStore, default_db_path, timings_store


class TimingsDBResource(dg.ConfigurableResource):
    """The DuckDB timings database and the Parquet files its views read."""

    path: str | None = Field(
        default=None,
        description="MERLIN_TIMINGS_DB: the DuckDB file; unset means merlin/timings.duckdb in "
        "the Dagster home of the instance the runs belong to",
    )

    @classmethod
    def from_env(cls, **overrides: Any) -> TimingsDBResource:
        """`MERLIN_TIMINGS_DB` (made absolute), then `overrides` that are not None."""
        chosen = Settings().timings_db
        values: dict[str, Any] = {"path": str(chosen.absolute()) if chosen else None}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def store(self, instance: dg.DagsterInstance) -> TimingsStore:
        """The store for runs of `instance`."""
        local = Path(self.path) if self.path else default_db_path(instance.root_directory)
        return timings_store(Settings(), local)


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"timings_db": TimingsDBResource.from_env()})

"""The timings store: one Parquet file per run and table, and a DuckDB file of views over them.

DuckDB locks its whole file across processes, so an analyst holding a connection open would
make any writer of that file fail, and a sensor that fails after advancing its cursor loses
the run for good. Here a run is written as Parquet files (atomic renames, named by run id, so
writing a run again replaces it with the same rows) and the database file holds only views,
created once; its lock is never needed to record a run. Readers inside Merlin query the same
views on an in-memory connection, so they never contend for the file either.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from merlin_assets.storage import location, settings_filesystem
from merlin_assets.timings import queries
from merlin_assets.timings.rows import RunRows

if TYPE_CHECKING:
    from merlin_assets.config.environment import Settings

log = logging.getLogger(__name__)


def default_db_path(dagster_home: str | Path) -> Path:
    return Path(dagster_home) / "merlin" / "timings.duckdb"


class TimingsStore:
    """Writes and reads run timings under `db_path` and `<db stem>_data/` beside it."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path).absolute()
        self.data_dir = self.db_path.parent / f"{self.db_path.stem}_data"

    # --- writing -------------------------------------------------------------------------

    def _table_dir(self, table: str) -> Path:
        return self.data_dir / table

    def _prepare(self) -> None:
        """Folders, and an empty file per table so the views work before the first run."""
        for table in queries.TABLES:
            folder = self._table_dir(table)
            folder.mkdir(parents=True, exist_ok=True)
            empty = folder / f"_schema-v{queries.SCHEMA_VERSION}.parquet"
            if not empty.exists():
                self._write_parquet(table, [], empty)

    def _write_parquet(self, table: str, rows: list[dict[str, Any]], dest: Path) -> None:
        cols = queries.columns(table)
        tmp = dest.with_name(f".{dest.stem}.{uuid.uuid4().hex}.tmp")
        con = duckdb.connect(":memory:")
        try:
            con.execute("SET TimeZone = 'UTC'")
            con.execute(queries.create_table(table))
            if rows:
                con.executemany(queries.insert(table), [[r.get(c) for c in cols] for r in rows])
            con.execute(queries.copy_to_parquet(table, str(tmp)))
        finally:
            con.close()
        os.replace(tmp, dest)

    def write_run(self, rows: RunRows) -> None:
        """Record one run, replacing any earlier copy of it: re-ingesting changes nothing."""
        self._prepare()
        run_id = rows.run["run_id"]
        tables = {
            "runs": [rows.run],
            "items": rows.items,
            "llm_calls": rows.calls,
            "deploys": rows.deploys,
        }
        for table in queries.WRITE_ORDER:
            self._write_parquet(table, tables[table], self._table_dir(table) / f"{run_id}.parquet")
        self.ensure_views()

    def ensure_views(self) -> bool:
        """Create the views in the database file unless they are there; False when busy.

        A marker beside the data says which schema the file's views were made for, so the
        file is opened for writing once per schema version, not on every run.
        """
        self._prepare()
        marker = self.data_dir / "views.json"
        wanted = {"version": queries.SCHEMA_VERSION, "data_dir": str(self.data_dir)}
        with contextlib.suppress(OSError, ValueError):
            if self.db_path.exists() and json.loads(marker.read_text()) == wanted:
                return True
        try:
            con = duckdb.connect(str(self.db_path))
        except duckdb.IOException as exc:
            log.warning("timings views not refreshed, %s is busy: %s", self.db_path, exc)
            return False
        try:
            self._create_views(con)
        finally:
            con.close()
        marker.write_text(json.dumps(wanted))
        return True

    def _glob(self, table: str) -> str:
        return str(self._table_dir(table) / "*.parquet")

    def _create_views(self, con: duckdb.DuckDBPyConnection) -> None:
        for table in queries.TABLES:
            con.execute(queries.base_view(table, self._glob(table)))
        for name in queries.VIEWS:
            con.execute(queries.view(name))

    # --- reading -------------------------------------------------------------------------

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An in-memory connection with the analysts' views; never touches the file lock."""
        self._prepare()
        con = duckdb.connect(":memory:")
        try:
            con.execute("SET TimeZone = 'UTC'")
            self._create_views(con)
            yield con
        finally:
            con.close()

    def run_ids(self) -> list[str]:
        with self.connect() as con:
            return [r[0] for r in con.execute(queries.RUN_IDS).fetchall()]

    def latest_run_id(self, project: str | None = None) -> str | None:
        with self.connect() as con:
            row = con.execute(queries.LATEST_RUN, [project, project]).fetchone()
        return row[0] if row else None

    def summary(self, run_id: str) -> dict[str, Any] | None:
        with self.connect() as con:
            return _one(con, queries.SELECT_RUN, [run_id])

    def items(self, run_id: str) -> list[dict[str, Any]]:
        with self.connect() as con:
            return _all(con, queries.RUN_ITEMS, [run_id])

    def calls(self, run_id: str) -> list[dict[str, Any]]:
        with self.connect() as con:
            return _all(con, queries.RUN_CALLS, [run_id])

    def groups(self, run_id: str) -> list[dict[str, Any]]:
        with self.connect() as con:
            return _all(con, queries.RUN_GROUPS, [run_id])


class ObjectTimingsStore(TimingsStore):
    """The same tables as Parquet under `root` in a bucket (`bucket/prefix/timings`), read by
    DuckDB through the fsspec filesystem registered on each connection.

    Any machine with the settings reads the same runs. There is no database file: views live
    on the in-memory connection `connect()` opens (the httpfs extension is not needed). A run
    is written as one PUT per table, which a reader sees whole, so no rename is needed.
    """

    def __init__(self, fs, root: str, protocol: str = "s3"):
        self.fs = fs
        self.root = root.strip("/")
        self.protocol = protocol
        # What `merlin timings` names when no run is found.
        self.db_path = f"{protocol}://{self.root}"  # type: ignore[assignment]
        self.data_dir = self.db_path  # type: ignore[assignment]
        self._prepared = False

    def _key(self, table: str, name: str) -> str:
        return f"{self.root}/{table}/{name}"

    def _prepare(self) -> None:
        if self._prepared:
            return
        for table in queries.TABLES:
            key = self._key(table, f"_schema-v{queries.SCHEMA_VERSION}.parquet")
            if not self.fs.exists(key):
                self._put_parquet(table, [], key)
        self._prepared = True

    def _put_parquet(self, table: str, rows: list[dict[str, Any]], key: str) -> None:
        with tempfile.TemporaryDirectory(prefix="merlin-timings-") as tmp:
            local = Path(tmp) / "rows.parquet"
            self._write_parquet(table, rows, local)
            self.fs.put_file(str(local), key)

    def write_run(self, rows: RunRows) -> None:
        """Record one run, replacing any earlier copy of it: re-ingesting changes nothing."""
        self._prepare()
        run_id = rows.run["run_id"]
        tables = {
            "runs": [rows.run],
            "items": rows.items,
            "llm_calls": rows.calls,
            "deploys": rows.deploys,
        }
        for table in queries.WRITE_ORDER:
            self._put_parquet(table, tables[table], self._key(table, f"{run_id}.parquet"))

    def ensure_views(self) -> bool:
        """Nothing to create: the views are made per connection."""
        self._prepare()
        return True

    def _glob(self, table: str) -> str:
        return f"{self.protocol}://{self._key(table, '*.parquet')}"

    def _create_views(self, con: duckdb.DuckDBPyConnection) -> None:
        con.register_filesystem(self.fs)
        super()._create_views(con)


def _all(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> dict[str, Any] | None:
    rows = _all(con, sql, params)
    return rows[0] if rows else None


def timings_store(settings: Settings, local_db_path: Path) -> TimingsStore:
    """The timings store: `TimingsStore(local_db_path)`, or Parquet under `<url>/timings`."""
    where = location(settings)
    if where is None:
        return TimingsStore(local_db_path)
    return ObjectTimingsStore(settings_filesystem(settings), where.path("timings"))

"""Run timings: rows from the event log, the critical path, a Parquet + DuckDB store, a Gantt."""

"""Circuits in a SQLite file beside the budgets, shared by the processes of one machine."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from merlin_assets.gateway.breaker.state import (
    PROBE_LEASE_S,
    Circuit,
    Permit,
    on_acquire,
    on_failure,
    on_trip,
)


class SQLiteBreakerStore:
    """Circuits in one SQLite file, shared by every process on the machine that uses it.

    Each transition is one `BEGIN IMMEDIATE` transaction, so two processes never both take the
    probe permit. Times are this machine's wall clock (every process shares it); `clock` is
    there for tests, which step it instead of sleeping through a cool-down.
    """

    def __init__(self, path: Path, clock: Callable[[], float] = time.time):
        self._clock = clock
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS circuits (endpoint TEXT PRIMARY KEY, "
                "failures INTEGER NOT NULL, open_until REAL NOT NULL, "
                "probe_until REAL NOT NULL, reason TEXT NOT NULL, updated REAL NOT NULL)"
            )

    def _change(self, endpoint: str, change) -> object:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                row = self._conn.execute(
                    "SELECT failures, open_until, probe_until, reason FROM circuits "
                    "WHERE endpoint = ?",
                    (endpoint,),
                ).fetchone()
                now = self._clock()
                answer, new = change(Circuit(*row) if row else Circuit(), now)
                if new is not None:
                    self._conn.execute(
                        "INSERT OR REPLACE INTO circuits VALUES (?, ?, ?, ?, ?, ?)",
                        (endpoint, new.failures, new.open_until, new.probe_until, new.reason, now),
                    )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            return answer

    def get(self, endpoint: str) -> Circuit:
        return self._change(endpoint, lambda c, now: (c, None))

    def acquire(self, endpoint: str, probe_lease_s: float = PROBE_LEASE_S) -> Permit:
        return self._change(endpoint, lambda c, now: on_acquire(c, now, probe_lease_s))

    def failure(self, endpoint: str, reason: str, threshold: int, cooldown_s: float) -> bool:
        return self._change(
            endpoint, lambda c, now: on_failure(c, now, reason, threshold, cooldown_s)
        )

    def success(self, endpoint: str) -> None:
        self._change(endpoint, lambda c, now: (None, Circuit() if c != Circuit() else None))

    def trip(self, endpoint: str, reason: str, cooldown_s: float) -> None:
        self._change(endpoint, lambda c, now: (None, on_trip(c, now, reason, cooldown_s)))

    def release(self, endpoint: str) -> None:
        self._change(
            endpoint,
            lambda c, now: (
                None,
                Circuit(c.failures, c.open_until, 0.0, c.reason) if c.probe_until else None,
            ),
        )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

"""Per-key request, token and image budgets shared by every process on the machine.

`RateBudgets` is the seam: the pool asks it to take a demand from one key's budget, and how
full each key is. `SQLiteBudgets` keeps the budgets in one SQLite file, counted by
pyrate-limiter's `SQLiteBucket` (a sliding-window log) behind one `filelock` file lock, so
several project runs at once share each key's budget. A Redis or Postgres backend for several
machines implements the same three methods.

Keys are never stored: each key's tables are named by a short hash of it.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from filelock import FileLock
from pyrate_limiter import Rate, RateItem, SQLiteBucket

# Token budgets are counted in units so one call never inserts thousands of log rows; a unit is
# at most 1/1000 of the limit and demands round up, so the budget is never overrun.
_MAX_UNITS = 1000
_LEAK_EVERY_S = 10.0
# A request is stamped here when admitted and by the server when it arrives, which on a busy
# machine can be seconds later (GIL, event loop, connection setup). Windows are kept this much
# longer than nominal so that lag never lets a call in a moment too early (5% of a minute). At
# 2 s, one of 904 calls of the fleet bench (8 runs on 2 cores, load about 8) still arrived a
# moment early and was refused with a 429.
SAFETY_MS = 3000


@dataclass(frozen=True)
class KeyLimits:
    """What one key may spend per window; 0 means no limit on that dimension."""

    requests: int = 500
    tokens: int = 200_000
    images: int = 5
    window_s: float = 60.0


@dataclass(frozen=True)
class Demand:
    """What one call will take from a key's budget."""

    requests: int = 1
    tokens: int = 0
    images: int = 0


class RateBudgets(Protocol):
    """Shared per-key budgets."""

    def try_take(self, key_id: str, demand: Demand) -> float:
        """Take `demand` from the key's budget if it all fits now.

        Returns:
            0.0 when taken; otherwise the seconds until it could fit, and nothing is taken.
        """
        ...

    def remaining(self, key_id: str) -> float:
        """The key's most-used dimension's remaining share of its budget, 0.0-1.0."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class SharedCooldowns(Protocol):
    """Budgets that also share 429 cooldowns between processes (`RedisBudgets`).

    A key resting in another process makes `try_take` answer the rest of its cooldown.
    """

    def cool_down(self, key_id: str, seconds: float) -> None: ...


class SQLiteBudgets:
    """Budgets in one SQLite file, safe across threads and processes on one machine.

    Args:
        path: The SQLite file; every process that shares the keys must use the same path.
        limits: Per-key limits; every process should use the same ones.
        safety_ms: How much longer than `limits.window_s` each window is kept.
        clock: Seconds since the epoch (every process on the machine shares the wall clock);
            tests step it instead of sleeping through a window, as the breaker's stores do.
    """

    def __init__(
        self,
        path: Path,
        limits: KeyLimits,
        *,
        safety_ms: int = SAFETY_MS,
        clock: Callable[[], float] = time.time,
    ):
        self._clock = clock
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.limits = limits
        self.window_ms = max(1, round(limits.window_s * 1000)) + safety_ms
        self.token_unit = max(1, math.ceil(limits.tokens / _MAX_UNITS)) if limits.tokens else 1
        # thread_local (the default) makes threads of one process exclude each other as well.
        self._lock = FileLock(str(self.path) + ".lock")
        self._thread_lock = threading.RLock()
        with self._lock:
            self._conn = sqlite3.connect(
                self.path, isolation_level="DEFERRED", check_same_thread=False, timeout=30
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        self._buckets: dict[tuple[str, str], SQLiteBucket] = {}
        self._last_leak = 0.0

    def _limits(self) -> dict[str, int]:
        units = math.ceil(self.limits.tokens / self.token_unit) if self.limits.tokens else 0
        return {"requests": self.limits.requests, "tokens": units, "images": self.limits.images}

    def _bucket(self, key_id: str, dim: str, limit: int) -> SQLiteBucket:
        bucket = self._buckets.get((key_id, dim))
        if bucket is None:
            table = f"k_{key_id}_{dim}"
            with self._lock:
                self._conn.execute(
                    f"CREATE TABLE IF NOT EXISTS '{table}' (name VARCHAR, item_timestamp INTEGER)"
                )
                self._conn.execute(
                    f"CREATE INDEX IF NOT EXISTS 'idx_{table}' ON '{table}' (item_timestamp)"
                )
                self._conn.commit()
            bucket = SQLiteBucket([Rate(limit, self.window_ms)], self._conn, table, self._lock)
            self._buckets[(key_id, dim)] = bucket
        return bucket

    def _now_ms(self) -> int:
        return round(self._clock() * 1000)

    def _weights(self, demand: Demand) -> dict[str, int]:
        return {
            "requests": demand.requests,
            "tokens": math.ceil(demand.tokens / self.token_unit),
            "images": demand.images,
        }

    def try_take(self, key_id: str, demand: Demand) -> float:
        limits = self._limits()
        wanted = {
            dim: (self._bucket(key_id, dim, limits[dim]), min(weight, limits[dim]))
            for dim, weight in self._weights(demand).items()
            if weight > 0 and limits[dim] > 0
        }
        with self._thread_lock, self._lock:
            now = self._now_ms()
            wait_ms = 0
            # Check every dimension before taking any, so a refused demand costs nothing.
            for bucket, weight in wanted.values():
                rate = bucket.rates[0]
                # The entry whose expiry makes room for `weight` (as pyrate's own wait uses).
                blocking = bucket.peek(rate.limit - weight)
                if blocking is not None and blocking.timestamp >= now - rate.interval:
                    wait_ms = max(wait_ms, blocking.timestamp + rate.interval - now + 1)
            if wait_ms:
                return wait_ms / 1000
            for bucket, weight in wanted.values():
                taken = bucket.put(RateItem("call", now, weight=weight))
                assert taken, "checked under the same lock"
            self._leak(now)
        return 0.0

    def remaining(self, key_id: str) -> float:
        limits = self._limits()
        share = 1.0
        with self._thread_lock, self._lock:
            start = self._now_ms() - self.window_ms
            for dim, limit in limits.items():
                if limit <= 0:
                    continue
                table = self._bucket(key_id, dim, limit).table
                (used,) = self._conn.execute(
                    f"SELECT COUNT(*) FROM '{table}' WHERE item_timestamp >= ?", (start,)
                ).fetchone()
                share = min(share, max(0.0, 1 - used / limit))
        return share

    def _leak(self, now: int) -> None:
        if time.monotonic() - self._last_leak < _LEAK_EVERY_S:
            return
        self._last_leak = time.monotonic()
        for bucket in self._buckets.values():
            bucket.leak(now)

    def close(self) -> None:
        with self._thread_lock, self._lock:
            self._conn.close()

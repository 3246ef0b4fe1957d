"""The budgets' and breaker's edges that the mutation run (docs/mutation.md, issue 21) found
untested: a window's exact end on a clock the test steps, the lock file every process takes,
whose Redis client a store closes, the floors of short windows and leases, and that reading a
Redis budget admits nothing.

Budgets in SQLite run on a clock the test moves (`SQLiteBudgets(clock=...)`); everything in
Redis runs on a real `redis-server` started for the test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from filelock import FileLock

from merlin_assets.gateway.breaker import RedisBreakerStore
from merlin_assets.gateway.limits import Demand, KeyLimits, SQLiteBudgets
from merlin_assets.gateway.redis_budgets import RedisBudgets, connect
from merlin_assets.gateway.redis_spending import RedisSpendingCap

HOUR = KeyLimits(requests=3, tokens=1000, images=2, window_s=3600.0)


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# --- SQLite budgets on a stepped clock -----------------------------------------------------------


def test_a_call_leaves_the_window_one_millisecond_after_it_ends(tmp_path: Path) -> None:
    clock = Clock(1000.0)
    # Two requests per 10 s, no slack: the window is exactly 10,000 ms.
    b = SQLiteBudgets(tmp_path / "b.sqlite", KeyLimits(2, 0, 0, 10.0), safety_ms=0, clock=clock)
    try:
        assert b.window_ms == 10_000
        assert b.try_take("k", Demand()) == 0.0  # at 1,000,000 ms
        clock.now = 1000.5
        assert b.try_take("k", Demand()) == 0.0  # at 1,000,500 ms
        clock.now = 1001.0
        # Full: room comes when the first call (1,000,000) leaves, at 1,010,001.
        assert b.try_take("k", Demand()) == 9.001
        assert b.remaining("k") == 0.0
        clock.now = 1010.0  # the window's last millisecond still holds the first call
        assert b.try_take("k", Demand()) == 0.001
        assert b.remaining("k") == 0.0
        clock.now = 1010.001
        assert b.remaining("k") == 0.5
        assert b.try_take("k", Demand()) == 0.0  # the refused demands took nothing
        clock.now = 1010.002
        # Full again: now the second call (1,000,500) is the one to wait for.
        assert b.try_take("k", Demand()) == 0.499
        clock.now = 1010.501
        assert b.remaining("k") == 0.5
    finally:
        b.close()


def test_the_clock_is_read_in_whole_milliseconds(tmp_path: Path) -> None:
    clock = Clock(1000.0004)
    b = SQLiteBudgets(tmp_path / "b.sqlite", KeyLimits(1, 0, 0, 1.0), safety_ms=0, clock=clock)
    try:
        assert b.try_take("k", Demand()) == 0.0
        (stamp,) = b._conn.execute("SELECT item_timestamp FROM 'k_k_requests'").fetchone()
        assert stamp == 1_000_000
        clock.now = 1000.9996  # 1,001,000 ms: the call is still in its window
        assert b.try_take("k", Demand()) == 0.001
    finally:
        b.close()


def test_a_take_waits_for_the_lock_file_every_process_names(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite"
    b = SQLiteBudgets(path, HOUR)
    events: list[object] = []
    taker = threading.Thread(target=lambda: events.append(b.try_take("k", Demand())))
    try:
        # What another process holds while it takes from the same file.
        with FileLock(str(path) + ".lock"):
            taker.start()
            taker.join(timeout=0.5)  # room to finish if it did not wait for the lock
            events.append("released")
        taker.join()
        assert events == ["released", 0.0]
    finally:
        b.close()


def test_each_key_and_dimension_has_one_bucket(tmp_path: Path) -> None:
    b = SQLiteBudgets(tmp_path / "b.sqlite", HOUR)
    try:
        first = b._bucket("k", "requests", 3)
        assert b._bucket("k", "requests", 3) is first
        assert b._bucket("k", "tokens", 1000) is not first
        assert b._bucket("other", "requests", 3) is not first
    finally:
        b.close()


# --- Redis ---------------------------------------------------------------------------------------


def _connection_kept(client: redis.Redis, close: Callable[[], None]) -> bool:
    """Whether `client` still talks over the same server connection after `close()`."""
    before = client.client_id()
    close()
    return client.client_id() == before


def test_each_store_closes_its_own_client_and_keeps_a_given_one(redis_url: str) -> None:
    made = [
        RedisBudgets(redis_url, HOUR),
        RedisSpendingCap(redis_url, "s", None),
        RedisBreakerStore(redis_url),
    ]
    for store in made:
        assert not _connection_kept(store.redis, store.close), type(store).__name__
        store.redis.close()
    client = connect(redis_url)
    given = [
        RedisBudgets(client, HOUR),
        RedisSpendingCap(client, "s", None),
        RedisBreakerStore(client),
    ]
    for store in given:
        assert _connection_kept(client, store.close), type(store).__name__
    client.close()


def test_short_windows_leases_and_ttls_are_at_least_a_millisecond(redis_url: str) -> None:
    budgets = RedisBudgets(redis_url, KeyLimits(window_s=0.0001), safety_ms=0)
    cap = RedisSpendingCap(redis_url, "s", None, lease_s=0.0001, ttl_s=0.0001)
    store = RedisBreakerStore(redis_url, ttl_s=0.0001)
    default = RedisBreakerStore(redis_url)
    try:
        assert budgets.window_ms == 1
        assert (cap.lease_ms, cap.ttl_ms) == (1, 1)
        assert store.ttl_ms == 1
        assert default.ttl_ms == 24 * 3600 * 1000  # a circuit is forgotten a day after
    finally:
        for s in (budgets, cap, store, default):
            s.close()


def test_reading_a_redis_budget_admits_nothing(redis_url: str) -> None:
    b = RedisBudgets(redis_url, HOUR)
    meta = b._keys("k")[0]
    try:
        assert b.try_take("k", Demand(requests=1, tokens=100)) == 0.0
        # `seq` counts the admissions to a key: one take, one.
        assert b.redis.hget(meta, "seq") == "1"
        assert b.remaining("k") == pytest.approx(2 / 3)
        assert b.cooldown_left("k") == 0.0
        assert b.redis.hget(meta, "seq") == "1"
        assert b.try_take("k", Demand()) == 0.0
        assert b.redis.hget(meta, "seq") == "2"
    finally:
        b.close()

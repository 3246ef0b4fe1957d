"""Per-key budgets: what a demand takes, when one is refused and for how long, what is left.

The same behaviour from both backends: `SQLiteBudgets` (one machine) and `RedisBudgets` (every
machine, on the server's clock). Windows here are an hour long, so nothing leaves them while a
test runs and every figure is exact.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from merlin_assets.gateway.limits import SAFETY_MS, Demand, KeyLimits, SQLiteBudgets
from merlin_assets.gateway.redis_budgets import (
    DIMENSIONS,
    UNAVAILABLE_WAIT_S,
    RedisBudgets,
    connect,
)
from merlin_assets.gateway.redis_spending import RedisSpendingCap
from merlin_assets.testing.redis_server import RedisServer, redis_server_binary

HOUR = KeyLimits(requests=3, tokens=1000, images=2, window_s=3600.0)


def test_defaults_are_the_documented_ones() -> None:
    assert KeyLimits() == KeyLimits(500, 200_000, 5, 60.0)
    assert Demand() == Demand(1, 0, 0)
    assert SAFETY_MS == 3000


def test_sqlite_windows_and_token_units(tmp_path: Path) -> None:
    b = SQLiteBudgets(tmp_path / "new" / "b.sqlite", HOUR)
    try:
        assert b.path.parent.is_dir()
        assert b.window_ms == 3600 * 1000 + SAFETY_MS
        assert b.token_unit == 1  # 1000 tokens fit in 1000 units of one token
        assert b._limits() == {"requests": 3, "tokens": 1000, "images": 2}
    finally:
        b.close()
    big = SQLiteBudgets(tmp_path / "big.sqlite", KeyLimits(tokens=200_000), safety_ms=0)
    try:
        assert big.window_ms == 60_000
        assert big.token_unit == 200
        assert big._limits()["tokens"] == 1000
        # Demands round up to whole units, so the budget is never overrun.
        assert big._weights(Demand(requests=2, tokens=201, images=1)) == {
            "requests": 2,
            "tokens": 2,
            "images": 1,
        }
    finally:
        big.close()
    odd = SQLiteBudgets(tmp_path / "odd.sqlite", KeyLimits(tokens=1500, window_s=0.0001))
    try:
        assert odd.token_unit == 2
        assert odd._limits()["tokens"] == 750
        assert odd.window_ms == 1 + SAFETY_MS  # never a zero-length window
    finally:
        odd.close()
    none = SQLiteBudgets(tmp_path / "none.sqlite", KeyLimits(tokens=0))
    try:
        assert none.token_unit == 1
        assert none._limits()["tokens"] == 0
    finally:
        none.close()


def _exhaust(b, key: str = "k") -> None:
    assert b.try_take(key, Demand(requests=1, tokens=400, images=1)) == 0.0
    assert b.remaining(key) == pytest.approx(1 - 1 / 2)  # images: the most-used dimension
    assert b.try_take(key, Demand(requests=1, tokens=500)) == 0.0
    assert b.remaining(key) == pytest.approx(min(1 - 2 / 3, 1 - 900 / 1000, 1 - 1 / 2))


def test_sqlite_takes_every_dimension_or_none(tmp_path: Path) -> None:
    b = SQLiteBudgets(tmp_path / "b.sqlite", HOUR)
    try:
        assert b.remaining("k") == 1.0
        _exhaust(b)
        # 200 more tokens do not fit: nothing is taken, and the wait is about a window.
        wait = b.try_take("k", Demand(requests=1, tokens=200))
        assert 3600 < wait <= 3600 + SAFETY_MS / 1000 + 0.01
        assert b.remaining("k") == pytest.approx(0.1)
        # The request that was refused was not counted: one more small one fits.
        assert b.try_take("k", Demand(requests=1, tokens=100, images=1)) == 0.0
        assert b.remaining("k") == 0.0
        assert b.try_take("k", Demand(requests=1)) > 3600
        # Another key has its own budget.
        assert b.try_take("other", Demand(requests=3)) == 0.0
        assert b.remaining("other") == 0.0
        # A demand bigger than the whole budget is clipped to it, so it can ever fit.
        assert b.try_take("huge", Demand(requests=1, tokens=5000)) == 0.0
        assert b.remaining("huge") == 0.0
        # Zero limits are no limit.
        free = SQLiteBudgets(tmp_path / "free.sqlite", KeyLimits(0, 0, 0, 3600.0))
        assert all(free.try_take("k", Demand(5, 5000, 5)) == 0.0 for _ in range(3))
        assert free.remaining("k") == 1.0
        free.close()
    finally:
        b.close()


def test_sqlite_remaining_reads_every_limited_dimension(tmp_path: Path) -> None:
    # Requests unlimited (first in order), one image per window: an image taken leaves none.
    b = SQLiteBudgets(tmp_path / "b.sqlite", KeyLimits(0, 1000, 1, 3600.0))
    try:
        assert b.try_take("k", Demand(requests=1, images=1)) == 0.0
        assert b.remaining("k") == 0.0
    finally:
        b.close()


def test_sqlite_budgets_are_shared_through_the_file(tmp_path: Path) -> None:
    one = SQLiteBudgets(tmp_path / "b.sqlite", HOUR)
    other = SQLiteBudgets(tmp_path / "b.sqlite", HOUR)
    try:
        assert one.try_take("k", Demand(requests=2)) == 0.0
        assert other.remaining("k") == pytest.approx(1 / 3)
        assert other.try_take("k", Demand(requests=2)) > 3600
        assert other.try_take("k", Demand(requests=1)) == 0.0
    finally:
        one.close()
        other.close()


# --- Redis ------------------------------------------------------------------------------------


def test_redis_takes_every_dimension_or_none(redis_url: str) -> None:
    b = RedisBudgets(redis_url, HOUR)
    try:
        assert b.window_ms == 3600 * 1000 + SAFETY_MS
        assert b.remaining("k") == 1.0
        _exhaust(b)
        wait = b.try_take("k", Demand(requests=1, tokens=200))
        assert 3600 < wait <= 3600 + SAFETY_MS / 1000 + 0.01
        assert b.remaining("k") == pytest.approx(0.1)
        assert b.try_take("k", Demand(requests=1, tokens=100, images=1)) == 0.0
        assert b.remaining("k") == 0.0
        assert b.cooldown_left("k") == 0.0  # full, but neither cooling down nor fenced
        keys = b._keys("k")
        assert keys == [
            "merlin:budget:{k}:meta",
            "merlin:budget:{k}:used",
            *(f"merlin:budget:{{k}}:log:{d}" for d in DIMENSIONS),
        ]
        assert 0 < b.redis.pttl(keys[1]) <= b.window_ms
        assert b.try_take("huge", Demand(requests=1, tokens=5000)) == 0.0
        assert b.remaining("huge") == 0.0
    finally:
        b.close()


def test_redis_cooldown_is_the_longest_asked(redis_url: str) -> None:
    b = RedisBudgets(redis_url, HOUR, prefix="p", safety_ms=0)
    try:
        assert b.window_ms == 3600 * 1000
        b.cool_down("k", 100.0)
        b.cool_down("k", 1.0)  # shorter: the longer one stands
        left = b.cooldown_left("k")
        assert 99.0 < left <= 100.0
        assert b.remaining("k") == 0.0
        assert b.try_take("k", Demand()) == pytest.approx(left, abs=1.0)
        b.cool_down("k", -5.0)  # nonsense is no cooldown at all
        assert 99.0 < b.cooldown_left("k") <= 100.0
        assert b.redis.exists("p:{k}:meta") == 1
    finally:
        b.close()


def test_redis_restart_fences_a_key_for_one_window(tmp_path: Path, caplog) -> None:
    if redis_server_binary() is None:
        pytest.skip("redis-server is not installed")
    with RedisServer(directory=tmp_path) as server:
        b = RedisBudgets(server.url, HOUR, safety_ms=0)
        assert b.try_take("k", Demand()) == 0.0
        b.redis.flushall()  # what a restart without persistence leaves
        with caplog.at_level(logging.WARNING, logger="merlin_assets.gateway.redis_budgets"):
            wait = b.try_take("k", Demand())
        assert 3599 < wait <= 3600
        assert 3599 < b.cooldown_left("k") <= 3600
        assert [r.getMessage() for r in caplog.records] == [
            "budgets of a key were lost (Redis restarted?); fenced one window"
        ]
        # A client that never saw the old budgets is fenced too, through the shared meta.
        fresh = RedisBudgets(server.url, HOUR, safety_ms=0)
        assert fresh.try_take("k", Demand()) > 3599
        fresh.close()
        b.close()


def test_redis_outage_admits_nothing(tmp_path: Path, caplog) -> None:
    if redis_server_binary() is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(directory=tmp_path).start()
    b = RedisBudgets(server.url, HOUR, unavailable_wait_s=0.25)
    assert b.unavailable_wait_s == 0.25
    server.stop()
    with caplog.at_level(logging.WARNING, logger="merlin_assets.gateway.redis_budgets"):
        assert b.try_take("k", Demand()) == 0.25
        assert b.remaining("k") == 0.0
        assert b.cooldown_left("k") == 0.0
        b.cool_down("k", 5.0)
    lines = [r.getMessage() for r in caplog.records]
    assert lines == ["Redis unavailable for rate budgets (ConnectionError); waiting"]
    assert UNAVAILABLE_WAIT_S == 0.5
    b.close()
    caplog.clear()
    cooling, reading = RedisBudgets(server.url, HOUR), RedisBudgets(server.url, HOUR)
    with caplog.at_level(logging.WARNING, logger="merlin_assets.gateway.redis_budgets"):
        cooling.cool_down("k", 5.0)
        assert reading.remaining("k") == 0.0
    assert [r.getMessage() for r in caplog.records] == [
        "Redis unavailable for a cooldown (ConnectionError); waiting",
        "Redis unavailable for rate budgets (ConnectionError); waiting",
    ]
    cooling.close()
    reading.close()


def test_connect_keeps_a_given_client(redis_url: str) -> None:
    client = connect(redis_url)
    kwargs = client.get_connection_kwargs()
    assert kwargs["decode_responses"] is True
    # Short timeouts and two quick retries: an outage is found in about a second.
    assert (kwargs["socket_timeout"], kwargs["socket_connect_timeout"]) == (2.0, 1.0)
    assert kwargs["health_check_interval"] == 15
    retry = kwargs["retry"]
    assert retry._retries == 2
    assert (retry._backoff._cap, retry._backoff._base) == (0.2, 0.02)
    assert connect(client) is client
    budgets = RedisBudgets(client, HOUR)
    budgets.close()  # not its client: still open
    assert client.ping() is True
    client.close()


def test_spending_cap_reserves_settles_and_refuses(redis_url: str) -> None:
    cap = RedisSpendingCap(redis_url, "run-1", 1.0, lease_s=60.0, ttl_s=120.0)
    other = RedisSpendingCap(redis_url, "run-1", None)
    try:
        assert (cap.scope, cap.spent, cap.reserved, cap.refused) == ("run-1", 0.0, 0.0, 0)
        assert other.lease_ms == 900_000  # a worker that died frees its promise in 15 min
        assert cap.limit(None) == 1.0
        assert cap.limit(0.5) == 0.5
        assert cap.limit(2.0) == 1.0
        assert other.limit(None) is None
        assert other.limit(0.3) == 0.3
        assert cap.lease_ms == 60_000 and cap.ttl_ms == 120_000
        assert cap.reserve(0.6, None) is True
        assert (cap.spent, cap.reserved) == (0.0, pytest.approx(0.6))
        assert other.reserve(0.5, 1.0) is False  # 0.6 promised + 0.5 > 1.0
        assert other.refused == 1
        assert cap.reserve(0.4, None) is True  # exactly the cap fits
        cap.settle(0.6, 0.25)
        assert cap.spent == pytest.approx(0.25)
        assert cap.snapshot() == {
            "spent": pytest.approx(0.25),
            "reserved": pytest.approx(0.4),
            "refused": 1,
        }
        cap.settle(0.4, 0.3)
        assert 0 < cap.redis.pttl("merlin:spend:{run-1}:ledger") <= 120_000
        assert cap.snapshot()["reserved"] == 0.0
        assert cap.snapshot()["spent"] == pytest.approx(0.55)
        assert other.reserve(0.45, None) is True  # no cap of its own: unlimited
        assert cap.reserve(0.2, None) is False
        assert cap.refused == 1
        # A settle with no reservation still counts what was spent.
        cap.settle(9.9, 0.05)
        assert cap.snapshot()["spent"] == pytest.approx(0.6)
        assert RedisSpendingCap(redis_url, "other", 1.0).snapshot() == {
            "spent": 0.0,
            "reserved": 0.0,
            "refused": 0,
        }
    finally:
        cap.close()
        other.close()


def test_spending_cap_settles_reservations_of_the_same_estimate_one_by_one(redis_url: str) -> None:
    cap = RedisSpendingCap(redis_url, "same", None)
    try:
        assert cap.reserve(0.5, None) and cap.reserve(0.5, None)
        assert cap.snapshot()["reserved"] == pytest.approx(1.0)
        cap.settle(0.5, 0.1)
        assert cap.snapshot()["reserved"] == pytest.approx(0.5)
        cap.settle(0.5, 0.2)
        assert cap.snapshot() == {"spent": pytest.approx(0.3), "reserved": 0.0, "refused": 0}
        assert cap._open == {}
    finally:
        cap.close()


def test_spending_cap_ttl_is_never_shorter_than_a_lease(redis_url: str) -> None:
    cap = RedisSpendingCap(redis_url, "s", None, lease_s=100.0, ttl_s=1.0)
    assert cap.ttl_ms == 100_000
    cap.close()


def test_spending_cap_refuses_while_redis_is_down_and_settles_later(tmp_path: Path, caplog) -> None:
    if redis_server_binary() is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(directory=tmp_path).start()
    url = server.url
    cap = RedisSpendingCap(url, "s", 5.0)
    assert cap.reserve(1.0, None) is True
    server.stop()
    with caplog.at_level(logging.WARNING, logger="merlin_assets.gateway.redis_budgets"):
        assert cap.reserve(1.0, None) is False
        assert cap.reserve(1.0, None) is False
        assert cap.refused == 2
        cap.settle(1.0, 0.7)  # kept until Redis answers
        assert cap._unsettled == [(cap._unsettled[0][0], 0.7)]
        settling = RedisSpendingCap(url, "s", 5.0)
        settling.settle(2.0, 0.1)
        assert settling._unsettled == [("", 0.1)]
    assert [r.getMessage() for r in caplog.records] == [
        "Redis unavailable for the spending cap (ConnectionError); waiting",
        "Redis unavailable for settling spend (ConnectionError); waiting",
    ]
    cap.close()
    settling.close()

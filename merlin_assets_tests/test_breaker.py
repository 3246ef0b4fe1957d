"""The circuit breaker's transitions on a clock the test moves, in each store.

test_endpoint_pool.py walks a circuit through the stores with real sleeps; these pin each
transition's numbers (when a circuit opens, for how long, what a probe lease holds, what a trip
keeps) and the log lines an operator reads, so a changed comparison or constant fails here.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from merlin_assets.gateway.breaker import (
    CLOSED,
    OPEN,
    PROBE,
    PROBE_LEASE_S,
    Circuit,
    CircuitBreaker,
    MemoryBreakerStore,
    RedisBreakerStore,
    SQLiteBreakerStore,
    breaker_store_for,
)
from merlin_assets.testing.redis_server import RedisServer, redis_server_binary


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_circuit_state_at_each_edge() -> None:
    assert Circuit().state(5.0) == "closed"
    c = Circuit(failures=3, open_until=10.0)
    assert c.state(9.99) == "open"
    assert c.state(10.0) == "half-open"
    probing = Circuit(failures=3, open_until=10.0, probe_until=20.0)
    assert probing.state(15.0) == "probing"
    assert probing.state(20.0) == "half-open"


def test_memory_store_opens_at_the_threshold_for_the_cooldown() -> None:
    clock = Clock()
    store = MemoryBreakerStore(clock=clock)
    assert store.get("e") == Circuit()
    assert store.failure("e", "HTTP 500", 3, 30.0) is False
    assert store.failure("e", "HTTP 502", 3, 30.0) is False
    assert store.get("e") == Circuit(2, 0.0, 0.0, "HTTP 502")
    assert store.acquire("e") == CLOSED
    assert store.failure("e", "timed out", 3, 30.0) is True
    assert store.get("e") == Circuit(3, 1030.0, 0.0, "timed out")
    # A call that started before it opened fails late: still open, nothing counted.
    assert store.failure("e", "late", 3, 30.0) is True
    assert store.get("e") == Circuit(3, 1030.0, 0.0, "timed out")
    clock.now = 1029.9
    assert store.acquire("e") == OPEN
    clock.now = 1030.0
    assert store.acquire("e", 60.0) == PROBE
    assert store.get("e").probe_until == 1090.0
    # While the probe is out everyone else skips the endpoint, until its lease ends.
    assert store.acquire("e", 60.0) == OPEN
    clock.now = 1089.9
    assert store.acquire("e", 60.0) == OPEN
    clock.now = 1090.0
    assert store.acquire("e", 60.0) == PROBE
    # The probe failed: open again for a whole cool-down, from one failure.
    assert store.failure("e", "HTTP 503", 3, 30.0) is True
    assert store.get("e") == Circuit(4, 1120.0, 0.0, "HTTP 503")
    # At the very end of the cool-down a failure is a failed probe, not a late one.
    clock.now = 1120.0
    assert store.failure("e", "HTTP 504", 3, 30.0) is True
    assert store.get("e") == Circuit(5, 1150.0, 0.0, "HTTP 504")


def test_memory_store_default_probe_lease() -> None:
    clock = Clock()
    store = MemoryBreakerStore(clock=clock)
    store.failure("e", "x", 1, 10.0)
    clock.now = 1010.0
    assert store.acquire("e") == PROBE
    assert store.get("e").probe_until == 1010.0 + PROBE_LEASE_S
    assert PROBE_LEASE_S == 180.0


def test_memory_store_release_and_success() -> None:
    clock = Clock()
    store = MemoryBreakerStore(clock=clock)
    store.release("absent")  # nothing stored: nothing to give back
    assert store.get("absent") == Circuit()
    store.failure("e", "x", 1, 10.0)
    store.release("e")  # no probe out: unchanged
    assert store.get("e") == Circuit(1, 1010.0, 0.0, "x")
    clock.now = 1010.0
    assert store.acquire("e", 5.0) == PROBE
    store.release("e")
    assert store.get("e") == Circuit(1, 1010.0, 0.0, "x")
    assert store.acquire("e", 5.0) == PROBE  # the permit is free again
    store.success("e")
    assert store.get("e") == Circuit()
    assert store.acquire("e") == CLOSED
    store.success("never-seen")
    assert store.close() is None


def test_trip_keeps_the_later_end_and_counts_a_failure() -> None:
    clock = Clock()
    store = MemoryBreakerStore(clock=clock)
    store.trip("e", "every API key was rejected", 100.0)
    assert store.get("e") == Circuit(1, 1100.0, 0.0, "every API key was rejected")
    store.trip("e", "again", 10.0)  # a shorter trip does not shorten the cool-down
    assert store.get("e") == Circuit(2, 1100.0, 0.0, "again")
    clock.now = 1100.0
    assert store.acquire("e", 5.0) == PROBE
    store.trip("e", "third", 50.0)  # a trip takes back the probe permit
    assert store.get("e") == Circuit(3, 1150.0, 0.0, "third")


def test_sqlite_store_transitions_on_the_wall_clock(tmp_path: Path) -> None:
    one = SQLiteBreakerStore(tmp_path / "new" / "sub" / "b.sqlite")
    other = SQLiteBreakerStore(tmp_path / "new" / "sub" / "b.sqlite")
    try:
        assert one.get("e") == Circuit()
        assert one.failure("e", "HTTP 500", 2, 100.0) is False
        assert other.get("e") == Circuit(1, 0.0, 0.0, "HTTP 500")
        before = time.time()
        assert other.failure("e", "HTTP 502", 2, 100.0) is True
        after = time.time()
        c = one.get("e")
        assert (c.failures, c.probe_until, c.reason) == (2, 0.0, "HTTP 502")
        assert before + 100.0 <= c.open_until <= after + 100.0
        assert one.failure("e", "late", 2, 100.0) is True
        assert one.get("e") == c
        assert one.acquire("e") == OPEN
        one.release("e")  # no probe out: nothing changes
        assert one.get("e") == c
        one.trip("e", "keys rejected", 1.0)  # shorter: the cool-down stays
        assert other.get("e") == Circuit(3, c.open_until, 0.0, "keys rejected")
        other.success("e")
        assert one.get("e") == Circuit()
        assert one.acquire("e") == CLOSED
        # A circuit whose cool-down is over gives exactly one probe, with its lease.
        one.failure("p", "x", 1, 0.0)
        before = time.time()
        assert one.acquire("p", 50.0) == PROBE
        after = time.time()
        assert before + 50.0 <= other.get("p").probe_until <= after + 50.0
        assert other.acquire("p", 50.0) == OPEN
        other.release("p")
        assert one.get("p").probe_until == 0.0
        assert one.get("p").reason == "x"
        assert other.acquire("p") == PROBE
        # Closing or releasing a circuit never seen leaves no row behind.
        one.success("never-seen")
        one.release("never-seen")
        (rows,) = one._conn.execute(
            "SELECT COUNT(*) FROM circuits WHERE endpoint = 'never-seen'"
        ).fetchone()
        assert rows == 0
    finally:
        one.close()
        other.close()


def test_sqlite_store_rolls_back_a_failed_change(tmp_path: Path) -> None:
    store = SQLiteBreakerStore(tmp_path / "b.sqlite")
    try:
        store.failure("e", "x", 5, 1.0)

        def boom(c, now):
            raise RuntimeError("in the middle")

        with pytest.raises(RuntimeError):
            store._change("e", boom)
        # The connection is usable and the circuit untouched.
        assert store.get("e") == Circuit(1, 0.0, 0.0, "x")
    finally:
        store.close()


def test_redis_store_transitions_on_the_server_clock(redis_url: str) -> None:
    one, other = RedisBreakerStore(redis_url), RedisBreakerStore(redis_url, prefix="other")
    try:
        assert one.get("e") == Circuit()
        assert one.failure("e", "HTTP 500", 2, 100.0) is False
        assert one.get("e") == Circuit(1, 0.0, 0.0, "HTTP 500")
        assert other.get("e") == Circuit()  # another prefix: another circuit
        assert one.redis.exists("merlin:breaker:{e}") == 1
        assert 0 < one.redis.pttl("merlin:breaker:{e}") <= 24 * 3600 * 1000
        before = time.time()
        assert one.failure("e", "x" * 400, 2, 1000.0) is True
        after = time.time()
        c = one.get("e")
        assert (c.failures, c.probe_until, c.reason) == (2, 0.0, "x" * 300)
        assert before + 999.9 <= c.open_until <= after + 1000.1
        assert one.acquire("e") == OPEN
        assert one.failure("e", "late", 2, 100.0) is True
        assert one.get("e").failures == 2
        one.trip("e", "keys rejected", 1.0)
        assert one.get("e") == Circuit(3, c.open_until, 0.0, "keys rejected")
        one.success("e")
        assert one.redis.exists("merlin:breaker:{e}") == 0
        assert one.acquire("e") == CLOSED
        one.trip("p", "down", 0.0)
        before = time.time()
        assert one.acquire("p", 500.0) == PROBE
        after = time.time()
        assert before + 499.9 <= one.get("p").probe_until <= after + 500.1
        before = time.time()
        one.trip("t", "y" * 400, 1000.0)
        after = time.time()
        tripped = one.get("t")
        assert tripped.reason == "y" * 300
        assert before + 999.9 <= tripped.open_until <= after + 1000.1
        assert one.acquire("p", 50.0) == OPEN
        one.release("p")
        assert one.get("p").probe_until == 0.0
        one.release("absent")
        assert one.redis.exists("merlin:breaker:{absent}") == 0
    finally:
        one.close()
        other.close()


def test_redis_store_reads_closed_while_redis_is_down(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    if redis_server_binary() is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(directory=tmp_path).start()
    store = RedisBreakerStore(server.url)
    server.stop()
    with caplog.at_level(logging.WARNING, logger="merlin_assets.gateway.breaker"):
        assert store.acquire("e") == CLOSED
        assert store.failure("e", "x", 1, 10.0) is False
        assert store.get("e") == Circuit()
        store.success("e")
        store.trip("e", "x", 1.0)
        store.release("e")
    # One warning per 10 s, not one per call.
    lines = [r.getMessage() for r in caplog.records]
    assert lines == ["circuit breaker in Redis unavailable (ConnectionError)"]
    store.close()
    # Each call warns with what went wrong, whichever call meets the outage first.
    for call in ("release", "success", "get", "trip", "failure"):
        caplog.clear()
        fresh = RedisBreakerStore(server.url)
        with caplog.at_level(logging.WARNING, logger="merlin_assets.gateway.breaker"):
            if call in ("release", "success", "get"):
                getattr(fresh, call)("e")
            elif call == "trip":
                fresh.trip("e", "x", 1.0)
            else:
                fresh.failure("e", "x", 1, 1.0)
        assert [r.getMessage() for r in caplog.records] == [
            "circuit breaker in Redis unavailable (ConnectionError)"
        ], call
        fresh.close()


def test_breaker_store_for_picks_redis_when_a_url_is_set(tmp_path: Path, redis_url: str) -> None:
    local = breaker_store_for(None, cache_dir=tmp_path)
    assert isinstance(local, SQLiteBreakerStore)
    assert local.path == tmp_path / "breaker.sqlite"
    local.close()
    blank = breaker_store_for("  ", cache_dir=tmp_path)
    assert isinstance(blank, SQLiteBreakerStore)
    blank.close()
    remote = breaker_store_for(f"  {redis_url} ", cache_dir=tmp_path)
    assert isinstance(remote, RedisBreakerStore)
    remote.close()


def test_circuit_breaker_logs_each_change_once(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    store = MemoryBreakerStore(clock=clock)
    breaker = CircuitBreaker(store, failures=2, cooldown_s=20.0, probe_lease_s=7.0)
    breaker.names["e"] = "primary"
    assert (breaker.threshold, breaker.cooldown_s, breaker.probe_lease_s) == (2, 20.0, 7.0)
    with caplog.at_level(logging.INFO, logger="merlin_assets.gateway.breaker"):
        breaker.success("e")  # nothing to close: no line
        assert breaker.failure("e", "HTTP 500") is False
        assert breaker.failure("e", "HTTP 502") is True
    assert [r.getMessage() for r in caplog.records] == [
        "endpoint primary: circuit opened for 20s after HTTP 502; its calls go to the next "
        "endpoint of their route"
    ]
    assert caplog.records[0].levelno == logging.WARNING


def test_circuit_breaker_probe_and_close_lines(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock(time.time())
    store = MemoryBreakerStore(clock=clock)
    breaker = CircuitBreaker(store, failures=1, cooldown_s=0.0, probe_lease_s=7.0)
    breaker.failure("e", "x")
    clock.now += 1
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="merlin_assets.gateway.breaker"):
        assert breaker.acquire("e") == PROBE
        assert store.get("e").probe_until == clock.now + 7.0
        breaker.release("e")
        assert store.get("e").probe_until == 0.0
        breaker.success("e")
        breaker.trip("f", "every API key was rejected")
    assert [r.getMessage() for r in caplog.records] == [
        "endpoint e: cool-down over, one probe call goes through",
        "endpoint e: probe answered; circuit closed",
        "endpoint f: circuit opened (every API key was rejected)",
    ]
    assert [r.levelno for r in caplog.records] == [logging.INFO, logging.INFO, logging.WARNING]
    assert store.get("e") == Circuit()
    assert store.get("f").open_until == clock.now + 0.0


def test_circuit_breaker_logs_a_failed_probe_but_not_a_late_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = MemoryBreakerStore()
    breaker = CircuitBreaker(store, failures=1, cooldown_s=0.0)
    late = CircuitBreaker(MemoryBreakerStore(), failures=1, cooldown_s=3600.0)
    with caplog.at_level(logging.WARNING, logger="merlin_assets.gateway.breaker"):
        assert breaker.failure("e", "HTTP 500") is True
        assert breaker.acquire("e") == PROBE
        assert breaker.failure("e", "probe failed") is True  # opened again: said again
        assert late.failure("l", "HTTP 500") is True
        assert late.failure("l", "late answer") is True  # already open: not said again
    assert [r.getMessage().split(" after ")[1] for r in caplog.records] == [
        "HTTP 500; its calls go to the next endpoint of their route",
        "probe failed; its calls go to the next endpoint of their route",
        "HTTP 500; its calls go to the next endpoint of their route",
    ]


def test_circuit_breaker_closes_a_circuit_with_failures_silently() -> None:
    store = MemoryBreakerStore(clock=Clock())
    breaker = CircuitBreaker(store)
    assert (breaker.threshold, breaker.cooldown_s, breaker.probe_lease_s) == (3, 30.0, 180.0)
    breaker.failure("e", "x")
    assert store.get("e").failures == 1
    breaker.success("e")
    assert store.get("e") == Circuit()


def test_circuit_breaker_state_reads_the_wall_clock() -> None:
    store = MemoryBreakerStore()
    breaker = CircuitBreaker(store, failures=1, cooldown_s=3600.0)
    assert breaker.state("e") == "closed"
    breaker.failure("e", "x")
    assert breaker.state("e") == "open"
    store.trip("old", "x", 0.0)
    store._circuits["old"] = Circuit(1, time.time() - 10, 0.0, "x")
    assert breaker.state("old") == "half-open"
    breaker.close()

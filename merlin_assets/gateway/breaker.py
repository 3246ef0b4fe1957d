"""A circuit breaker per endpoint, shared by every process that shares the rate budgets.

An endpoint whose requests fail `failures` times in a row (HTTP 5xx, timeouts, dropped
connections; 429s are budget, not health, and do not count) is *opened* for `cooldown_s`: its
calls go to the next endpoint of their route. When the cool-down is over the circuit is
*half-open*: exactly one caller gets a probe permit and tries it; an answer closes the circuit,
a failure opens it for another cool-down. While the probe is out, everyone else still skips the
endpoint (a probe that never reports back expires after `probe_lease_s`). An endpoint whose
keys are all rejected is tripped open at once.

The state lives where the budgets live: `RedisBreakerStore` (one hash per endpoint, changed by
Lua scripts on the server's clock) when `MERLIN_REDIS_URL` is set, else `SQLiteBreakerStore`, a
SQLite file beside the budgets (`<cache dir>/breaker.sqlite`) shared by the processes of one
machine. `MemoryBreakerStore` keeps it in one process (tests).

Permits: `acquire()` answers `closed` (call it), `probe` (call it; you are the one probe) or
`open` (skip it).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

log = logging.getLogger(__name__)

Permit = Literal["closed", "probe", "open"]
CLOSED: Permit = "closed"
PROBE: Permit = "probe"
OPEN: Permit = "open"
PROBE_LEASE_S = 180.0


@dataclass(frozen=True)
class Circuit:
    """One endpoint's state as stored."""

    failures: int = 0
    open_until: float = 0.0  # 0: closed; else the end of the cool-down
    probe_until: float = 0.0  # a probe is out until then
    reason: str = ""

    def state(self, now: float) -> str:
        if not self.open_until:
            return "closed"
        if now < self.open_until:
            return "open"
        return "probing" if self.probe_until > now else "half-open"


class BreakerStore(Protocol):
    """Atomic transitions of every endpoint's circuit (`endpoint` is its slug)."""

    def acquire(self, endpoint: str, probe_lease_s: float) -> Permit: ...

    def failure(self, endpoint: str, reason: str, threshold: int, cooldown_s: float) -> bool:
        """Count a failure; True when the circuit is open (now or already)."""
        ...

    def success(self, endpoint: str) -> None: ...

    def trip(self, endpoint: str, reason: str, cooldown_s: float) -> None: ...

    def release(self, endpoint: str) -> None:
        """A probe permit given back unused."""
        ...

    def get(self, endpoint: str) -> Circuit: ...

    def close(self) -> None: ...


# --- the transitions, once, on plain values ----------------------------------------------------


def _acquire(c: Circuit, now: float, lease: float) -> tuple[Permit, Circuit | None]:
    if not c.open_until:
        return CLOSED, None
    if now < c.open_until or c.probe_until > now:
        return OPEN, None
    return PROBE, Circuit(c.failures, c.open_until, now + lease, c.reason)


def _failure(
    c: Circuit, now: float, reason: str, threshold: int, cooldown: float
) -> tuple[bool, Circuit]:
    if c.open_until and now < c.open_until:
        return True, c  # already open: a call that started before it opened
    failures = c.failures + 1
    if c.open_until or failures >= threshold:  # a failed probe, or one failure too many
        return True, Circuit(failures, now + cooldown, 0.0, reason)
    return False, Circuit(failures, 0.0, 0.0, reason)


def _trip(c: Circuit, now: float, reason: str, cooldown: float) -> Circuit:
    return Circuit(c.failures + 1, max(c.open_until, now + cooldown), 0.0, reason)


class MemoryBreakerStore:
    """Circuits in this process only."""

    def __init__(self, clock: Callable[[], float] = time.time):
        self._clock = clock
        self._lock = threading.Lock()
        self._circuits: dict[str, Circuit] = {}

    def get(self, endpoint: str) -> Circuit:
        with self._lock:
            return self._circuits.get(endpoint, Circuit())

    def acquire(self, endpoint: str, probe_lease_s: float = PROBE_LEASE_S) -> Permit:
        with self._lock:
            permit, new = _acquire(
                self._circuits.get(endpoint, Circuit()), self._clock(), probe_lease_s
            )
            if new is not None:
                self._circuits[endpoint] = new
            return permit

    def failure(self, endpoint: str, reason: str, threshold: int, cooldown_s: float) -> bool:
        with self._lock:
            old = self._circuits.get(endpoint, Circuit())
            opened, new = _failure(old, self._clock(), reason, threshold, cooldown_s)
            self._circuits[endpoint] = new
            return opened

    def success(self, endpoint: str) -> None:
        with self._lock:
            self._circuits.pop(endpoint, None)

    def trip(self, endpoint: str, reason: str, cooldown_s: float) -> None:
        with self._lock:
            old = self._circuits.get(endpoint, Circuit())
            self._circuits[endpoint] = _trip(old, self._clock(), reason, cooldown_s)

    def release(self, endpoint: str) -> None:
        with self._lock:
            c = self._circuits.get(endpoint)
            if c is not None and c.probe_until:
                self._circuits[endpoint] = Circuit(c.failures, c.open_until, 0.0, c.reason)

    def close(self) -> None:
        return None


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
        return self._change(endpoint, lambda c, now: _acquire(c, now, probe_lease_s))

    def failure(self, endpoint: str, reason: str, threshold: int, cooldown_s: float) -> bool:
        return self._change(
            endpoint, lambda c, now: _failure(c, now, reason, threshold, cooldown_s)
        )

    def success(self, endpoint: str) -> None:
        self._change(endpoint, lambda c, now: (None, Circuit() if c != Circuit() else None))

    def trip(self, endpoint: str, reason: str, cooldown_s: float) -> None:
        self._change(endpoint, lambda c, now: (None, _trip(c, now, reason, cooldown_s)))

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


# KEYS[1]: the endpoint's hash. Each script reads the server's clock (ms) and returns a result.
_NOW = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or 0)
local open_until = tonumber(redis.call('HGET', KEYS[1], 'open_until') or 0)
local probe_until = tonumber(redis.call('HGET', KEYS[1], 'probe_until') or 0)
"""
# ARGV: lease_ms, ttl_ms
_ACQUIRE = (
    _NOW
    + """
if open_until == 0 then return 'closed' end
if now < open_until or probe_until > now then return 'open' end
redis.call('HSET', KEYS[1], 'probe_until', now + tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 'probe'
"""
)
# ARGV: reason, threshold, cooldown_ms, ttl_ms
_FAILURE = (
    _NOW
    + """
if open_until > 0 and now < open_until then return 1 end
failures = failures + 1
local opened = 0
if open_until > 0 or failures >= tonumber(ARGV[2]) then
  open_until = now + tonumber(ARGV[3])
  opened = 1
end
redis.call('HSET', KEYS[1], 'failures', failures, 'open_until', open_until, 'probe_until', 0,
           'reason', ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
return opened
"""
)
# ARGV: reason, cooldown_ms, ttl_ms
_TRIP = (
    _NOW
    + """
local untl = now + tonumber(ARGV[2])
if open_until > untl then untl = open_until end
redis.call('HSET', KEYS[1], 'failures', failures + 1, 'open_until', untl, 'probe_until', 0,
           'reason', ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return untl
"""
)
_RELEASE = """
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'probe_until', 0) end
return 1
"""


class RedisBreakerStore:
    """Circuits in Redis, shared by every process on every machine (the server's clock).

    A hash per endpoint (`<prefix>:{<endpoint>}`), expiring a day after its last change so a
    closed circuit leaves nothing behind. While Redis cannot be reached every circuit reads as
    closed and failures are not counted: the endpoint's own retries and the rules still apply.
    """

    def __init__(self, url, *, prefix: str = "merlin:breaker", ttl_s: float = 24 * 3600.0):
        from merlin_assets.gateway.redis_budgets import connect

        self.redis = connect(url)
        self._owns_client = isinstance(url, str)
        self.prefix = prefix
        self.ttl_ms = max(1, round(ttl_s * 1000))
        self._acquire = self.redis.register_script(_ACQUIRE)
        self._failure = self.redis.register_script(_FAILURE)
        self._trip = self.redis.register_script(_TRIP)
        self._release = self.redis.register_script(_RELEASE)
        self._last_warning = 0.0

    def _key(self, endpoint: str) -> str:
        return f"{self.prefix}:{{{endpoint}}}"

    def _warn(self, exc: Exception) -> None:
        if time.monotonic() - self._last_warning >= 10.0:
            self._last_warning = time.monotonic()
            log.warning("circuit breaker in Redis unavailable (%s)", type(exc).__name__)

    def get(self, endpoint: str) -> Circuit:
        from merlin_assets.gateway.redis_budgets import UNAVAILABLE

        try:
            data = self.redis.hgetall(self._key(endpoint))
        except UNAVAILABLE as exc:
            self._warn(exc)
            return Circuit()
        return Circuit(
            failures=int(data.get("failures", 0)),
            open_until=float(data.get("open_until", 0)) / 1000,
            probe_until=float(data.get("probe_until", 0)) / 1000,
            reason=str(data.get("reason", "")),
        )

    def acquire(self, endpoint: str, probe_lease_s: float = PROBE_LEASE_S) -> Permit:
        from merlin_assets.gateway.redis_budgets import UNAVAILABLE

        try:
            answer = self._acquire(
                keys=[self._key(endpoint)], args=[round(probe_lease_s * 1000), self.ttl_ms]
            )
        except UNAVAILABLE as exc:
            self._warn(exc)
            return CLOSED
        return answer if answer in (CLOSED, PROBE, OPEN) else CLOSED

    def failure(self, endpoint: str, reason: str, threshold: int, cooldown_s: float) -> bool:
        from merlin_assets.gateway.redis_budgets import UNAVAILABLE

        try:
            opened = self._failure(
                keys=[self._key(endpoint)],
                args=[reason[:300], threshold, round(cooldown_s * 1000), self.ttl_ms],
            )
        except UNAVAILABLE as exc:
            self._warn(exc)
            return False
        return bool(int(opened))

    def success(self, endpoint: str) -> None:
        from merlin_assets.gateway.redis_budgets import UNAVAILABLE

        try:
            self.redis.delete(self._key(endpoint))
        except UNAVAILABLE as exc:
            self._warn(exc)

    def trip(self, endpoint: str, reason: str, cooldown_s: float) -> None:
        from merlin_assets.gateway.redis_budgets import UNAVAILABLE

        try:
            self._trip(
                keys=[self._key(endpoint)],
                args=[reason[:300], round(cooldown_s * 1000), self.ttl_ms],
            )
        except UNAVAILABLE as exc:
            self._warn(exc)

    def release(self, endpoint: str) -> None:
        from merlin_assets.gateway.redis_budgets import UNAVAILABLE

        try:
            self._release(keys=[self._key(endpoint)])
        except UNAVAILABLE as exc:
            self._warn(exc)

    def close(self) -> None:
        if self._owns_client:
            self.redis.close()


def breaker_store_for(redis_url: str | None, *, cache_dir: Path) -> BreakerStore:
    """Redis when a URL is set (as the budgets), else a SQLite file in the cache directory."""
    if redis_url and redis_url.strip():
        return RedisBreakerStore(redis_url.strip())
    return SQLiteBreakerStore(Path(cache_dir) / "breaker.sqlite")


class CircuitBreaker:
    """The pool's view: one store, the file's thresholds, and log lines on every change."""

    def __init__(
        self,
        store: BreakerStore,
        *,
        failures: int = 3,
        cooldown_s: float = 30.0,
        probe_lease_s: float = PROBE_LEASE_S,
    ):
        self.store = store
        self.threshold = failures
        self.cooldown_s = cooldown_s
        self.probe_lease_s = probe_lease_s
        # Names for log lines, by the ids circuits are stored under (set by the pool).
        self.names: dict[str, str] = {}

    def _name(self, endpoint: str) -> str:
        return self.names.get(endpoint, endpoint)

    def acquire(self, endpoint: str) -> Permit:
        permit = self.store.acquire(endpoint, self.probe_lease_s)
        if permit == PROBE:
            log.info(
                "endpoint %s: cool-down over, one probe call goes through", self._name(endpoint)
            )
        return permit

    def failure(self, endpoint: str, reason: str) -> bool:
        before = self.store.get(endpoint)
        opened = self.store.failure(endpoint, reason, self.threshold, self.cooldown_s)
        if opened and not (before.open_until and time.time() < before.open_until):
            log.warning(
                "endpoint %s: circuit opened for %.0fs after %s; its calls go to the next "
                "endpoint of their route",
                self._name(endpoint),
                self.cooldown_s,
                reason,
            )
        return opened

    def success(self, endpoint: str) -> None:
        before = self.store.get(endpoint)
        if before.open_until or before.failures:
            self.store.success(endpoint)
            if before.open_until:
                log.info("endpoint %s: probe answered; circuit closed", self._name(endpoint))

    def trip(self, endpoint: str, reason: str) -> None:
        self.store.trip(endpoint, reason, self.cooldown_s)
        log.warning("endpoint %s: circuit opened (%s)", self._name(endpoint), reason)

    def release(self, endpoint: str) -> None:
        self.store.release(endpoint)

    def state(self, endpoint: str) -> str:
        return self.store.get(endpoint).state(time.time())

    def close(self) -> None:
        self.store.close()

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
import time
from pathlib import Path

from merlin_assets.gateway.breaker.memory_store import MemoryBreakerStore
from merlin_assets.gateway.breaker.redis_store import RedisBreakerStore
from merlin_assets.gateway.breaker.sqlite_store import SQLiteBreakerStore
from merlin_assets.gateway.breaker.state import (
    CLOSED,
    OPEN,
    PROBE,
    PROBE_LEASE_S,
    BreakerStore,
    Circuit,
    Permit,
)

__all__ = [
    "CLOSED",
    "OPEN",
    "PROBE",
    "PROBE_LEASE_S",
    "BreakerStore",
    "Circuit",
    "CircuitBreaker",
    "MemoryBreakerStore",
    "Permit",
    "RedisBreakerStore",
    "SQLiteBreakerStore",
    "breaker_store_for",
]

log = logging.getLogger(__name__)


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

"""Circuits in one process only (tests)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from merlin_assets.gateway.breaker.state import (
    PROBE_LEASE_S,
    Circuit,
    Permit,
    on_acquire,
    on_failure,
    on_trip,
)


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
            permit, new = on_acquire(
                self._circuits.get(endpoint, Circuit()), self._clock(), probe_lease_s
            )
            if new is not None:
                self._circuits[endpoint] = new
            return permit

    def failure(self, endpoint: str, reason: str, threshold: int, cooldown_s: float) -> bool:
        with self._lock:
            old = self._circuits.get(endpoint, Circuit())
            opened, new = on_failure(old, self._clock(), reason, threshold, cooldown_s)
            self._circuits[endpoint] = new
            return opened

    def success(self, endpoint: str) -> None:
        with self._lock:
            self._circuits.pop(endpoint, None)

    def trip(self, endpoint: str, reason: str, cooldown_s: float) -> None:
        with self._lock:
            old = self._circuits.get(endpoint, Circuit())
            self._circuits[endpoint] = on_trip(old, self._clock(), reason, cooldown_s)

    def release(self, endpoint: str) -> None:
        with self._lock:
            c = self._circuits.get(endpoint)
            if c is not None and c.probe_until:
                self._circuits[endpoint] = Circuit(c.failures, c.open_until, 0.0, c.reason)

    def close(self) -> None:
        return None

"""The run's spending cap in this process; `redis_spending.py` keeps the same ledger in Redis,
shared by every process with the same scope."""

from __future__ import annotations

import threading


class SpendingCap:
    """USD spent and promised by calls in flight; the run's cap is the lowest one set."""

    def __init__(self, cap: float | None):
        self.cap = cap
        self.spent = 0.0
        self.reserved = 0.0
        self.refused = 0
        self._lock = threading.Lock()

    def limit(self, project_cap: float | None) -> float | None:
        caps = [c for c in (self.cap, project_cap) if c is not None]
        return min(caps) if caps else None

    def reserve(self, estimate: float, project_cap: float | None) -> bool:
        """Promise `estimate` USD if the cap allows it."""
        limit = self.limit(project_cap)
        with self._lock:
            if limit is not None and self.spent + self.reserved + estimate > limit:
                self.refused += 1
                return False
            self.reserved += estimate
            return True

    def settle(self, estimate: float, actual: float) -> None:
        with self._lock:
            self.reserved = max(0.0, self.reserved - estimate)
            self.spent += actual

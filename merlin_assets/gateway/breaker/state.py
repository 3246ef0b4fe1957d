"""A circuit's state and its transitions, computed once on plain values; every store
(memory, SQLite, Redis) keeps the same states, and the memory and SQLite stores apply these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

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


def on_acquire(c: Circuit, now: float, lease: float) -> tuple[Permit, Circuit | None]:
    """The permit a caller gets, and the circuit to store when it changes."""
    if not c.open_until:
        return CLOSED, None
    if now < c.open_until or c.probe_until > now:
        return OPEN, None
    return PROBE, Circuit(c.failures, c.open_until, now + lease, c.reason)


def on_failure(
    c: Circuit, now: float, reason: str, threshold: int, cooldown: float
) -> tuple[bool, Circuit]:
    """Whether the circuit is open after one more failure, and the circuit to store."""
    if c.open_until and now < c.open_until:
        return True, c  # already open: a call that started before it opened
    failures = c.failures + 1
    if c.open_until or failures >= threshold:  # a failed probe, or one failure too many
        return True, Circuit(failures, now + cooldown, 0.0, reason)
    return False, Circuit(failures, 0.0, 0.0, reason)


def on_trip(c: Circuit, now: float, reason: str, cooldown: float) -> Circuit:
    """The circuit opened at once (every key rejected)."""
    return Circuit(c.failures + 1, max(c.open_until, now + cooldown), 0.0, reason)

"""Circuits in Redis, shared by every machine; redis itself is imported only when one is made
(the fleet extra)."""

from __future__ import annotations

import logging
import time

from merlin_assets.gateway.breaker.state import CLOSED, OPEN, PROBE, PROBE_LEASE_S, Circuit, Permit

log = logging.getLogger(__name__)


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

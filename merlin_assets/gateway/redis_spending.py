"""The spending cap in Redis.

`RedisSpendingCap` is `SpendingCap` (openai_provider) over a Redis ledger named by a scope (e.g.
a run or a project id): each call reserves its worst case with a lease (so a crashed worker's
promise expires) and settles its actual cost. When Redis cannot be reached, it refuses (the rules
answer), so an outage never lets spending pass the cap.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict, deque
from typing import Any

import redis

from merlin_assets.gateway.redis_budgets import UNAVAILABLE, OutageLog, connect

# KEYS: ledger hash (spent), reservations hash (id -> usd), leases zset (id -> expiry ms)
# ARGV: id, estimate, limit ('' = none), lease_ms, ttl_ms
# Returns {ok 0/1, spent, reserved} (numbers as strings)
_RESERVE = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for _, id in ipairs(gone) do redis.call('HDEL', KEYS[2], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local spent = tonumber(redis.call('HGET', KEYS[1], 'spent') or 0)
local reserved = 0
for _, v in ipairs(redis.call('HVALS', KEYS[2])) do reserved = reserved + tonumber(v) end
local estimate = tonumber(ARGV[2])
if ARGV[3] ~= '' and spent + reserved + estimate > tonumber(ARGV[3]) + 1e-12 then
  redis.call('HINCRBY', KEYS[1], 'refused', 1)
  return {0, tostring(spent), tostring(reserved)}
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), ARGV[1])
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[5])) end
return {1, tostring(spent), tostring(reserved + estimate)}
"""

# KEYS: as above; ARGV: id ('' = none), actual, ttl_ms. Returns spent (string).
_SETTLE = """
if ARGV[1] ~= '' then
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
end
local spent = redis.call('HINCRBYFLOAT', KEYS[1], 'spent', ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return tostring(spent)
"""


class RedisSpendingCap:
    """`SpendingCap` with its ledger in Redis, shared by every process with the same scope.

    Args:
        url: A `redis://` URL or a client.
        scope: Names the ledger: processes with the same scope share one cap (a run id, a
            project id, ...).
        cap: USD for the scope; `limit()` also applies a project's own cap, the lowest wins.
        lease_s: A reservation not settled by then (its worker died) is released.
        ttl_s: The ledger is forgotten this long after its last change.
    """

    def __init__(
        self,
        url: str | redis.Redis,
        scope: str,
        cap: float | None,
        *,
        prefix: str = "merlin:spend",
        lease_s: float = 900.0,
        ttl_s: float = 7 * 24 * 3600.0,
    ):
        self.redis = connect(url)
        self._owns_client = not isinstance(url, redis.Redis)
        self.cap = cap
        self.scope = scope
        base = f"{prefix}:{{{scope}}}"
        self._keys = [f"{base}:ledger", f"{base}:reserved", f"{base}:leases"]
        self.lease_ms = max(1, round(lease_s * 1000))
        self.ttl_ms = max(self.lease_ms, round(ttl_s * 1000))
        self._reserve = self.redis.register_script(_RESERVE)
        self._settle = self.redis.register_script(_SETTLE)
        self._lock = threading.Lock()
        self._open: dict[float, deque[str]] = defaultdict(deque)
        self._unsettled: list[tuple[str, float]] = []
        self._quiet = OutageLog()
        self.refused = 0
        # As of this process's last reserve or settle.
        self.spent = 0.0
        self.reserved = 0.0

    def limit(self, project_cap: float | None) -> float | None:
        caps = [c for c in (self.cap, project_cap) if c is not None]
        return min(caps) if caps else None

    def reserve(self, estimate: float, project_cap: float | None) -> bool:
        """Promise `estimate` USD if the shared cap allows it; refuses when Redis is down."""
        limit = self.limit(project_cap)
        rid = uuid.uuid4().hex
        try:
            self._flush()
            ok, spent, reserved = self._reserve(
                keys=self._keys,
                args=[
                    rid,
                    repr(float(estimate)),
                    "" if limit is None else repr(float(limit)),
                    self.lease_ms,
                    self.ttl_ms,
                ],
            )
        except UNAVAILABLE as exc:
            self._quiet.warn("the spending cap", exc)
            with self._lock:
                self.refused += 1
            return False
        with self._lock:
            self.spent, self.reserved = float(spent), float(reserved)
            if not int(ok):
                self.refused += 1
                return False
            self._open[estimate].append(rid)
        return True

    def settle(self, estimate: float, actual: float) -> None:
        with self._lock:
            ids = self._open.get(estimate)
            rid = ids.popleft() if ids else ""
            if ids is not None and not ids:
                del self._open[estimate]
            self._unsettled.append((rid, float(actual)))
        try:
            self._flush()
        except UNAVAILABLE as exc:
            # Kept and sent with the next reserve or settle; the lease frees the promise.
            self._quiet.warn("settling spend", exc)

    def _flush(self) -> None:
        while True:
            with self._lock:
                if not self._unsettled:
                    return
                rid, actual = self._unsettled[0]
            spent = self._settle(keys=self._keys, args=[rid, repr(actual), self.ttl_ms])
            with self._lock:
                if self._unsettled and self._unsettled[0] == (rid, actual):
                    self._unsettled.pop(0)
                self.spent = float(spent)

    def snapshot(self) -> dict[str, Any]:
        """The shared ledger now: spent, reserved and refused (all processes)."""
        spent, refused = self.redis.hmget(self._keys[0], "spent", "refused")
        reserved = sum(float(v) for v in self.redis.hvals(self._keys[1]))
        return {"spent": float(spent or 0), "reserved": reserved, "refused": int(refused or 0)}

    def close(self) -> None:
        if self._owns_client:
            self.redis.close()

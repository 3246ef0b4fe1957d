"""Per-key budgets and 429 cooldowns in Redis, shared by every machine.

`RedisBudgets` implements `RateBudgets` (as `SQLiteBudgets` does on one machine) plus
`SharedCooldowns`. One Lua script admits a call against every budget of a key (requests, tokens,
images) in one server-side step: it reads the clock with `redis.call('TIME')`, so the machines'
own clocks never matter, drops what left the window, and either records the call in every
budget or in none and answers how long until it could fit.

Per key (`<prefix>:{<key id>}:...`, one hash slot, so a Redis Cluster works too):

- `log:<dim>` a sorted set per budget: one member `<seq>:<weight>` per admitted call, scored by
  the server's millisecond time; `used` a hash with each budget's sum in the window. Both expire
  one window after the last call.
- `meta` a hash: the `cool` (429 cooldown) and `fence` deadlines in server time, and the
  `epoch` of the budgets (a token made when they were first written, with its `created` time).

A Redis without persistence that restarts comes back empty, forgetting the calls of the last
window. Every client remembers the epoch it last saw for a key; a client that saw the old epoch
and finds a new one fences the key until one window after the new epoch was made, so calls made
before the restart have left the window before anything more is admitted. (Admissions by
processes that started after the restart and before any older client noticed are counted, but
the fence does not wait for them; use Redis persistence to avoid even that.) While Redis cannot
be reached nothing is admitted: `try_take` answers a short wait, and the pool asks again.

The spending cap's ledger in Redis is `redis_spending.py`.

Keys are never stored; budgets are named by `keys.bucket_id` (a short hash).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from merlin_assets.gateway.limits import SAFETY_MS, Demand, KeyLimits

log = logging.getLogger(__name__)

DIMENSIONS = ("requests", "tokens", "images")
# How long a caller waits before asking again while Redis cannot be reached.
UNAVAILABLE_WAIT_S = 0.5
# Errors meaning Redis cannot be reached right now (refused, timed out, loading, failing over).
UNAVAILABLE = (
    redis.exceptions.ConnectionError,  # includes BusyLoadingError
    redis.exceptions.TimeoutError,
    redis.exceptions.ReadOnlyError,
)
_LOG_EVERY_S = 10.0

# KEYS: meta, used, log:requests, log:tokens, log:images
# ARGV: window_ms, known_epoch, new_epoch, take (1/0), limits x3, weights x3
# Returns {taken 0/1, wait_ms, epoch, share (string), now_ms}
_ADMIT = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local known = ARGV[2]
local take = ARGV[4] == '1'

local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[3]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'created', now)
end
if known ~= '' and known ~= epoch then
  -- This client used budgets that are gone: calls made before they were lost count until one
  -- window after the new epoch began.
  local created = tonumber(redis.call('HGET', KEYS[1], 'created') or now)
  local fence = tonumber(redis.call('HGET', KEYS[1], 'fence') or 0)
  if created + window > fence then
    redis.call('HSET', KEYS[1], 'fence', created + window)
  end
end

local blocked = 0
local cool = tonumber(redis.call('HGET', KEYS[1], 'cool') or 0)
local fence = tonumber(redis.call('HGET', KEYS[1], 'fence') or 0)
if cool > now then blocked = cool - now end
if fence - now > blocked then blocked = fence - now end

local share = 1.0
local wait = 0
local weights = {}
for i = 1, 3 do
  local zkey = KEYS[2 + i]
  local limit = tonumber(ARGV[4 + i])
  local weight = tonumber(ARGV[7 + i])
  if weight > limit then weight = limit end
  weights[i] = weight
  local used = tonumber(redis.call('HGET', KEYS[2], i) or 0)
  local old = redis.call('ZRANGEBYSCORE', zkey, '-inf', now - window)
  if #old > 0 then
    for _, member in ipairs(old) do
      used = used - tonumber(string.match(member, ':(%d+)$'))
    end
    redis.call('ZREMRANGEBYSCORE', zkey, '-inf', now - window)
  end
  if used < 0 or redis.call('ZCARD', zkey) == 0 then used = 0 end
  redis.call('HSET', KEYS[2], i, used)
  if limit > 0 then
    local left = 1 - used / limit
    if left < share then share = left end
    if weight > 0 and used + weight > limit then
      -- The oldest calls whose expiry makes room for this one.
      local need = used + weight - limit
      local freed = 0
      local start = 0
      while freed < need do
        local batch = redis.call('ZRANGE', zkey, start, start + 99, 'WITHSCORES')
        if #batch == 0 then break end
        for j = 1, #batch, 2 do
          freed = freed + tonumber(string.match(batch[j], ':(%d+)$'))
          if freed >= need then
            local w = tonumber(batch[j + 1]) + window - now + 1
            if w > wait then wait = w end
            break
          end
        end
        start = start + 100
      end
    end
  end
end
if share < 0 then share = 0 end
if blocked > 0 then share = 0 end

if blocked > 0 or not take then
  return {0, blocked, epoch, tostring(share), now}
end
if wait > 0 then
  return {0, wait, epoch, tostring(share), now}
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
for i = 1, 3 do
  local limit = tonumber(ARGV[4 + i])
  if limit > 0 and weights[i] > 0 then
    redis.call('ZADD', KEYS[2 + i], now, seq .. ':' .. weights[i])
    redis.call('HINCRBY', KEYS[2], i, weights[i])
  end
end
for i = 2, 5 do redis.call('PEXPIRE', KEYS[i], window) end
return {1, 0, epoch, tostring(share), now}
"""

# KEYS: meta; ARGV: seconds as milliseconds. Returns the cooldown's end in server time.
_COOL = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untl = now + tonumber(ARGV[1])
local cool = tonumber(redis.call('HGET', KEYS[1], 'cool') or 0)
if untl > cool then redis.call('HSET', KEYS[1], 'cool', untl) else untl = cool end
return {untl, now}
"""


def connect(url_or_client: str | redis.Redis) -> redis.Redis:
    """A client for `url` with short timeouts and a couple of quick retries."""
    if isinstance(url_or_client, redis.Redis):
        return url_or_client
    return redis.Redis.from_url(
        url_or_client,
        socket_timeout=2.0,
        socket_connect_timeout=1.0,
        health_check_interval=15,
        retry=Retry(ExponentialBackoff(cap=0.2, base=0.02), 2),
        decode_responses=True,
    )


class OutageLog:
    """Logs an outage once per `_LOG_EVERY_S`, not once per call (the spending cap uses it too,
    so its outages log under this module's name as before)."""

    def __init__(self) -> None:
        self._last = 0.0

    def warn(self, what: str, exc: Exception) -> None:
        if time.monotonic() - self._last >= _LOG_EVERY_S:
            self._last = time.monotonic()
            log.warning("Redis unavailable for %s (%s); waiting", what, type(exc).__name__)


class RedisBudgets:
    """Per-key budgets and 429 cooldowns in Redis; safe across threads, processes, machines.

    Args:
        url: A `redis://` URL (or a client) every process sharing the keys uses.
        limits: Per-key limits; every process should use the same ones.
        prefix: Namespace of the keys in Redis.
        safety_ms: How much longer than `limits.window_s` each window is kept.
        unavailable_wait_s: The wait answered while Redis cannot be reached.
    """

    def __init__(
        self,
        url: str | redis.Redis,
        limits: KeyLimits,
        *,
        prefix: str = "merlin:budget",
        safety_ms: int = SAFETY_MS,
        unavailable_wait_s: float = UNAVAILABLE_WAIT_S,
    ):
        self.redis = connect(url)
        self._owns_client = not isinstance(url, redis.Redis)
        self.limits = limits
        self.prefix = prefix
        self.window_ms = max(1, round(limits.window_s * 1000)) + safety_ms
        self.unavailable_wait_s = unavailable_wait_s
        self._admit = self.redis.register_script(_ADMIT)
        self._cool = self.redis.register_script(_COOL)
        self._epochs: dict[str, str] = {}
        self._lock = threading.Lock()
        self._quiet = OutageLog()

    def _keys(self, key_id: str) -> list[str]:
        base = f"{self.prefix}:{{{key_id}}}"
        return [f"{base}:meta", f"{base}:used", *(f"{base}:log:{d}" for d in DIMENSIONS)]

    def _run(self, key_id: str, demand: Demand, take: bool) -> tuple[bool, float, float]:
        limits = (self.limits.requests, self.limits.tokens, self.limits.images)
        weights = (demand.requests, demand.tokens, demand.images)
        with self._lock:
            known = self._epochs.get(key_id, "")
        taken, wait_ms, epoch, share, _now = self._admit(
            keys=self._keys(key_id),
            args=[
                self.window_ms,
                known,
                uuid.uuid4().hex,
                1 if take else 0,
                *(max(0, int(x)) for x in limits),
                *(max(0, int(x)) for x in weights),
            ],
        )
        if epoch != known:
            with self._lock:
                self._epochs[key_id] = epoch
            if known:
                log.warning("budgets of a key were lost (Redis restarted?); fenced one window")
        return bool(taken), int(wait_ms) / 1000, float(share)

    def try_take(self, key_id: str, demand: Demand) -> float:
        try:
            taken, wait, _share = self._run(key_id, demand, take=True)
        except UNAVAILABLE as exc:
            self._quiet.warn("rate budgets", exc)
            return self.unavailable_wait_s
        return 0.0 if taken else max(wait, 0.001)

    def remaining(self, key_id: str) -> float:
        try:
            _taken, _wait, share = self._run(key_id, Demand(requests=0), take=False)
        except UNAVAILABLE as exc:
            self._quiet.warn("rate budgets", exc)
            return 0.0
        return max(0.0, min(1.0, share))

    def cool_down(self, key_id: str, seconds: float) -> None:
        """Rest the key for `seconds` in every process (the longest cooldown asked wins)."""
        try:
            self._cool(keys=self._keys(key_id)[:1], args=[max(0, round(seconds * 1000))])
        except UNAVAILABLE as exc:
            self._quiet.warn("a cooldown", exc)

    def cooldown_left(self, key_id: str) -> float:
        """Seconds until the key admits anything again: its 429 cooldown or a restart fence
        (0.0 when neither, or when Redis cannot be reached)."""
        try:
            _taken, wait, _share = self._run(key_id, Demand(requests=0), take=False)
        except UNAVAILABLE:
            return 0.0
        return wait

    def close(self) -> None:
        if self._owns_client:
            self.redis.close()

"""The reply cache in Redis, shared by every machine: text replies only.

`RedisReplyCache` has `DiskReplyCache`'s `get` / `set` / `close`, under the same keys
(`cache.reply_key`: `<kind>:<sha256>`). Values are stored as JSON, never pickled, so a shared
Redis can never make a worker run code. Text replies (kind `chat`) go to Redis; other kinds
(images, which are bytes and belong in object storage) go to `others` (a `DiskReplyCache` on
each machine, or `NoCache`). Every entry expires `ttl_s` after it was written, so a Redis with
`maxmemory-policy volatile-lru` evicts replies before anything without an expiry (budgets).

A cache is an optimisation: when Redis cannot be reached, `get` is a miss and `set` is skipped.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import redis

from merlin_assets.gateway.cache import NoCache, ReplyCache
from merlin_assets.gateway.redis_budgets import UNAVAILABLE, connect

log = logging.getLogger(__name__)

_LOG_EVERY_S = 10.0


class RedisReplyCache:
    """Replies in Redis.

    Args:
        url: A `redis://` URL (or a client) every process sharing the cache uses.
        prefix: Namespace of the entries in Redis.
        ttl_s: How long an entry lives after it was written.
        kinds: Reply kinds kept in Redis; the others go to `others`.
        others: Where the other kinds go (default: nowhere).
        max_bytes: Larger values are not stored.
    """

    def __init__(
        self,
        url: str | redis.Redis,
        *,
        prefix: str = "merlin:reply:",
        ttl_s: float = 30 * 24 * 3600.0,
        kinds: tuple[str, ...] = ("chat",),
        others: ReplyCache | None = None,
        max_bytes: int = 4 * 2**20,
    ):
        self.redis = connect(url)
        self._owns_client = not isinstance(url, redis.Redis)
        self.prefix = prefix
        self.ttl_ms = max(1, round(ttl_s * 1000))
        self.kinds = kinds
        self.others: ReplyCache = others or NoCache()
        self.max_bytes = max_bytes
        self._last_warning = 0.0

    def _ours(self, key: str) -> bool:
        return key.split(":", 1)[0] in self.kinds

    def _warn(self, exc: Exception) -> None:
        if time.monotonic() - self._last_warning >= _LOG_EVERY_S:
            self._last_warning = time.monotonic()
            log.warning("reply cache in Redis unavailable (%s); calling", type(exc).__name__)

    def get(self, key: str) -> Any | None:
        if not self._ours(key):
            return self.others.get(key)
        try:
            raw = self.redis.get(self.prefix + key)
        except UNAVAILABLE as exc:
            self._warn(exc)
            return None
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return None

    def set(self, key: str, value: Any) -> None:
        if not self._ours(key):
            self.others.set(key, value)
            return
        try:
            raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):
            log.debug("reply for %s is not JSON; not cached in Redis", key.split(":", 1)[0])
            return
        if len(raw.encode()) > self.max_bytes:
            return
        try:
            self.redis.set(self.prefix + key, raw, px=self.ttl_ms)
        except UNAVAILABLE as exc:
            self._warn(exc)

    def close(self) -> None:
        self.others.close()
        if self._owns_client:
            self.redis.close()

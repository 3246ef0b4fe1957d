"""Where the provider's shared state lives: this machine (default) or Redis (a fleet).

Without `MERLIN_REDIS_URL`, rate budgets are `SQLiteBudgets` and replies a `DiskReplyCache`
under the cache directory, and the spending cap is the provider's own (one process), exactly as
before. With it, every process on every machine shares per-key budgets, 429 cooldowns and the
text reply cache through Redis (`RedisBudgets`, `RedisReplyCache`; images go to the bucket,
`ObjectReplyCache`, when MERLIN_STORAGE_URL is set, else to the local disk cache), and
`spending_cap_for` gives a cap whose ledger is shared by every process with the same scope.

Each function takes the `Settings` (or just the Redis URL, or None) so a resource that carries
`redis_url` as a field can pass it directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from merlin_assets.config.environment import Settings
from merlin_assets.gateway.cache import DiskReplyCache, NoCache, ReplyCache
from merlin_assets.gateway.limits import KeyLimits, RateBudgets, SQLiteBudgets
from merlin_assets.gateway.spending import SpendingCap

if TYPE_CHECKING:
    from merlin_assets.gateway.redis_spending import RedisSpendingCap


def redis_url_of(settings: Settings | str | None) -> str | None:
    """The Redis URL named by `settings` (a `Settings`, a URL, or None), or None."""
    url = settings.redis_url if isinstance(settings, Settings) else settings
    return url.strip() if url and url.strip() else None


def budgets_for(
    settings: Settings | str | None, limits: KeyLimits, *, cache_dir: Path
) -> RateBudgets:
    """`RedisBudgets` when a Redis URL is set, else `SQLiteBudgets` in `cache_dir`."""
    url = redis_url_of(settings)
    if url is None:
        return SQLiteBudgets(Path(cache_dir) / "limits.sqlite", limits)
    from merlin_assets.gateway.redis_budgets import RedisBudgets

    return RedisBudgets(url, limits)


def cache_for(
    settings: Settings | str | None, *, cache_dir: Path, enabled: bool = True
) -> ReplyCache:
    """Text replies in Redis when a URL is set (images in the bucket or on the local disk),
    else all on disk."""
    if not enabled:
        return NoCache()
    url = redis_url_of(settings)
    if url is None:
        return DiskReplyCache(Path(cache_dir) / "replies")
    from merlin_assets.gateway.redis_cache import RedisReplyCache

    return RedisReplyCache(url, others=_others(cache_dir))


def _others(cache_dir: Path) -> ReplyCache:
    """Where replies Redis does not hold (images) go: the bucket when MERLIN_STORAGE_URL is set
    (a fleet worker keeps no cache on its own disk, and every worker hits what one paid for),
    else the disk cache under `cache_dir`."""
    from merlin_assets import storage

    current = Settings()
    where = storage.location(current)
    if where is None:
        return DiskReplyCache(Path(cache_dir) / "replies")
    from merlin_assets.storage.replies import ObjectReplyCache

    return ObjectReplyCache(storage.settings_filesystem(current), where.path("replies"))


def spending_cap_for(
    settings: Settings | str | None, cap: float | None, *, scope: str
) -> SpendingCap | RedisSpendingCap:
    """A cap shared through Redis by every process with `scope` (e.g. the run id), else the
    in-process `SpendingCap`."""
    url = redis_url_of(settings)
    if url is None:
        return SpendingCap(cap)
    from merlin_assets.gateway.redis_spending import RedisSpendingCap

    return RedisSpendingCap(url, scope, cap)

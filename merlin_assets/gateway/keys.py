"""A pool of API keys: each call goes to the key with the most budget left.

Keys are known by alias (`key#1`, `key#2`, ... in the order given) everywhere outside this
module; the secret itself is only handed to the HTTP client. A key that answers 429 cools down
for its `retry-after`; one that answers 401/403 leaves the pool for the rest of the run.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from merlin_assets.gateway.limits import Demand, RateBudgets, SharedCooldowns

log = logging.getLogger(__name__)

# Cooldowns longer than this are clipped: a broken retry-after must not park a key for hours.
MAX_COOLDOWN_S = 120.0
# Longest single sleep while every key is busy, so a freed key is noticed promptly.
MAX_POLL_S = 1.0


class NoUsableKeyError(RuntimeError):
    """Every key in the pool was rejected; the message names aliases only."""


class Abandoned(RuntimeError):
    """A caller stopped waiting for a key: the service behind the pool is known dead."""


@dataclass(eq=False)
class ApiKey:
    """One key: its alias for people, its secret for the client, its id for shared budgets."""

    alias: str
    secret: str = field(repr=False)
    bucket_id: str
    cooldown_until: float = 0.0
    dropped: str = ""

    @property
    def usable(self) -> bool:
        return not self.dropped


def parse_keys(many: str | None, one: str | None) -> list[str]:
    """Keys from `OPENAI_API_KEYS` (comma-separated) or else `OPENAI_API_KEY`, deduplicated."""
    raw = many if many and many.strip() else one or ""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    return list(dict.fromkeys(keys))


def bucket_id(secret: str) -> str:
    """A stable, non-reversible name for a key's shared budget (same in every process)."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


class KeyPool:
    """Hands out keys by remaining budget, with cooldowns and drops for this run."""

    def __init__(self, secrets: Iterable[str], budgets: RateBudgets):
        self.keys = [
            ApiKey(alias=f"key#{i}", secret=s, bucket_id=bucket_id(s))
            for i, s in enumerate(secrets, start=1)
        ]
        if not self.keys:
            raise ValueError("a key pool needs at least one key")
        self.budgets = budgets
        self._turn = itertools.count()
        self.abandoned = ""

    @property
    def aliases(self) -> list[str]:
        return [k.alias for k in self.keys]

    def secrets(self) -> list[str]:
        return [k.secret for k in self.keys]

    def usable(self) -> list[ApiKey]:
        return [k for k in self.keys if k.usable]

    def _ranked(self, candidates: list[ApiKey]) -> list[ApiKey]:
        # Most budget left first; a rotating tie-break spreads calls when all are idle.
        turn = next(self._turn)
        n = len(self.keys)
        return sorted(
            candidates,
            key=lambda k: (
                -round(self.budgets.remaining(k.bucket_id), 3),
                (self.keys.index(k) - turn) % n,
            ),
        )

    def _pick(self, demand: Demand) -> tuple[ApiKey | None, float]:
        """A key that took the demand, or None and how long to wait before asking again."""
        usable = self.usable()
        if not usable:
            reasons = ", ".join(f"{k.alias} ({k.dropped})" for k in self.keys)
            raise NoUsableKeyError(f"every API key was rejected: {reasons}")
        now = time.monotonic()
        ready = [k for k in usable if k.cooldown_until <= now]
        waits = [k.cooldown_until - now for k in usable if k.cooldown_until > now]
        for key in self._ranked(ready):
            wait = self.budgets.try_take(key.bucket_id, demand)
            if wait <= 0:
                return key, 0.0
            waits.append(wait)
        return None, min(waits)

    async def acquire(self, demand: Demand) -> tuple[ApiKey, float]:
        """Wait until some key can take `demand`; returns the key and the seconds waited for it.

        Raises:
            NoUsableKeyError: When every key has been dropped.
            Abandoned: When the pool was abandoned (`abandon`), also while waiting.
        """
        started, slept = time.monotonic(), False
        while True:
            if self.abandoned:
                raise Abandoned(self.abandoned)
            key, wait = await asyncio.to_thread(self._pick, demand)
            if key is not None:
                # 0 when a key had budget at once: the time it took to ask is not a wait.
                return key, time.monotonic() - started if slept else 0.0
            await asyncio.sleep(min(max(wait, 0.01), MAX_POLL_S))
            slept = True

    def cool_down(self, key: ApiKey, seconds: float) -> None:
        """Rest `key` after a 429; other keys take its calls meanwhile."""
        seconds = min(max(seconds, 0.0), MAX_COOLDOWN_S)
        key.cooldown_until = max(key.cooldown_until, time.monotonic() + seconds)
        if isinstance(self.budgets, SharedCooldowns):
            self.budgets.cool_down(key.bucket_id, seconds)
        log.info("%s rate limited; resting it for %.2fs", key.alias, seconds)

    def abandon(self, reason: str) -> None:
        """No key is handed out for the rest of the run; callers waiting stop within a second
        (`MAX_POLL_S`)."""
        self.abandoned = self.abandoned or reason

    def drop(self, key: ApiKey, reason: str) -> None:
        """Take `key` out of the pool for this run (it was rejected)."""
        if not key.dropped:
            key.dropped = reason
            log.warning("API key %s was rejected (%s); dropped for this run", key.alias, reason)

    def scrub(self, text: str) -> str:
        """`text` with every key of the pool (and anything shaped like one) replaced by alias."""
        for key in self.keys:
            text = text.replace(key.secret, key.alias)
        return _KEY_SHAPE.sub("[key]", text)


# Servers echo keys back, sometimes masked ("sk-abc***xyz"): hide anything key-shaped.
_KEY_SHAPE = re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-*.]{3,}")


def hide_keys(text: str) -> str:
    """`text` with anything shaped like an API key hidden, where no pool is at hand (a node's
    error, say)."""
    return _KEY_SHAPE.sub("[key]", text)

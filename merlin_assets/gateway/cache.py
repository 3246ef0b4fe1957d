"""A content-addressed cache of model replies, shared by every process on the machine.

A reply is stored under the hash of everything that shapes it: the kind of call, the model,
the messages or image prompt, the output schema and the request parameters. `DiskReplyCache`
keeps replies in a `diskcache` directory (SQLite plus files, safe under concurrent writers in
several processes). A networked backend implements the same `get` / `set`.

Only good replies are stored, so a fallback is retried on the next run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Protocol

import diskcache

# Bump when the stored shape changes, so old entries are simply never read again.
CACHE_FORMAT = 1


class ReplyCache(Protocol):
    def get(self, key: str) -> Any | None: ...

    def set(self, key: str, value: Any) -> None: ...

    def close(self) -> None: ...


def reply_key(kind: str, model: str, request: dict[str, Any]) -> str:
    """The cache key of a request: a SHA-256 over its canonical JSON."""
    payload = {"format": CACHE_FORMAT, "kind": kind, "model": model, "request": request}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"{kind}:{hashlib.sha256(canonical.encode()).hexdigest()}"


class DiskReplyCache:
    """Replies in a directory on disk.

    Args:
        directory: Where the cache lives; every process that should share it uses the same one.
        size_limit: Bytes kept before the least recently used entries are evicted.
    """

    def __init__(self, directory: Path, size_limit: int = 2**31):
        self.directory = Path(directory)
        self._cache = diskcache.Cache(
            str(self.directory), size_limit=size_limit, eviction_policy="least-recently-used"
        )

    def get(self, key: str) -> Any | None:
        return self._cache.get(key)

    def set(self, key: str, value: Any) -> None:
        self._cache.set(key, value)

    def close(self) -> None:
        self._cache.close()


class NoCache:
    """Never remembers anything; for runs that must call the API every time."""

    def get(self, key: str) -> Any | None:
        return None

    def set(self, key: str, value: Any) -> None:
        return None

    def close(self) -> None:
        return None


class EndpointCache:
    """`cache` with every key tied to one endpoint's identity (its name and base URL).

    Two services that share a model name never answer for each other: the same request to
    each is stored under a different key. The kind prefix (`chat:`, `image:`) is kept, so a
    backend that routes by kind (`RedisReplyCache`) still does.
    """

    def __init__(self, cache: ReplyCache, identity: str):
        self.cache = cache
        self.identity = identity

    def key(self, key: str) -> str:
        kind, _, digest = key.partition(":")
        mixed = hashlib.sha256(f"{self.identity}\n{digest}".encode()).hexdigest()
        return f"{kind}:{mixed}"

    def get(self, key: str) -> Any | None:
        return self.cache.get(self.key(key))

    def set(self, key: str, value: Any) -> None:
        self.cache.set(self.key(key), value)

    def close(self) -> None:
        self.cache.close()

"""Replies that Redis does not hold (images: bytes) in the bucket, so a fleet worker keeps no
reply cache on its own disk and a picture one worker paid for is a cache hit on every other.

One object per reply, `<root>/<kind>/<sha[:2]>/<sha>.bin` (bytes as they are) or `.json` (any
other value, as JSON: never pickled, so a shared bucket can never make a worker run code),
under the key `cache.reply_key` made (`<kind>:<sha256>`). A PUT is visible whole, so a reader
never sees half a reply. A cache is an optimisation: when the bucket cannot be reached, `get`
is a miss and `set` is skipped.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

log = logging.getLogger(__name__)

_LOG_EVERY_S = 10.0


class ObjectReplyCache:
    """`ReplyCache` on `root` (`bucket/prefix/replies`, s3fs naming).

    Args:
        fs: An fsspec filesystem for the bucket (`merlin_assets.storage.filesystem`).
        root: Where the replies live.
        max_bytes: Larger values are not stored.
    """

    def __init__(self, fs, root: str, max_bytes: int = 32 * 2**20):
        self.fs = fs
        self.root = root.strip("/")
        self.max_bytes = max_bytes
        self._last_warning = 0.0

    def _name(self, key: str) -> str:
        kind, _, digest = key.partition(":")
        digest = "".join(c for c in digest if c.isalnum()) or "empty"
        kind = "".join(c for c in kind if c.isalnum() or c in "-_") or "reply"
        return f"{self.root}/{kind}/{digest[:2]}/{digest}"

    def _warn(self, what: str, exc: Exception) -> None:
        if time.monotonic() - self._last_warning >= _LOG_EVERY_S:
            self._last_warning = time.monotonic()
            log.warning("reply cache in the bucket unavailable on %s (%r)", what, exc)

    def get(self, key: str) -> Any | None:
        name = self._name(key)
        try:
            return self.fs.cat_file(f"{name}.bin")
        except FileNotFoundError:
            pass
        except Exception as exc:  # a cache miss, never a failed call
            self._warn("get", exc)
            return None
        try:
            return json.loads(self.fs.cat_file(f"{name}.json"))
        except FileNotFoundError:
            return None
        except Exception as exc:
            self._warn("get", exc)
            return None

    def set(self, key: str, value: Any) -> None:
        if isinstance(value, bytes | bytearray):
            data, suffix = bytes(value), ".bin"
        else:
            try:
                data, suffix = json.dumps(value).encode(), ".json"
            except (TypeError, ValueError):
                return  # not JSON: not shared
        if len(data) > self.max_bytes:
            return
        try:
            self.fs.pipe_file(self._name(key) + suffix, data)
        except Exception as exc:
            self._warn("set", exc)

    def close(self) -> None:
        return None

"""What the projects sensor remembers between ticks, kept out of its cursor.

Dagster stores a sensor's cursor with every tick; with one entry per config file that was
0.77 MB every 5 s at 10,000 configs. The per-file state (fingerprint, hash, project or error)
lives here instead, in a file named by its own digest, and the cursor holds only that digest:
a tick whose cursor Dagster never committed is simply looked at again from the state its
cursor names, so no change is lost and none is started twice (runs are keyed by content).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from merlin_assets.paths import write_atomic

KEEP = 3  # the newest states kept: the one in force and the ones a retried tick may name


def digest(state: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:20]


class LocalStateStore:
    """States under a folder of the work directory."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def load(self, name: str, key: str) -> dict[str, Any] | None:
        try:
            return json.loads((self.folder / f"{name}-{key}.json").read_bytes())
        except FileNotFoundError:
            return None

    def save(self, name: str, key: str, state: dict[str, Any]) -> None:
        write_atomic(self.folder / f"{name}-{key}.json", json.dumps(state, sort_keys=True))
        old = sorted(self.folder.glob(f"{name}-*.json"), key=lambda p: p.stat().st_mtime)
        for stale in old[:-KEEP]:
            stale.unlink(missing_ok=True)


class ObjectStateStore:
    """States under `<storage>/sensors/` in the object store, so any daemon host can tick."""

    def __init__(self, fs: Any, prefix: str):
        self.fs = fs
        self.prefix = prefix.rstrip("/")

    def load(self, name: str, key: str) -> dict[str, Any] | None:
        try:
            return json.loads(self.fs.cat_file(f"{self.prefix}/{name}-{key}.json"))
        except FileNotFoundError:
            return None

    def save(self, name: str, key: str, state: dict[str, Any]) -> None:
        self.fs.pipe_file(f"{self.prefix}/{name}-{key}.json", json.dumps(state).encode())
        listed = self.fs.ls(self.prefix, detail=True, refresh=True)
        mine = [i for i in listed if i["name"].rsplit("/", 1)[-1].startswith(f"{name}-")]
        mine.sort(key=lambda i: str(i.get("LastModified", "")))
        for stale in mine[:-KEEP]:
            self.fs.rm_file(stale["name"])


def read_cursor(raw: str | None) -> tuple[str | None, dict[str, Any] | None]:
    """(state digest, or None) and, for a cursor written before states were kept apart,
    the state it held inline."""
    if not raw:
        return None, None
    data = json.loads(raw)
    if isinstance(data, dict) and data.get("v") == 2:
        return str(data.get("state") or "") or None, None
    return None, data if isinstance(data, dict) else None


def write_cursor(key: str, files: int) -> str:
    return json.dumps({"v": 2, "state": key, "files": files}, sort_keys=True)

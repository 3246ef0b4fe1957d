"""What a repair changed in an answer, as the paths of the fields it changed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

# Paths named in one note; a repair that rewrote a whole plan says how many more.
MAX_PATHS = 8


def _paths(before: Any, after: Any, path: str) -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[str] = []
        for key in dict.fromkeys([*before, *after]):
            sub = f"{path}.{key}" if path else str(key)
            out += _paths(before.get(key), after.get(key), sub)
        return out
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return [f"{path} ({len(before)} -> {len(after)} items)"]
        return [
            p
            for i, (b, a) in enumerate(zip(before, after, strict=True))
            for p in _paths(b, a, f"{path}[{i}]")
        ]
    return [] if before == after else [path or "(answer)"]


def changed_fields(before: BaseModel, after: BaseModel) -> list[str]:
    """The fields of `before` that `after` differs in, by path (`sections[2].variant`)."""
    return _paths(before.model_dump(mode="json"), after.model_dump(mode="json"), "")


def change_note(before: BaseModel, after: BaseModel) -> str | None:
    """One repair note naming what changed, or None when nothing did."""
    paths = changed_fields(before, after)
    if not paths:
        return None
    more = len(paths) - MAX_PATHS
    named = ", ".join(paths[:MAX_PATHS]) + (f" and {more} more" if more > 0 else "")
    return f"repair changed {named}"

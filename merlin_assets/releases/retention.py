"""Which releases may be deleted: pure, so its promises are tested over any history."""

from __future__ import annotations

from collections.abc import Iterable

# The default: the last 20 releases of each project are kept.
DEFAULT_KEEP = 20


def to_delete(
    complete: Iterable[str],
    incomplete: Iterable[str],
    *,
    live: str | None,
    protected: Iterable[str] = (),
    keep: int = DEFAULT_KEEP,
) -> list[str]:
    """Releases to delete, oldest first.

    Kept: the newest `keep` complete releases, the live one and every `protected` one (the
    release before the live one, the one live before the last switch: readers that read the
    old pointer are still reading it). Incomplete releases (no manifest: a publish that
    crashed) older than the live one go; newer ones may be a publish still writing.
    """
    complete = sorted(set(complete))
    keep_set = set(complete[-keep:]) if keep > 0 else set()
    keep_set |= {r for r in (live, *protected) if r}
    gone = [r for r in complete if r not in keep_set]
    if live:
        gone += [r for r in set(incomplete) - set(complete) if r < live and r not in keep_set]
    return sorted(gone)

"""Releases as rows: the metadata of a publish, the lines of `merlin history`, and the rows
of the DuckDB `releases` table."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from merlin_assets.releases.manifest import Manifest

if TYPE_CHECKING:
    from merlin_assets.releases.releases import Published, Releases

HAND_EDITS_CHECK = "hand_edits_merged"


def hand_edit_findings(releases: Releases | None, project: str) -> list[str]:
    """One finding per hand-edited page of the live release whose merge conflicted."""
    live = releases.live(project) if releases is not None else None
    if live is None:
        return []
    return [
        f"{e.path}: edited by hand and in conflict with the new version; the hand edit is "
        f"live, the new version is saved as {e.new_path}"
        for e in releases.manifest(project, live).hand_edits
        if e.outcome == "conflict"
    ]


def counts(manifest: Manifest) -> dict[str, int]:
    c = manifest.changes
    return {
        "pages_added": len(c.pages_added),
        "pages_changed": len(c.pages_changed),
        "pages_removed": len(c.pages_removed),
        "images_added": len(c.images_added),
        "images_changed": len(c.images_changed),
        "images_removed": len(c.images_removed),
    }


def release_metadata(published: Published) -> dict[str, Any]:
    """What a `site` materialization says about the release it made live."""
    m = published.manifest
    out: dict[str, Any] = {
        "release": m.release,
        "release_kind": m.kind,
        "release_parent": m.parent or "",
        **counts(m),
        "words_changed": dict(m.changes.words_changed),
        "hand_edits": [e.model_dump(exclude_none=True) for e in m.hand_edits],
        "hand_edit_conflicts": [e.path for e in published.conflicts],
        "releases_deleted": len(published.deleted),
    }
    if m.note:  # what the owner asked for when a page was redone on request
        out["note"] = m.note
    return out


def when(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(stamp)) + "Z"


def history_row(m: Manifest, *, live: str | None, cost: float | None = None) -> dict[str, Any]:
    """One line of `merlin history` (and one object of its `--json`)."""
    return {
        "release": m.release,
        "live": m.release == live,
        "time": when(m.created_at),
        "kind": m.kind,
        "run_id": m.run_id,
        "config_digest": m.config_digest,
        "parent": m.parent,
        "pages": len(m.pages),
        "images": len(m.images),
        **counts(m),
        "words_changed": dict(m.changes.words_changed),
        "hand_edits": [e.model_dump(exclude_none=True) for e in m.hand_edits],
        "cost_usd": m.cost_usd if m.cost_usd is not None else cost,
        "note": m.note,
    }


def table_row(m: Manifest, *, cost: float | None = None) -> dict[str, Any]:
    """One row of the DuckDB `releases` table."""
    return {
        "release": m.release,
        "project": m.project,
        "created_at": m.created_at,
        "kind": m.kind,
        "run_id": m.run_id or "",
        "config_digest": m.config_digest or "",
        "parent": m.parent or "",
        "files": len(m.files),
        "bytes": sum(m.sizes.values()),
        "pages": len(m.pages),
        "images": len(m.images),
        **counts(m),
        "words_changed": sum(m.changes.words_changed.values()),
        "hand_edits": len(m.hand_edits),
        "conflicts": sum(1 for e in m.hand_edits if e.outcome == "conflict"),
        "cost_usd": m.cost_usd if m.cost_usd is not None else cost,
    }


def rollback_metadata(done: Any) -> dict[str, Any]:
    """What a rollback's `site` materialization says."""
    return {
        "release": done.release,
        "rollback": True,
        "replaced": done.previous or "",
        "snapshot": done.snapshot or "",
    }

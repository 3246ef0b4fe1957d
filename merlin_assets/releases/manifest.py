"""What a release records: every file and its SHA-256, where it came from, what changed.

A release is written once and never again; its manifest is written last, so a release
without one is a publish that did not finish (and is never made live).
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RELEASE_RE = re.compile(r"^\d{8}T\d{6}\d{6}Z-[0-9a-f]{8}$")

# How a release came to be: a run's publish, one page or image redone into the live site,
# or the live folder kept as it was (hand edits) before a rollback switched away from it.
Kind = Literal["publish", "items", "snapshot", "edits"]
# What a publish did with a file edited by hand in the live site.
# `replaced`: the file was redone on request, so the new one went live (the edit is kept in the
# snapshot release made just before).
Outcome = Literal["carried", "merged", "conflict", "kept", "replaced"]


# In `Manifest.generated`: a file the owner added by hand, kept in every release since.
NOT_GENERATED = "-"


def new_release_id() -> str:
    """Sorts by time (microseconds, UTC), unique across machines."""
    now = time.time()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f"{int(now % 1 * 1e6):06d}Z"
    return f"{stamp}-{uuid.uuid4().hex[:8]}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_page(rel: str) -> bool:
    return rel.endswith(".html")


def is_image(rel: str) -> bool:
    return rel.startswith("images/")


class HandEdit(BaseModel):
    """A file edited by hand in the live site, and what the publish did with it."""

    model_config = ConfigDict(extra="forbid")

    path: str
    outcome: Outcome
    # On a conflict: where the newly generated file was saved, beside the kept one.
    new_path: str | None = None
    detail: str = ""


class Changes(BaseModel):
    """What a release changed against its parent (the release live when it was made)."""

    model_config = ConfigDict(extra="forbid")

    pages_added: list[str] = Field(default_factory=list)
    pages_changed: list[str] = Field(default_factory=list)
    pages_removed: list[str] = Field(default_factory=list)
    images_added: list[str] = Field(default_factory=list)
    images_changed: list[str] = Field(default_factory=list)
    images_removed: list[str] = Field(default_factory=list)
    other_changed: list[str] = Field(default_factory=list)
    # Words added or removed in each changed page's visible text.
    words_changed: dict[str, int] = Field(default_factory=dict)


class ReleaseInfo(BaseModel):
    """What the caller of a publish knows about it."""

    model_config = ConfigDict(extra="forbid")

    run_id: str | None = None
    config_digest: str | None = None
    kind: Kind = "publish"
    note: str | None = None
    cost_usd: float | None = None


class Manifest(BaseModel):
    """One release. `files` is what was published; `generated` names the files whose
    published bytes are not what the generator made (a hand edit carried or merged in), with
    the SHA-256 of what it made: the base of the next three-way merge."""

    model_config = ConfigDict(extra="forbid")

    release: str
    project: str
    created_at: float
    kind: Kind = "publish"
    run_id: str | None = None
    config_digest: str | None = None
    parent: str | None = None
    note: str | None = None
    cost_usd: float | None = None
    files: dict[str, str]
    sizes: dict[str, int] = Field(default_factory=dict)
    generated: dict[str, str] = Field(default_factory=dict)
    changes: Changes = Field(default_factory=Changes)
    hand_edits: list[HandEdit] = Field(default_factory=list)

    def generated_sha(self, rel: str) -> str | None:
        """What the generator made for `rel` (None: not a generated file)."""
        made = self.generated.get(rel) or self.files.get(rel)
        return None if made == NOT_GENERATED or rel in self.beside else made

    @property
    def beside(self) -> set[str]:
        """New files saved beside a conflicting hand edit: neither generated nor edited."""
        return {e.new_path for e in self.hand_edits if e.new_path}

    @property
    def pages(self) -> list[str]:
        return sorted(r for r in self.files if is_page(r))

    @property
    def images(self) -> list[str]:
        return sorted(r for r in self.files if is_image(r))

    def to_bytes(self) -> bytes:
        return self.model_dump_json(indent=1).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        return cls.model_validate_json(data)

"""One release model over either backend: publish, rollback, retention and hand edits.

A publish writes a new release whole (site files, then the generated originals of files a
hand edit changed, then the manifest), switches the live site to it in one step, and only
then deletes releases past retention.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from merlin_assets.releases import retention
from merlin_assets.releases.backends import GENERATED, RELEASES, Backend, check_rel
from merlin_assets.releases.changes import compare, words_changed
from merlin_assets.releases.manifest import (
    NOT_GENERATED,
    HandEdit,
    Manifest,
    ReleaseInfo,
    new_release_id,
    sha256,
)
from merlin_assets.releases.merge import merge

# A site file is the path of a file to copy or the bytes to write.
SiteFiles = Mapping[str, Path | bytes | str]
# Saved beside a hand-edited file when the new one could not be merged into it.
CONFLICT_SUFFIX = ".new"


def as_bytes(source: Path | bytes | str) -> bytes:
    if isinstance(source, Path):
        return source.read_bytes()
    return source.encode() if isinstance(source, str) else source


class ReleaseError(ValueError):
    """A release that does not exist, or a project with none."""


@dataclass(frozen=True)
class LiveEdit:
    """A file in the live folder that is not what the generator made for it."""

    path: str
    # edited: differs from what was generated; added: not a site file at all.
    what: str
    # Edited since the last publish (else carried in by a publish from an earlier edit).
    since_publish: bool
    words_changed: int | None = None


@dataclass
class Published:
    manifest: Manifest
    deleted: list[str] = field(default_factory=list)

    @property
    def release(self) -> str:
        return self.manifest.release

    @property
    def conflicts(self) -> list[HandEdit]:
        return [e for e in self.manifest.hand_edits if e.outcome == "conflict"]


@dataclass
class RolledBack:
    release: str
    previous: str | None
    # The live folder's hand edits, kept as a release of their own before the switch.
    snapshot: str | None = None


class Releases:
    """Every publish of every project kept as a release; the live one switched atomically."""

    def __init__(self, backend: Backend, *, keep: int = retention.DEFAULT_KEEP):
        self.backend = backend
        self.keep = keep

    # --- reading ------------------------------------------------------------------------

    def live(self, project: str) -> str | None:
        pointer = self.backend.pointer(project)
        return pointer["release"] if pointer else None

    def manifest(self, project: str, release: str) -> Manifest:
        data = self.backend.manifest(project, release)
        if data is None:
            raise ReleaseError(f"'{project}' has no release {release}")
        return Manifest.from_bytes(data)

    def manifests(self, project: str) -> list[Manifest]:
        """Every complete release, oldest first."""
        found = self.backend.manifests(project)
        return [Manifest.from_bytes(found[r]) for r in sorted(found)]

    def read(self, project: str, release: str, rel: str) -> bytes:
        return self.backend.get(project, RELEASES, release, rel)

    def read_generated(self, manifest: Manifest, rel: str) -> bytes:
        """What the generator made for `rel` in that release (the base of a merge)."""
        area = GENERATED if rel in manifest.generated else RELEASES
        return self.backend.get(manifest.project, area, manifest.release, rel)

    def resolve(self, project: str, name: str | None, *, default: str = "live") -> str:
        """A release named in full, by a unique prefix, `live` or `previous`."""
        ids = sorted(self.backend.manifests(project))
        if not ids:
            raise ReleaseError(f"'{project}' has no releases")
        live = self.live(project)
        name = name or default
        if name == "live":
            if live is None:
                raise ReleaseError(f"'{project}' has no live release")
            return live
        if name == "previous":
            return self.previous(project, ids)
        matches = [r for r in ids if r.startswith(name)]
        if len(matches) != 1:
            shown = ", ".join(ids[-5:])
            what = "matches no release" if not matches else "matches several releases"
            raise ReleaseError(f"'{name}' {what} of '{project}' (latest: {shown})")
        return matches[0]

    def previous(self, project: str, ids: list[str] | None = None) -> str:
        """The release before the live one."""
        live = self.live(project)
        if live is None:
            raise ReleaseError(f"'{project}' has no live release")
        return self.before(project, live, ids)

    def before(self, project: str, release: str, ids: list[str] | None = None) -> str:
        """The release before this one: its parent when that is kept, else the newest
        complete release older than it."""
        ids = ids if ids is not None else sorted(self.backend.manifests(project))
        parent = self.manifest(project, release).parent
        if parent in ids:
            return parent
        older = [r for r in ids if r < release]
        if not older:
            raise ReleaseError(f"'{project}' has no release before {release}")
        return older[-1]

    # --- hand edits -----------------------------------------------------------------------

    def _live_files(self, project: str) -> dict[str, Path]:
        folder = self.backend.live_folder(project)
        if folder is None:
            return {}
        out = {}
        for path in folder.rglob("*"):
            # Regular files only: a symlink in the live folder is never followed.
            if path.is_file() and not path.is_symlink():
                rel = path.relative_to(folder).as_posix()
                # Hidden names count (`.well-known/` is a site's); an editor's swap or temp file
                # does not.
                if not (path.name.startswith(".") and path.name.endswith((".tmp", ".swp"))):
                    out[rel] = path
        return out

    def hand_edits(self, project: str) -> list[LiveEdit]:
        """Files of the live folder that are not what the generator made: edited by hand
        since the last publish, or carried from an earlier edit by a publish."""
        live = self.live(project)
        if live is None:
            return []
        manifest = self.manifest(project, live)
        edits = []
        for rel, path in sorted(self._live_files(project).items()):
            data = path.read_bytes()
            digest = sha256(data)
            made = manifest.generated_sha(rel)
            if rel in manifest.beside:
                continue
            if made is None:
                edits.append(LiveEdit(rel, "added", digest != manifest.files.get(rel)))
                continue
            if digest == made:
                continue
            count = None
            if rel.endswith(".html"):
                count = words_changed(self.read_generated(manifest, rel), data)
            edits.append(LiveEdit(rel, "edited", digest != manifest.files.get(rel), count))
        return edits

    def _carry_edits(
        self,
        project: str,
        live: Manifest | None,
        new: dict[str, bytes],
        redone: frozenset[str] = frozenset(),
    ) -> tuple[dict[str, bytes], dict[str, str], list[HandEdit]]:
        """The files to publish: the new generated ones with every hand edit of the live
        folder carried in. Returns them, the generated SHA-256 of files that differ from
        what was generated, and what happened to each edit."""
        if live is None:
            return dict(new), {}, []
        published = dict(new)
        generated: dict[str, str] = {}
        outcomes: list[HandEdit] = []
        live_files = self._live_files(project)
        for edit in self.hand_edits(project):
            ours = live_files[edit.path].read_bytes()
            theirs = new.get(edit.path)
            if edit.path in redone:
                outcomes.append(HandEdit(path=edit.path, outcome="replaced"))
                continue
            if theirs is None:
                # A file the owner added, or one the generator no longer makes: it stays.
                published[edit.path] = ours
                generated[edit.path] = NOT_GENERATED
                detail = "added by hand" if edit.what == "added" else "no longer generated"
                outcomes.append(HandEdit(path=edit.path, outcome="kept", detail=detail))
                continue
            # A file added by hand that the generator now makes too merges from nothing.
            base = b"" if edit.what == "added" else self.read_generated(live, edit.path)
            merged = merge(edit.path, base, ours, theirs)
            generated[edit.path] = sha256(theirs)
            if merged.data is not None:
                published[edit.path] = merged.data
                outcome = "carried" if theirs == base else "merged"
                outcomes.append(HandEdit(path=edit.path, outcome=outcome))
                continue
            # A conflict: the hand edit stays live, the new file is saved beside it.
            published[edit.path] = ours
            beside = edit.path + CONFLICT_SUFFIX
            published[beside] = theirs
            outcomes.append(
                HandEdit(
                    path=edit.path,
                    outcome="conflict",
                    new_path=beside,
                    detail=f"{merged.conflicts} conflicting region(s)",
                )
            )
        generated = {
            r: s for r, s in generated.items() if s == NOT_GENERATED or sha256(published[r]) != s
        }
        return published, generated, outcomes

    # --- writing --------------------------------------------------------------------------

    def publish(
        self,
        project: str,
        files: SiteFiles,
        info: ReleaseInfo | None = None,
        *,
        redone: frozenset[str] = frozenset(),
    ) -> Published:
        """Write `files` (as generated) as a new release with the live folder's hand edits
        carried in, make it live, and apply retention. Files in `redone` were asked for
        again by name: the new one goes live even over a hand edit."""
        new = self._checked(project, files)
        with self.backend.writing(project):
            return self._publish(project, new, info or ReleaseInfo(), redone)

    def _checked(self, project: str, files: SiteFiles) -> dict[str, bytes]:
        """The files as bytes; a project or file name that would leave its folder is refused
        before anything is written."""
        self.backend.check(project)
        new = {rel: as_bytes(source) for rel, source in files.items()}
        for rel in new:
            check_rel(rel)
        return new

    def _publish(
        self, project: str, new: dict[str, bytes], info: ReleaseInfo, redone: frozenset[str]
    ) -> Published:
        live_id = self.live(project)
        live = self.manifest(project, live_id) if live_id else None
        published, generated, outcomes = self._carry_edits(project, live, new, redone)
        originals = {r: new[r] for r, s in generated.items() if s != NOT_GENERATED}
        return self._release(project, published, originals, generated, outcomes, live, info)

    def publish_items(
        self, project: str, files: SiteFiles, info: ReleaseInfo | None = None
    ) -> Published | None:
        """A new release of the live one with some files redone; None with no live site."""
        with self.backend.writing(project):
            return self._publish_items(project, files, info)

    def _publish_items(
        self, project: str, files: SiteFiles, info: ReleaseInfo | None
    ) -> Published | None:
        live_id = self.live(project)
        if live_id is None:
            return None
        redone = frozenset(files)
        if any(e.since_publish and e.path in redone for e in self.hand_edits(project)):
            # Redone on request over a hand edit: the edit is kept as a release of its own.
            live_id = self._snapshot(project, live_id)
        live = self.manifest(project, live_id)
        # What the generator made last time: files added by hand and new files saved beside
        # a conflict are not, and come back as hand edits or from the merge.
        made = [rel for rel in live.files if live.generated_sha(rel) is not None]
        base = {rel: self.read_generated(live, rel) for rel in made}
        base.update({rel: as_bytes(source) for rel, source in files.items()})
        info = (info or ReleaseInfo()).model_copy(update={"kind": "items"})
        return self._publish(project, self._checked(project, base), info, redone)

    def _release(
        self,
        project: str,
        published: dict[str, bytes],
        originals: dict[str, bytes],
        generated: dict[str, str],
        outcomes: list[HandEdit],
        parent: Manifest | None,
        info: ReleaseInfo,
    ) -> Published:
        release = new_release_id()
        try:
            self.backend.put(project, RELEASES, release, published)
            if originals:
                self.backend.put(project, GENERATED, release, originals)
        except BaseException:
            self.backend.delete(project, release)
            raise
        files = {rel: sha256(data) for rel, data in published.items()}
        changes = None
        if parent is not None:
            changes = compare(
                parent.files,
                files,
                lambda rel: self.read(project, parent.release, rel),
                lambda rel: published[rel],
            )
        manifest = Manifest(
            release=release,
            project=project,
            created_at=time.time(),
            kind=info.kind,
            run_id=info.run_id,
            config_digest=info.config_digest,
            parent=parent.release if parent else None,
            note=info.note,
            cost_usd=info.cost_usd,
            files=files,
            sizes={rel: len(data) for rel, data in published.items()},
            generated=generated,
            hand_edits=outcomes,
            **({"changes": changes} if changes is not None else {}),
        )
        self.backend.put_manifest(project, release, manifest.to_bytes())
        self.backend.switch(project, release, files)
        return Published(manifest, self.collect(project))

    def rollback(self, project: str, release: str | None = None) -> RolledBack:
        """Make an earlier release live in one step (default: the one before the live one).

        Hand edits in the live folder since the last publish are first kept as a release
        of their own, so a rollback never loses them (roll forward to it to get them back).
        """
        with self.backend.writing(project):
            return self._rollback(project, release)

    def _rollback(self, project: str, release: str | None) -> RolledBack:
        target = self.resolve(project, release, default="previous")
        live_id = self.live(project)
        snapshot = None
        if live_id is not None and any(e.since_publish for e in self.hand_edits(project)):
            snapshot = self._snapshot(project, live_id)
            live_id = snapshot
        manifest = self.manifest(project, target)
        self.backend.switch(project, target, manifest.files)
        self.collect(project)
        return RolledBack(target, live_id, snapshot)

    def _snapshot(self, project: str, live_id: str) -> str:
        """The live folder as it is, as a release whose generated files are the live
        release's: its edits stay hand edits, carried by the next publish."""
        live = self.manifest(project, live_id)
        current = {rel: p.read_bytes() for rel, p in self._live_files(project).items()}
        originals = {}
        generated = {}
        for rel, data in current.items():
            made = live.generated_sha(rel)
            if rel in live.beside:
                continue
            if made is None:
                generated[rel] = NOT_GENERATED
            elif made != sha256(data):
                originals[rel] = self.read_generated(live, rel)
                generated[rel] = made
        info = ReleaseInfo(kind="snapshot", note="hand edits kept before a rollback")
        published = self._release(project, current, originals, generated, [], live, info)
        return published.release

    def collect(self, project: str) -> list[str]:
        """Delete releases past retention; never the live one or the one before it."""
        pointer = self.backend.pointer(project) or {}
        live = pointer.get("release")
        complete = self.backend.manifests(project)
        protected = [pointer.get("previous")]
        if live in complete:
            protected.append(Manifest.from_bytes(complete[live]).parent)
        gone = retention.to_delete(
            complete,
            self.backend.release_ids(project),
            live=live,
            protected=[p for p in protected if p],
            keep=self.keep,
        )
        for release in gone:
            self.backend.delete(project, release)
        return gone

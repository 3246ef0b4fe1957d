"""Where releases live: one model, two places.

Under a project's release root, in both places:

    releases/<id>/...       the site as published, never written again
    generated/<id>/...      what the generator made, for files a hand edit changed
    manifests/<id>.json     written last: a release without one never went live

The live site is named differently in each. In the local folder it is `sites/<project>/`, a
copy of the live release swapped in with one `renameat2(RENAME_EXCHANGE)`, and the pointer
file `.releases/<project>/LIVE` says which release that copy is. A copy, not a symlink: the
owner edits `sites/<project>/about.html` by hand, and that must not change the release (it is
the base of the next merge). In the object store the live site is the release prefix itself,
named by one PUT of `<project>/LIVE` (S3 has no rename).
"""

from __future__ import annotations

import abc
import contextlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from filelock import FileLock

from merlin_assets import paths
from merlin_assets.config.project import PROJECT_ID_RE
from merlin_assets.releases.manifest import RELEASE_RE

POINTER = "LIVE"
# Beside the pointer: held by whoever is publishing the project (`FolderBackend.writing`).
LOCK = "publish.lock"
RELEASES, GENERATED, MANIFESTS = "releases", "generated", "manifests"


def check_rel(rel: str) -> list[str]:
    """A site file's path parts, refusing names that would leave the release."""
    parts = rel.split("/")
    for part in parts:
        if not part or "\x00" in part or part in {".", ".."} or "\\" in part:
            raise paths.UnsafePathError(f"unsafe site file name {rel!r}")
    return parts


def _check_project(project: str) -> str:
    if not PROJECT_ID_RE.fullmatch(project):
        raise paths.UnsafePathError(f"project id {project!r} is not a safe folder name")
    return project


def _check_release(release: str) -> str:
    if not RELEASE_RE.fullmatch(release):
        raise ValueError(f"{release!r} is not a release id")
    return release


def _write_order(rel: str) -> int:
    """Within a batch: what pages link to first, then pages, the sitemap last."""
    if rel == "sitemap.xml":
        return 2
    return 1 if rel.endswith(".html") else 0


class Backend(abc.ABC):
    """The storage under the release model: objects under a project's release root, the live
    pointer and the switch."""

    @abc.abstractmethod
    def put(self, project: str, area: str, release: str, files: Mapping[str, bytes]) -> None:
        """Write files of one release into `area` (releases or generated)."""

    @abc.abstractmethod
    def get(self, project: str, area: str, release: str, rel: str) -> bytes:
        """One file of a release (FileNotFoundError when absent)."""

    @abc.abstractmethod
    def put_manifest(self, project: str, release: str, data: bytes) -> None: ...

    @abc.abstractmethod
    def manifest(self, project: str, release: str) -> bytes | None: ...

    @abc.abstractmethod
    def manifests(self, project: str) -> dict[str, bytes]:
        """Every manifest of the project by release id."""

    @abc.abstractmethod
    def release_ids(self, project: str) -> list[str]:
        """Every release present, complete or not, oldest first."""

    @abc.abstractmethod
    def pointer(self, project: str) -> dict | None:
        """`{"release": id, "previous": id or None, ...}`, None before the first publish."""

    @abc.abstractmethod
    def switch(self, project: str, release: str, files: Iterable[str]) -> None:
        """Make a complete release live in one step a reader cannot see half of."""

    @abc.abstractmethod
    def delete(self, project: str, release: str) -> None: ...

    def live_folder(self, project: str) -> Path | None:
        """The live site as a local folder a person can edit; None where there is none."""
        return None

    def check(self, project: str) -> None:
        """Refuse, before anything is written, a project whose site could not go live."""
        _check_project(project)

    def writing(self, project: str) -> contextlib.AbstractContextManager:
        """Held from reading the live release to switching to the new one, so that two
        writers of one project take turns. The object store has none: its writers are runs,
        which the run queue keeps to one per project (`dagster.yaml`)."""
        return contextlib.nullcontext()

    @abc.abstractmethod
    def location(self, project: str) -> str: ...


class FolderBackend(Backend):
    """Releases under `sites_root/.releases/<project>/`, the live copy at `sites_root/<p>/`."""

    def __init__(self, sites_root: Path):
        self.sites_root = Path(sites_root)

    def _root(self, project: str) -> Path:
        return paths.safe_child(self.sites_root, ".releases", _check_project(project))

    def _dir(self, project: str, area: str, release: str) -> Path:
        return paths.safe_child(self._root(project), area, _check_release(release))

    def location(self, project: str) -> str:
        return str(paths.site_dir(self.sites_root, project))

    def live_folder(self, project: str) -> Path | None:
        live = paths.site_dir(self.sites_root, project)
        return live if live.is_dir() else None

    def check(self, project: str) -> None:
        paths.site_dir(self.sites_root, project)
        paths.safe_child(self.sites_root, ".staging")
        self._root(project)

    def writing(self, project: str) -> contextlib.AbstractContextManager:
        # Writers of one site in different processes: a run's publish, an edits file applied
        # in the sensor's tick, `merlin regenerate` (not a run), `merlin rollback`. Without
        # it, two that read the same live release each switched to their own child of it,
        # and the first one's change was no longer live.
        root = self._root(project)
        root.mkdir(parents=True, exist_ok=True)
        return FileLock(str(root / LOCK))

    def put(self, project: str, area: str, release: str, files: Mapping[str, bytes]) -> None:
        folder = self._dir(project, area, release)
        for rel, data in files.items():
            target = paths.safe_child(folder, *check_rel(rel))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def get(self, project: str, area: str, release: str, rel: str) -> bytes:
        return paths.safe_child(self._dir(project, area, release), *check_rel(rel)).read_bytes()

    def _manifest_path(self, project: str, release: str) -> Path:
        return paths.safe_child(self._root(project), MANIFESTS, f"{_check_release(release)}.json")

    def put_manifest(self, project: str, release: str, data: bytes) -> None:
        paths.write_atomic(self._manifest_path(project, release), data)

    def manifest(self, project: str, release: str) -> bytes | None:
        try:
            return self._manifest_path(project, release).read_bytes()
        except FileNotFoundError:
            return None

    def manifests(self, project: str) -> dict[str, bytes]:
        folder = self._root(project) / MANIFESTS
        if not folder.is_dir():
            return {}
        out = {}
        for entry in os.scandir(folder):
            name = entry.name.removesuffix(".json")
            if entry.name.endswith(".json") and RELEASE_RE.fullmatch(name):
                with contextlib.suppress(FileNotFoundError):  # deleted by a publish meanwhile
                    out[name] = Path(entry.path).read_bytes()
        return out

    def release_ids(self, project: str) -> list[str]:
        folder = self._root(project) / RELEASES
        if not folder.is_dir():
            return []
        return sorted(e.name for e in os.scandir(folder) if RELEASE_RE.fullmatch(e.name))

    def pointer(self, project: str) -> dict | None:
        try:
            return json.loads(paths.safe_child(self._root(project), POINTER).read_bytes())
        except FileNotFoundError:
            return None

    def switch(self, project: str, release: str, files: Iterable[str]) -> None:
        source = self._dir(project, RELEASES, release)
        staged = paths.staging_dir(self.sites_root, project)
        try:
            for rel in files:
                target = paths.safe_child(staged, *check_rel(rel))
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(paths.safe_child(source, *check_rel(rel)), target)
            previous = self.pointer(project)
            # The site swapped out is kept until the next switch, so a reader that opened the
            # old folder finishes reading the site it started on (the object store keeps the
            # previous release for the same reason).
            retired = paths.safe_child(self._root(project), "retired")
            shutil.rmtree(retired, ignore_errors=True)
            paths.publish(staged, self.sites_root, project, retire_to=retired)
        except BaseException:
            paths.discard(staged)
            raise
        # After the swap: a crash between the two leaves the pointer one release behind the
        # folder, which the next publish reads as hand edits (merged, never lost).
        pointer = {"release": release, "previous": previous["release"] if previous else None}
        paths.write_atomic(
            paths.safe_child(self._root(project), POINTER), json.dumps(pointer).encode()
        )

    def delete(self, project: str, release: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._manifest_path(project, release).unlink()
        for area in (RELEASES, GENERATED):
            shutil.rmtree(self._dir(project, area, release), ignore_errors=True)


class ObjectBackend(Backend):
    """Releases under `root/<project>/` in a bucket (s3fs naming, `bucket/prefix`), switched by
    one PUT of `LIVE`: S3 reads are strongly consistent after a write, so a reader that reads
    the pointer and then the release sees one complete site."""

    def __init__(self, fs, root: str, protocol: str = "s3"):
        self.fs = fs
        self.root = root.strip("/")
        self.protocol = protocol

    def site(self, project: str) -> str:
        return f"{self.root}/{_check_project(project)}"

    def prefix(self, project: str, area: str, release: str) -> str:
        return f"{self.site(project)}/{area}/{_check_release(release)}"

    def location(self, project: str) -> str:
        return f"{self.protocol}://{self.site(project)}"

    def put(self, project: str, area: str, release: str, files: Mapping[str, bytes]) -> None:
        """Write in order: each batch is complete before the next begins, so within a
        release pages are never there before what they link to."""
        prefix = self.prefix(project, area, release)
        batches: dict[int, dict[str, bytes]] = {}
        for rel, data in files.items():
            key = f"{prefix}/{'/'.join(check_rel(rel))}"
            batches.setdefault(_write_order(rel), {})[key] = data
        for order in sorted(batches):
            self.fs.pipe(batches[order])  # concurrent PUTs within a batch

    def get(self, project: str, area: str, release: str, rel: str) -> bytes:
        key = f"{self.prefix(project, area, release)}/{'/'.join(check_rel(rel))}"
        return self.fs.cat_file(key)

    def _manifest_key(self, project: str, release: str) -> str:
        return f"{self.site(project)}/{MANIFESTS}/{_check_release(release)}.json"

    def put_manifest(self, project: str, release: str, data: bytes) -> None:
        self.fs.pipe_file(self._manifest_key(project, release), data)

    def manifest(self, project: str, release: str) -> bytes | None:
        try:
            return self.fs.cat_file(self._manifest_key(project, release))
        except FileNotFoundError:
            return None

    def manifests(self, project: str) -> dict[str, bytes]:
        try:
            keys = self.fs.find(f"{self.site(project)}/{MANIFESTS}")
        except FileNotFoundError:
            return {}
        wanted = {
            k: k.rsplit("/", 1)[-1].removesuffix(".json")
            for k in keys
            if RELEASE_RE.fullmatch(k.rsplit("/", 1)[-1].removesuffix(".json"))
        }
        if not wanted:
            return {}
        found = self.fs.cat(list(wanted), on_error="omit")
        return {wanted[k]: v for k, v in found.items()}

    def release_ids(self, project: str) -> list[str]:
        try:
            entries = self.fs.ls(f"{self.site(project)}/{RELEASES}", detail=False)
        except FileNotFoundError:
            return []
        names = (e.rstrip("/").rsplit("/", 1)[-1] for e in entries)
        return sorted(n for n in names if RELEASE_RE.fullmatch(n))

    def pointer(self, project: str) -> dict | None:
        try:
            return json.loads(self.fs.cat_file(f"{self.site(project)}/{POINTER}"))
        except FileNotFoundError:
            return None

    def switch(self, project: str, release: str, files: Iterable[str]) -> None:
        previous = self.pointer(project)
        pointer = {
            "release": release,
            "files": sorted(files),
            "previous": previous["release"] if previous else None,
        }
        # The switch: one PUT, after every object of the release exists.
        self.fs.pipe_file(f"{self.site(project)}/{POINTER}", json.dumps(pointer).encode())

    def delete(self, project: str, release: str) -> None:
        # The manifest first: a release half deleted is an incomplete one, never listed.
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(self._manifest_key(project, release))
        keys: list[str] = []
        for area in (RELEASES, GENERATED):
            with contextlib.suppress(FileNotFoundError):
                keys += list(self.fs.find(self.prefix(project, area, release)))
        if keys:
            self.fs.rm(keys)

"""Publishing sites to object storage (S3 and compatible stores).

S3 has no rename and no multi-object transaction: the only step a reader sees happen at once
is one PUT of one object. Two ways to publish were on the table:

* Write in place, ordered: new images and assets first, then HTML pages, the sitemap last,
  then delete what the new site no longer has. Every object is whole, but a reader sees a mix
  of old and new pages while it runs, and deleting pages that are gone races with readers:
  two removed pages link to each other (every page's nav does), one is deleted first, and a
  reader holding the other sees a dead link. The contract of `Publisher.publish` ("the
  previous site whole until the new one is whole") cannot be met that way.
* Release prefixes and a pointer (chosen): every publish writes the whole site under a new
  `releases/<id>/` prefix that is never written again, and only when every object of it is in
  place does one PUT of the pointer `LIVE` name it. S3 reads are strongly consistent after a
  write, so a reader that reads `LIVE` and then the release sees one complete site: the old
  one before the PUT, the new one after. Releases older than the previous one are deleted
  after the switch; the previous release is kept (`keep_previous=1`) so a reader that read
  `LIVE` just before the switch can finish reading the site it started on. Releases a crashed
  publish left half-written are never named by `LIVE` and are deleted by the next publish.

Serving: a static host or CDN serves `<site>/releases/<id>/` (e.g. by updating the origin path
after `publish`), or a small proxy resolves `LIVE` per request. `live_url()` gives the prefix.

Layout under `root` (`bucket/prefix/sites`):

    <project>/LIVE                       {"release": "<id>", "files": [...]}
    <project>/releases/<id>/index.html   one complete site per publish
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from merlin_assets.config.project import PROJECT_ID_RE
from merlin_assets.paths import UnsafePathError
from merlin_assets.storage.publishing import Publisher, SiteFiles

POINTER = "LIVE"
RELEASES = "releases"
_RELEASE_RE = re.compile(r"^\d{8}T\d{6}\d{6}Z-[0-9a-f]{8}$")


def _data(source: Path | bytes | str) -> bytes:
    if isinstance(source, Path):
        return source.read_bytes()
    return source.encode() if isinstance(source, str) else source


def _check_rel(rel: str) -> str:
    parts = rel.split("/")
    for part in parts:
        if not part or "\x00" in part or part in {".", ".."} or "\\" in part:
            raise UnsafePathError(f"unsafe site file name {rel!r}")
    return "/".join(parts)


def _write_order(rel: str) -> int:
    """Within a batch: what pages link to first, then pages, the sitemap last."""
    if rel == "sitemap.xml":
        return 2
    return 1 if rel.endswith(".html") else 0


def new_release_id() -> str:
    """Sorts by time (microseconds, UTC), unique across machines."""
    now = time.time()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f"{int(now % 1 * 1e6):06d}Z"
    return f"{stamp}-{uuid.uuid4().hex[:8]}"


class ObjectStorePublisher(Publisher):
    """Sites under `root/<project>/` in a bucket, switched by one PUT of a pointer.

    Args:
        fs: An fsspec filesystem (`merlin_assets.storage.filesystem`), listings not cached.
        root: `bucket/prefix` (s3fs naming) under which each project's site lives.
        keep_previous: How many releases before the live one to keep for readers in flight.
    """

    def __init__(self, fs, root: str, *, keep_previous: int = 1, protocol: str = "s3"):
        self.fs = fs
        self.root = root.strip("/")
        self.keep_previous = max(0, keep_previous)
        self.protocol = protocol

    # --- naming ---------------------------------------------------------------------------

    def _site(self, project_id: str) -> str:
        if not PROJECT_ID_RE.fullmatch(project_id):
            raise UnsafePathError(f"project id {project_id!r} is not a safe folder name")
        return f"{self.root}/{project_id}"

    def _release(self, project_id: str, release: str) -> str:
        return f"{self._site(project_id)}/{RELEASES}/{release}"

    def location(self, project_id: str) -> str:
        return f"{self.protocol}://{self._site(project_id)}"

    def live(self, project_id: str) -> dict | None:
        """The pointer: `{"release": id, "files": [...]}`, or None before the first publish."""
        try:
            return json.loads(self.fs.cat_file(f"{self._site(project_id)}/{POINTER}"))
        except FileNotFoundError:
            return None

    def live_url(self, project_id: str) -> str | None:
        """The prefix of the live release (what a static host should serve), or None."""
        pointer = self.live(project_id)
        if pointer is None:
            return None
        return f"{self.protocol}://{self._release(project_id, pointer['release'])}"

    def releases(self, project_id: str) -> list[str]:
        """Every release prefix present, oldest first (complete or not)."""
        try:
            entries = self.fs.ls(f"{self._site(project_id)}/{RELEASES}", detail=False)
        except FileNotFoundError:
            return []
        names = (e.rstrip("/").rsplit("/", 1)[-1] for e in entries)
        return sorted(n for n in names if _RELEASE_RE.match(n))

    # --- writing --------------------------------------------------------------------------

    def _put(self, prefix: str, files: SiteFiles) -> None:
        """Write `files` under `prefix` in write order: each batch is complete before the
        next begins, so within a release pages are never there before what they link to."""
        batches: dict[int, dict[str, bytes]] = {}
        for rel, source in files.items():
            batches.setdefault(_write_order(rel), {})[f"{prefix}/{_check_rel(rel)}"] = _data(source)
        for order in sorted(batches):
            self.fs.pipe(batches[order])  # concurrent PUTs within a batch

    def publish(self, project_id: str, files: SiteFiles) -> str:
        site = self._site(project_id)
        release = new_release_id()
        prefix = self._release(project_id, release)
        previous = self.live(project_id)
        try:
            self._put(prefix, files)
        except BaseException:
            self._delete_prefixes([prefix])
            raise
        pointer = {"release": release, "files": sorted(files)}
        # The switch: one PUT, after every object of the release exists.
        self.fs.pipe_file(f"{site}/{POINTER}", json.dumps(pointer).encode())
        self._collect(project_id, release, previous)
        return self.location(project_id)

    def _collect(self, project_id: str, live: str, previous: dict | None) -> None:
        """Delete releases older than the live one, except the `keep_previous` newest of them.

        Newer releases than the live one belong to a publish still running elsewhere and are
        left alone; a crashed publish's half release is older and goes.
        """
        older = [r for r in self.releases(project_id) if r < live]
        # The release that was live just before the switch is kept first: readers that read
        # the old pointer are reading it.
        keep: list[str] = []
        if previous and previous.get("release") in older:
            keep.append(previous["release"])
        for r in reversed(older):
            if len(keep) >= self.keep_previous:
                break
            if r not in keep:
                keep.append(r)
        keep = keep[: self.keep_previous]
        stale = [r for r in older if r not in keep]
        self._delete_prefixes([self._release(project_id, r) for r in stale])

    def _delete_prefixes(self, prefixes: Iterable[str]) -> None:
        for prefix in prefixes:
            keys = list(self.fs.find(prefix))
            if keys:
                self.fs.rm(keys)

    def replace_files(self, project_id: str, files: SiteFiles) -> None:
        """Swap files into the live release, each one PUT (whole, never half); pages after
        what they link to. No-op with no live site."""
        pointer = self.live(project_id)
        if pointer is None:
            return
        self._put(self._release(project_id, pointer["release"]), files)
        added = set(files) - set(pointer.get("files", []))
        if added:
            # Same release, a longer list: readers of the pointer see the same site.
            pointer = {**pointer, "files": sorted({*pointer.get("files", []), *added})}
            self.fs.pipe_file(f"{self._site(project_id)}/{POINTER}", json.dumps(pointer).encode())

    # --- reading --------------------------------------------------------------------------

    def download(self, project_id: str, dest: Path) -> Path | None:
        """Copy the live site into `dest` (e.g. for the quality assessment, which reads a
        folder); None with no live site."""
        pointer = self.live(project_id)
        if pointer is None:
            return None
        prefix = self._release(project_id, pointer["release"])
        dest = Path(dest)
        dest.mkdir(parents=True, exist_ok=True)
        keys = [f"{prefix}/{_check_rel(rel)}" for rel in pointer["files"]]
        locals_ = [str(dest.joinpath(*rel.split("/"))) for rel in pointer["files"]]
        for path in locals_:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if keys:
            self.fs.get(keys, locals_)
        return dest

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
  place (its manifest last) does one PUT of the pointer `LIVE` name it. This is the release
  model of `merlin_assets.releases` over its object backend, the same model as the local
  folder's. S3 reads are strongly consistent after a
  write, so a reader that reads `LIVE` and then the release sees one complete site: the old
  one before the PUT, the new one after. The last `keep` releases are kept (20 by default);
  the live one and the one before it never go, so a reader that read `LIVE` just before the
  switch can finish reading the site it started on. Releases a crashed publish left
  half-written are never named by `LIVE` and are deleted by the next publish.

Serving: a static host or CDN serves `<site>/releases/<id>/` (e.g. by updating the origin path
after `publish`), or a small proxy resolves `LIVE` per request. `live_url()` gives the prefix.

Layout under `root` (`bucket/prefix/sites`):

    <project>/LIVE                       {"release": "<id>", "files": [...], "previous": ...}
    <project>/releases/<id>/index.html   one complete site per publish
    <project>/manifests/<id>.json        what the release holds (`releases.manifest`)
"""

from __future__ import annotations

from pathlib import Path

from merlin_assets.releases import retention
from merlin_assets.releases.backends import POINTER, RELEASES, ObjectBackend, check_rel
from merlin_assets.releases.manifest import new_release_id
from merlin_assets.releases.releases import Releases
from merlin_assets.storage.publishing import ReleasePublisher

__all__ = ["POINTER", "RELEASES", "ObjectStorePublisher", "new_release_id"]


class ObjectStorePublisher(ReleasePublisher):
    """Sites under `root/<project>/` in a bucket, switched by one PUT of a pointer.

    Args:
        fs: An fsspec filesystem (`merlin_assets.storage.filesystem`), listings not cached.
        root: `bucket/prefix` (s3fs naming) under which each project's site lives.
        keep: How many releases to keep; the live one and the one before it always stay.
    """

    def __init__(self, fs, root: str, *, keep: int = retention.DEFAULT_KEEP, protocol: str = "s3"):
        self.fs = fs
        self.backend = ObjectBackend(fs, root, protocol)
        self.root = self.backend.root
        self.protocol = protocol
        self.release_store = Releases(self.backend, keep=keep)

    def location(self, project_id: str) -> str:
        return self.backend.location(project_id)

    def live(self, project_id: str) -> dict | None:
        """The pointer: `{"release": id, "files": [...]}`, or None before the first publish."""
        return self.backend.pointer(project_id)

    def live_url(self, project_id: str) -> str | None:
        """The prefix of the live release (what a static host should serve), or None."""
        pointer = self.live(project_id)
        if pointer is None:
            return None
        return f"{self.protocol}://{self.backend.prefix(project_id, RELEASES, pointer['release'])}"

    def releases(self, project_id: str) -> list[str]:
        """Every release prefix present, oldest first (complete or not)."""
        return self.backend.release_ids(project_id)

    def download(self, project_id: str, dest: Path) -> Path | None:
        """Copy the live site into `dest` (e.g. for the quality assessment, which reads a
        folder); None with no live site."""
        pointer = self.live(project_id)
        if pointer is None:
            return None
        prefix = self.backend.prefix(project_id, RELEASES, pointer["release"])
        dest = Path(dest)
        dest.mkdir(parents=True, exist_ok=True)
        keys = [f"{prefix}/{'/'.join(check_rel(rel))}" for rel in pointer["files"]]
        locals_ = [str(dest.joinpath(*rel.split("/"))) for rel in pointer["files"]]
        for path in locals_:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if keys:
            self.fs.get(keys, locals_)
        return dest

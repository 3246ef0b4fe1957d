"""The artifact store on a bucket: a worker keeps nothing that matters on its own disk.

Phase results are one object each (`<root>/<project>/phases/<name>.json`): `save` is one PUT,
which S3 makes visible whole, so no rename is needed; `load` is one GET.

Callers write images, pages and brand files into local folders (`images_dir()` and friends
are `Path`s, and encoders write files there). Here those folders live in a private scratch
directory (a temporary folder, removed with the store) that mirrors `<root>`:

* Up: every item ends with `save_json(<folder>/<record>.json)`, its record. That call writes
  the record, then uploads each file of the folder written since it was last synced, and the
  record last. So a record in the bucket means every file it names is there too: the record
  is the item's commit point, and a worker that dies before it leaves nothing half-made
  that any reader trusts.
* Down: `images_dir()`, `pages_dir()` and `project_dir()` first bring the folder up to date
  from the bucket (one LIST, then a GET for each object that is missing here or changed
  there), so a record written by another worker loads, and the files it names exist.
  A file written here and not yet uploaded is never overwritten by an older copy.

Nothing in the callers changes; the local `ArtifactStore` is untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import uuid
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from merlin_assets.paths import write_atomic
from merlin_assets.storage.local import ArtifactStore, MissingArtifactError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class _Synced:
    """A local file as it was when it last matched the bucket."""

    mtime_ns: int
    size: int
    md5: str


def _md5(path: Path) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _etag(info: dict) -> str:
    return str(info.get("ETag") or info.get("etag") or "").strip('"')


class ObjectArtifactStore(ArtifactStore):
    """`ArtifactStore` on `root` (`bucket/prefix`, s3fs naming), with a local scratch mirror.

    Args:
        fs: An fsspec filesystem for the bucket (`merlin_assets.storage.filesystem`), with
            listings not cached.
        root: Where the projects live, e.g. `bucket/prefix/artifacts`.
        scratch: The local mirror; a temporary folder removed with the store when None.
    """

    def __init__(self, fs, root: str, scratch: Path | None = None):
        self.fs = fs
        self.remote_root = root.strip("/")
        if scratch is None:
            scratch = Path(tempfile.mkdtemp(prefix="merlin-scratch-"))
            self._cleanup = weakref.finalize(self, shutil.rmtree, str(scratch), True)
        super().__init__(Path(scratch).absolute())
        self._synced: dict[Path, _Synced] = {}
        self._lock = threading.Lock()
        # One lock per folder: an upload and a download of the same folder never interleave.
        self._folder_locks: dict[Path, threading.Lock] = {}

    # --- naming ---------------------------------------------------------------------------

    def url(self, project_id: str = "") -> str:
        return f"s3://{self.remote_root}/{project_id}".rstrip("/")

    def _key(self, local: Path) -> str:
        rel = local.relative_to(self.root)  # raises for anything outside the mirror
        return f"{self.remote_root}/{rel.as_posix()}"

    def _local_project(self, project_id: str) -> Path:
        return super().project_dir(project_id)  # validates the id, no sync

    def _phase_path(self, project_id: str, name: str) -> Path:
        path = self._local_project(project_id) / "phases" / f"{name}.json"
        if path.name != f"{name}.json" or "/" in name or name.startswith("."):
            raise ValueError(f"unsafe phase name {name!r}")
        return path

    def _folder_lock(self, folder: Path) -> threading.Lock:
        with self._lock:
            return self._folder_locks.setdefault(folder, threading.Lock())

    # --- phase results: one object each ---------------------------------------------------

    def save(self, project_id: str, name: str, value: BaseModel) -> None:
        key = self._key(self._phase_path(project_id, name))
        self.fs.pipe_file(key, value.model_dump_json(indent=1).encode())

    def load(self, project_id: str, name: str, model: type[M]) -> M:
        key = self._key(self._phase_path(project_id, name))
        try:
            data = self.fs.cat_file(key)
        except FileNotFoundError:
            raise MissingArtifactError(
                f"'{name}' has not been materialized for project '{project_id}'; "
                f"materialize it (or the whole project) first"
            ) from None
        return model.model_validate_json(data)

    def has(self, project_id: str, name: str) -> bool:
        return bool(self.fs.exists(self._key(self._phase_path(project_id, name))))

    # --- folders of files: a local mirror, synced both ways -------------------------------

    def project_dir(self, project_id: str) -> Path:
        folder = self._local_project(project_id)
        self.download(folder, skip=("phases",))
        return folder

    def images_dir(self, project_id: str) -> Path:
        folder = self._local_project(project_id) / "images"
        self.download(folder)
        return folder

    def pages_dir(self, project_id: str) -> Path:
        folder = self._local_project(project_id) / "pages"
        self.download(folder)
        return folder

    def save_json(self, path: Path, data: dict | list) -> None:
        """Write an item's record, upload its folder's new files, then the record itself."""
        path = Path(path).absolute()
        write_atomic(path, _dumps(data))
        if self.root in path.parents:
            self.upload(path.parent, last=path)

    def _changed(self, local: Path) -> bool:
        st = local.stat()
        seen = self._synced.get(local)
        return seen is None or (seen.mtime_ns, seen.size) != (st.st_mtime_ns, st.st_size)

    @staticmethod
    def _sig(local: Path, md5: str | None = None) -> _Synced:
        st = local.stat()
        return _Synced(st.st_mtime_ns, st.st_size, _md5(local) if md5 is None else md5)

    def upload(self, folder: Path, last: Path | None = None) -> int:
        """Upload the files of `folder` (not below it) changed since their last sync, `last`
        after all the others; returns how many were uploaded.

        Each file's signature is taken before its upload: a file replaced meanwhile (callers
        write whole files by rename) looks changed next time and goes up again.
        """
        with self._folder_lock(folder):
            pending = {
                p: self._sig(p)
                for p in sorted(folder.iterdir())
                if p.is_file() and not p.name.startswith(".") and p != last and self._changed(p)
            }
            if pending:
                self.fs.put([str(p) for p in pending], [self._key(p) for p in pending])
                self._synced.update(pending)
            if last is not None:
                sig = self._sig(last)
                self.fs.put_file(str(last), self._key(last))
                self._synced[last] = sig
                pending[last] = sig
            return len(pending)

    def download(self, folder: Path, skip: tuple[str, ...] = ()) -> int:
        """Bring `folder` (and below) up to date from the bucket; returns how many files were
        fetched. Files written here and not yet uploaded are left alone."""
        prefix = self._key(folder)
        with self._folder_lock(folder):
            try:
                found = self.fs.find(prefix, detail=True)
            except FileNotFoundError:
                found = {}
            fetch: list[tuple[str, Path, str]] = []
            for key, info in found.items():
                if info.get("type") == "directory" or not key.startswith(prefix + "/"):
                    continue
                rel = key[len(prefix) + 1 :]
                parts = rel.split("/")
                if parts[0] in skip or any(p in {"", ".", ".."} for p in parts):
                    continue
                local = folder.joinpath(*parts)
                etag = _etag(info)
                if local.exists():
                    seen = self._synced.get(local)
                    if seen is None or self._changed(local):
                        continue  # written here, not uploaded yet: ours is the newer one
                    if seen.md5 == etag:
                        continue
                fetch.append((key, local, etag))
            fetched = 0
            for key, local, etag in fetch:
                local.parent.mkdir(parents=True, exist_ok=True)
                tmp = local.with_name(f".{local.name}.{uuid.uuid4().hex[:8]}.tmp")
                self.fs.get_file(key, str(tmp))
                # A multipart ETag is not an MD5; then this file is fetched again next time.
                sig = self._sig(tmp, etag if len(etag) == 32 else "")
                try:
                    if local.exists():
                        # Still what was last synced (a caller may have written it since the
                        # listing): only then is the bucket's copy the newer one.
                        if self._changed(local):
                            continue
                        os.replace(tmp, local)
                    else:
                        os.link(tmp, local)  # never replaces a file a caller just wrote
                except FileExistsError:
                    continue
                finally:
                    tmp.unlink(missing_ok=True)
                self._synced[local] = sig
                fetched += 1
            return fetched


def _dumps(data: dict | list) -> str:
    import json

    return json.dumps(data, indent=1)

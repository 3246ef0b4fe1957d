"""The folder host: the local `sites/<id>/` (nothing to do), or a mirror of it in `path`.

A mirror is for a web server's document root on this machine. Each changed file is written
beside its target and renamed over it, so a visitor never reads half a file; files the site no
longer has are removed after every new one is in place.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from merlin_assets.config.publish import FolderHost
from merlin_assets.hosts.base import Deploy, Publisher, Site, upload_order


def _same(site_file, target: Path) -> bool:
    try:
        return target.stat().st_size == site_file.size and target.read_bytes() == site_file.data
    except OSError:
        return False


class FolderPublisher(Publisher):
    kind = "folder"

    def __init__(self, entry: FolderHost, env=None):
        super().__init__(entry.label, env)
        self.path = Path(entry.path) if entry.path else None

    def deploy(self, site_dir: Path) -> Deploy:
        site = Site.read(site_dir)
        if self.path is None or self.path.resolve() == Path(site_dir).resolve():
            # The default host is the published folder itself.
            return Deploy(
                self.label,
                self.kind,
                deploy_id=site.digest(),
                url=Path(site_dir).resolve().as_uri(),
                files_total=len(site.files),
            )
        root = self.path
        root.mkdir(parents=True, exist_ok=True)
        uploaded = sent = 0
        for rel in upload_order(site.files):
            f = site.files[rel]
            target = root.joinpath(*rel.split("/"))
            if _same(f, target):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
            tmp.write_bytes(f.data)
            os.replace(tmp, target)
            uploaded, sent = uploaded + 1, sent + f.size
        deleted = 0
        for path in sorted(root.rglob("*"), reverse=True):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and rel not in site.files:
                path.unlink()
                deleted += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        return Deploy(
            self.label,
            self.kind,
            deploy_id=site.digest(),
            url=root.resolve().as_uri(),
            files_uploaded=uploaded,
            bytes_uploaded=sent,
            files_deleted=deleted,
            files_total=len(site.files),
        )

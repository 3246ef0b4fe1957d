"""Publishing a site: the whole site in one step, or single files swapped into the live one.

`Publisher` is the seam: the local folder publisher below is the default, and an
object-storage publisher implements the same two calls.
"""

from __future__ import annotations

import abc
import shutil
from collections.abc import Mapping
from pathlib import Path

from merlin_assets import paths

# A site file is the path of a file to copy or the bytes to write.
SiteFiles = Mapping[str, Path | bytes | str]


class Publisher(abc.ABC):
    """Where a project's site goes live."""

    @abc.abstractmethod
    def publish(self, project_id: str, files: SiteFiles) -> str:
        """Make exactly `files` the live site in one step; return where it lives.

        A reader sees the previous site whole until the new one is whole.
        """

    @abc.abstractmethod
    def replace_files(self, project_id: str, files: SiteFiles) -> None:
        """Swap single files into the live site, each atomically; no-op with no live site."""

    @abc.abstractmethod
    def location(self, project_id: str) -> str:
        """Where the project's live site is (a folder or a URL)."""

    @abc.abstractmethod
    def download(self, project_id: str, dest: Path) -> Path | None:
        """A local folder holding the live site (copied into `dest` when it is remote), for
        checks that read files; None with no live site."""


def _write(dest: Path, source: Path | bytes | str) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(source, Path):
        shutil.copyfile(source, dest)
    else:
        dest.write_bytes(source.encode() if isinstance(source, str) else source)


class LocalPublisher(Publisher):
    """Sites under `sites_root/<project>/`, staged beside it and swapped in with a rename."""

    def __init__(self, sites_root: Path):
        self.sites_root = Path(sites_root)

    def location(self, project_id: str) -> str:
        return str(paths.site_dir(self.sites_root, project_id))

    def download(self, project_id: str, dest: Path) -> Path | None:
        live = paths.site_dir(self.sites_root, project_id)
        return live if live.is_dir() else None

    def publish(self, project_id: str, files: SiteFiles) -> str:
        staged = paths.staging_dir(self.sites_root, project_id)
        try:
            for rel, source in files.items():
                _write(paths.safe_child(staged, *rel.split("/")), source)
            return str(paths.publish(staged, self.sites_root, project_id))
        except BaseException:
            paths.discard(staged)
            raise

    def replace_files(self, project_id: str, files: SiteFiles) -> None:
        live = paths.site_dir(self.sites_root, project_id)
        if not live.is_dir():
            return
        for rel, source in files.items():
            data = source.read_bytes() if isinstance(source, Path) else source
            paths.write_atomic(paths.safe_child(live, *rel.split("/")), data)

"""Publishing a site: the whole site in one step, or single files swapped into the live one.

`Publisher` is the seam: the local folder publisher below is the default, and an
object-storage publisher implements the same calls. Both keep every publish as a release
(`merlin_assets.releases`): a new site, or one with single files redone, is a new release
made live in one step.
"""

from __future__ import annotations

import abc
from pathlib import Path

from merlin_assets import paths
from merlin_assets.releases import retention
from merlin_assets.releases.backends import FolderBackend
from merlin_assets.releases.manifest import ReleaseInfo
from merlin_assets.releases.releases import Published, Releases, SiteFiles

__all__ = ["LocalPublisher", "Publisher", "SiteFiles"]


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

    # Publishers that keep releases (both below) override these; the run records the release.
    release_store: Releases | None = None

    def publish_release(
        self, project_id: str, files: SiteFiles, info: ReleaseInfo | None = None
    ) -> Published | None:
        """`publish`, saying which release went live (None where releases are not kept)."""
        self.publish(project_id, files)
        return None


class ReleasePublisher(Publisher):
    """A publisher over the release model: every publish is a release, switched in whole."""

    release_store: Releases

    def publish_release(
        self, project_id: str, files: SiteFiles, info: ReleaseInfo | None = None
    ) -> Published:
        return self.release_store.publish(project_id, files, info)

    def publish(self, project_id: str, files: SiteFiles) -> str:
        self.publish_release(project_id, files)
        return self.location(project_id)

    def replace_files(self, project_id: str, files: SiteFiles) -> None:
        """A new release: the live one's generated files with these redone (hand edits
        carried as on any publish); no-op with no live site."""
        self.release_store.publish_items(project_id, files)


class LocalPublisher(ReleasePublisher):
    """Sites under `sites_root/<project>/`, a copy of the live release swapped in with one
    rename; releases under `sites_root/.releases/<project>/`."""

    def __init__(self, sites_root: Path, *, keep: int = retention.DEFAULT_KEEP):
        self.sites_root = Path(sites_root)
        self.release_store = Releases(FolderBackend(self.sites_root), keep=keep)

    def location(self, project_id: str) -> str:
        return str(paths.site_dir(self.sites_root, project_id))

    def download(self, project_id: str, dest: Path) -> Path | None:
        live = paths.site_dir(self.sites_root, project_id)
        return live if live.is_dir() else None

"""Deploying a published site to every host its config names, each failure kept to its host.

Hosts are deployed at the same time (each is network-bound), and each one's outcome is a
`Deploy`: one that fails carries its error and leaves the local site, and every other host,
as they are. Nothing here raises for a host; callers decide what a failed host means.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from merlin_assets.config.publish import FolderHost, GithubPagesHost, NetlifyHost, S3Host
from merlin_assets.hosts.base import Deploy, DeployError, Publisher, redact

if TYPE_CHECKING:
    from merlin_assets.config.project import ProjectConfig
    from merlin_assets.storage.publishing import Publisher as SitePublisher

HostEntry = FolderHost | S3Host | GithubPagesHost | NetlifyHost


def publisher_for(entry: HostEntry, env: Mapping[str, str] | None = None) -> Publisher:
    """The `Publisher` for one `publish:` entry."""
    if isinstance(entry, S3Host):
        from merlin_assets.hosts.s3 import S3Publisher

        return S3Publisher(entry, env)
    if isinstance(entry, GithubPagesHost):
        from merlin_assets.hosts.github_pages import GithubPagesPublisher

        return GithubPagesPublisher(entry, env)
    if isinstance(entry, NetlifyHost):
        from merlin_assets.hosts.netlify import NetlifyPublisher

        return NetlifyPublisher(entry, env)
    from merlin_assets.hosts.folder import FolderPublisher

    return FolderPublisher(entry, env)


def deploy_one(publisher: Publisher, site_dir: Path) -> Deploy:
    """One host's deploy, timed; an error becomes the record's `error`, prefixed by the host."""
    started = time.perf_counter()
    try:
        done = publisher.deploy(Path(site_dir))
    except Exception as exc:  # any library's error: recorded against this host, not raised
        kind = "" if isinstance(exc, DeployError) else f"{type(exc).__name__}: "
        text = redact(f"{kind}{exc}", publisher.secrets).replace("\n", " ")[:500]
        done = Deploy(publisher.label, publisher.kind, error=f"{publisher.label}: {text}")
    return dataclasses.replace(done, seconds=round(time.perf_counter() - started, 4))


def deploy_entries(
    entries: Sequence[HostEntry], site_dir: Path | str, env: Mapping[str, str] | None = None
) -> list[Deploy]:
    """Deploy `site_dir` to each host, at the same time; in the order of `entries`."""
    if not entries:
        return []
    publishers = [publisher_for(e, os.environ if env is None else env) for e in entries]
    with ThreadPoolExecutor(len(publishers), thread_name_prefix="merlin-deploy") as pool:
        return list(pool.map(lambda p: deploy_one(p, Path(site_dir)), publishers))


def deploy_all(
    config: ProjectConfig, site_dir: Path | str, env: Mapping[str, str] | None = None
) -> list[Deploy]:
    """Deploy a site folder (the live site, or a release being rolled back to) to every host in
    `config.publish`. Without a `publish:` section the local folder is the only host and there
    is nothing to do."""
    return deploy_entries(config.publish, site_dir, env)


def deploy_published(
    config: ProjectConfig, publisher: SitePublisher, project_id: str
) -> list[Deploy]:
    """Deploy the site `publisher` just made live (copied to a scratch folder when it lives in
    an object store) to the config's hosts."""
    if not config.publish:
        return []
    with tempfile.TemporaryDirectory(prefix="merlin-deploy-") as scratch:
        site = publisher.download(project_id, Path(scratch))
        if site is None:
            return [
                Deploy(e.label, e.host, error=f"{e.label}: no live site to deploy")
                for e in config.publish
            ]
        return deploy_all(config, site)


def failures(deploys: Sequence[Deploy | Mapping]) -> list[str]:
    """'host: error' for each host that failed (records or their dicts from metadata)."""
    found = []
    for d in deploys:
        error = d.error if isinstance(d, Deploy) else str(d.get("error") or "")
        if error:
            found.append(error)
    return found

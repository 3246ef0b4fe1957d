"""What every host shares: the `Publisher` interface, the `Deploy` record, the site's files.

A publisher deploys a local folder that already is the complete site (the live
`sites/<id>/`, or a release) and uploads only what the host does not hold yet, so a second
deploy of an unchanged site uploads nothing.
"""

from __future__ import annotations

import abc
import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any


class DeployError(RuntimeError):
    """A host refused or could not be reached; the message names the host, never a secret."""


@dataclass(frozen=True)
class Deploy:
    """One deploy of a site to one host.

    `deploy_id` is what the host calls the version: Netlify's deploy id, the git commit, or
    for S3 and folders a digest of the site's files. `error` is empty when it worked.
    """

    host: str
    kind: str
    deploy_id: str = ""
    url: str = ""
    files_uploaded: int = 0
    bytes_uploaded: int = 0
    files_deleted: int = 0
    files_total: int = 0
    seconds: float = 0.0
    detail: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SiteFile:
    """One file of the site: its path relative to the site (with '/') and where it is."""

    rel: str
    path: Path

    @cached_property
    def data(self) -> bytes:
        return self.path.read_bytes()

    @cached_property
    def size(self) -> int:
        return len(self.data)

    def digest(self, algorithm: str) -> str:
        return hashlib.new(algorithm, self.data, usedforsecurity=False).hexdigest()


@dataclass
class Site:
    """The files of a site folder, read once per deploy."""

    root: Path
    files: dict[str, SiteFile] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path | str) -> Site:
        root = Path(root)
        if not root.is_dir():
            raise DeployError(f"no site folder at {root}")
        files = {}
        for path in sorted(root.rglob("*")):
            # Only regular files: a link could point outside the site.
            if path.is_file() and not path.is_symlink():
                rel = path.relative_to(root).as_posix()
                files[rel] = SiteFile(rel, path)
        return cls(root, files)

    def digest(self) -> str:
        """One hash for the whole site: equal sites, equal digests."""
        h = hashlib.sha256()
        for rel, f in sorted(self.files.items()):
            h.update(f"{rel}\0{f.digest('sha256')}\n".encode())
        return h.hexdigest()[:16]


def rank(rel: str) -> int:
    """What pages link to first (0), then the pages (1), the sitemap last (2)."""
    if rel == "sitemap.xml":
        return 2
    return 1 if rel.endswith(".html") else 0


def upload_batches(rels: Iterable[str]) -> list[list[str]]:
    """Files in the order a host should receive them, batched by `rank`: a visitor arriving
    while a deploy runs finds every file a new page names (the object store's order too)."""
    batches: dict[int, list[str]] = {}
    for rel in sorted(rels):
        batches.setdefault(rank(rel), []).append(rel)
    return [batches[r] for r in sorted(batches)]


def upload_order(rels: Iterable[str]) -> list[str]:
    return [rel for batch in upload_batches(rels) for rel in batch]


def secret(env: Mapping[str, str], name: str, *, field_name: str) -> str:
    """The value of the variable the config names; its name, not its value, in any error."""
    value = env.get(name, "")
    if not value:
        raise DeployError(
            f"environment variable {name} (named by publish `{field_name}`) is not set"
        )
    return value


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret replaced: errors from libraries are shown and recorded."""
    for value in secrets:
        if value and len(value) >= 4:
            text = text.replace(value, "***")
    return text


class Publisher(abc.ABC):
    """One host a published site is deployed to."""

    kind: str = ""

    def __init__(self, label: str, env: Mapping[str, str] | None = None):
        self.label = label
        self.env = os.environ if env is None else env
        # Every secret read, so errors can be scrubbed of them before anyone sees them.
        self.secrets: list[str] = []

    def secret(self, name: str, field_name: str) -> str:
        value = secret(self.env, name, field_name=field_name)
        self.secrets.append(value)
        return value

    @abc.abstractmethod
    def deploy(self, site_dir: Path) -> Deploy:
        """Make the host serve exactly the files of `site_dir`, uploading only what changed.

        Raises on failure; `deploy_all` turns that into a `Deploy` whose `error` names the host.
        """

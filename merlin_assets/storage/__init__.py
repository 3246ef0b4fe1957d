"""Where a run keeps what matters: local folders by default, object storage in fleet mode.

`MERLIN_STORAGE_URL` (e.g. `s3://bucket/prefix`) unset means local folders exactly as before.
Set, phase results, images, pages, published sites and run timings live under that URL, so
any worker machine can pick up any run and keep nothing that matters on its own disk:

    <url>/artifacts/<project>/...   what `ArtifactStore` keeps (phases/, images/, pages/, ...)
    <url>/sites/<project>/...       published sites (`ObjectStorePublisher`)
    <url>/timings/<table>/*.parquet run timings (`TimingsStore` on the bucket)

`MERLIN_S3_ENDPOINT_URL` points at a non-AWS store (MinIO, Ceph, moto). Credentials come
from the usual AWS chain (environment, profile, instance role).

The resources call the factories below (the timings store's is in `timings/store.py`); each
returns the local implementation when no storage URL is set, so the one-machine default stays
exactly as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from merlin_assets.config.environment import Settings
    from merlin_assets.storage.local import ArtifactStore
    from merlin_assets.storage.publishing import Publisher


@dataclass(frozen=True)
class StorageLocation:
    """A parsed `s3://bucket/prefix` URL."""

    bucket: str
    prefix: str = ""

    @classmethod
    def parse(cls, url: str) -> StorageLocation:
        scheme, sep, rest = url.partition("://")
        if not sep or scheme not in {"s3", "s3a"}:
            raise ValueError(f"MERLIN_STORAGE_URL must look like s3://bucket/prefix, not {url!r}")
        bucket, _, prefix = rest.strip("/").partition("/")
        if not bucket:
            raise ValueError(f"MERLIN_STORAGE_URL has no bucket: {url!r}")
        parts = [p for p in prefix.split("/") if p]
        if any(p in {".", ".."} for p in parts):
            raise ValueError(f"MERLIN_STORAGE_URL has a relative part: {url!r}")
        return cls(bucket, "/".join(parts))

    def path(self, *parts: str) -> str:
        """`bucket/prefix/parts...` as s3fs names objects (no scheme)."""
        return "/".join(p.strip("/") for p in (self.bucket, self.prefix, *parts) if p)

    def url(self, *parts: str) -> str:
        return f"s3://{self.path(*parts)}"


def filesystem(endpoint_url: str | None = None, **kwargs: Any):
    """An `s3fs.S3FileSystem` whose listings are never cached.

    Workers and readers change the bucket under each other, so a cached listing would be a
    stale one; every listing here is one fresh LIST request.
    """
    try:
        import s3fs
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError(
            "object storage needs the 'fleet' extra: pip install 'merlin-assets[fleet]'"
        ) from exc
    options: dict[str, Any] = {"use_listings_cache": False, "skip_instance_cache": True}
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    options.update(kwargs)
    return s3fs.S3FileSystem(**options)


def location(settings: Settings) -> StorageLocation | None:
    """The storage location the settings choose; None for local folders."""
    url = getattr(settings, "storage_url", None)
    return StorageLocation.parse(url) if url else None


def settings_filesystem(settings: Settings):
    return filesystem(getattr(settings, "s3_endpoint_url", None))


def artifact_store(settings: Settings, local_root: Path) -> ArtifactStore:
    """The artifact store: `ArtifactStore(local_root)`, or one on `<url>/artifacts`."""
    from merlin_assets.storage.local import ArtifactStore

    where = location(settings)
    if where is None:
        return ArtifactStore(local_root)
    from merlin_assets.storage.artifacts import ObjectArtifactStore

    return ObjectArtifactStore(settings_filesystem(settings), where.path("artifacts"))


def publisher(settings: Settings, sites_root: Path) -> Publisher:
    """Where sites go live: `LocalPublisher(sites_root)`, or `<url>/sites` on the bucket."""
    where = location(settings)
    if where is None:
        from merlin_assets.storage.publishing import LocalPublisher

        return LocalPublisher(sites_root)
    from merlin_assets.storage.object_publisher import ObjectStorePublisher

    return ObjectStorePublisher(settings_filesystem(settings), where.path("sites"))

"""The S3 host: the site's files as objects under `bucket/prefix/`, CloudFront told what changed.

What is already there is read from one listing: a single-part PUT's ETag is the MD5 of the
object, so a file whose MD5 equals its object's ETag is not sent again, and a second deploy of
an unchanged site sends nothing (no manifest to keep in step). Objects whose ETag is not an MD5
(multipart uploads, `"…-3"`) are sent again once and are plain MD5 ETags after that. A bucket
whose default encryption is SSE-KMS gives ETags that are not MD5s at all: there every file is
sent on every deploy (a manifest stored beside the site would be needed; not done).

Objects under the prefix that the site no longer has are deleted after every upload, so a
visitor never meets a page whose links were removed first. When a CloudFront distribution is
named, one invalidation covers the changed and deleted paths.
"""

from __future__ import annotations

import mimetypes
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from merlin_assets.config.publish import S3Host
from merlin_assets.hosts.base import Deploy, Publisher, Site, upload_batches

# CloudFront bills invalidation paths past 1,000 a month and a wildcard counts as one: past
# this many changed paths, one "/*" is cheaper and as good.
MAX_INVALIDATION_PATHS = 100
# Sites are a few dozen files; eight PUTs at a time keep a deploy of 40 images short without
# opening more connections than botocore's pool (10).
UPLOAD_THREADS = 8


def content_type(rel: str) -> str:
    guessed, _ = mimetypes.guess_type(rel)
    if rel.endswith(".webmanifest"):
        return "application/manifest+json"
    if guessed and (guessed.startswith("text/") or guessed == "application/javascript"):
        return f"{guessed}; charset=utf-8"
    return guessed or "application/octet-stream"


def invalidation_paths(rels: list[str]) -> list[str]:
    """CloudFront paths for changed files; a folder's index.html is also served as 'dir/'."""
    if len(rels) > MAX_INVALIDATION_PATHS:
        return ["/*"]
    paths: set[str] = set()
    for rel in rels:
        paths.add("/" + quote(rel, safe="/"))
        if rel == "index.html" or rel.endswith("/index.html"):
            paths.add("/" + quote(rel.removesuffix("index.html"), safe="/"))
    return sorted(paths)


class S3Publisher(Publisher):
    kind = "s3"

    def __init__(self, entry: S3Host, env=None):
        super().__init__(entry.label, env)
        self.entry = entry

    def _session(self):
        import boto3  # the `hosts` extra; only an S3 deploy needs it

        e = self.entry
        return boto3.session.Session(
            aws_access_key_id=self.secret(e.access_key_id_env, "access_key_id_env"),
            aws_secret_access_key=self.secret(e.secret_access_key_env, "secret_access_key_env"),
            aws_session_token=self.secret(e.session_token_env, "session_token_env")
            if e.session_token_env
            else None,
            region_name=e.region or "us-east-1",
        )

    def _client(self, session, service: str):
        from botocore.config import Config

        # A host that is down should fail the deploy in seconds, not after botocore's default
        # 60 s timeouts and five attempts.
        config = Config(
            connect_timeout=5,
            read_timeout=60,
            retries={"total_max_attempts": 3, "mode": "standard"},
        )
        return session.client(service, endpoint_url=self.entry.endpoint_url, config=config)

    def _key(self, rel: str) -> str:
        return f"{self.entry.prefix}/{rel}" if self.entry.prefix else rel

    def url(self) -> str:
        e = self.entry
        if e.url:
            return e.url
        base = e.endpoint_url or (
            f"https://{e.bucket}.s3.{e.region}.amazonaws.com"
            if e.region
            else f"https://{e.bucket}.s3.amazonaws.com"
        )
        if e.endpoint_url:
            base = f"{base.rstrip('/')}/{e.bucket}"
        return f"{base}/{e.prefix}/" if e.prefix else f"{base}/"

    def _listing(self, s3) -> dict[str, str]:
        """rel -> ETag (quotes removed) of every object under the prefix."""
        start = f"{self.entry.prefix}/" if self.entry.prefix else ""
        found: dict[str, str] = {}
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=self.entry.bucket, Prefix=start)
        for page in pages:
            for obj in page.get("Contents", []):
                found[obj["Key"][len(start) :]] = obj["ETag"].strip('"')
        return found

    def deploy(self, site_dir: Path) -> Deploy:
        site = Site.read(site_dir)
        session = self._session()
        s3 = self._client(session, "s3")
        there = self._listing(s3)
        changed = [rel for rel in site.files if there.get(rel) != site.files[rel].digest("md5")]
        gone = sorted(rel for rel in there if rel not in site.files)

        def put(rel: str) -> None:
            f = site.files[rel]
            s3.put_object(
                Bucket=self.entry.bucket,
                Key=self._key(rel),
                Body=f.data,
                ContentType=content_type(rel),
            )

        with ThreadPoolExecutor(UPLOAD_THREADS) as pool:
            # Each batch whole before the next: no page is up before what it links to.
            for batch in upload_batches(changed):
                list(pool.map(put, batch))
        for start in range(0, len(gone), 1000):  # DeleteObjects takes at most 1,000 keys
            batch = gone[start : start + 1000]
            s3.delete_objects(
                Bucket=self.entry.bucket,
                Delete={"Objects": [{"Key": self._key(r)} for r in batch], "Quiet": True},
            )
        detail = ""
        if self.entry.cloudfront_distribution_id and (changed or gone):
            paths = invalidation_paths(sorted(changed) + gone)
            cloudfront = self._client(session, "cloudfront")
            answer = cloudfront.create_invalidation(
                DistributionId=self.entry.cloudfront_distribution_id,
                InvalidationBatch={
                    "Paths": {"Quantity": len(paths), "Items": paths},
                    "CallerReference": f"merlin-{site.digest()}-{time.time_ns()}",
                },
            )
            detail = f"cloudfront invalidation {answer['Invalidation']['Id']} ({len(paths)} paths)"
        return Deploy(
            self.label,
            self.kind,
            deploy_id=site.digest(),
            url=self.url(),
            files_uploaded=len(changed),
            bytes_uploaded=sum(site.files[r].size for r in changed),
            files_deleted=len(gone),
            files_total=len(site.files),
            detail=detail,
        )

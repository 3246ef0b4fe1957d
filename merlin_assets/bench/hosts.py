"""What a deploy to each host sends: files and bytes on the first deploy, on a second deploy of
the unchanged site, and after one page changed. Printed as a table (or JSON).

    python -m merlin_assets.bench.hosts [SITE_DIR] [--json]

Without SITE_DIR the bakery example is generated offline first. The hosts are the ones the
tests use, since the real services cannot be reached from here: moto's S3 server with a
CloudFront distribution, a bare git repository, the local Netlify stand-in, and a folder.
The target is 0 files on the unchanged redeploy, for every host.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from merlin_assets.config.publish import FolderHost, GithubPagesHost, NetlifyHost, S3Host
from merlin_assets.hosts.deploy import deploy_entries

REPO = Path(__file__).resolve().parents[2]
BAKERY = REPO / "examples" / "projects" / "crumb-and-co-bakery.yaml"
TOKEN = "bench-netlify-token"
BUCKET = "bench-site"


def _generate(out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", "generate", str(BAKERY), "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=out.parent,
        env={**os.environ, "MERLIN_LLM": "offline"},
    )
    return next(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))


def _distribution(endpoint: str, creds: dict[str, str]) -> str:
    import boto3

    client = boto3.client(
        "cloudfront",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=creds["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=creds["AWS_SECRET_ACCESS_KEY"],
    )
    origin = {"Id": "s", "DomainName": f"{BUCKET}.s3.amazonaws.com"}
    config = {
        "CallerReference": "bench",
        "Comment": "",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [{**origin, "S3OriginConfig": {"OriginAccessIdentity": ""}}],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "s",
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }
    return client.create_distribution(DistributionConfig=config)["Distribution"]["Id"]


def measure(site_dir: Path, scratch: Path) -> list[dict[str, Any]]:
    """Three deploys of a copy of `site_dir` to every host; one row per host and deploy."""
    from merlin_assets.testing.netlify_server import NetlifyServer
    from merlin_assets.testing.s3_server import S3Server, credentials

    site = scratch / "site"
    shutil.copytree(site_dir, site)
    remote = scratch / "pages.git"
    subprocess.run(["git", "init", "--bare", "--quiet", str(remote)], check=True)
    creds = credentials()
    rows: list[dict[str, Any]] = []
    with S3Server() as s3, NetlifyServer(token=TOKEN, sites=["bench"]) as netlify:
        s3.make_bucket(BUCKET)
        entries = [
            FolderHost(host="folder", path=str(scratch / "www")),
            S3Host(
                host="s3",
                bucket=BUCKET,
                prefix="site",
                endpoint_url=s3.endpoint_url,
                cloudfront_distribution_id=_distribution(s3.endpoint_url, creds),
            ),
            GithubPagesHost(host="github_pages", remote=str(remote)),
            NetlifyHost(host="netlify", site_id="bench", api_url=netlify.api_url),
        ]
        env = {**creds, "NETLIFY_AUTH_TOKEN": TOKEN}
        page = sorted(p for p in site.glob("*.html") if p.name != "index.html")[0]
        for label in ("first", "unchanged", "one page changed"):
            if label == "one page changed":
                page.write_text(page.read_text().replace("</body>", "<p>Edited.</p></body>", 1))
            for d in deploy_entries(entries, site, env):
                rows.append(
                    {
                        "deploy": label,
                        "host": d.host,
                        "files": d.files_uploaded,
                        "bytes": d.bytes_uploaded,
                        "of_files": d.files_total,
                        "seconds": d.seconds,
                        "error": d.error,
                    }
                )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, help="a site folder (default: generate)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="merlin-bench-hosts-") as tmp:
        scratch = Path(tmp)
        site = args.site or _generate(scratch / "sites")
        rows = measure(site, scratch / "hosts")
    if args.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        sys.stdout.write(f"{'deploy':<18}{'host':<14}{'files':>7}{'bytes':>11}{'of':>6}{'s':>8}\n")
        for r in rows:
            sys.stdout.write(
                f"{r['deploy']:<18}{r['host']:<14}{r['files']:>7}{r['bytes']:>11}"
                f"{r['of_files']:>6}{r['seconds']:>8.2f}  {r['error']}\n"
            )
    unchanged = [r for r in rows if r["deploy"] == "unchanged"]
    return 0 if all(r["files"] == 0 and not r["error"] for r in unchanged) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Publishing to hosts: each host gets exactly the site, and only what changed is sent.

Real parts only: moto's S3 server (S3 and CloudFront) over HTTP through boto3, real `git`
pushing to a bare repository on disk, and a local HTTP stand-in for Netlify's file-digest
deploy API (`merlin_assets.testing.netlify_server`), reached with the real HTTP client. The
real services cannot be reached from this machine.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from merlin_assets.config.publish import FolderHost, GithubPagesHost, NetlifyHost, S3Host
from merlin_assets.hosts import Deploy, deploy_all, publisher_for
from merlin_assets.hosts.deploy import deploy_entries
from merlin_assets.testing.netlify_server import NetlifyServer
from merlin_assets.testing.s3_server import S3Server, credentials
from merlin_assets.testing.webserver import free_port

TOKEN = "nfp_test_token_5f2a9c"  # what the stand-in accepts; never in a record
SITE = {
    "index.html": "<!doctype html><title>Crumb</title><a href='about.html'>About</a>",
    "about.html": "<!doctype html><title>About</title><p>Family bakers since 1998.</p>",
    "services/index.html": "<!doctype html><title>Services</title>",
    "assets/site.css": "body{color:#222}",
    "assets/site.js": "document.documentElement.classList.add('js');",
    "images/hero.webp": bytes(range(256)) * 40,
    "sitemap.xml": "<?xml version='1.0'?><urlset></urlset>",
    "robots.txt": "User-agent: *\n",
}


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, body in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body.encode() if isinstance(body, str) else body)
    return root


def site_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", SITE)


def change_page(site: Path) -> None:
    (site / "about.html").write_text("<!doctype html><title>About</title><p>Since 1997.</p>")


def assert_first_second_changed(deploy, site: Path, read_back) -> list[Deploy]:
    """The three deploys every host must get right; returns them for host-specific asserts."""
    first = deploy()
    assert first.ok, first.error
    assert first.files_uploaded == len(SITE)
    assert first.bytes_uploaded == sum(len(b) for b in site_bytes(site).values())
    assert read_back() == site_bytes(site)
    second = deploy()
    assert second.ok, second.error
    assert (second.files_uploaded, second.bytes_uploaded) == (0, 0)
    change_page(site)
    third = deploy()
    assert third.ok, third.error
    assert third.files_uploaded == 1
    assert third.bytes_uploaded == (site / "about.html").stat().st_size
    assert read_back() == site_bytes(site)
    return [first, second, third]


# --- folder ----------------------------------------------------------------------------------


def test_folder_mirror_copies_only_changes_and_removes_what_the_site_dropped(
    site: Path, tmp_path: Path
):
    mirror = tmp_path / "www"
    host = publisher_for(FolderHost(host="folder", path=str(mirror)))
    assert_first_second_changed(lambda: host.deploy(site), site, lambda: site_bytes(mirror))
    (site / "robots.txt").unlink()
    fourth = host.deploy(site)
    assert (fourth.files_uploaded, fourth.files_deleted) == (0, 1)
    assert site_bytes(mirror) == site_bytes(site)


def test_folder_without_path_is_the_published_folder_itself(site: Path):
    done = publisher_for(FolderHost(host="folder")).deploy(site)
    assert (done.files_uploaded, done.files_total) == (0, len(SITE))
    assert done.url == site.resolve().as_uri()


# --- s3 and cloudfront -----------------------------------------------------------------------

BUCKET = "crumb-site"


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with S3Server() as server:
        yield server


def boto(s3: S3Server, service: str):
    import boto3

    creds = credentials()
    return boto3.client(
        service,
        endpoint_url=s3.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=creds["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=creds["AWS_SECRET_ACCESS_KEY"],
    )


def make_distribution(s3: S3Server) -> str:
    cloudfront = boto(s3, "cloudfront")
    origin = {"Id": "site", "DomainName": f"{BUCKET}.s3.amazonaws.com"}
    answer = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "crumb",
            "Comment": "",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [{**origin, "S3OriginConfig": {"OriginAccessIdentity": ""}}],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "site",
                "ViewerProtocolPolicy": "redirect-to-https",
                "MinTTL": 0,
                "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                "TrustedSigners": {"Enabled": False, "Quantity": 0},
            },
        }
    )
    return answer["Distribution"]["Id"]


def objects(s3: S3Server, bucket: str, prefix: str) -> dict[str, bytes]:
    client = boto(s3, "s3")
    found = {}
    for obj in client.list_objects_v2(Bucket=bucket, Prefix=prefix + "/").get("Contents", []):
        body = client.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
        found[obj["Key"].removeprefix(prefix + "/")] = body
    return found


def s3_env() -> dict[str, str]:
    return {**credentials(), "PATH": os.environ.get("PATH", "")}


@pytest.mark.needs_service("moto_server")
def test_s3_uploads_changed_objects_only_and_invalidates_their_paths(site: Path, s3: S3Server):
    boto(s3, "s3").create_bucket(Bucket=BUCKET)
    distribution = make_distribution(s3)
    entry = S3Host(
        host="s3",
        bucket=BUCKET,
        prefix="sites/crumb",
        endpoint_url=s3.endpoint_url,
        cloudfront_distribution_id=distribution,
    )
    host = publisher_for(entry, s3_env())
    first, second, third = assert_first_second_changed(
        lambda: host.deploy(site), site, lambda: objects(s3, BUCKET, "sites/crumb")
    )
    assert first.deploy_id != third.deploy_id and second.deploy_id == first.deploy_id
    meta = boto(s3, "s3").head_object(Bucket=BUCKET, Key="sites/crumb/index.html")
    assert meta["ContentType"] == "text/html; charset=utf-8"
    cloudfront = boto(s3, "cloudfront")
    listed = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]
    # The first and the third deploy changed files; the second sent none and invalidated none.
    assert listed["Quantity"] == 2
    paths = {
        tuple(
            cloudfront.get_invalidation(DistributionId=distribution, Id=item["Id"])["Invalidation"][
                "InvalidationBatch"
            ]["Paths"]["Items"]
        )
        for item in listed["Items"]
    }
    assert ("/about.html",) in paths
    assert any("/services/" in p and "/services/index.html" in p for p in paths)


@pytest.mark.needs_service("moto_server")
def test_s3_removes_objects_the_site_no_longer_has_and_leaves_other_prefixes(
    site: Path, s3: S3Server
):
    client = boto(s3, "s3")
    client.create_bucket(Bucket="two-sites")
    client.put_object(Bucket="two-sites", Key="other/index.html", Body=b"another site")
    host = publisher_for(
        S3Host(host="s3", bucket="two-sites", prefix="crumb", endpoint_url=s3.endpoint_url),
        s3_env(),
    )
    assert host.deploy(site).files_uploaded == len(SITE)
    (site / "services" / "index.html").unlink()
    done = host.deploy(site)
    assert (done.files_uploaded, done.files_deleted) == (0, 1)
    assert objects(s3, "two-sites", "crumb") == site_bytes(site)
    assert objects(s3, "two-sites", "other") == {"index.html": b"another site"}


# --- github pages ----------------------------------------------------------------------------


def bare_repo(path: Path) -> Path:
    subprocess.run(["git", "init", "--bare", "--quiet", str(path)], check=True)
    return path


def git_out(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def branch_files(repo: Path, branch: str) -> dict[str, bytes]:
    names = git_out(repo, "ls-tree", "-r", "-z", "--name-only", branch).split("\0")
    return {
        n: subprocess.run(
            ["git", "--git-dir", str(repo), "show", f"{branch}:{n}"],
            check=True,
            capture_output=True,
        ).stdout
        for n in names
        if n and n != ".nojekyll"
    }


def commits(repo: Path, branch: str) -> int:
    return int(git_out(repo, "rev-list", "--count", branch).strip())


def test_github_pages_commits_once_per_change_and_never_for_an_unchanged_site(
    site: Path, tmp_path: Path
):
    remote = bare_repo(tmp_path / "pages.git")
    host = publisher_for(GithubPagesHost(host="github_pages", remote=str(remote)))
    first = host.deploy(site)
    assert first.ok, first.error
    assert first.files_uploaded == len(SITE) + 1  # the site and .nojekyll
    assert branch_files(remote, "gh-pages") == site_bytes(site)
    assert (
        git_out(remote, "show", "gh-pages:index.html").encode()
        == (site / "index.html").read_bytes()
    )
    assert git_out(remote, "rev-parse", "gh-pages").strip() == first.deploy_id
    second = host.deploy(site)
    assert (second.files_uploaded, second.bytes_uploaded) == (0, 0)
    assert second.deploy_id == first.deploy_id and commits(remote, "gh-pages") == 1
    change_page(site)
    third = host.deploy(site)
    assert third.files_uploaded == 1
    assert third.bytes_uploaded == (site / "about.html").stat().st_size
    assert commits(remote, "gh-pages") == 2
    assert git_out(remote, "diff", "--name-only", first.deploy_id, third.deploy_id).split() == [
        "about.html"
    ]
    assert branch_files(remote, "gh-pages") == site_bytes(site)


def test_github_pages_keeps_other_branches_and_the_history_of_its_own(site: Path, tmp_path: Path):
    remote = bare_repo(tmp_path / "pages.git")
    entry = GithubPagesHost(host="github_pages", remote=f"file://{remote}", branch="site/live")
    publisher_for(entry).deploy(site)
    (site / "robots.txt").unlink()
    done = publisher_for(entry).deploy(site)
    assert (done.files_uploaded, done.files_deleted) == (0, 1)
    assert branch_files(remote, "site/live") == site_bytes(site)
    assert commits(remote, "site/live") == 2


# --- netlify ---------------------------------------------------------------------------------


@pytest.fixture
def netlify() -> Iterator[NetlifyServer]:
    with NetlifyServer(token=TOKEN, sites=["crumb-and-co"]) as server:
        yield server


def netlify_host(server: NetlifyServer, **kw) -> NetlifyHost:
    return NetlifyHost(host="netlify", site_id="crumb-and-co", api_url=server.api_url, **kw)


def test_netlify_uploads_only_the_digests_it_asks_for(site: Path, netlify: NetlifyServer):
    host = publisher_for(netlify_host(netlify), {"NETLIFY_AUTH_TOKEN": TOKEN})

    def live() -> dict[str, bytes]:
        return {p.lstrip("/"): b for p, b in netlify.live_files("crumb-and-co").items()}

    first, second, third = assert_first_second_changed(lambda: host.deploy(site), site, live)
    assert len({first.deploy_id, second.deploy_id, third.deploy_id}) == 3
    assert netlify.live_deploy("crumb-and-co") == third.deploy_id
    assert third.url == "https://crumb-and-co.netlify.app"
    uploads = netlify.uploads()
    assert len(uploads) == len(SITE) + 1 and uploads[-1] == "/about.html"
    # Pages after what they link to, the sitemap last.
    assert uploads.index("/assets/site.css") < uploads.index("/index.html")
    assert uploads[len(SITE) - 1] == "/sitemap.xml"


def test_netlify_equal_files_are_one_upload(tmp_path: Path, netlify: NetlifyServer):
    site = write_site(tmp_path / "s", {"a.txt": "same", "b/c.txt": "same", "index.html": "x"})
    done = publisher_for(netlify_host(netlify), {"NETLIFY_AUTH_TOKEN": TOKEN}).deploy(site)
    assert done.files_uploaded == 2
    assert netlify.live_files("crumb-and-co")["/b/c.txt"] == b"same"


# --- failures --------------------------------------------------------------------------------


def test_a_failing_host_is_named_and_the_others_and_the_local_site_are_untouched(
    site: Path, tmp_path: Path, netlify: NetlifyServer
):
    before = site_bytes(site)
    remote = bare_repo(tmp_path / "pages.git")
    closed = free_port()
    entries = [
        netlify_host(netlify, name="netlify-bad-token", token_env="WRONG_TOKEN"),
        GithubPagesHost(host="github_pages", remote=str(remote)),
        S3Host(host="s3", bucket="nowhere", endpoint_url=f"http://127.0.0.1:{closed}"),
        GithubPagesHost(
            host="github_pages", name="pages-down", remote=f"http://127.0.0.1:{closed}/x.git"
        ),
        netlify_host(netlify, name="netlify-unset"),
    ]
    env = {"WRONG_TOKEN": "not-the-token-1234", **s3_env()}
    deploys = deploy_entries(entries, site, env)
    by_host = {d.host: d for d in deploys}
    assert [d.host for d in deploys] == [
        "netlify-bad-token",
        "github_pages",
        "s3",
        "pages-down",
        "netlify-unset",
    ]
    assert by_host["github_pages"].ok and by_host["github_pages"].files_uploaded == len(SITE) + 1
    bad = by_host["netlify-bad-token"].error
    assert bad.startswith("netlify-bad-token: ") and "401" in bad
    assert by_host["s3"].error.startswith("s3: ") and str(closed) in by_host["s3"].error
    assert by_host["pages-down"].error.startswith("pages-down: git ls-remote failed")
    assert by_host["netlify-unset"].error == (
        "netlify-unset: environment variable NETLIFY_AUTH_TOKEN (named by publish `token_env`)"
        " is not set"
    )
    # The rejected token reached the stand-in only in a header and is in no record.
    for d in deploys:
        assert "not-the-token-1234" not in str(d.as_dict()) and TOKEN not in str(d.as_dict())
    assert site_bytes(site) == before
    assert netlify.live_deploy("crumb-and-co") is None


def test_deploy_all_with_no_publish_section_deploys_nowhere(site: Path):
    from merlin_assets.config.project import parse_config_text

    config = parse_config_text("name: Crumb\nindustry: Bakery\n", source="c.yaml", suffix=".yaml")
    assert deploy_all(config, site) == []


def test_github_pages_sends_its_token_in_a_header_and_a_rejected_one_is_named(
    site: Path, tmp_path: Path
):
    from merlin_assets.testing.git_http_server import GitHttpServer

    bare_repo(tmp_path / "repos" / "site.git")
    with GitHttpServer(tmp_path / "repos", token="ghp_good_token_123") as server:
        entry = GithubPagesHost(
            host="github_pages", remote=server.url("site.git"), token_env="PAGES_TOKEN"
        )
        good = publisher_for(entry, {"PAGES_TOKEN": "ghp_good_token_123"}).deploy(site)
        assert good.files_uploaded == len(SITE) + 1
        assert branch_files(tmp_path / "repos" / "site.git", "gh-pages") == site_bytes(site)
        [refused] = deploy_entries([entry], site, {"PAGES_TOKEN": "ghp_wrong_token_456"})
    assert refused.error == (
        "github_pages: git ls-remote failed: the remote refused the token in PAGES_TOKEN"
    )
    assert "ghp_wrong_token_456" not in refused.error
    assert commits(tmp_path / "repos" / "site.git", "gh-pages") == 1


@pytest.mark.needs_extra("fleet")
@pytest.mark.needs_service("moto_server")
def test_a_site_live_in_an_object_store_is_deployed_from_a_copy(s3: S3Server, tmp_path: Path):
    """On a fleet the live site is in a bucket; the hosts get what `LIVE` names."""
    from merlin_assets.config.project import parse_config_text
    from merlin_assets.hosts import deploy_published
    from merlin_assets.storage.object_publisher import ObjectStorePublisher

    boto(s3, "s3").create_bucket(Bucket="fleet-sites")
    live = ObjectStorePublisher(s3.filesystem(), "fleet-sites/sites")
    live.publish("crumb", {k: v.encode() if isinstance(v, str) else v for k, v in SITE.items()})
    mirror = tmp_path / "www"
    config = parse_config_text(
        f"name: Crumb\nindustry: Bakery\nid: crumb\npublish: [{{host: folder, path: {mirror}}}]\n",
        source="c.yaml",
        suffix=".yaml",
    )
    [done] = deploy_published(config, live, "crumb")
    assert done.ok and done.files_uploaded == len(SITE)
    expected = {k: v.encode() if isinstance(v, str) else v for k, v in SITE.items()}
    assert site_bytes(mirror) == expected

"""A whole run with a `publish:` section: the site goes live locally, then to every host.

One generated site is deployed to a bare git repository and to the local Netlify stand-in,
and to a Netlify that is down; the run succeeds with the local site live and says which host
failed, in the site's metadata, the run's log, the CLI summary and the DuckDB `deploys` table.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import dagster as dg
import pytest
import yaml

from merlin_assets.cli import app as cli
from merlin_assets.config.project import load_config
from merlin_assets.definitions import defs as load_defs
from merlin_assets.testing.netlify_server import NetlifyServer
from merlin_assets.testing.webserver import free_port
from merlin_assets.timings.ingest import ingest_run
from merlin_assets.timings.run_report import RunReport
from merlin_assets.timings.store import TimingsStore
from merlin_assets_tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

TOKEN = "nfp_pipeline_token_77c1"
SITE_ID = "crumb-and-co"


def _generate(instance, config_path: Path) -> dg.ExecuteInProcessResult:
    config = load_config(config_path)
    instance.add_dynamic_partitions("projects", [config.project_id])
    job = load_defs().resolve_job_def("generate_site")
    return job.execute_in_process(
        instance=instance,
        partition_key=config.project_id,
        run_config={"ops": {"site_pipeline": {"config": {"config_path": str(config_path)}}}},
    )


def _site_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], check=True, capture_output=True
    ).stdout


def _branch_files(repo: Path) -> dict[str, bytes]:
    names = _git(repo, "ls-tree", "-r", "-z", "--name-only", "gh-pages").decode().split("\0")
    return {n: _git(repo, "show", f"gh-pages:{n}") for n in names if n and n != ".nojekyll"}


def _site_metadata(instance) -> dict:
    event = instance.get_latest_materialization_event(dg.AssetKey("site"))
    return {k: v.value for k, v in event.asset_materialization.metadata.items()}


def test_a_run_deploys_to_every_host_and_names_the_one_that_failed(
    instance, sites: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    remote = tmp_path / "pages.git"
    subprocess.run(["git", "init", "--bare", "--quiet", str(remote)], check=True)
    monkeypatch.setenv("CRUMB_NETLIFY_TOKEN", TOKEN)
    data = yaml.safe_load((EXAMPLES / "crumb-and-co-bakery.yaml").read_text())
    data["publish"] = [
        {"host": "github_pages", "remote": str(remote)},
        {"host": "netlify", "site_id": SITE_ID, "token_env": "CRUMB_NETLIFY_TOKEN"},
        {
            "host": "netlify",
            "name": "netlify-down",
            "site_id": SITE_ID,
            "token_env": "CRUMB_NETLIFY_TOKEN",
            "api_url": f"http://127.0.0.1:{free_port()}",
        },
    ]
    store = TimingsStore(tmp_path / "timings.duckdb")
    with NetlifyServer(token=TOKEN, sites=[SITE_ID]) as netlify:
        data["publish"][1]["api_url"] = netlify.api_url
        config_path = tmp_path / "crumb.yaml"
        config_path.write_text(yaml.safe_dump(data))

        first = _generate(instance, config_path)
        assert first.success
        live = sites / "crumb-co-bakery"
        files = _site_files(live)
        assert "index.html" in files and len(files) > 10
        meta = _site_metadata(instance)
        deploys = {d["host"]: d for d in meta["deploys"]}
        assert meta["deploy_failed"] == "netlify-down"
        assert deploys["netlify-down"]["error"].startswith("netlify-down: ConnectError")
        assert deploys["github_pages"]["files_uploaded"] == len(files) + 1  # and .nojekyll
        assert deploys["netlify"]["files_uploaded"] <= len(files)  # equal files share a digest
        assert deploys["netlify"]["bytes_uploaded"] > 0
        # What each host serves is the local site, byte for byte.
        assert _branch_files(remote) == files
        assert {p.lstrip("/"): b for p, b in netlify.live_files(SITE_ID).items()} == files
        logged = [
            e.message for e in first.all_events if e.event_type == dg.DagsterEventType.ENGINE_EVENT
        ] + [r.user_message for r in instance.all_logs(first.run_id)]
        assert any("deploy failed: netlify-down: ConnectError" in m for m in logged if m)

        # `merlin generate`'s summary says the same, one line per host.
        report = RunReport(run_id=first.run_id)
        report.refresh(instance)
        with cli.out.capture() as captured:
            cli._deploys(report)
        lines = captured.get().splitlines()
        assert lines[0] == (
            f"deployed to github_pages: {len(files) + 1} file(s), "
            f"{deploys['github_pages']['bytes_uploaded']} bytes sent, {remote}#gh-pages"
        )
        assert lines[1].startswith("deployed to netlify: ")
        assert lines[2].startswith("deploy failed: netlify-down: ConnectError")

        ingest_run(instance, first.run_id, store)
        with store.connect() as con:
            rows = con.execute(
                "SELECT host, status, files_uploaded, deploy_id FROM deploys ORDER BY host"
            ).fetchall()
        commit = _git(remote, "rev-parse", "gh-pages").decode().strip()
        assert rows == [
            ("github_pages", "ok", len(files) + 1, commit),
            ("netlify", "ok", deploys["netlify"]["files_uploaded"], netlify.live_deploy(SITE_ID)),
            ("netlify-down", "failed", 0, ""),
        ]

        # The same site again: nothing is sent anywhere and no commit is made.
        second = _generate(instance, config_path)
        assert second.success
        assert _site_files(live) == files
        again = {d["host"]: d for d in _site_metadata(instance)["deploys"]}
        assert again["github_pages"]["files_uploaded"] == 0
        assert again["github_pages"]["deploy_id"] == commit
        assert again["netlify"]["files_uploaded"] == 0
        assert _git(remote, "rev-list", "--count", "gh-pages").strip() == b"1"

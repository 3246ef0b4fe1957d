"""`dagster dev` end to end: a config dropped in the projects folder becomes a site, a row set in
the timings store, and an asset graph in the UI."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

from merlin_assets.phases import graph
from merlin_assets.testing.processes import stop_group
from merlin_assets.testing.webserver import free_port, graphql
from merlin_assets.timings.store import TimingsStore
from merlin_assets_tests.chromium import CHROMIUM, HEADLESS_FLAGS, needs_chromium
from merlin_assets_tests.conftest import EXAMPLES, REPO
from merlin_assets_tests.phase_support import PHASE_ORDER

pytestmark = pytest.mark.slow

ASSETS = ["project_config", *PHASE_ORDER, "site_images", "site_pages", "site", "quality_assessment"]
RUNS = """{ runsOrError { ... on Runs { results { runId status tags { key value } } } } }"""
ASSET_NODES = """{
  assetNodes { assetKey { path } description groupName kinds }
  assetOrError(assetKey: {path: ["quality_assessment"]}) {
    ... on Asset { assetMaterializations(limit: 1) { runId metadataEntries { label } } }
  }
}"""


def _wait(what: str, check, timeout: float, logs: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            value = check()
            if value:
                return value
        time.sleep(1)
    tail = logs.read_text(errors="replace")[-4000:] if logs.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n--- dagster dev log ---\n{tail}")


def _dump_dom(url: str, profile: Path) -> str:
    proc = subprocess.Popen(
        [
            str(CHROMIUM),
            *HEADLESS_FLAGS,
            f"--user-data-dir={profile}",
            "--dump-dom",
            "--virtual-time-budget=20000",
            url,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    return out


@needs_chromium
def test_dropped_config_builds_site_under_dagster_dev(tmp_path: Path):
    home, projects, sites = tmp_path / "home", tmp_path / "projects", tmp_path / "sites"
    for folder in (home, projects, sites):
        folder.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    db = tmp_path / "timings" / "timings.duckdb"
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "MERLIN_PROJECTS_DIR": str(projects),
        "MERLIN_SITES_DIR": str(sites),
        "MERLIN_TIMINGS_DB": str(db),
        "MERLIN_LLM": "offline",
    }
    port = free_port()
    logs = tmp_path / "dagster-dev.log"
    with logs.open("wb") as log:
        proc = subprocess.Popen(
            ["dagster", "dev", "-h", "127.0.0.1", "-p", str(port), "-w", "workspace.yaml"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait("the webserver", lambda: graphql(port, RUNS), 180, logs)

        # Dropping the file is the only action: the sensors are on by default.
        shutil.copy(EXAMPLES / "crumb-and-co-bakery.yaml", projects / "bakery.yaml")

        def finished_run():
            runs = graphql(port, RUNS)["runsOrError"]["results"]
            done = [r for r in runs if r["status"] in ("SUCCESS", "FAILURE", "CANCELED")]
            return done[0] if done else None

        run = _wait("the sensor's run", finished_run, 300, logs)
        tags = {t["key"]: t["value"] for t in run["tags"]}
        assert run["status"] == "SUCCESS", run
        assert tags["dagster/sensor_name"] == "project_configs"
        assert tags["dagster/partition"] == "crumb-co-bakery"
        assert tags["merlin/config_file"] == "bakery.yaml"

        site = sites / "crumb-co-bakery"
        pages = sorted(p.name for p in site.glob("*.html"))
        assert "index.html" in pages and "contact.html" in pages
        assert (site / "sitemap.xml").is_file() and list((site / "images").glob("*.webp"))

        # The run lands in the timings store, read without the database file's lock...
        store = TimingsStore(db)
        summary = _wait("the timings rows", lambda: store.summary(run["runId"]), 120, logs)
        assert summary["status"] == "SUCCESS" and summary["source"] == "sensor"
        # The run's page count is the plan's; the site adds the pages nodes declare.
        declared = {f"{p.slug}.html" for p in graph().declared_pages}
        assert summary["pages"] == len(set(pages) - declared) and summary["items"] > 20
        assert summary["concurrency"] == 8 and summary["provider"] == "offline"
        # ...and through the views in the DuckDB file itself, as an analyst opens it.
        con = duckdb.connect(str(db), read_only=True)
        try:
            rows = con.execute(
                "SELECT run_id, project, items FROM run_summary WHERE run_id = ?", [run["runId"]]
            ).fetchall()
            n_items = con.execute(
                "SELECT count(*) FROM items WHERE run_id = ? AND kind <> 'check'", [run["runId"]]
            ).fetchone()[0]
        finally:
            con.close()
        assert rows == [(run["runId"], "crumb-co-bakery", n_items)]

        # Every asset has a description, a group and a kind; the run's picture is attached.
        nodes = graphql(port, ASSET_NODES)
        described = {"/".join(n["assetKey"]["path"]): n for n in nodes["assetNodes"]}
        assert set(ASSETS) <= set(described)
        for name in ASSETS:
            node = described[name]
            assert node["description"] and node["groupName"] and node["kinds"], node
        [latest] = nodes["assetOrError"]["assetMaterializations"]
        assert latest["runId"] == run["runId"]
        assert "timeline" in {e["label"] for e in latest["metadataEntries"]}

        # The asset graph in a real browser: every phase is on the page.
        with tempfile.TemporaryDirectory() as profile:
            dom = _dump_dom(
                f"http://127.0.0.1:{port}/assets/quality_assessment"
                "?view=lineage&lineageScope=upstream&lineageDepth=10",
                Path(profile),
            )
        missing = [name for name in ASSETS if name not in dom]
        assert not missing, f"not in the asset graph page: {missing}"
    finally:
        stop_group(proc)

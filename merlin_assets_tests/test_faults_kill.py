"""`merlin generate` killed with SIGKILL mid-run: the last good site stays whole, and running
it again finishes with nothing duplicated and the finished work served from the reply cache."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import diskcache
import pytest

from merlin_assets.phases import graph
from merlin_assets.render.context import page_filename
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets.timings.ingest import ingest_run
from merlin_assets.timings.store import TimingsStore, default_db_path
from merlin_assets_tests.fault_support import (
    SitesReader,
    new_home,
    run_calls,
    server_calls,
    start_generate,
    tree_bytes,
)
from merlin_assets_tests.test_pipeline import BAKERY

pytestmark = pytest.mark.slow

PROJECT = "crumb-co-bakery"
KEYS = "sk-kill-alpha-0001,sk-kill-bravo-0002"


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    # Slow enough that the run is still in its first rounds when it is killed.
    with FakeOpenAI(ServerSettings(chat_latency_s=0.6, image_latency_s=5.0, seed=5)) as server:
        yield server


def _finish(proc: subprocess.Popen, log: Path, timeout: float = 240) -> str:
    try:
        proc.wait(timeout=timeout)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    output = log.read_text(errors="replace")
    assert proc.returncode == 0, output[-4000:]
    return output


def _ok_replies(fake: FakeOpenAI, before: float = float("inf")) -> int:
    return sum(
        1 for r in server_calls(fake.requests) if r["status"] == 200 and r["ts_end"] < before
    )


def test_sigkill_mid_run_then_generate_again(fake: FakeOpenAI, tmp_path: Path):
    work = tmp_path / "w"
    home = new_home(work)
    sites, cache = work / "sites", tmp_path / "llm-cache"
    log = tmp_path / "cli.log"

    # The last good site, built offline.
    _finish(start_generate(BAKERY, work, {"MERLIN_LLM": "offline"}, log), log)
    good = tree_bytes(sites / PROJECT)
    assert "index.html" in good

    env = {
        "MERLIN_LLM": "openai",
        "OPENAI_API_KEYS": KEYS,
        "OPENAI_BASE_URL": fake.base_url,
        "MERLIN_CACHE_DIR": str(cache),
        "MERLIN_KEY_IMAGES_PER_MIN": "120",
    }
    with SitesReader(sites) as reader:
        proc = start_generate(BAKERY, work, env, log)
        deadline = time.monotonic() + 120
        while _ok_replies(fake) < 5 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.5)  # those five are surely stored; later ones are in flight
        killed_at = time.time()
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # Replies the server sent well before the kill, and all it sent before it.
    settled = _ok_replies(fake, before=killed_at - 1.0)
    answered = _ok_replies(fake, before=killed_at)
    assert settled >= 5

    # The visitor still gets the last good site, byte for byte, and never saw half a file.
    assert tree_bytes(sites / PROJECT) == good
    assert reader.partial == []
    # Every reply the killed run had received was kept; only those in flight may be lost.
    with diskcache.Cache(str(cache / "replies")) as replies:
        cached = len(replies)
    assert settled <= cached <= answered

    fake.update(chat_latency_s=0.05, image_latency_s=0.05)
    # Requests the killed run left in flight are logged when they end; count only new ones.
    rerun_at = time.time()
    output = _finish(start_generate(BAKERY, work, env, log), log)
    asked = [r for r in server_calls(fake.requests) if r["ts_start"] >= rerun_at]
    assert "site ready" in output
    # The next merlin generate closes the run whose process was killed.
    assert "its merlin generate process was killed" in output

    with dg.DagsterInstance.from_config(str(home)) as instance:
        records = instance.get_run_records()
        statuses = sorted(r.dagster_run.status.value for r in records)
        # The offline run, the killed one (marked failed by the rerun) and the second one.
        assert statuses == ["FAILURE", "SUCCESS", "SUCCESS"], statuses
        second = records[0].dagster_run.run_id  # newest first
        killed = next(
            r.dagster_run.run_id for r in records if r.dagster_run.status.value == "FAILURE"
        )
        report, calls = run_calls(instance, second)
        _, killed_calls = run_calls(instance, killed)
        store = TimingsStore(default_db_path(home))
        ingest_run(instance, second, store)  # as the run_timings sensor would, once more

    # The work finished before the kill was free: one cache hit per kept reply, and every
    # request the server saw was for an item the killed run had not finished.
    hits = [c for c in calls if c["cache_hit"]]
    assert len(hits) == cached, [
        (h["asset"], h["partition"], h.get("kind"), h.get("item")) for h in hits
    ]
    assert len(asked) == len(calls) - len(hits)
    assert all(c["status"] == "ok" for c in calls)

    # Exactly the planned pages and images are published: nothing from the killed run, nothing
    # left over from the offline site.
    artifacts = home / "merlin" / "artifacts" / PROJECT
    pages = json.loads((artifacts / "phases" / "page_plan.json").read_text())["pages"]
    images = json.loads((artifacts / "phases" / "image_plan.json").read_text())["images"]
    site = sites / PROJECT
    declared = [p.slug for p in graph().declared_pages]
    assert sorted(p.name for p in site.glob("*.html")) == sorted(
        page_filename(slug) for slug in [*(p["slug"] for p in pages), *declared]
    )
    expected_images = set()
    for image in images:
        saved = json.loads((artifacts / "images" / f"{image['key']}.json").read_text())
        expected_images |= {*saved["files"].values(), saved["fallback"]}
    assert {p.name for p in (site / "images").iterdir()} == expected_images
    assert report.done("site_pages") == len(pages) and report.done("site_images") == len(images)

    # The timings store holds each finished run once, each item once.
    with store.connect() as con:
        runs = con.execute("SELECT run_id, count(*) FROM runs GROUP BY run_id").fetchall()
        dup_items = con.execute(
            "SELECT run_id, item, count(*) FROM items GROUP BY ALL HAVING count(*) > 1"
        ).fetchall()
        n_calls = con.execute(
            "SELECT count(*) FROM llm_calls WHERE run_id = ?", [second]
        ).fetchone()[0]
    # The killed run is there too: what it finished, and the money its calls cost.
    assert len(runs) == 3 and all(n == 1 for _, n in runs), runs
    assert dup_items == []
    assert n_calls == len(calls)
    with store.connect() as con:
        status, spent = con.execute(
            "SELECT status, cost_usd FROM runs WHERE run_id = ?", [killed]
        ).fetchone()
        killed_rows = con.execute(
            "SELECT count(*), sum(cost_usd) FROM llm_calls WHERE run_id = ?", [killed]
        ).fetchone()
    assert status == "FAILURE" and killed_calls
    assert killed_rows[0] == len(killed_calls) and spent == pytest.approx(killed_rows[1], abs=1e-5)
    assert spent > 0
    print(
        f"kill outcome: {answered} replies before SIGKILL, {cached} cached; second run "
        f"{len(calls)} calls, {len(hits)} cache hits, {len(asked)} requests"
    )

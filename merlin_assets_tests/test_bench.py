"""`merlin bench --quick`: the smoke test CI runs. It checks that the benchmark completes and
that its figures are real and agree with one another, never how fast anything was."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import dagster
import duckdb
import pytest
from rich.console import Console

from merlin_assets.bench import report, scenarios
from merlin_assets.bench.runner import Row
from merlin_assets.phases import graph

pytestmark = pytest.mark.slow

# Figures that only the many-projects scenario or a sequential baseline has.
NOT_IN_QUICK = {"bound_s", "peak_run_mb"}


def test_quick_bench_completes_and_reports_every_field(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MERLIN_", "OPENAI_"))}
    work = tmp_path / "work"
    done = subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", "bench", "--quick", "--json", "--keep", work],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["quick"] is True and result["targets"] == []
    info = result["machine"]
    assert info["nproc"] == os.cpu_count() and info["memory_gb"] > 0
    assert info["python"] == platform.python_version()
    assert info["dagster"] == dagster.__version__
    rows = [Row(**r) for r in result["rows"]]
    assert [(r.scenario, r.mode) for r in rows] == [("seed", "sequential"), ("seed", "parallel")]
    profile = scenarios.QUICK.profile
    for row in rows:
        assert row.status == "ok" and row.runs == 1, row
        assert row.profile == profile.describe()
        for field in dataclasses.fields(Row):
            if field.name in NOT_IN_QUICK:
                assert getattr(row, field.name) is None, (row.mode, field.name)
        # Real durations, each span inside the one around it (rounded to 0.01 s).
        assert row.process_s >= row.run_s >= row.wall_s > 0, row
        assert row.sum_s > 0 and 0 < row.critical_path_s <= row.wall_s + 0.01, row
        # The ratios are the ones the durations give.
        assert row.parallelism == pytest.approx(row.sum_s / row.wall_s, abs=0.02), row
        assert row.efficiency == pytest.approx(row.critical_path_s / row.wall_s, abs=0.01), row
        assert 0 < row.efficiency <= 1.01, row
        # Every planned call reached the server once: nothing refused. The server's made-up
        # copy may fail the gate: an item redone calls its writer and its judge once more, never
        # twice (a redo that gives the same copy is not judged again), and nothing comes from
        # the reply cache, which starts empty.
        least = scenarios.calls_per_site(profile)
        assert least <= row.calls <= least + 2 * scenarios.copy_items(profile), row.calls
        assert row.rate_limited == 0 and row.cache_hits == 0
        assert row.peak_mb > 0
        # One site per row, of the scenario's size.
        site = work / f"seed-{row.mode}" / "sites" / f"bench-seed-{row.mode}"
        assert [p.name for p in site.parent.iterdir() if not p.name.startswith(".")] == [site.name]
        # The planned pages and those nodes declare (the privacy notice).
        declared = len(graph().declared_pages)
        assert len(list(site.glob("*.html"))) == profile.pages + declared, row.mode
        assert len(list((site / "images").glob("*.jpg"))) == profile.images, row.mode
    sequential, parallel = rows
    assert sequential.speedup == 1.0
    assert parallel.speedup == round(sequential.wall_s / parallel.wall_s, 2)
    # The sequential baseline sends one call at a time: in its recorded calls none starts before
    # the one before it ended. The parallel run overlaps them. (An ordering of recorded events,
    # not a ratio of durations: the sum/wall ratio of one-at-a-time items drifted past any bound
    # on a busy machine, since an item's span holds its judge's call waiting for the one slot.)
    overlaps = {row.mode: _overlapping_calls(work / f"seed-{row.mode}") for row in rows}
    assert overlaps["sequential"] == 0 and overlaps["parallel"] > 0, overlaps

    console = Console(width=250, record=True)
    console.print(report.table(rows))
    text = console.export_text()
    for _, header, _ in report.COLUMNS:
        assert header in text
    for row in rows:
        assert f"{row.speedup:.2f}x" in text and f"{row.wall_s:.2f}" in text


def test_plans_have_the_sizes_the_scenarios_ask_for():
    for scenario in (*scenarios.SCENARIOS.values(), scenarios.QUICK):
        profile = scenario.profile
        if not profile.images:
            continue
        keys = {k for k, _ in scenarios.section_keys(profile)}
        pages = scenarios.page_plan(profile)["pages"]
        images = scenarios.image_plan(profile)["images"]
        assert len(pages) == profile.pages and len(images) == profile.images
        assert pages[0]["slug"] == "home" and pages[-1]["slug"] == "contact"
        placed = [k for p in pages for k in p["section_keys"]]
        assert sorted(placed) == sorted(keys)  # every section on exactly one page
        assert {i["section_key"] for i in images} <= keys
        assert images[0]["purpose"] == "hero"


def test_responder_answers_only_the_planning_calls():
    answer = scenarios.responder(scenarios.SEED)

    def request(name: str) -> dict:
        return {"response_format": {"type": "json_schema", "json_schema": {"name": name}}}

    assert len(answer(request("ImagePlan"))["images"]) == 10
    assert len(answer(request("PagePlan"))["pages"]) == 4
    assert answer(request("Copywriting")) is None


def _overlapping_calls(work: Path) -> int:
    """How many of the run's model calls started before the one started before them ended."""
    with duckdb.connect(str(work / "home" / "merlin" / "timings.duckdb"), read_only=True) as db:
        spans = db.sql(
            "select started_at, finished_at from llm_calls order by started_at"
        ).fetchall()
    assert spans, work
    return sum(1 for (_, ended), (started, _) in itertools.pairwise(spans) if started < ended)

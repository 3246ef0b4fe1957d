"""`merlin bench --quick`: the smoke test CI runs. It checks that the benchmark completes and
reports every figure, never how fast anything was."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import pytest
from rich.console import Console

from merlin_assets.bench import report, scenarios
from merlin_assets.bench.runner import Row

pytestmark = pytest.mark.slow

# Figures that only the many-projects scenario or a sequential baseline has.
NOT_IN_QUICK = {"bound_s", "peak_run_mb"}


def test_quick_bench_completes_and_reports_every_field(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MERLIN_", "OPENAI_"))}
    done = subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", "bench", "--quick", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["quick"] is True
    assert {"nproc", "memory_gb", "python", "dagster"} <= set(result["machine"])
    rows = [Row(**r) for r in result["rows"]]
    assert [(r.scenario, r.mode) for r in rows] == [("seed", "sequential"), ("seed", "parallel")]
    profile = scenarios.QUICK.profile
    for row in rows:
        assert row.status == "ok"
        for field in dataclasses.fields(Row):
            if field.name not in NOT_IN_QUICK:
                assert getattr(row, field.name) is not None, (row.mode, field.name)
        assert row.calls == scenarios.calls_per_site(profile)
        assert row.rate_limited == 0 and row.cache_hits == 0
    assert rows[0].speedup == 1.0 and rows[1].speedup > 0

    console = Console(width=250, record=True)
    console.print(report.table(rows))
    text = console.export_text()
    for _, header, _ in report.COLUMNS:
        assert header in text


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

"""The timings store: rows agree with the event log, ingestion is idempotent and loses nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from PIL import Image
from typer.testing import CliRunner

from merlin_assets.cli.app import app
from merlin_assets.config.project import load_config
from merlin_assets.definitions import defs as load_defs
from merlin_assets.defs.timings.resources import TimingsDBResource
from merlin_assets.defs.timings.sensors import run_timings
from merlin_assets.timings import ingest as ingest_module
from merlin_assets.timings.critical_path import PlanLinks, critical_path
from merlin_assets.timings.ingest import ingest_run
from merlin_assets.timings.rows import Entry, RunInfo, build_rows
from merlin_assets.timings.run_report import RunReport
from merlin_assets.timings.store import TimingsStore
from merlin_assets_tests.conftest import EXAMPLES

BAKERY = EXAMPLES / "crumb-and-co-bakery.yaml"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


# --- pure: the critical path ---------------------------------------------------------------


def _item(asset, start, duration, partition=None, **extra):
    return {
        "item": f"{asset}[{partition}]" if partition else asset,
        "asset": asset,
        "partition": partition,
        "duration_s": duration,
        "started_at": T0 + timedelta(seconds=start),
        **extra,
    }


def _site(image_s: float, copy_s: float, render_s: float):
    """config, three chat rounds of 3 s, one image and one page, then the site."""
    return [
        _item("project_config", 0, 0.0),
        _item("design_strategy", 0, 3.0),
        _item("design_context", 0, 3.0),
        _item("section_plan", 0, 3.0),
        _item("style_system", 3, 3.0),
        _item("page_plan", 3, 3.0),
        _item("layout", 3, 3.0),
        _item("copywriting", 3, 3.0),
        _item("image_plan", 6, 3.0),
        _item("seo_strategy", 6, 3.0),
        _item("site_images", 9, image_s, "hero"),
        _item("site_pages", 6, copy_s + render_s, "home", lead_s=copy_s),
        _item("site", 21, 0.5),
        _item("quality_assessment", 21.5, 0.5),
    ]


@pytest.mark.parametrize(
    ("image_s", "copy_s", "render_s", "length", "through"),
    [
        # DESIGN.md's example: chat 3 s, image 12 s: three rounds, then the image, then render.
        (12.0, 3.0, 1.0, 9 + 12 + 1 + 1, "site_images[hero]"),
        # Slow copy, fast image: the page's own call is the long pole.
        (1.0, 20.0, 1.0, 6 + 20 + 1 + 1, "site_pages[home]"),
    ],
)
def test_critical_path_follows_the_real_dependencies(image_s, copy_s, render_s, length, through):
    total, path = critical_path(_site(image_s, copy_s, render_s))
    assert total == pytest.approx(length)
    assert path[0] == "project_config" and path[-1] == "quality_assessment"
    assert through in path and "site_pages[home]" in path and "site" in path


def test_a_page_waits_only_for_the_images_of_its_sections():
    items = [
        _item("image_plan", 0, 1.0),
        _item("site_images", 1, 10.0, "gallery-1"),
        _item("site_images", 1, 2.0, "hero"),
        _item("site_pages", 1, 1.5, "home", lead_s=1.0),
    ]
    links = PlanLinks(
        image_sections={"gallery-1": "gallery", "hero": "hero"},
        page_sections={"home": ["hero"], "gallery": ["gallery"]},
        hero="hero",
    )
    total, path = critical_path(items, links)
    assert path == ["image_plan", "site_images[gallery-1]"]
    assert total == pytest.approx(11.0)
    # Without the plans every image counts for every page.
    total, path = critical_path(items)
    assert path == ["image_plan", "site_images[gallery-1]", "site_pages[home]"]
    assert total == pytest.approx(11.5)


def test_rows_are_deterministic_and_ratios_follow():
    entries = [
        Entry(
            "design_strategy",
            None,
            {
                "started_at": "2026-01-01T00:00:00+00:00",
                "finished_at": "2026-01-01T00:00:02+00:00",
                "duration_s": 2.0,
                "depth": 1,
                "calls": [
                    {
                        "item": "design_strategy",
                        "kind": "chat",
                        "provider": "openai",
                        "model": "m",
                        "started_at": "2026-01-01T00:00:00.5+00:00",
                        "finished_at": "2026-01-01T00:00:02+00:00",
                        "duration_s": 1.5,
                        "wait_s": 0.5,
                        "tokens_in": 10,
                        "tokens_out": 5,
                        "cost_usd": 0.01,
                        "key_alias": "team-a",
                    }
                ],
            },
        ),
        Entry(
            "design_context",
            None,
            {
                "started_at": "2026-01-01T00:00:00+00:00",
                "finished_at": "2026-01-01T00:00:04+00:00",
                "duration_s": 4.0,
                "depth": 1,
            },
        ),
    ]
    info = RunInfo(run_id="r1", project="p", status="SUCCESS")
    first, second = build_rows(info, entries), build_rows(info, entries)
    assert first.run == second.run and first.items == second.items
    assert first.run["wall_s"] == 4.0 and first.run["sum_s"] == 6.0
    assert first.run["critical_path_s"] == 4.0
    assert first.run["tokens_in"] == 10 and first.run["limiter_wait_s"] == 0.5
    assert first.calls[0]["key_alias"] == "team-a"


# --- a real run, a real DuckDB file ----------------------------------------------------------


def _generate(instance, config_path: Path, **kwargs) -> dg.ExecuteInProcessResult:
    config = load_config(config_path)
    instance.add_dynamic_partitions("projects", [config.project_id])
    return (
        load_defs()
        .resolve_job_def("generate_site")
        .execute_in_process(
            instance=instance,
            partition_key=config.project_id,
            run_config={"ops": {"site_pipeline": {"config": {"config_path": str(config_path)}}}},
            raise_on_error=False,
            **kwargs,
        )
    )


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TimingsStore:
    db = tmp_path / "analytics" / "timings.duckdb"
    monkeypatch.setenv("MERLIN_TIMINGS_DB", str(db))
    return TimingsStore(db)


def _rows(store: TimingsStore, sql: str, params=()) -> list[tuple]:
    with store.connect() as con:
        return con.execute(sql, list(params)).fetchall()


def test_run_rows_agree_with_the_event_log(instance, sites: Path, store: TimingsStore):
    result = _generate(instance, BAKERY)
    assert result.success
    run_id = result.run_id
    ingest_run(instance, run_id, store)

    report = RunReport(run_id=run_id)
    report.refresh(instance)
    mats = [
        e for e in result.all_events if e.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION
    ]
    summary = store.summary(run_id)
    assert summary["status"] == "SUCCESS" and summary["project"] == "crumb-co-bakery"
    assert summary["items"] == len(mats) == len(report.items)
    assert summary["wall_s"] == pytest.approx(report.wall_s(), abs=1e-3)
    assert summary["sum_s"] == pytest.approx(report.sum_s(), abs=1e-3)
    assert summary["speedup"] == pytest.approx(summary["sum_s"] / summary["wall_s"], abs=0.01)
    assert 0 < summary["critical_path_s"] <= summary["sum_s"]
    assert summary["efficiency"] == pytest.approx(
        summary["critical_path_s"] / summary["wall_s"], abs=0.001
    )
    assert summary["llm_calls"] == sum(i.llm_calls for i in report.items)
    assert summary["concurrency"] == 8 and summary["provider"] == "offline"
    assert summary["config_hash"] == load_config(BAKERY).content_hash()
    assert summary["checks_passed"] == sum(report.checks.values()) == len(report.checks)

    # Every materialization is an item row with its own duration and depth.
    items = {r["item"]: r for r in store.items(run_id)}
    for item in report.items:
        name = f"{item.asset}[{item.partition}]" if item.partition else item.asset
        assert items[name]["duration_s"] == pytest.approx(item.duration_s)
        assert items[name]["depth"] == item.meta["depth"]
    assert {k for k, r in items.items() if r["kind"] == "check"} == {
        f"check:{n}" for n in report.checks
    }
    assert items["design_strategy"]["depth"] == 1 and items["image_plan"]["depth"] == 3
    on_path = [r["item"] for r in items.values() if r["on_critical_path"]]
    assert set(on_path) == set(summary["critical_path"].split(" > "))

    # Every call recorded in metadata is a call row, keyed by item.
    calls = store.calls(run_id)
    assert len(calls) == summary["llm_calls"]
    assert {c["item"] for c in calls} == {
        n for n, r in items.items() if r["llm_calls"] and r["kind"] != "check"
    }

    # The analysts' views over the same rows.
    phase_rows = _rows(store, "SELECT phase, items, median_s FROM phase_durations")
    assert ("site_images", report.done("site_images")) in {(p, n) for p, n, _ in phase_rows}
    cost = _rows(store, "SELECT project, runs, llm_calls FROM cost_by_project")
    assert cost == [("crumb-co-bakery", 1, summary["llm_calls"])]
    waits = _rows(store, "SELECT sum(calls) FROM limiter_waits WHERE run_id = ?", [run_id])
    assert waits == [(summary["llm_calls"],)]

    # The picture of the run is on its final materialization.
    quality = instance.get_latest_materialization_event(dg.AssetKey("quality_assessment"))
    timeline = quality.asset_materialization.metadata["timeline"].value
    assert timeline.startswith("![run timeline](data:image/png;base64,")

    # Ingesting again changes nothing.
    before = {t: _rows(store, f"SELECT * FROM {t} ORDER BY ALL") for t in ("runs", "items")}
    ingest_run(instance, run_id, store)
    ingest_run(instance, run_id, store)
    after = {t: _rows(store, f"SELECT * FROM {t} ORDER BY ALL") for t in ("runs", "items")}
    assert before == after and store.run_ids() == [run_id]

    # `merlin timings --json` prints one object that says the same.
    runner = CliRunner()
    out = runner.invoke(app, ["timings", "--json", "--gantt", str(store.db_path.parent / "g.png")])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    for key in (
        "run_id",
        "project",
        "status",
        "wall_s",
        "sum_s",
        "speedup",
        "critical_path_s",
        "efficiency",
        "llm_calls",
        "cache_hits",
        "tokens",
        "cost_usd",
    ):
        assert key in data
    assert data["run_id"] == run_id and data["llm_calls"] == summary["llm_calls"]
    assert data["sum_s"] == pytest.approx(report.sum_s(), abs=1e-3)
    with Image.open(store.db_path.parent / "g.png") as png:
        assert png.format == "PNG" and png.width >= 800
    table = runner.invoke(app, ["timings", "--project", "crumb-co-bakery"])
    assert table.exit_code == 0 and run_id in table.stdout and "critical path" in table.stdout
    missing = runner.invoke(app, ["timings", "--project", "nobody"])
    assert missing.exit_code == 1


def test_failed_run_lands_with_its_error(instance, sites: Path, store: TimingsStore, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        BAKERY.read_text().replace("name: Crumb & Co Bakery", "id: crumb-co-bakery\nname: 7: x")
    )
    instance.add_dynamic_partitions("projects", ["crumb-co-bakery"])
    result = (
        load_defs()
        .resolve_job_def("generate_site")
        .execute_in_process(
            instance=instance,
            partition_key="crumb-co-bakery",
            run_config={"ops": {"site_pipeline": {"config": {"config_path": str(broken)}}}},
            raise_on_error=False,
        )
    )
    assert not result.success
    ingest_run(instance, result.run_id, store)
    summary = store.summary(result.run_id)
    assert summary["status"] == "FAILURE"
    assert "broken.yaml" in summary["error"]


def _hold_open(db: Path) -> subprocess.Popen:
    """An analyst's process with the database file open read-write (DuckDB locks it)."""
    code = (
        "import sys, duckdb\n"
        f"con = duckdb.connect({str(db)!r})\n"
        "print('open', flush=True)\n"
        "sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_a_locked_database_file_costs_no_rows(instance, sites: Path, store: TimingsStore):
    result = _generate(instance, BAKERY)
    store.db_path.parent.mkdir(parents=True)
    analyst = _hold_open(store.db_path)
    try:
        with pytest.raises(duckdb.IOException):
            duckdb.connect(str(store.db_path))
        ingest_run(instance, result.run_id, store)
        ingest_run(instance, result.run_id, store)
        assert store.run_ids() == [result.run_id]
    finally:
        analyst.stdin.close()
        analyst.wait(timeout=30)
    # Once the analyst lets go, the file's views show the run (created by the next writer).
    assert store.ensure_views()
    con = duckdb.connect(str(store.db_path), read_only=True)
    try:
        rows = con.execute("SELECT run_id, items FROM run_summary").fetchall()
        n_items = con.execute("SELECT count(*) FROM items WHERE kind <> 'check'").fetchone()[0]
    finally:
        con.close()
    assert rows == [(result.run_id, n_items)] and n_items > 20


def test_sensor_records_each_finished_run_once(
    instance, sites: Path, store: TimingsStore, monkeypatch: pytest.MonkeyPatch
):
    first = _generate(instance, BAKERY)
    resources = {"timings_db": TimingsDBResource(path=str(store.db_path))}

    # The store fails once: the cursor must not move past the run, so the next tick has it.
    real = ingest_module.ingest_run
    monkeypatch.setattr(
        "merlin_assets.defs.timings.sensors.ingest_run",
        lambda *a: (_ for _ in ()).throw(OSError("disk full")),
    )
    tick = run_timings(dg.build_sensor_context(instance=instance, resources=resources))
    assert store.run_ids() == []
    monkeypatch.setattr("merlin_assets.defs.timings.sensors.ingest_run", real)

    tick = run_timings(
        dg.build_sensor_context(instance=instance, cursor=tick.cursor, resources=resources)
    )
    assert store.run_ids() == [first.run_id]
    quiet = run_timings(
        dg.build_sensor_context(instance=instance, cursor=tick.cursor, resources=resources)
    )
    assert quiet.skip_reason is not None

    second = _generate(instance, BAKERY)
    run_timings(
        dg.build_sensor_context(instance=instance, cursor=quiet.cursor, resources=resources)
    )
    assert sorted(store.run_ids()) == sorted([first.run_id, second.run_id])
    assert store.latest_run_id("crumb-co-bakery") == second.run_id


def test_generate_records_its_own_run(dagster_home: Path, sites: Path, store: TimingsStore):
    out = CliRunner().invoke(app, ["generate", str(BAKERY), "--concurrency", "3"])
    assert out.exit_code == 0, out.output
    with dg.DagsterInstance.get() as instance:
        run_id = instance.get_run_records(limit=1)[0].dagster_run.run_id
    summary = store.summary(run_id)
    assert summary["source"] == "cli" and summary["concurrency"] == 3
    assert summary["status"] == "SUCCESS" and summary["pages"] >= 3

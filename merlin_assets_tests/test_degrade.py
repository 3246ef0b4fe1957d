"""Degrade, do not fail: a polish node that raises costs its part, never the site.

Faults are ones a machine can really have (a file where a node's artifact folder should be),
except the content review's, which has no such outside cause: its pure function is patched to
raise inside the test. Everything else is real: the scheduler, the offline provider, the
Dagster instance, the CLI and the DuckDB timings store.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from typer.testing import CliRunner

from merlin_assets.cli.app import app
from merlin_assets.config.project import load_config
from merlin_assets.engine import ItemEvent
from merlin_assets.engine.scheduler import describe_error
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.phases import graph
from merlin_assets.phases.content_review import FAMILIES
from merlin_assets.phases.quality_assessment import CHECKS
from merlin_assets.render.fonts import build_fonts
from merlin_assets.timings.ingest import ingest_run, run_rows
from merlin_assets.timings.rows import Entry, RunInfo, build_rows
from merlin_assets.timings.run_report import RunReport
from merlin_assets.timings.store import TimingsStore
from merlin_assets_tests.conftest import EXAMPLES
from merlin_assets_tests.phase_support import run_whole_site, scheduler

BAKERY = EXAMPLES / "crumb-and-co-bakery.yaml"
CONFIG = load_config(BAKERY)
PROJECT = CONFIG.project_id
POLISH = {"site_fonts", "brand_kit", "content_review"}
ICONS = ("favicon.ico", "icon-192.png", "icon-512.png", "apple-touch-icon.png", "social-card.jpg")
REVIEW_ERROR = "the review's facts could not be read"


def _block(artifacts: Path, *folders: str) -> None:
    """A file where a node's artifact folder should be: the node cannot write its files."""
    project = artifacts / PROJECT
    project.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        (project / folder).write_text("not a folder")


def _review_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def review(*args, **kwargs):
        raise RuntimeError(REVIEW_ERROR)

    monkeypatch.setattr("merlin_assets.phases.content_review.review", review)


def _says_the_name(site: Path) -> None:
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 3 and (site / "index.html") in pages
    for page in pages:
        assert CONFIG.name in page.read_text().replace("&amp;", "&"), page.name


def _font_families(css: str) -> list[str]:
    return re.findall(r"--font-(?:heading|body):\s*([^;]+);", css)


# --- the declarations -------------------------------------------------------------------------


def test_each_node_declares_its_role():
    roles = {name: node.role for name, node in graph().nodes.items()}
    assert {n for n, r in roles.items() if r == "polish"} == POLISH
    for name in ("site", "site_pages", "site_images", "project_config", "style_system"):
        assert roles[name] == "essential"
    for name in POLISH:
        node = graph().nodes[name]
        assert node.complete_check == f"{name}_complete" and node.degrades_to


def test_polish_checks_are_asset_checks_on_their_nodes():
    from merlin_assets.definitions import defs as load_defs

    keys = load_defs().resolve_asset_graph().asset_check_keys
    for name in POLISH:
        assert dg.AssetCheckKey(dg.AssetKey(name), f"{name}_complete") in keys
    assert not any(k.name.endswith("_complete") for k in keys if k.asset_key.path[0] == "site")


def test_an_error_is_one_line_without_keys():
    exc = ValueError("bad font\n  file at /x with sk-abcdefghijklmnop")
    assert describe_error(exc) == "ValueError: bad font file at /x with [key]"
    assert describe_error(KeyError()) == "KeyError"
    assert len(describe_error(OSError("x" * 1000))) == 300


def test_timings_rows_mark_degraded_items():
    meta = {
        "started_at": "2026-01-01T00:00:00+00:00",
        "finished_at": "2026-01-01T00:00:01+00:00",
        "duration_s": 1.0,
    }
    entries = [
        Entry("style_system", None, meta),
        Entry("site_fonts", None, {**meta, "degraded": True, "degraded_error": "OSError: x"}),
    ]
    rows = build_rows(RunInfo(run_id="r", project="p", status="SUCCESS"), entries)
    by_item = {i["item"]: i for i in rows.items}
    assert by_item["site_fonts"]["degraded"] and by_item["site_fonts"]["status"] == "degraded"
    assert by_item["site_fonts"]["degraded_error"] == "OSError: x"
    assert not by_item["style_system"]["degraded"] and by_item["style_system"]["status"] == "ok"
    assert rows.run["degraded"] == 1


# --- the scheduler, in process ------------------------------------------------------------------


@dataclass
class Run:
    events: dict[str, ItemEvent]
    site: Path


@pytest.fixture(scope="module")
def degraded_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The bakery built while neither its fonts nor its brand kit can write their files."""
    root = tmp_path_factory.mktemp("degrade")
    _block(root / "work", "fonts", "brand")
    events: dict[str, ItemEvent] = {}
    sched = scheduler(
        project_id=PROJECT,
        llm=OfflineLLM(),
        work=root / "work",
        sites=root / "sites",
        emit=lambda e: events.__setitem__(e.asset, e),
        config_path=BAKERY,
    )
    run_whole_site(sched)
    return Run(events=events, site=root / "sites" / PROJECT)


def test_polish_nodes_degrade_with_their_error(degraded_run: Run):
    degraded = {n: e.degraded for n, e in degraded_run.events.items() if e.degraded}
    assert set(degraded) == {"site_fonts", "brand_kit"}
    for name, error in degraded.items():
        folder = "fonts" if name == "site_fonts" else "brand"
        assert error.startswith(("FileExistsError: ", "NotADirectoryError: ")), error
        assert f"{PROJECT}/{folder}" in error
    # Everything after them still ran: the site and its quality report.
    assert {"site", "quality_assessment", "content_review"} <= set(degraded_run.events)
    assert degraded_run.events["content_review"].degraded is None


def test_site_is_published_with_system_fonts(degraded_run: Run):
    site = degraded_run.site
    _says_the_name(site)
    css = (site / "assets" / "site.css").read_text()
    assert "@font-face" not in css and "url(../fonts" not in css
    assert not (site / "fonts").exists()
    families = _font_families(css)
    assert len(families) == 2
    assert all(f.rstrip().endswith(("sans-serif", "serif", "monospace")) for f in families)
    # Not vacuous: made in full, the same style would have served @font-face rules.
    style = degraded_run.events["style_system"].value
    served = build_fonts(style.fonts.heading, style.fonts.body, CONFIG.name)
    assert "@font-face" in served.css


def test_site_is_published_without_icons(degraded_run: Run):
    for name in ICONS:
        assert not (degraded_run.site / name).exists(), name
    assert degraded_run.events["brand_kit"].value.files == {}
    # The pages link none of them, so no link is left dangling.
    for page in degraded_run.site.glob("*.html"):
        html = page.read_text()
        assert not any(name in html for name in ICONS), page.name
        assert 'rel="stylesheet" href="assets/site.css"' in html


def test_degraded_site_passes_every_quality_check(degraded_run: Run):
    report = degraded_run.events["quality_assessment"].value
    assert {c.name: c.findings for c in report.checks if not c.passed} == {}
    assert {c.name for c in report.checks} == set(CHECKS)


def test_a_page_redone_without_a_kit_links_no_icons(tmp_path: Path):
    """A kit that was never made in full (it degraded on the only run) loads as none, so a
    page redone alone neither fails nor links icons that are not there."""
    sched = scheduler(
        project_id=PROJECT, llm=OfflineLLM(), work=tmp_path / "work", sites=tmp_path / "sites"
    )
    assert "brand_kit" in graph().nodes["site_pages"].upstream
    assert graph().nodes["brand_kit"].load(sched).files == {}


def test_an_essential_node_still_fails_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A page that cannot be rendered fails the run, as before, and the content review that
    needs every page is not mistaken for a degraded one."""

    def render(*args, **kwargs):
        raise ValueError("the page template is broken")

    monkeypatch.setattr("merlin_assets.phases.site_pages._render", render)
    events: list[ItemEvent] = []
    sched = scheduler(
        project_id=PROJECT,
        llm=OfflineLLM(),
        work=tmp_path / "work",
        sites=tmp_path / "sites",
        emit=events.append,
        config_path=BAKERY,
    )
    with pytest.raises(ValueError, match="the page template is broken"):
        asyncio.run(sched.run(graph().project_nodes))
    assert not [e.asset for e in events if e.degraded]
    assert not {"site_pages", "content_review", "site"} & {e.asset for e in events}
    assert not (tmp_path / "sites" / PROJECT / "index.html").exists()


# --- the whole way: Dagster, the CLI and DuckDB -----------------------------------------------


@pytest.fixture
def cli_env(dagster_home: Path, sites: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MERLIN_WORK_DIR", str(tmp_path / "work"))
    db = tmp_path / "analytics" / "timings.duckdb"
    monkeypatch.setenv("MERLIN_TIMINGS_DB", str(db))
    return TimingsStore(db)


def test_generate_publishes_degraded_and_exits_3(
    cli_env: TimingsStore, sites: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    _block(tmp_path / "work" / "artifacts", "fonts", "brand")
    _review_fails(monkeypatch)
    out = CliRunner().invoke(app, ["generate", str(BAKERY)])
    assert out.exit_code == 3, out.output

    # The summary says what the site went without, and why.
    lines = [line for line in out.stdout.splitlines() if line.startswith("degraded:")]
    assert len(lines) == 3, out.stdout
    fonts = next(line for line in lines if line.startswith("degraded: site_fonts failed ("))
    assert "FileExistsError" in fonts or "NotADirectoryError" in fonts
    assert fonts.endswith("; published with system fonts")
    assert any(line.endswith("; published with no icons or social card") for line in lines)
    assert (
        f"degraded: content_review failed (RuntimeError: {REVIEW_ERROR}); published with no "
        "content review"
    ) in lines

    # The site is live and says the business's name, in system fonts and without icons.
    site = sites / PROJECT
    _says_the_name(site)
    assert "@font-face" not in (site / "assets" / "site.css").read_text()
    assert not any((site / name).exists() for name in ICONS)

    # Each polish node's check failed in the instance, with its error.
    with dg.DagsterInstance.get() as instance:
        run_id = instance.get_run_records(limit=1)[0].dagster_run.run_id
        assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.SUCCESS
        report = RunReport(run_id=run_id)
        report.refresh(instance)
        keys = {n: dg.AssetCheckKey(dg.AssetKey(n), f"{n}_complete") for n in POLISH}
        latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            list(keys.values())
        )
        errors = {i.asset: i.meta["degraded_error"] for i in report.degraded}
        assert set(errors) == POLISH and errors["content_review"] == f"RuntimeError: {REVIEW_ERROR}"
        for name, key in keys.items():
            record = latest[key]
            evaluation = record.event.dagster_event.event_specific_data
            assert record.run_id == run_id and evaluation.passed is False
            assert record.status == AssetCheckExecutionRecordStatus.FAILED
            assert evaluation.metadata["error"].value == errors[name] == evaluation.description
        # The site's own checks were still made, and pass; the review's families were not.
        assert {n: report.checks[n] for n in CHECKS} == dict.fromkeys(CHECKS, True)
        assert not set(FAMILIES) & set(report.checks)

        # DuckDB: the run's degraded items, and the same rows when the run is recorded again.
        assert cli_env.summary(run_id)["degraded"] == 3
        with cli_env.connect() as con:
            rows = con.execute(
                "SELECT node, error FROM degraded_items WHERE run_id = ? ORDER BY node", [run_id]
            ).fetchall()
        assert [r[0] for r in rows] == sorted(POLISH)
        assert dict(rows)["content_review"] == f"RuntimeError: {REVIEW_ERROR}"
        items = {i["item"]: i for i in cli_env.items(run_id)}
        assert items["check:site_fonts_complete"]["status"] == "failed"
        assert items["check:site_fonts_complete"]["asset"] == "site_fonts"
        assert not items["style_system"]["degraded"]
        before = cli_env.items(run_id)
        ingest_run(instance, run_id, cli_env)
        assert cli_env.items(run_id) == before
        assert run_rows(instance, run_id).run["degraded"] == 3
    shown = CliRunner().invoke(app, ["timings", "--run", run_id, "--json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["degraded"] == 3


def test_generate_fails_as_before_when_a_page_fails(
    cli_env: TimingsStore, sites: Path, monkeypatch: pytest.MonkeyPatch
):
    def render(*args, **kwargs):
        raise ValueError("the page template is broken")

    monkeypatch.setattr("merlin_assets.phases.site_pages._render", render)
    out = CliRunner().invoke(app, ["generate", str(BAKERY)])
    assert out.exit_code == 1, out.output
    assert "the page template is broken" in out.stderr
    assert "degraded:" not in out.stdout
    assert not (sites / PROJECT / "index.html").exists()


def test_generate_help_documents_the_exit_statuses():
    out = CliRunner().invoke(app, ["generate", "--help"])
    assert out.exit_code == 0
    text = " ".join(out.stdout.split())
    assert "Exit status: 0 the site was published in full; 1 the run failed" in text
    assert "3 the site was published, but a polish part" in text

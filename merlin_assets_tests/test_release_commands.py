"""Living with a site through the `merlin` command: a hand edit survives a regeneration with a
changed config, a conflicting one is kept live and reported, and history, diff, edits and
rollback answer from the releases, recorded in Dagster and in DuckDB.

Two real `merlin generate --rules` runs of the bakery in their own processes, with a real
Dagster home; everything is asserted on files, the instance and the DuckDB views.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from merlin_assets.timings.store import TimingsStore
from merlin_assets_tests.fault_support import cli_env, new_home, redo_page_from_ui

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("releases-cli")]

ROOT = Path(__file__).resolve().parents[1]
BAKERY = ROOT / "examples" / "projects" / "crumb-and-co-bakery.yaml"
PROJECT = "crumb-co-bakery"
OLD_PHONE, NEW_PHONE = "+44 131 555 0186", "+44 131 555 0199"
NEW_DESCRIPTION = "A family-run bakery by the harbour, baking sourdough and cakes every morning."
# The owner's edits: one on a line the new config leaves alone (it merges), one on the line the
# new description rewrites (it conflicts). Any config change reseeds the rule-written copy, so
# most sections change: the edit that merges is in the header's navigation, which does not.
NAV = '<li><a href="about.html">About</a></li>'
MY_NAV = '<li><a href="about.html">Our story</a></li>'
MY_LEAD = "We bake through the night so Leith has bread by seven."


def merlin(work: Path, *args: str, timeout: int = 400) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", *args],
        cwd=work,
        env=cli_env(
            work,
            {"MERLIN_WORK_DIR": str(work / "work"), "MERLIN_TIMINGS_DB": str(work / "t.duckdb")},
        ),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def changed_config(work: Path) -> Path:
    text = BAKERY.read_text().replace(OLD_PHONE, NEW_PHONE)
    lines = text.splitlines()
    start = lines.index("description: >")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  "))
    lines[start:end] = [f"description: {NEW_DESCRIPTION}"]
    path = work / "crumb-and-co-bakery.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def lived(tmp_path_factory) -> dict:
    """Generate, edit by hand, regenerate from a changed config."""
    work = tmp_path_factory.mktemp("lived")
    new_home(work)
    first = merlin(work, "generate", str(BAKERY), "--rules")
    assert first.returncode == 0, first.stdout + first.stderr
    site = work / "sites" / PROJECT
    index, about = site / "index.html", site / "about.html"
    first_index, first_about = index.read_text(), about.read_text()
    assert NAV in first_index and OLD_PHONE in first_index
    index.write_text(first_index.replace(NAV, MY_NAV, 1))
    lead = next(line for line in first_about.splitlines() if 'class="lead"' in line)
    edited_about = first_about.replace(lead, f'  <p class="lead">{MY_LEAD}</p>')
    about.write_text(edited_about)
    edits_before = merlin(work, "edits", PROJECT)
    second = merlin(work, "generate", str(changed_config(work)), "--rules")
    assert second.returncode == 0, second.stdout + second.stderr
    return {
        "work": work,
        "site": site,
        "first_index": first_index,
        "first_about": first_about,
        "edited_about": edited_about,
        "edits_before": edits_before,
        "second": second,
    }


def first_index_count(lived: dict) -> int:
    return lived["first_index"].count(NAV)


def test_a_hand_edit_survives_a_regeneration_with_a_changed_config(lived: dict):
    index = (lived["site"] / "index.html").read_text()
    assert MY_NAV in index  # the owner's words in the header, the footer's link as generated
    assert index.count(NAV) == first_index_count(lived) - 1
    assert NEW_PHONE in index and OLD_PHONE not in index  # and the new config's
    assert "added by hand" not in index and "<<<<<<<" not in index
    out = lived["edits_before"].stdout
    assert lived["edits_before"].returncode == 0, lived["edits_before"].stderr
    assert "edited index.html (since the last publish" in out
    assert "+Our story" in out.replace("    ", "")


def test_a_conflicting_hand_edit_is_kept_live_and_reported(lived: dict):
    site = lived["site"]
    assert (site / "about.html").read_text() == lived["edited_about"]
    beside = (site / "about.html.new").read_text()
    assert NEW_DESCRIPTION in beside and MY_LEAD not in beside
    said = lived["second"].stdout
    assert "✗ hand_edits_merged" in said and "about.html" in said, said
    listed = merlin(lived["work"], "edits", PROJECT).stdout
    assert "edited about.html" in listed and "CONFLICT, new version at about.html.new" in listed
    # The failed check is in Dagster, naming the page.
    with dg.DagsterInstance.from_config(str(lived["work"] / "dagster_home")) as instance:
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("site"), "hand_edits_merged")]
        )[dg.AssetCheckKey(dg.AssetKey("site"), "hand_edits_merged")]
        evaluation = check.event.dagster_event.event_specific_data
        assert evaluation.passed is False
        assert "about.html" in json.dumps(evaluation.metadata["findings"].value)


def test_history_lists_both_publishes_with_runs_and_changes(lived: dict):
    done = merlin(lived["work"], "history", PROJECT, "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["live"] for r in rows] == [True, False]
    newest, oldest = rows
    assert newest["parent"] == oldest["release"] and oldest["parent"] is None
    assert newest["config_digest"] != oldest["config_digest"]
    with dg.DagsterInstance.from_config(str(lived["work"] / "dagster_home")) as instance:
        runs = {r.dagster_run.run_id for r in instance.get_run_records()}
        site = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey("site"), asset_partitions=[PROJECT]),
            limit=10,
        ).records
    assert {newest["run_id"], oldest["run_id"]} <= runs
    # Each publish is a `site` materialization naming its release.
    named = [r.asset_materialization.metadata["release"].value for r in site]
    assert newest["release"] in named and oldest["release"] in named
    # The phone changed every page; the description the about page.
    assert "index.html" in newest["words_changed"] and newest["pages_changed"] >= 5
    assert {e["path"]: e["outcome"] for e in newest["hand_edits"]} == {
        "index.html": "merged",
        "about.html": "conflict",
    }
    table = merlin(lived["work"], "history", PROJECT).stdout
    assert newest["release"] in table and "*" in table


def test_diff_shows_the_visible_text_that_changed(lived: dict):
    done = merlin(lived["work"], "diff", PROJECT)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"+{NEW_PHONE}" in out and f"-{OLD_PHONE}" in out
    assert "+Our story" in out  # the merged hand edit is published
    assert "<p" not in out and "class=" not in out  # visible text, not markup
    assert "asset added: about.html.new" in out


def test_rollback_makes_the_first_release_live_and_is_recorded(lived: dict):
    work = lived["work"]
    rows = json.loads(merlin(work, "history", PROJECT, "--json").stdout)
    done = merlin(work, "rollback", PROJECT)
    assert done.returncode == 0, done.stderr
    assert f"live: {rows[1]['release']} (was {rows[0]['release']})" in done.stdout
    site = lived["site"]
    assert (site / "index.html").read_text() == lived["first_index"]
    assert (site / "about.html").read_text() == lived["first_about"]
    assert not (site / "about.html.new").exists()
    after = json.loads(merlin(work, "history", PROJECT, "--json").stdout)
    assert [r["live"] for r in after] == [False, True]
    with TimingsStore(work / "t.duckdb").connect() as con:
        kinds = con.execute(
            "SELECT kind, release FROM releases WHERE project = ? ORDER BY switched_at", [PROJECT]
        ).fetchall()
        summary = con.execute(
            "SELECT publishes, rollbacks, live_release FROM publishes_by_project WHERE project = ?",
            [PROJECT],
        ).fetchone()
    assert kinds == [
        ("publish", rows[1]["release"]),
        ("publish", rows[0]["release"]),
        ("rollback", rows[1]["release"]),
    ]
    assert summary == (2, 1, rows[1]["release"])
    missing = merlin(work, "rollback", PROJECT, "2001")
    assert missing.returncode == 1 and "matches no release" in missing.stderr


def test_a_page_redone_from_the_ui_is_a_release_and_a_site_materialization(
    lived: dict, monkeypatch: pytest.MonkeyPatch
):
    """Materializing one `site_pages` partition (what the UI does) publishes a new release of
    kind `items` and records it as a `site` materialization."""
    work = lived["work"]
    monkeypatch.setenv("MERLIN_SITES_DIR", str(work / "sites"))
    monkeypatch.setenv("MERLIN_WORK_DIR", str(work / "work"))
    monkeypatch.setenv("MERLIN_LLM", "offline")

    before = json.loads(merlin(work, "history", PROJECT, "--json").stdout)
    live_before = next(r["release"] for r in before if r["live"])
    with dg.DagsterInstance.from_config(str(work / "dagster_home")) as instance:
        latest = redo_page_from_ui(instance, PROJECT, "home")
    after = json.loads(merlin(work, "history", PROJECT, "--json").stdout)
    newest = after[0]
    assert newest["live"] and newest["kind"] == "items" and newest["parent"] == live_before
    meta = latest.asset_materialization.metadata
    assert meta["release"].value == newest["release"]
    assert meta["release_kind"].value == "items"

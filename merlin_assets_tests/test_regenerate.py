"""One section redone on request: `merlin regenerate` and the `regenerate_page` job.

The bakery is built once by rules (a real `merlin generate --rules` process, real Dagster
home), with a folder host mirroring the site; each test works on its own copy. Model calls go
over HTTP to a local FakeOpenAI through the real openai client, and every count below is what
that server received. Everything is asserted on files, the instance and DuckDB.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets.timings.store import TimingsStore
from merlin_assets_tests.fault_support import cli_env, new_home, redo_page_from_ui

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("regenerate")]

ROOT = Path(__file__).resolve().parents[1]
BAKERY = ROOT / "examples" / "projects" / "crumb-and-co-bakery.yaml"
PROJECT = "crumb-co-bakery"
NOTE = "warmer, mention the harbour"
# What the fake model writes for the section: words the rules never use, which the content
# gate passes for the bakery (no claim the config does not make).
HEADING = "A warm welcome down by the harbour"
BODY = (
    "Pop in on your way along the harbour and the kettle is already on. Our sourdough and "
    "cakes are baked fresh for the neighbourhood."
)
SECTION = {
    "key": "anything",  # the repair puts the planned key back
    "eyebrow": "Why neighbours come back",
    "heading": HEADING,
    "body": BODY,
    "bullets": ["Sourdough baked fresh", "Cakes for every celebration"],
    "cta_label": "Visit us",
}


def merlin(work: Path, *args: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", *args],
        cwd=work,
        env=cli_env(
            work,
            {
                "MERLIN_WORK_DIR": str(work / "work"),
                "MERLIN_TIMINGS_DB": str(work / "t.duckdb"),
                **(env or {}),
            },
        ),
        capture_output=True,
        text=True,
        timeout=600,
    )


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("regen-base")
    new_home(work)
    config = work / "crumb-and-co-bakery.yaml"
    mirror = work / "mirror"
    config.write_text(BAKERY.read_text() + f"\npublish:\n  - host: folder\n    path: {mirror}\n")
    done = merlin(work, "generate", str(config), "--rules")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return work


@pytest.fixture
def work(base: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "w"
    shutil.copytree(base, copy, symlinks=True)
    # The stored config names the host's folder: this copy's own.
    stored = copy / "work" / "artifacts" / PROJECT / "phases" / "project_config.json"
    stored.write_text(stored.read_text().replace(str(base / "mirror"), str(copy / "mirror")))
    return copy


class Model:
    """The fake model's answers, and every prompt it was asked."""

    def __init__(self):
        self.prompts: list[str] = []

    def __call__(self, request: dict[str, Any]) -> dict[str, Any] | None:
        self.prompts.append(request["messages"][-1]["content"])
        name = request["response_format"]["json_schema"]["name"]
        if name == "SectionCopy":
            return SECTION
        if name == "PageCopy":  # the about page has one section, `about`
            return {"slug": "about", "sections": [{**SECTION, "key": "about"}]}
        if name == "Verdict":  # the fact-check judge finds nothing unsupported
            return {"unsupported": []}
        return None


def openai_env(fake: FakeOpenAI, work: Path, **extra: str) -> dict[str, str]:
    return {
        "MERLIN_LLM": "openai",
        "OPENAI_API_KEYS": "sk-test-regen",
        "OPENAI_BASE_URL": fake.base_url,
        "MERLIN_CACHE_DIR": str(work / "cache"),
        **extra,
    }


def chat_requests(fake: FakeOpenAI) -> list[dict]:
    return [r for r in fake.requests if r["path"].endswith("/chat/completions")]


def history(work: Path) -> list[dict]:
    done = merlin(work, "history", PROJECT, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def stored_copy(work: Path, slug: str) -> dict:
    path = work / "work" / "artifacts" / PROJECT / "phases" / f"page_copy-{slug}.json"
    return json.loads(path.read_text())


def reported(work: Path, asset: str) -> dg.EventLogEntry:
    """The newest materialization of `asset` in the instance the CLI wrote to."""
    with dg.DagsterInstance.from_config(str(work / "dagster_home")) as instance:
        [record] = instance.fetch_materializations(dg.AssetKey(asset), limit=1).records
        return record.event_log_entry


def test_one_section_is_one_call_carrying_the_note(work: Path):
    """The default: the writer's call alone (the content gate's rules read the new copy; the
    fact-check judge only with --fact-check)."""
    site = work / "sites" / PROJECT
    before, copy_before = files_of(site), stored_copy(work, "home")
    live_before = next(r["release"] for r in history(work) if r["live"])
    model = Model()
    with FakeOpenAI(ServerSettings(responder=model)) as fake:
        done = merlin(work, "regenerate", PROJECT, "--page", "home", "--section", "2",
                      "--note", NOTE, env=openai_env(fake, work))  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert len(chat_requests(fake)) == 1
    [prompt] = model.prompts
    assert f"<note>\n{NOTE}\n</note>" in prompt and 'key "value-proposition"' in prompt
    assert "1 model call (openai)" in done.stdout
    after = files_of(site)
    # The section is on the page; every other file of the release is byte for byte as it was.
    page = after["index.html"].decode()
    assert HEADING in page and BODY in page
    assert set(after) == set(before)
    assert [r for r in before if before[r] != after[r]] == ["index.html"]
    # The other sections of the page keep their words.
    copy_after = stored_copy(work, "home")
    kept = [s for i, s in enumerate(copy_before["sections"]) if i != 1]
    assert [s for i, s in enumerate(copy_after["sections"]) if i != 1] == kept
    assert copy_after["sections"][1]["key"] == "value-proposition"
    assert copy_after["sections"][1]["heading"] == HEADING
    # A new release, live, with the note; in history, Dagster, DuckDB and on the host.
    newest = history(work)[0]
    assert newest["live"] and newest["kind"] == "items" and newest["parent"] == live_before
    assert newest["note"] == f"home section 2 regenerated: {NOTE}"
    assert newest["pages_changed"] == 1 and newest["images_changed"] == 0
    assert newest["cost_usd"] is not None and newest["cost_usd"] > 0
    table = merlin(work, "history", PROJECT).stdout
    # A table cell wraps at the terminal's width: its words are there, not always on one line.
    assert "note" in table and "harbour" in table
    # Reported to Dagster without a run (the page went live before Dagster was imported):
    # the site's materialization names the release; the page's counts its one call.
    site_entry, page_entry = reported(work, "site"), reported(work, "site_pages")
    site_meta = site_entry.asset_materialization.metadata
    assert site_meta["release"].value == newest["release"]
    assert site_meta["note"].value == newest["note"]
    assert site_entry.asset_materialization.partition == PROJECT
    page_meta = page_entry.asset_materialization.metadata
    assert page_meta["page"].value == "home" and page_meta["llm_calls"].value == 1
    assert page_meta["note"].value == NOTE
    with TimingsStore(work / "t.duckdb").connect() as con:
        rows = con.execute(
            "SELECT kind, note, cost_usd FROM releases WHERE release = ?", [newest["release"]]
        ).fetchall()
    assert rows == [("items", newest["note"], pytest.approx(newest["cost_usd"]))]
    assert files_of(work / "mirror") == after


def test_with_the_fact_check_judge_the_gate_is_a_second_call(work: Path):
    """--fact-check: the judge reads the new section (a call of its own, which does not carry
    the note); the copy passes, so nothing is asked again."""
    model = Model()
    with FakeOpenAI(ServerSettings(responder=model)) as fake:
        done = merlin(work, "regenerate", PROJECT, "--page", "home", "--section", "2",
                      "--note", NOTE, "--fact-check", env=openai_env(fake, work))  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert len(chat_requests(fake)) == 2
    writer, judge = model.prompts
    assert NOTE in writer and NOTE not in judge and HEADING in judge
    assert "2 model calls (openai)" in done.stdout
    page_meta = reported(work, "site_pages").asset_materialization.metadata
    assert [c["kind"] for c in page_meta["calls"].value] == ["chat", "fact_check"]


def test_a_section_the_gate_refuses_is_asked_again_and_said(work: Path):
    """An invented award fails the content gate: the redo is a second call, reported."""
    model = Model()
    invented = {**SECTION, "body": "Voted Edinburgh's best bakery three years running. " + BODY}
    answers = iter([invented, SECTION])

    def answer(request: dict[str, Any]) -> dict[str, Any] | None:
        model(request)
        return next(answers)

    with FakeOpenAI(ServerSettings(responder=answer)) as fake:
        done = merlin(work, "regenerate", PROJECT, "--page", "home", "--section", "2",
                      "--note", NOTE, env=openai_env(fake, work))  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert len(chat_requests(fake)) == 2
    assert "2 model calls (openai); the content gate asked once more" in done.stdout
    page = (work / "sites" / PROJECT / "index.html").read_text()
    assert "Voted" not in page and HEADING in page
    meta = reported(work, "site_pages").asset_materialization.metadata
    assert meta["llm_calls"].value == 2 and meta["regenerated"].value
    assert "unsupported_claim: 'Voted'" in " ".join(meta["gate_findings"].value)


def test_a_whole_page_is_one_call_and_the_rest_is_unchanged(work: Path):
    site = work / "sites" / PROJECT
    before = files_of(site)
    model = Model()
    with FakeOpenAI(ServerSettings(responder=model)) as fake:
        env = openai_env(fake, work)
        done = merlin(work, "regenerate", PROJECT, "--page", "about", "--note", NOTE, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        requests = len(chat_requests(fake))
    [prompt] = model.prompts
    assert requests == 1 and f"<note>\n{NOTE}\n</note>" in prompt
    assert 'Write the copy for the page "about"' in prompt
    after = files_of(site)
    assert [r for r in before if before[r] != after[r]] == ["about.html"]
    assert HEADING in after["about.html"].decode()
    assert history(work)[0]["note"] == f"about regenerated: {NOTE}"


def test_offline_it_is_one_call_by_rules(work: Path):
    site = work / "sites" / PROJECT
    before = files_of(site)
    done = merlin(work, "regenerate", PROJECT, "--page", "contact", "--section", "1",
                  "--note", NOTE, "--rules")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 model call (offline)" in done.stdout
    # The rules write the section as they did: the release is new, its pages the same.
    assert files_of(site) == before
    newest = history(work)[0]
    assert newest["live"] and newest["note"] == f"contact section 1 regenerated: {NOTE}"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--page", "blog"), "'blog' is not a page of 'crumb-co-bakery'; its pages are home, "),
        (("--page", "home", "--section", "9"), "page 'home', which has 4: 1 (hero), 2 ("),
        (("--page", "home", "--section", "0"), "0 is not a section of page 'home'"),
    ],
)
def test_bad_page_or_section_names_the_choices_and_writes_nothing(
    work: Path, args: tuple[str, ...], said: str
):
    before = {p: p.stat().st_mtime_ns for p in work.rglob("*")}
    done = merlin(work, "regenerate", PROJECT, *args, "--rules")
    assert done.returncode == 2 and said in " ".join(done.stderr.split())
    assert {p: p.stat().st_mtime_ns for p in work.rglob("*")} == before


def _job_resources(fake: FakeOpenAI, work: Path) -> dict:
    from merlin_assets.defs.resources import LLMResource, PathsResource

    return {
        "llm": LLMResource(
            provider="openai", base_url=fake.base_url, cache=False, fact_check=False
        ),
        "paths": PathsResource(sites_dir=str(work / "sites"), work_dir=str(work / "work")),
    }


def test_the_job_runs_in_process_with_run_config(work: Path, monkeypatch: pytest.MonkeyPatch):
    from merlin_assets.definitions import defs as load_defs

    monkeypatch.setenv("OPENAI_API_KEYS", "sk-test-regen")
    site = work / "sites" / PROJECT
    before = files_of(site)
    model = Model()
    job = load_defs().resolve_job_def("regenerate_page")
    with (
        FakeOpenAI(ServerSettings(responder=model)) as fake,
        dg.DagsterInstance.from_config(str(work / "dagster_home")) as instance,
    ):
        config = {"project": PROJECT, "page": "home", "section": 2, "note": NOTE}
        result = job.execute_in_process(
            instance=instance,
            run_config={"ops": {"regenerate": {"config": config}}},
            resources=_job_resources(fake, work),
        )
        assert result.success
        assert len(chat_requests(fake)) == 1
        mats = {
            m.asset_key.to_user_string(): m
            for m in result.asset_materializations_for_node("regenerate")
        }
        bad = job.execute_in_process(
            instance=instance,
            run_config={"ops": {"regenerate": {"config": {**config, "page": "blog"}}}},
            resources=_job_resources(fake, work),
            raise_on_error=False,
        )
        assert len(chat_requests(fake)) == 1
    assert NOTE in model.prompts[0]
    site_meta = mats["site"].metadata
    newest = history(work)[0]
    assert site_meta["release"].value == newest["release"] and newest["live"]
    assert site_meta["note"].value == f"home section 2 regenerated: {NOTE}"
    assert [d["host"] for d in site_meta["deploys"].value] == ["folder"]
    page_meta = mats["site_pages"].metadata
    assert page_meta["page"].value == "home" and page_meta["llm_calls"].value == 1
    after = files_of(site)
    assert [r for r in before if before[r] != after[r]] == ["index.html"]
    assert HEADING in after["index.html"].decode()
    assert files_of(work / "mirror") == after
    assert not bad.success
    failure = next(e for e in bad.all_events if e.is_step_failure)
    assert "'blog' is not a page of 'crumb-co-bakery'" in failure.step_failure_data.error.message
    assert history(work)[0]["release"] == newest["release"]
    # The judge reads the new copy when the run config asks: a second call, without the note.
    judged = Model()
    with (
        FakeOpenAI(ServerSettings(responder=judged)) as fake,
        dg.DagsterInstance.from_config(str(work / "dagster_home")) as instance,
    ):
        again = job.execute_in_process(
            instance=instance,
            run_config={"ops": {"regenerate": {"config": {**config, "fact_check": True}}}},
            resources=_job_resources(fake, work),
        )
        assert again.success and len(chat_requests(fake)) == 2
    assert NOTE in judged.prompts[0] and NOTE not in judged.prompts[1]


def test_a_page_redone_from_the_ui_is_pushed_to_the_hosts(
    work: Path, monkeypatch: pytest.MonkeyPatch
):
    """Materializing one `site_pages` partition (what the UI does) deploys the new release."""

    monkeypatch.setenv("MERLIN_SITES_DIR", str(work / "sites"))
    monkeypatch.setenv("MERLIN_WORK_DIR", str(work / "work"))
    monkeypatch.setenv("MERLIN_LLM", "offline")
    mirror = work / "mirror"
    # What the last deploy left on the host is gone; the redo's deploy must put it back.
    (mirror / "about.html").unlink()
    with dg.DagsterInstance.from_config(str(work / "dagster_home")) as instance:
        latest = redo_page_from_ui(instance, PROJECT, "about")
    [deploy] = latest.asset_materialization.metadata["deploys"].value
    assert deploy["host"] == "folder" and not deploy["error"] and deploy["files_uploaded"] >= 1
    assert files_of(mirror) == files_of(work / "sites" / PROJECT)

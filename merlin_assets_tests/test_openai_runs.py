"""Whole runs with the OpenAI provider: a real Dagster instance, the real `openai` client, and
the fake OpenAI server over HTTP."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from merlin_assets.phases import graph
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets_tests.conftest import EXAMPLES, REPO
from merlin_assets_tests.test_pipeline import BAKERY, _generate

pytestmark = pytest.mark.slow

KEYS = ["sk-test-alpha-0001", "sk-test-bravo-0002", "sk-test-charlie-0003"]
PLUMBING = EXAMPLES / "greenline-plumbing.yaml"
CALL_PATHS = ("/v1/chat/completions", "/v1/images/generations")


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(ServerSettings(chat_latency_s=0.05, image_latency_s=0.05, seed=3)) as server:
        yield server


@pytest.fixture
def openai_env(sites: Path, fake: FakeOpenAI, tmp_path: Path, monkeypatch) -> dict[str, str]:
    env = {
        "MERLIN_LLM": "openai",
        "OPENAI_API_KEYS": ",".join(KEYS),
        "OPENAI_BASE_URL": fake.base_url,
        "MERLIN_CACHE_DIR": str(tmp_path / "llm-cache"),
        "MERLIN_KEY_IMAGES_PER_MIN": "60",
        "MERLIN_TIMEOUT_S": "5",
    }
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def _calls(fake: FakeOpenAI) -> list[dict]:
    return [r for r in fake.requests if r["path"] in CALL_PATHS]


def _records(instance: dg.DagsterInstance) -> list[dict]:
    """Every call record in every materialization's metadata, of every node of the graph (a
    new phase's calls are counted without being listed here)."""
    records = []
    for name in graph().nodes:
        result = instance.fetch_materializations(dg.AssetKey(name), limit=1000)
        for rec in result.records:
            meta = rec.asset_materialization.metadata
            if "calls" in meta:
                records += [dict(c, asset=name) for c in meta["calls"].value]
    return records


def _all_metadata_text(instance: dg.DagsterInstance) -> str:
    """Every event of every run (metadata, logs, failures) as text."""
    return "\n".join(
        str(entry) for run in instance.get_runs() for entry in instance.all_logs(run.run_id)
    )


def _max_per_window(stamps: list[float], window: float = 60.0) -> int:
    stamps = sorted(stamps)
    return max(
        (sum(1 for t in stamps[i:] if t < s + window) for i, s in enumerate(stamps)), default=0
    )


def _assert_site_complete(sites: Path, project: str = "crumb-co-bakery") -> None:
    site = sites / project
    assert (site / "index.html").is_file() and (site / "contact.html").is_file()
    assert any((site / "images").glob("*.webp"))


def test_site_through_three_keys_within_their_limits(instance, openai_env, fake, sites):
    per_minute = 6
    os.environ["MERLIN_KEY_RPM"] = str(per_minute)
    fake.update(per_key_rpm={"*": per_minute})
    try:
        assert _generate(instance, BAKERY).success
    finally:
        del os.environ["MERLIN_KEY_RPM"]
    _assert_site_complete(sites)

    calls = _calls(fake)
    by_key = Counter(r["key"] for r in calls)
    assert set(by_key) == set(KEYS), by_key
    assert [r for r in calls if r["status"] != 200] == []  # no self-inflicted 429
    for key in KEYS:
        assert _max_per_window([r["ts_start"] for r in calls if r["key"] == key]) <= per_minute

    records = _records(instance)
    # Every call the server saw is on record, and every record is a call the server saw: a
    # redo that changed nothing is not judged again, so nothing comes from the reply cache.
    assert not any(r["cache_hit"] for r in records)
    assert len(records) == len(calls)
    assert {r["key_alias"] for r in records} == {"key#1", "key#2", "key#3"}
    assert all(r["provider"] == "openai" and r["status"] == "ok" for r in records)
    # The writers' calls and the fact-check judge's: both are chat completions.
    chats = [r for r in records if r["kind"] in ("chat", "fact_check")]
    images = [r for r in records if r["kind"] == "image"]
    assert {r["model"] for r in chats} == {"gpt-4o-mini"}
    assert {r["model"] for r in images} == {"gpt-image-1"}
    assert all(r["tokens_in"] > 0 and r["tokens_out"] > 0 and r["cost_usd"] > 0 for r in records)
    assert sum(r["tokens_in"] for r in chats) == sum(
        r["prompt_tokens"] for r in calls if "chat" in r["path"]
    )
    strategy = instance.get_latest_materialization_event(dg.AssetKey("design_strategy"))
    meta = strategy.asset_materialization.metadata
    assert meta["cost_usd"].value > 0 and meta["cache_hits"].value == 0
    assert meta["attempts"].value == 1
    text = _all_metadata_text(instance)
    assert not any(key in text for key in KEYS)


def test_second_run_is_served_from_the_cache(instance, openai_env, fake, sites):
    assert _generate(instance, BAKERY).success
    first = len(_calls(fake))
    assert first >= 10
    assert _generate(instance, BAKERY).success
    assert len(_calls(fake)) == first  # zero calls the second time
    _assert_site_complete(sites)
    latest = instance.get_latest_materialization_event(dg.AssetKey("copywriting"))
    meta = latest.asset_materialization.metadata
    # The writer's call and the fact-check judge's (and a redo's, when the server's made-up
    # copy failed the gate), all from the cache.
    assert meta["cache_hits"].value == meta["llm_calls"].value >= 2
    assert meta["cost_usd"].value == 0
    assert meta["fallback"].value is False


def test_thirty_percent_faults_still_build_the_site(instance, openai_env, fake, sites):
    os.environ.update({"MERLIN_TIMEOUT_S": "0.5", "MERLIN_MAX_RETRIES": "0"})
    chat = {"429": 0.05, "500": 0.05, "hang": 0.05, "malformed": 0.05, "truncated": 0.05}
    fake.update(
        faults={**chat, "refusal": 0.05, "bad_image": 0.05, "bomb": 0.05},
        retry_after_s=0.05,
        hang_s=2.0,
    )
    try:
        assert _generate(instance, BAKERY).success
    finally:
        for name in ("MERLIN_TIMEOUT_S", "MERLIN_MAX_RETRIES"):
            del os.environ[name]
    _assert_site_complete(sites)
    fake.stop()  # wakes hung requests so that every attempt is in the log
    calls = _calls(fake)
    faults = Counter(r["fault"] for r in calls if r["fault"])
    assert sum(faults.values()) >= 3, faults

    records = _records(instance)
    # Every attempt the server saw is accounted for in some call record.
    assert sum(r["attempts"] for r in records) == len(calls)
    retried = [r for r in records if r["attempts"] > 1]
    assert retried
    fallbacks = [r for r in records if r["status"] == "fallback"]
    assert fallbacks  # with no transport retries, some calls must fall back
    for r in fallbacks:
        assert r["fallback_reason"], r
    item_meta = [
        e.asset_materialization.metadata
        for name in ("site_images", "site_pages", "copywriting", "design_strategy")
        for e in [instance.get_latest_materialization_event(dg.AssetKey(name))]
        if e is not None
    ]
    for meta in item_meta:
        if meta["fallback"].value:
            assert meta["fallback_reason"].value
    # The published images came from the API unless their item fell back.
    image_files = list((sites / "crumb-co-bakery" / "images").glob("*.webp"))
    assert image_files


def test_rejected_key_is_dropped_and_named_by_alias(instance, openai_env, fake, sites, caplog):
    bad = KEYS[1]
    fake.update(rejected_keys={bad})
    with caplog.at_level(logging.WARNING, logger="merlin_assets.gateway.keys"):
        assert _generate(instance, BAKERY).success
    _assert_site_complete(sites)
    calls = _calls(fake)
    rejected = [r for r in calls if r["key"] == bad]
    assert rejected and all(r["status"] == 401 for r in rejected)
    first_rejection = min(r["ts_end"] for r in rejected)
    assert all(r["ts_start"] <= first_rejection + 0.05 for r in rejected)  # then never again
    assert {r["key"] for r in calls if r["status"] == 200} == {KEYS[0], KEYS[2]}
    records = _records(instance)
    assert all(r["status"] == "ok" for r in records)  # the run finished on the others
    assert {r["key_alias"] for r in records} == {"key#1", "key#3"}
    messages = [r.getMessage() for r in caplog.records]
    assert any("key#2" in m and "401" in m for m in messages), messages
    assert not any(bad in m for m in messages)
    assert bad not in _all_metadata_text(instance)


def test_every_key_rejected_falls_back_and_says_which(instance, openai_env, fake, sites):
    fake.update(rejected_keys=set(KEYS))
    assert _generate(instance, BAKERY).success
    _assert_site_complete(sites)
    records = _records(instance)
    assert records and all(r["status"] == "fallback" for r in records)
    reason = records[0]["fallback_reason"]
    assert "key#1 (HTTP 401)" in reason and "key#3 (HTTP 401)" in reason
    assert not any(key in _all_metadata_text(instance) for key in KEYS)


def test_spending_cap_falls_back_to_rules(instance, openai_env, fake, sites, monkeypatch):
    # About three chat calls' worst case at gpt-4o-mini prices.
    monkeypatch.setenv("MERLIN_MAX_COST_USD", "0.008")
    assert _generate(instance, BAKERY).success
    _assert_site_complete(sites)
    records = _records(instance)
    capped = [r for r in records if "spending cap" in r["fallback_reason"]]
    paid = [r for r in records if r["status"] == "ok"]
    assert capped and paid
    assert sum(r["cost_usd"] for r in records) <= 0.008
    assert all(r["attempts"] == 0 and r["cost_usd"] == 0 for r in capped)


def _run_cli(config: Path, workdir: Path, env: dict[str, str]) -> subprocess.Popen:
    workdir.mkdir(parents=True)
    home = workdir / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MERLIN_", "OPENAI_"))}
    clean.update(env, DAGSTER_HOME=str(home), MERLIN_SITES_DIR=str(workdir / "sites"))
    return subprocess.Popen(
        [sys.executable, "-m", "merlin_assets.cli", "generate", str(config)],
        cwd=workdir,
        env=clean,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_processes_share_each_keys_budget(openai_env, fake, tmp_path):
    """Two projects built at once in two processes: together within each key's limit.

    The limit binds (the two sites need more calls than the keys allow in one minute), so
    this takes a little over a minute: the second minute's calls wait for the window.
    """
    per_minute = 8
    fake.update(per_key_rpm={"*": per_minute})
    env = {**openai_env, "MERLIN_KEY_RPM": str(per_minute)}
    started = time.monotonic()
    procs = [
        _run_cli(config, tmp_path / f"proc{i}", env) for i, config in enumerate((BAKERY, PLUMBING))
    ]
    outputs = [p.communicate(timeout=400)[0] for p in procs]
    elapsed = time.monotonic() - started
    for proc, output in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, output
        assert "site ready" in output
    calls = _calls(fake)
    assert len(calls) > per_minute * len(KEYS)  # more than one minute's worth: the limit bound
    assert elapsed > 55
    first = {key: min(r["ts_start"] for r in calls if r["key"] == key) for key in KEYS}
    refused = [
        (r["key"][-4:], round(r["ts_start"] - first[r["key"]], 2))
        for r in calls
        if r["status"] != 200
    ]
    assert [r for r in calls if r["status"] != 200] == [], refused
    for key in KEYS:
        stamps = [r["ts_start"] for r in calls if r["key"] == key]
        assert _max_per_window(stamps) <= per_minute, key
    for i, project in enumerate(("crumb-co-bakery", "greenline-plumbing-heating")):
        assert (tmp_path / f"proc{i}" / "sites" / project / "index.html").is_file()
    assert not any(key in "".join(outputs) for key in KEYS)

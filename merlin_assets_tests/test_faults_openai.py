"""Faults from the API during real Dagster runs: every site completes, every fallback is
recorded, and nothing under sites/ is ever half written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from merlin_assets.config.project import load_config
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets_tests.conftest import EXAMPLES
from merlin_assets_tests.fault_support import SitesReader, run_calls, server_calls
from merlin_assets_tests.test_pipeline import BAKERY, _generate

pytestmark = pytest.mark.slow

KEYS = ["sk-fault-alpha-0001", "sk-fault-bravo-0002"]
# The mix. One uniform draw per request picks at most one fault; images have no
# malformed/truncated replies, so they see the 429/500/hang part of it.
MIX = {"429": 0.20, "500": 0.10, "malformed": 0.05, "truncated": 0.05, "hang": 0.05}
PROJECTS = [BAKERY, EXAMPLES / "greenline-plumbing.yaml", EXAMPLES / "brightsmile-dental.json"]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    settings = ServerSettings(chat_latency_s=0.05, image_latency_s=0.1, seed=11)
    with FakeOpenAI(settings) as server:
        yield server


@pytest.fixture
def openai_env(sites: Path, fake: FakeOpenAI, tmp_path: Path, monkeypatch) -> dict[str, str]:
    env = {
        "MERLIN_LLM": "openai",
        "OPENAI_API_KEYS": ",".join(KEYS),
        "OPENAI_BASE_URL": fake.base_url,
        "MERLIN_CACHE_DIR": str(tmp_path / "llm-cache"),
        "MERLIN_KEY_IMAGES_PER_MIN": "120",
        # Each chat call reserves its worst case (prompt + 4096 output tokens) of the per-key
        # token budget; at the default 200k/min four quick runs would wait for the window.
        "MERLIN_KEY_TPM": "10000000",
        # A hung connection costs one timeout, not the server's whole stall.
        "MERLIN_TIMEOUT_S": "1",
        "MERLIN_IMAGE_TIMEOUT_S": "1.5",
    }
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def test_fault_mix_completes_every_site_and_never_shows_a_partial_file(
    instance, openai_env, fake, sites: Path, monkeypatch, request
):
    """Three projects, then the first again over its live site, under the issue's fault mix.

    The cache is off so that every item asks the server each time.
    """
    monkeypatch.setenv("MERLIN_CACHE", "false")
    fake.update(faults=dict(MIX), retry_after_s=0.05, hang_s=6.0)
    runs = []
    with SitesReader(sites) as reader:
        for config in [*PROJECTS, PROJECTS[0]]:
            result = _generate(instance, config)
            assert result.success, config
            runs.append((load_config(config).project_id, result.run_id))
    fake.stop()  # wakes hung requests, so every attempt is in the log

    # Every site is complete on disk.
    for project, _ in runs:
        site = sites / project
        assert (site / "index.html").is_file() and (site / "contact.html").is_file()
        assert list((site / "images").glob("*.webp"))
    # The reader saw pages, images and the rest many times over, never one half written.
    assert reader.partial == []
    assert reader.by_kind[".html"] >= 2 * len(PROJECTS), reader.by_kind
    assert reader.by_kind[".webp"] >= 2 * len(PROJECTS), reader.by_kind
    assert len(reader.site_dirs) >= 4  # four publishes, the last one over a live site

    calls = server_calls(fake.requests)
    faults = Counter(r["fault"] for r in calls if r["fault"])
    assert set(faults) == set(MIX), faults  # every kind of the mix was injected
    records = []
    for project, run_id in runs:
        report, run_records = run_calls(instance, run_id)
        records += run_records
        assert report.done("site_pages") == report.planned_pages, project
        assert report.done("site_images") == report.planned_images, project
        for item in report.items:
            if item.fallback:
                assert item.meta["fallback_reason"], (item.asset, item.partition)
    # Every attempt the server saw is one of some call record's attempts...
    assert sum(r["attempts"] for r in records) == len(calls)
    # ...and every call that gave up says why, naming what went wrong.
    fallbacks = [r for r in records if r["status"] == "fallback"]
    for r in fallbacks:
        assert r["fallback_reason"] and r["provider"] == "openai", r
    reasons = " ".join(r["fallback_reason"] for r in fallbacks)
    assert all(k not in reasons for k in KEYS)
    retried = [r for r in records if r["attempts"] > 1 and r["status"] == "ok"]
    assert retried  # most faults cost a retry, not the item

    outcome = {
        "requests": len(calls),
        "faults": dict(faults),
        "calls": len(records),
        "ok": sum(r["status"] == "ok" for r in records),
        "ok_after_retry": len(retried),
        "fallback": len(fallbacks),
        "files_checked": dict(reader.by_kind),
        "sweeps": reader.sweeps,
    }
    request.node.user_properties.append(("outcome", outcome))
    print("fault mix outcome:", outcome)

"""The resources carry the settings a run uses, so the UI and the run config can show them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from merlin_assets.definitions import defs as load_defs
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.defs.timings.resources import TimingsDBResource
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.llm.openai_provider import OpenAILLM
from merlin_assets.llm.settings import OPENAI_DEFAULT_BASE_URL, OpenAISettings
from merlin_assets.settings import Settings

CANARY = "sk-canary-7f3a9c1e5b2d4f60a8e1"

# Fields whose effective value is "unset" by design: resolved from the run's instance
# (the Dagster home) when the run starts, "no cap" when no spending cap is configured, or
# "this machine only" when no shared Redis is configured.
RESOLVED_AT_RUN_TIME = {
    ("paths", "work_dir"),
    ("timings_db", "path"),
    ("llm", "max_cost_usd"),
    ("llm", "redis_url"),
}


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No MERLIN_* or OPENAI_* settings from the machine running the tests."""
    import os

    for name in list(os.environ):
        if name.startswith(("MERLIN_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def _resources() -> dict:
    return load_defs().resources


def test_definitions_carry_every_effective_setting(clean_env):
    resources = _resources()
    assert {"llm", "paths", "timings_db"} <= set(resources)
    for key in ("llm", "paths", "timings_db"):
        for name, value in resources[key].model_dump().items():
            if (key, name) not in RESOLVED_AT_RUN_TIME:
                assert value is not None, f"{key}.{name} shows null"

    llm = resources["llm"]
    assert llm.provider == "offline"  # auto without a key, resolved when definitions load
    assert llm.max_concurrency == Settings().max_concurrency == 8
    assert llm.base_url == OPENAI_DEFAULT_BASE_URL
    assert Path(llm.cache_dir) == OpenAISettings().cache_dir
    for name in OpenAISettings.model_fields:
        assert getattr(llm, name) == getattr(OpenAISettings(), name) or name == "cache_dir"
    assert Path(resources["paths"].sites_dir) == Path("sites").absolute()


def test_field_defaults_are_the_documented_defaults(clean_env):
    llm = LLMResource()
    assert llm.provider == "auto" and llm.max_concurrency == 8
    assert (llm.chat_model, llm.image_model, llm.image_quality) == (
        "gpt-4o-mini",
        "gpt-image-1",
        "medium",
    )
    assert (llm.key_rpm, llm.key_tpm, llm.key_images_per_min) == (500, 200_000, 5)
    assert (llm.timeout_s, llm.image_timeout_s, llm.max_retries) == (60.0, 120.0, 2)
    assert (llm.max_output_tokens, llm.cache, llm.max_cost_usd) == (4096, True, None)
    assert llm.phase_models == {} and llm.base_url == OPENAI_DEFAULT_BASE_URL
    assert PathsResource().sites_dir == "sites" and PathsResource().work_dir is None
    assert TimingsDBResource().path is None


def test_environment_shows_in_the_definitions(clean_env, monkeypatch, tmp_path):
    monkeypatch.setenv("MERLIN_MAX_CONCURRENCY", "3")
    monkeypatch.setenv("MERLIN_CHAT_MODEL", "gpt-4.1")
    monkeypatch.setenv("MERLIN_PHASE_MODELS", json.dumps({"copywriting": "gpt-4.1-mini"}))
    monkeypatch.setenv("MERLIN_CACHE", "false")
    monkeypatch.setenv("MERLIN_MAX_COST_USD", "0.5")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("MERLIN_SITES_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("MERLIN_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.setenv("MERLIN_TIMINGS_DB", str(tmp_path / "t.duckdb"))
    resources = _resources()
    llm = resources["llm"]
    assert llm.max_concurrency == 3 and llm.concurrency() == 3
    assert llm.chat_model == "gpt-4.1" and llm.phase_models == {"copywriting": "gpt-4.1-mini"}
    assert llm.cache is False and llm.max_cost_usd == 0.5
    assert llm.base_url == "http://127.0.0.1:9/v1"
    assert resources["paths"].sites_dir == str(tmp_path / "out")
    assert resources["paths"].work_dir == str(tmp_path / "work")
    assert resources["timings_db"].path == str(tmp_path / "t.duckdb")

    # The CLI's --concurrency wins over the environment; None leaves the environment's value.
    assert LLMResource.from_env(max_concurrency=5).max_concurrency == 5
    assert LLMResource.from_env(max_concurrency=None).max_concurrency == 3


def test_auto_resolves_to_openai_when_a_key_is_set(clean_env, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    assert _resources()["llm"].provider == "openai"
    monkeypatch.setenv("MERLIN_LLM", "offline")
    assert _resources()["llm"].provider == "offline"


def test_offline_and_openai_are_chosen_without_environment(clean_env, tmp_path, monkeypatch):
    offline = LLMResource(provider="offline", max_concurrency=4)
    assert offline.provider_name() == "offline" and offline.concurrency() == 4
    assert isinstance(offline.open(), OfflineLLM)

    monkeypatch.setenv("MERLIN_LLM", "offline")  # ignored: the field says openai
    openai = LLMResource(
        provider="openai", base_url="http://127.0.0.1:9/v1", cache_dir=str(tmp_path / "c")
    )
    assert openai.provider_name() == "openai"
    with pytest.raises(Exception, match="needs an API key"):
        openai.open()  # keys come from the environment only
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    llm = openai.open()
    try:
        assert isinstance(llm, OpenAILLM)
    finally:
        close = getattr(llm, "close", None)
        if callable(close):
            close()


def test_no_key_in_any_field(clean_env, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    monkeypatch.setenv("OPENAI_API_KEYS", f"{CANARY}-a,{CANARY}-b")
    resources = _resources()
    for key, resource in resources.items():
        dumped = getattr(resource, "model_dump", None)
        if dumped is None:
            continue
        text = json.dumps(dumped(), default=str)
        assert "canary" not in text, key
        assert not any("api_key" in name for name in dumped()), key
    assert resources["llm"].provider == "openai"

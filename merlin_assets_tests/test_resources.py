"""The resources carry the settings a run uses, so the UI and the run config can show them."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path

import pytest

from merlin_assets.config.environment import Settings
from merlin_assets.config.project import ProjectConfig
from merlin_assets.definitions import defs as load_defs
from merlin_assets.defs.resources import LLMResource, PathsResource
from merlin_assets.defs.timings.resources import TimingsDBResource
from merlin_assets.gateway.limits import SQLiteBudgets
from merlin_assets.llm.base import ChatRequest
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.llm.openai_provider import OpenAILLM, OpenAIOptions, schema_limits
from merlin_assets.llm.settings import OPENAI_DEFAULT_BASE_URL, OpenAISettings
from merlin_assets.phases.base import NodeInputs
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets.types.site_copy import Copywriting

CANARY = "sk-canary-7f3a9c1e5b2d4f60a8e1"

# Fields whose effective value is "unset" by design: resolved from the run's instance
# (the Dagster home) when the run starts, "no cap" when no spending cap is configured, or
# "this machine only" when no shared Redis is configured, or "the server's default" for
# sampling settings that are not set.
RESOLVED_AT_RUN_TIME = {
    ("paths", "work_dir"),
    # Unset keeps phase results and sites in local folders rather than an object store.
    ("paths", "storage_url"),
    ("paths", "s3_endpoint_url"),
    ("timings_db", "path"),
    ("llm", "max_cost_usd"),
    ("llm", "redis_url"),
    # One service from the plain settings unless an endpoints file names several.
    ("llm", "endpoints_file"),
    # Sampling left to the server unless set: None sends nothing.
    ("llm", "temperature"),
    ("llm", "seed"),
    ("llm", "frequency_penalty"),
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


# --- what the settings do to a chat request ---------------------------------------------------


def test_sampling_and_schema_limits_come_from_the_environment(clean_env, monkeypatch, tmp_path):
    monkeypatch.setenv("MERLIN_LLM", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    monkeypatch.setenv("MERLIN_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("MERLIN_TEMPERATURE", "0.7")
    monkeypatch.setenv("MERLIN_SEED", "7")
    monkeypatch.setenv("MERLIN_FREQUENCY_PENALTY", "0.5")
    monkeypatch.setenv("MERLIN_SCHEMA_LIMITS", "none")
    resource = LLMResource.from_env()
    assert (resource.temperature, resource.seed, resource.frequency_penalty) == (0.7, 7, 0.5)
    assert resource.schema_limits == "none"
    llm = resource.open()
    try:
        assert isinstance(llm, OpenAILLM)
        assert llm.options.sampling() == {"temperature": 0.7, "seed": 7, "frequency_penalty": 0.5}
        assert llm.schema_limits == "none"
    finally:
        asyncio.run(llm.aclose())
    assert LLMResource().schema_limits == "auto" and LLMResource().temperature is None


@pytest.mark.parametrize(
    ("base_url", "limits"),
    [
        (None, "items"),
        ("https://api.openai.com/v1", "items"),
        ("https://merlin.openai.azure.com/openai/v1", "items"),
        ("http://127.0.0.1:8080/v1", "all"),
        ("https://openrouter.ai/api/v1", "all"),
    ],
)
def test_auto_schema_limits_follow_the_server(base_url, limits):
    assert schema_limits("auto", base_url) == limits
    assert schema_limits("none", base_url) == "none"


def _keywords(node, found=None) -> set[str]:
    """Every keyword used anywhere in a JSON schema (property names excluded)."""
    found = set() if found is None else found
    if isinstance(node, list):
        for value in node:
            _keywords(value, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for sub in value.values():
                    _keywords(sub, found)
            else:
                found.add(key)
                _keywords(value, found)
    return found


def test_a_chat_call_asks_for_its_phase_budget_with_the_sampling_set(tmp_path):
    """max_completion_tokens is the phase's budget under the cap, the rate budget reserves
    that (not the cap), sampling is sent only when set, and the schema keeps the limits the
    server takes."""
    bodies: list[dict] = []
    demands: list[int] = []

    def capture(request: dict) -> None:
        bodies.append(request)
        return None  # the server's own schema-driven content

    config = ProjectConfig(name="Harbor Bakery", industry="Bakery", location="Portland, Maine")
    request = ChatRequest(
        "copywriting", "site", "You write.", "The copy.", Copywriting, NodeInputs(config)
    )

    async def ask(options: OpenAIOptions, budgets: list[int | None]) -> None:
        llm = OpenAILLM(
            keys=["sk-test-1"],
            options=options,
            budgets=SQLiteBudgets(tmp_path / "limits.sqlite", options.limits),
        )
        acquire = llm.pool.acquire

        async def spy(demand):
            demands.append(demand.tokens)
            return await acquire(demand)

        llm.pool.acquire = spy  # type: ignore[method-assign]
        try:
            for budget in budgets:
                result = await llm.chat(dataclasses.replace(request, max_output_tokens=budget))
                assert result.call.status == "ok", result.call.fallback_reason
        finally:
            await llm.aclose()

    with FakeOpenAI(ServerSettings(seed=5, responder=capture)) as fake:
        sampled = OpenAIOptions(
            base_url=fake.base_url,
            max_output_tokens=1000,
            temperature=0.7,
            seed=7,
            frequency_penalty=0.5,
        )
        asyncio.run(ask(sampled, [512, None, 2048]))
        asyncio.run(ask(OpenAIOptions(base_url=fake.base_url, schema_limits="items"), [None]))
        asyncio.run(ask(OpenAIOptions(base_url=fake.base_url, schema_limits="none"), [None]))

    assert [b["max_completion_tokens"] for b in bodies] == [512, 1000, 1000, 4096, 4096]
    # The same prompt each time: what a call reserves differs by exactly its budget.
    assert demands[1] - demands[0] == 1000 - 512 and demands[2] == demands[1]
    assert demands[0] < 512 + 1000
    for body in bodies[:3]:
        assert (body["temperature"], body["seed"], body["frequency_penalty"]) == (0.7, 7, 0.5)
    for body in bodies[3:]:
        assert not {"temperature", "seed", "frequency_penalty"} & set(body)

    schemas = [b["response_format"]["json_schema"] for b in bodies]
    assert all(s["strict"] is True and s["name"] == "Copywriting" for s in schemas)
    used = [_keywords(s["schema"]) for s in schemas]
    assert {"maxLength", "maxItems"} <= used[0]  # a local server takes both (auto: all)
    assert "maxItems" in used[3] and "maxLength" not in used[3]
    assert not {"maxLength", "maxItems"} & used[4]


def test_length_limits_guide_the_model_but_never_reject_a_reply():
    """The phase models' limits are in the schema only: a longer answer still validates, and
    the content gate clips or flags it."""
    from merlin_assets.types.site_copy import PageCopy

    schema = PageCopy.model_json_schema()
    section = schema["$defs"]["SectionCopy"]["properties"]
    assert section["heading"]["maxLength"] == 90 and section["bullets"]["maxItems"] == 5
    long = {
        "key": "hero",
        "eyebrow": "e" * 200,
        "heading": "h" * 500,
        "body": "b" * 5000,
        "bullets": ["x"] * 20,
        "cta_label": "c" * 100,
    }
    copy = PageCopy.model_validate({"slug": "home", "sections": [long] * 20})
    assert len(copy.sections) == 20 and len(copy.sections[0].heading) == 500


def test_two_services_with_one_model_name_never_answer_for_each_other(tmp_path, monkeypatch):
    """The one-service reply cache keys on the server too, as the endpoint pool's do."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-1")
    config = ProjectConfig(name="Harbor Bakery", industry="Bakery")
    request = ChatRequest(
        "copywriting", "site", "You write.", "The copy.", Copywriting, NodeInputs(config)
    )

    async def ask(url: str) -> bool:
        llm = LLMResource(provider="openai", base_url=url, cache_dir=str(tmp_path)).open()
        try:
            return (await llm.chat(request)).call.cache_hit
        finally:
            await llm.aclose()

    with FakeOpenAI(ServerSettings(seed=1)) as a, FakeOpenAI(ServerSettings(seed=2)) as b:
        assert asyncio.run(ask(a.base_url)) is False
        assert asyncio.run(ask(a.base_url)) is True  # the same service: a hit
        assert asyncio.run(ask(b.base_url)) is False  # same model name, another service
        chats = [r for r in b.requests if r["path"] == "/v1/chat/completions"]
        assert len(chats) == 1

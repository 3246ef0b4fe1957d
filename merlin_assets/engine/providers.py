"""The LLM a run (or a command working without one) talks to, opened from plain settings.

`LLMResource.open` and `merlin regenerate`'s own path share this: the command makes a page live
before it imports Dagster (1.2 s of imports on this machine, more than the seed profile's
whole model call), so the opening cannot live on the resource alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from merlin_assets.config.environment import Settings
from merlin_assets.gateway.cache import EndpointCache
from merlin_assets.gateway.limits import KeyLimits
from merlin_assets.gateway.shared_state import budgets_for, cache_for, spending_cap_for
from merlin_assets.llm.base import LLM
from merlin_assets.llm.endpoints import EndpointsFileError, endpoints_file_from_env
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.llm.openai_provider import OpenAILLM, OpenAIOptions
from merlin_assets.llm.settings import (
    OPENAI_DEFAULT_BASE_URL,
    OpenAIEnvironment,
    OpenAISettings,
    chosen_provider,
)


class ProviderUnavailable(RuntimeError):
    """The provider asked for cannot be opened: no key, an unknown name, a bad endpoints
    file. The message says what to set."""


def values_from_env(**overrides: Any) -> dict[str, Any]:
    """Every provider setting from the environment (or its default), then `overrides` that
    are not None; `auto` resolved to the provider a run would use."""
    settings = Settings()
    openai = OpenAISettings()
    env = OpenAIEnvironment()
    endpoints = endpoints_file_from_env()
    values: dict[str, Any] = {name: getattr(openai, name) for name in OpenAISettings.model_fields}
    values["cache_dir"] = str(openai.cache_dir)
    values.update(
        provider=chosen_provider(settings.llm, env, endpoints),
        max_concurrency=settings.max_concurrency,
        base_url=env.base_url or OPENAI_DEFAULT_BASE_URL,
        redis_url=settings.redis_url,
        endpoints_file=endpoints,
        dead_endpoints=[],
    )
    values.update({k: v for k, v in overrides.items() if v is not None})
    return values


def open_llm(values: Mapping[str, Any], scope: str | None = None) -> LLM:
    """A provider for one run from `values` (the fields of `LLMResource`); `scope` (the run
    id) names its shared spending ledger."""
    name = chosen_provider(values["provider"], OpenAIEnvironment(), values["endpoints_file"])
    if name == "offline":
        return OfflineLLM()
    if name != "openai":
        raise ProviderUnavailable(f"LLM provider '{name}' is not available")
    keys = OpenAIEnvironment().keys()
    if not keys and not values["endpoints_file"]:
        raise ProviderUnavailable(
            "the openai provider needs an API key: set OPENAI_API_KEYS (comma-separated) "
            "or OPENAI_API_KEY, or MERLIN_LLM=offline"
        )
    limits = KeyLimits(
        requests=values["key_rpm"],
        tokens=values["key_tpm"],
        images=values["key_images_per_min"],
    )
    options = OpenAIOptions(
        chat_model=values["chat_model"],
        phase_models=dict(values["phase_models"]),
        image_model=values["image_model"],
        image_quality=values["image_quality"],
        limits=limits,
        timeout_s=values["timeout_s"],
        image_timeout_s=values["image_timeout_s"],
        max_retries=values["max_retries"],
        max_output_tokens=values["max_output_tokens"],
        temperature=values["temperature"],
        seed=values["seed"],
        frequency_penalty=values["frequency_penalty"],
        schema_limits=values["schema_limits"],
        max_cost_usd=values["max_cost_usd"],
        base_url=values["base_url"],
    )
    cache_dir = Path(values["cache_dir"])
    redis_url = values["redis_url"]
    if values["endpoints_file"]:
        pool = _open_pool(values, options, cache_dir, scope)
        pool.fact_check = values["fact_check"]
        return pool
    llm = OpenAILLM(
        keys=keys,
        options=options,
        budgets=budgets_for(redis_url, limits, cache_dir=cache_dir),
        # Keyed on the service as well as the model, as the endpoint pool's caches are: two
        # servers that share a model name never answer for each other.
        cache=EndpointCache(
            cache_for(redis_url, cache_dir=cache_dir, enabled=values["cache"]),
            f"openai@{values['base_url']}",
        ),
    )
    if redis_url and scope and values["max_cost_usd"]:
        llm.spend = spending_cap_for(redis_url, values["max_cost_usd"], scope=scope)
    llm.fact_check = values["fact_check"]
    return llm


def _open_pool(
    values: Mapping[str, Any], options: OpenAIOptions, cache_dir: Path, scope: str | None
) -> LLM:
    """The endpoint pool `values["endpoints_file"]` describes, with the run's options."""
    from merlin_assets.llm.pool import PooledLLM
    from merlin_assets.phases import graph

    try:
        return PooledLLM.open(
            values["endpoints_file"],
            defaults=options,
            cache_dir=cache_dir,
            redis_url=values["redis_url"],
            cache=values["cache"],
            scope=scope,
            dead=values["dead_endpoints"],
            phases=graph().phases,
        )
    except EndpointsFileError as exc:
        raise ProviderUnavailable(str(exc)) from None

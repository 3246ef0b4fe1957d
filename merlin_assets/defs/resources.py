"""Resources: which LLM provider answers, and where results and sites are written."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import dagster as dg
from pydantic import Field

from merlin_assets import storage
from merlin_assets.config.environment import Settings
from merlin_assets.engine.providers import ProviderUnavailable, open_llm, values_from_env
from merlin_assets.llm.base import LLM
from merlin_assets.llm.settings import (
    OPENAI_DEFAULT_BASE_URL,
    OpenAIEnvironment,
    OpenAISettings,
    SchemaLimits,
    chosen_provider,
    default_cache_dir,
)
from merlin_assets.storage.local import ArtifactStore
from merlin_assets.storage.publishing import Publisher

Provider = Literal["auto", "offline", "openai"]
ImageQuality = Literal["low", "medium", "high", "standard", "hd", "auto"]

_OPENAI = OpenAISettings.model_fields
_MERLIN = Settings.model_fields


def _default(fields: dict, name: str) -> Any:
    """The documented default of a setting, so the resource and the environment agree."""
    return fields[name].default


class LLMResource(dg.ConfigurableResource):
    """The provider behind every LLM phase, its cap on calls in flight, and OpenAI's settings.

    Every field holds the value a run uses, so the UI's resource page and the run config show
    it. `LLMResource.from_env()` fills them from `MERLIN_LLM`, `MERLIN_MAX_CONCURRENCY`,
    `MERLIN_CHAT_MODEL`, ... (see README, "Using OpenAI"); constructing the resource directly
    uses exactly the fields given plus the documented defaults, whatever the environment says.
    `provider` chooses the implementation: `offline` (rule-based, no network), `openai`, or
    `auto` (openai exactly when a key is set).

    API keys are never fields: a field shows up in run config and the UI. They are read from
    `OPENAI_API_KEYS` / `OPENAI_API_KEY` when a run opens the provider, and from then on are
    known only by alias (`key#1`, ...).
    """

    provider: Provider = Field(
        default=_default(_MERLIN, "llm"),
        description="MERLIN_LLM: offline, openai, or auto (openai exactly when a key is set)",
    )
    max_concurrency: int = Field(
        default=_default(_MERLIN, "max_concurrency"),
        ge=1,
        le=256,
        description="MERLIN_MAX_CONCURRENCY: calls in flight at once; 1 runs them in turn",
    )
    chat_model: str = Field(
        default=_default(_OPENAI, "chat_model"), description="MERLIN_CHAT_MODEL: every phase"
    )
    phase_models: dict[str, str] = Field(
        default_factory=dict,
        description='MERLIN_PHASE_MODELS: per-phase models, e.g. {"copywriting": "gpt-4.1"}',
    )
    image_model: str = Field(
        default=_default(_OPENAI, "image_model"), description="MERLIN_IMAGE_MODEL"
    )
    image_quality: ImageQuality = Field(
        default=_default(_OPENAI, "image_quality"), description="MERLIN_IMAGE_QUALITY"
    )
    key_rpm: int = Field(
        default=_default(_OPENAI, "key_rpm"),
        ge=0,
        description="MERLIN_KEY_RPM: requests per minute per key (0: no limit)",
    )
    key_tpm: int = Field(
        default=_default(_OPENAI, "key_tpm"),
        ge=0,
        description="MERLIN_KEY_TPM: tokens per minute per key (0: no limit)",
    )
    key_images_per_min: int = Field(
        default=_default(_OPENAI, "key_images_per_min"),
        ge=0,
        description="MERLIN_KEY_IMAGES_PER_MIN: images per minute per key (0: no limit)",
    )
    timeout_s: float = Field(
        default=_default(_OPENAI, "timeout_s"),
        gt=0,
        description="MERLIN_TIMEOUT_S: seconds per chat attempt",
    )
    image_timeout_s: float = Field(
        default=_default(_OPENAI, "image_timeout_s"),
        gt=0,
        description="MERLIN_IMAGE_TIMEOUT_S: seconds per image attempt",
    )
    max_retries: int = Field(
        default=_default(_OPENAI, "max_retries"),
        ge=0,
        le=10,
        description="MERLIN_MAX_RETRIES: extra attempts after a transport failure",
    )
    max_output_tokens: int = Field(
        default=_default(_OPENAI, "max_output_tokens"),
        ge=256,
        description="MERLIN_MAX_OUTPUT_TOKENS: max_completion_tokens per call",
    )
    temperature: float | None = Field(
        default=_default(_OPENAI, "temperature"),
        ge=0,
        le=2,
        description="MERLIN_TEMPERATURE: sampling temperature; unset sends none",
    )
    seed: int | None = Field(
        default=_default(_OPENAI, "seed"),
        description="MERLIN_SEED: sampling seed, for servers that honour one; unset sends none",
    )
    frequency_penalty: float | None = Field(
        default=_default(_OPENAI, "frequency_penalty"),
        ge=-2,
        le=2,
        description="MERLIN_FREQUENCY_PENALTY: discourages repeated tokens; unset sends none",
    )
    schema_limits: SchemaLimits = Field(
        default=_default(_OPENAI, "schema_limits"),
        description="MERLIN_SCHEMA_LIMITS: length limits sent in output schemas: all, items "
        "(maxItems only), none, or auto (items for OpenAI and Azure OpenAI, all otherwise)",
    )
    cache_dir: str = Field(
        default_factory=lambda: str(default_cache_dir()),
        description="MERLIN_CACHE_DIR: reply cache and rate budgets (~/.cache/merlin)",
    )
    cache: bool = Field(
        default=_default(_OPENAI, "cache"),
        description="MERLIN_CACHE: false calls the API even for a request seen before",
    )
    max_cost_usd: float | None = Field(
        default=_default(_OPENAI, "max_cost_usd"),
        gt=0,
        description="MERLIN_MAX_COST_USD: spending cap per run; unset means no cap",
    )
    fact_check: bool = Field(
        default=_default(_OPENAI, "fact_check"),
        description="MERLIN_FACT_CHECK: false skips the fact-check judge (one call per item of "
        "model copy); the rules' checks still act",
    )
    base_url: str = Field(
        default=OPENAI_DEFAULT_BASE_URL,
        description="OPENAI_BASE_URL: any OpenAI-compatible server",
    )
    redis_url: str | None = Field(
        default=None,
        description="MERLIN_REDIS_URL: share rate budgets, 429 cooldowns, spending caps and "
        "text replies across processes and machines; unset keeps them on this machine",
    )
    endpoints_file: str | None = Field(
        default=None,
        description="MERLIN_ENDPOINTS: an endpoints file (several OpenAI-compatible services, "
        "routed per phase, with failover); unset uses the one service OPENAI_BASE_URL names",
    )
    dead_endpoints: list[str] = Field(
        default_factory=list,
        description="endpoints of the endpoints file that `merlin generate` found dead before "
        "the run (connection refused, a name that does not resolve, every key rejected): "
        "their calls go straight to the rest of their route",
    )

    @classmethod
    def from_env(cls, **overrides: Any) -> LLMResource:
        """Every field from the environment (or its default), then `overrides` that are not
        None. `auto` is resolved here, so the definitions show the provider a run uses."""
        return cls(**values_from_env(**overrides))

    def concurrency(self) -> int:
        """Calls in flight at once; 1 runs everything one after another."""
        return self.max_concurrency

    def provider_name(self) -> str:
        """`offline` or `openai`; `auto` means openai exactly when a key is set."""
        return chosen_provider(self.provider, OpenAIEnvironment(), self.endpoints_file)

    def openai_settings(self) -> OpenAISettings:
        """This resource's OpenAI settings, checked by the settings model."""
        given = {name: getattr(self, name) for name in OpenAISettings.model_fields}
        return OpenAISettings(**given)

    def open(self, scope: str | None = None, **overrides: Any) -> LLM:
        """A provider for one run; `scope` (the run id) names its shared spending ledger.
        `overrides` replace fields for this opening only (a redo's `fact_check`)."""
        values = {name: getattr(self, name) for name in type(self).model_fields} | overrides
        try:
            return open_llm(values, scope)
        except ProviderUnavailable as exc:
            raise dg.DagsterInvariantViolationError(str(exc)) from None


class PathsResource(dg.ConfigurableResource):
    """Where sites are published and phase results kept."""

    sites_dir: str = Field(
        default=str(_default(_MERLIN, "sites_dir")),
        description="MERLIN_SITES_DIR: root folder of published sites",
    )
    work_dir: str | None = Field(
        default=None,
        description="MERLIN_WORK_DIR: phase results; unset means merlin/ in the Dagster home "
        "of the instance the run belongs to",
    )
    storage_url: str | None = Field(
        default=None,
        description="MERLIN_STORAGE_URL: s3://bucket/prefix for phase results, images and "
        "sites on a fleet; unset keeps them in local folders",
    )
    s3_endpoint_url: str | None = Field(
        default=None,
        description="MERLIN_S3_ENDPOINT_URL: the S3-compatible server, for stores other than AWS",
    )

    @classmethod
    def from_env(cls, **overrides: Any) -> PathsResource:
        """`MERLIN_SITES_DIR` (made absolute) and `MERLIN_WORK_DIR`, then `overrides`."""
        settings = Settings()
        values: dict[str, Any] = {
            "sites_dir": str(settings.sites_dir.absolute()),
            "work_dir": str(settings.work_dir.absolute()) if settings.work_dir else None,
            "storage_url": settings.storage_url,
            "s3_endpoint_url": settings.s3_endpoint_url,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def sites_root(self) -> Path:
        return Path(self.sites_dir).absolute()

    def _storage(self) -> Settings:
        return Settings(storage_url=self.storage_url, s3_endpoint_url=self.s3_endpoint_url)

    def publisher(self) -> Publisher:
        """Where finished sites go live: a local folder, or the object store on a fleet."""
        return storage.publisher(self._storage(), self.sites_root())

    def store(self, instance: dg.DagsterInstance) -> ArtifactStore:
        """Phase results: under the work folder, or the object store on a fleet."""
        root = Path(self.work_dir) if self.work_dir else Path(instance.root_directory) / "merlin"
        return storage.artifact_store(self._storage(), root.absolute() / "artifacts")


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={"llm": LLMResource.from_env(), "paths": PathsResource.from_env()}
    )

"""Resources: which LLM provider answers, and where results and sites are written."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from merlin_assets.engine.publisher import LocalPublisher, Publisher
from merlin_assets.llm.base import LLM
from merlin_assets.llm.cache import DiskReplyCache, NoCache
from merlin_assets.llm.limits import KeyLimits, SQLiteBudgets
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.llm.openai_provider import OpenAILLM, OpenAIOptions
from merlin_assets.llm.settings import OpenAIEnvironment, OpenAISettings
from merlin_assets.settings import Settings
from merlin_assets.store import ArtifactStore


class LLMResource(dg.ConfigurableResource):
    """The provider behind every LLM phase, its cap on calls in flight, and OpenAI's settings.

    Every unset field comes from the environment (`MERLIN_LLM`, `MERLIN_MAX_CONCURRENCY`,
    `MERLIN_CHAT_MODEL`, ... see README, "Using OpenAI"), because `dg.EnvVar` has no default
    and each of these has one. API keys are never fields: a field shows up in run config and
    the UI. They are read from `OPENAI_API_KEYS` / `OPENAI_API_KEY` when a run opens the
    provider, and from then on are known only by alias (`key#1`, ...).
    """

    provider: str | None = None
    max_concurrency: int | None = None
    chat_model: str | None = None
    phase_models: dict[str, str] | None = None
    image_model: str | None = None
    image_quality: str | None = None
    key_rpm: int | None = None
    key_tpm: int | None = None
    key_images_per_min: int | None = None
    timeout_s: float | None = None
    image_timeout_s: float | None = None
    max_retries: int | None = None
    cache_dir: str | None = None
    max_cost_usd: float | None = None
    base_url: str | None = None

    def concurrency(self) -> int:
        """Calls in flight at once; 1 runs everything one after another."""
        return self.max_concurrency or Settings().max_concurrency

    def provider_name(self) -> str:
        """`offline` or `openai`; `auto` means openai exactly when a key is set."""
        choice = self.provider or Settings().llm
        if choice == "auto":
            return "openai" if OpenAIEnvironment().keys() else "offline"
        return choice

    def openai_settings(self) -> OpenAISettings:
        """Environment settings with this resource's fields laid over them."""
        given = {
            name: getattr(self, name)
            for name in OpenAISettings.model_fields
            if name in type(self).model_fields and getattr(self, name) is not None
        }
        return OpenAISettings(**given)

    def open(self) -> LLM:
        """A provider for one run."""
        name = self.provider_name()
        if name == "offline":
            return OfflineLLM()
        if name != "openai":
            raise dg.DagsterInvariantViolationError(f"LLM provider '{name}' is not available")
        env = OpenAIEnvironment()
        keys = env.keys()
        if not keys:
            raise dg.DagsterInvariantViolationError(
                "the openai provider needs an API key: set OPENAI_API_KEYS (comma-separated) "
                "or OPENAI_API_KEY, or MERLIN_LLM=offline"
            )
        settings = self.openai_settings()
        limits = KeyLimits(
            requests=settings.key_rpm,
            tokens=settings.key_tpm,
            images=settings.key_images_per_min,
        )
        options = OpenAIOptions(
            chat_model=settings.chat_model,
            phase_models=dict(settings.phase_models),
            image_model=settings.image_model,
            image_quality=settings.image_quality,
            limits=limits,
            timeout_s=settings.timeout_s,
            image_timeout_s=settings.image_timeout_s,
            max_retries=settings.max_retries,
            max_output_tokens=settings.max_output_tokens,
            max_cost_usd=settings.max_cost_usd,
            base_url=self.base_url or env.base_url,
        )
        cache_dir = Path(settings.cache_dir)
        return OpenAILLM(
            keys=keys,
            options=options,
            budgets=SQLiteBudgets(cache_dir / "limits.sqlite", limits),
            cache=DiskReplyCache(cache_dir / "replies") if settings.cache else NoCache(),
        )


class PathsResource(dg.ConfigurableResource):
    """Where sites are published (`MERLIN_SITES_DIR`) and phase results kept
    (`MERLIN_WORK_DIR`, default `merlin/` inside the Dagster home)."""

    sites_dir: str | None = None
    work_dir: str | None = None

    def sites_root(self) -> Path:
        return Path(self.sites_dir or Settings().sites_dir).absolute()

    def publisher(self) -> Publisher:
        """Where finished sites go live."""
        return LocalPublisher(self.sites_root())

    def store(self, instance: dg.DagsterInstance) -> ArtifactStore:
        work = self.work_dir or Settings().work_dir
        root = Path(work) if work else Path(instance.root_directory) / "merlin"
        return ArtifactStore(root.absolute() / "artifacts")


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"llm": LLMResource(), "paths": PathsResource()})

"""Resources: which LLM provider answers, and where results and sites are written."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from merlin_assets.llm.base import LLM
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.settings import Settings
from merlin_assets.store import ArtifactStore


class LLMResource(dg.ConfigurableResource):
    """The provider behind every LLM phase and its cap on calls in flight.

    Unset fields come from the environment (`MERLIN_LLM`, `MERLIN_MAX_CONCURRENCY`).
    """

    provider: str | None = None
    max_concurrency: int | None = None

    def concurrency(self) -> int:
        """Calls in flight at once; 1 runs everything one after another."""
        return self.max_concurrency or Settings().max_concurrency

    def provider_name(self) -> str:
        choice = self.provider or Settings().llm
        return "offline" if choice == "auto" else choice

    def open(self) -> LLM:
        """A provider for one run."""
        name = self.provider_name()
        if name == "offline":
            return OfflineLLM()
        raise dg.DagsterInvariantViolationError(f"LLM provider '{name}' is not available")


class PathsResource(dg.ConfigurableResource):
    """Where sites are published (`MERLIN_SITES_DIR`) and phase results kept
    (`MERLIN_WORK_DIR`, default `merlin/` inside the Dagster home)."""

    sites_dir: str | None = None
    work_dir: str | None = None

    def sites_root(self) -> Path:
        return Path(self.sites_dir or Settings().sites_dir).absolute()

    def store(self, instance: dg.DagsterInstance) -> ArtifactStore:
        work = self.work_dir or Settings().work_dir
        root = Path(work) if work else Path(instance.root_directory) / "merlin"
        return ArtifactStore(root.absolute() / "artifacts")


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"llm": LLMResource(), "paths": PathsResource()})

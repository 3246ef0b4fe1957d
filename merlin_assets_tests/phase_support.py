"""Test access to the declared phases: their repairs and writers by name, and loose inputs.

Product code gets a phase's typed inputs from the scheduler; tests build partial inputs by hand,
so `Inputs` here carries every upstream field, optional, as the writers read them by name.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from merlin_assets.engine import Calls, Emit, Scheduler
from merlin_assets.llm.base import LLM
from merlin_assets.phases import graph
from merlin_assets.phases.base import NodeInputs
from merlin_assets.phases.design_context import DesignContext
from merlin_assets.phases.design_strategy import DesignStrategy
from merlin_assets.phases.style_system import StyleSystem
from merlin_assets.storage.local import ArtifactStore
from merlin_assets.storage.publishing import LocalPublisher
from merlin_assets.types import field_limits as limits
from merlin_assets.types.images import ImagePlan
from merlin_assets.types.pages import Layout, Page, PagePlan, SectionPlan
from merlin_assets.types.seo import SeoStrategy
from merlin_assets.types.site_copy import Copywriting

GRAPH = graph()
PHASES = {n: p for n, p in GRAPH.phases.items() if n in GRAPH.nodes}
PAGE_COPY = GRAPH.phases["page_copy"]
PHASE_ORDER = GRAPH.llm_phases
PHASE_MODELS = {n: p.model for n, p in GRAPH.phases.items()}
WRITERS = {n: p.fallback for n, p in GRAPH.phases.items()}
repair = SimpleNamespace(
    **{n: p.repair for n, p in GRAPH.phases.items()}, ALT_MAX=limits.ALT_MAX, clip=limits.clip
)


@dataclass(frozen=True)
class Inputs(NodeInputs):
    design_strategy: DesignStrategy | None = None
    design_context: DesignContext | None = None
    section_plan: SectionPlan | None = None
    style_system: StyleSystem | None = None
    layout: Layout | None = None
    page_plan: PagePlan | None = None
    image_plan: ImagePlan | None = None
    copywriting: Copywriting | None = None
    seo_strategy: SeoStrategy | None = None
    page: Page | None = None


def write_all_by_rules(config) -> tuple[dict, list]:
    """Every rule-based writer in graph order, each given its phase's own typed inputs, as the
    scheduler wires them; then each page's copy. Returns (phase -> value, page copies)."""
    values: dict = {"project_config": config}
    for name in PHASE_ORDER:
        phase = GRAPH.phases[name]
        values[name] = phase.write_by_rules(phase.make_inputs(values))
    pages = [
        PAGE_COPY.write_by_rules(PAGE_COPY.make_inputs({**values, "page": page}))
        for page in values["page_plan"].pages
    ]
    del values["project_config"]
    return values, pages


def scheduler(
    *,
    project_id: str,
    llm: LLM,
    work: Path,
    sites: Path,
    max_concurrency: int = 8,
    emit: Emit = lambda e: None,
    config_path: Path | None = None,
) -> Scheduler:
    """The scheduler as the Dagster adapter sets it up, on folders of the test's own."""
    return Scheduler(
        graph=GRAPH,
        project_id=project_id,
        calls=Calls(llm),
        store=ArtifactStore(work),
        publisher=LocalPublisher(sites),
        max_concurrency=max_concurrency,
        emit=emit,
        config_path=config_path,
    )


def run_whole_site(sched: Scheduler) -> None:
    asyncio.run(sched.run(GRAPH.project_nodes))

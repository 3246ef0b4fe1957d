"""One whole site built in-process per generated example, with what each check needs.

The scheduler runs the declared graph on asyncio here, as the Dagster step runs it, without a
Dagster run around it, and with small flat images: 0.48-0.55 s of CPU for the example bakery's
site (measured with `time.process_time()` around `build_site`), so a property test can afford
hundreds. Whole runs through Dagster are in `test_pipeline.py` and `test_openai_runs.py`.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markupsafe

from merlin_assets.engine import ItemEvent
from merlin_assets.gateway.limits import KeyLimits, SQLiteBudgets
from merlin_assets.llm.base import LLM, ChatRequest, ChatResult, ImageRequest, ImageResult
from merlin_assets.llm.openai_provider import OpenAILLM, OpenAIOptions
from merlin_assets.phases.quality_assessment import NODE as QUALITY
from merlin_assets.phases.quality_assessment import QualityReport
from merlin_assets.phases.quality_assessment.checks import page_files
from merlin_assets.render.environment import html_text
from merlin_assets_tests.hostile_support import QuickImagesLLM
from merlin_assets_tests.phase_support import GRAPH, scheduler

# Phase name by the schema name a chat request's response_format carries.
PHASE_OF_SCHEMA = {p.model.__name__: name for name, p in GRAPH.phases.items()}
# Markup checks a generated answer or config must never fail: the error-level ones (a broken
# page for a visitor) and the structural ones the templates own whatever the copy says.
# Left out: text_contrast and page_weight, which a palette or a page's images decide.
MARKUP_CHECKS = QUALITY.error_checks | {"alt_text", "single_h1", "title_length", "headings_order"}


class Script:
    """What the test OpenAI server answers, by phase: a list of raw replies, taken in turn
    by the calls of that phase (a page's copy is asked once per page, and again when the
    content gate redoes it)."""

    def __init__(self) -> None:
        self.replies: dict[str, list[str]] = {}
        self.asked: Counter[str] = Counter()
        self._lock = threading.Lock()

    def set(self, replies: dict[str, list[str]]) -> None:
        with self._lock:
            self.replies = dict(replies)
            self.asked.clear()

    def __call__(self, request: dict[str, Any]) -> str:
        name = request["response_format"]["json_schema"]["name"]
        phase = PHASE_OF_SCHEMA[name]
        with self._lock:
            replies = self.replies[phase]
            turn = self.asked[phase]
            self.asked[phase] += 1
        return replies[turn % len(replies)]


class Routed(LLM):
    """The phases under test ask the OpenAI provider (the real client, over HTTP, to the test
    server); every other phase the offline provider, as `MERLIN_LLM=offline` would. Images are
    small and flat (`QuickImagesLLM`): a full-size one costs about 0.3 s to draw and encode,
    ten a site, most of a site's time on two cores, and pixels are not what these tests are
    about."""

    name = "routed"

    def __init__(self, openai: LLM | None, phases: set[str]):
        self.openai = openai
        self.phases = phases
        self.rules = QuickImagesLLM()

    async def chat(self, request: ChatRequest) -> ChatResult:
        if self.openai is not None and request.phase in self.phases:
            return await self.openai.chat(request)
        return await self.rules.chat(request)

    async def image(self, request: ImageRequest) -> ImageResult:
        return await self.rules.image(request)

    async def aclose(self) -> None:
        if self.openai is not None:
            await self.openai.aclose()


def openai_llm(base_url: str, work: Path) -> OpenAILLM:
    """The OpenAI provider as a run opens it, on the test server, never rate-limited here."""
    limits = KeyLimits(requests=10**9, tokens=10**12, images=10**9)
    return OpenAILLM(
        keys=["sk-test-any"],
        options=OpenAIOptions(base_url=base_url, limits=limits, max_retries=0),
        budgets=SQLiteBudgets(work / "limits.sqlite", limits),
    )


@dataclass
class Built:
    """One site: its events by (node, item), its folder and its quality report."""

    events: dict[tuple[str, str | None], ItemEvent]
    site: Path
    project_id: str
    notes: list[str] = field(default_factory=list)

    @property
    def quality(self) -> QualityReport:
        return self.events[(QUALITY.name, None)].value

    def value(self, node: str) -> Any:
        return self.events[(node, None)].value

    def items(self, node: str) -> dict[str, ItemEvent]:
        return {k: e for (n, k), e in self.events.items() if n == node and k is not None}

    def failed_markup(self) -> dict[str, list[str]]:
        return {
            c.name: c.findings
            for c in self.quality.checks
            if c.name in MARKUP_CHECKS and not c.passed
        }

    def page(self, slug: str) -> str:
        path = self.site / ("index.html" if slug == "home" else f"{slug}.html")
        return path.read_text(encoding="utf-8")

    def pages(self) -> dict[str, str]:
        return {p.name: p.read_text(encoding="utf-8") for p in page_files(self.site)}


def build_site(config_path: Path, project_id: str, llm: LLM, root: Path) -> Built:
    """Every project node of one site, made in-process; the events it emitted."""
    events: dict[tuple[str, str | None], ItemEvent] = {}

    def keep(event: ItemEvent) -> None:
        events[(event.asset, event.partition)] = event

    sched = scheduler(
        project_id=project_id,
        llm=llm,
        work=root / "work",
        sites=root / "sites",
        emit=keep,
        config_path=config_path,
    )

    async def run() -> None:
        try:
            await sched.run(GRAPH.project_nodes)
        finally:
            await sched.calls.aclose()

    asyncio.run(run())
    return Built(events=events, site=root / "sites" / project_id, project_id=project_id)


def escaped(text: str) -> str:
    """`text` as the templates write it into a page (Jinja's autoescape)."""
    return str(markupsafe.escape(text))


def collapsed(text: str) -> str:
    return " ".join(text.split())


def shown(text: str) -> str:
    """A one-line value as a page shows it: spaces collapsed (Python's idea of a space, which
    takes in the separators U+001C-U+001F), code points HTML forbids dropped, then escaped."""
    return escaped(html_text(collapsed(text)))

"""Provider calls and the one place that decides when a call falls back to the rules.

Every chat call (a phase, a page's copy) and every image goes through here: a provider failure
costs that one item its model answer, never the site, and the fallback is recorded on the call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from merlin_assets.llm.base import LLM, CallRecord, ChatRequest, ImageRequest, ImageResult
from merlin_assets.llm.offline import OfflineLLM, write_by_rules
from merlin_assets.prompts.common import SYSTEM

if TYPE_CHECKING:
    from merlin_assets.engine.scheduler import Clock
    from merlin_assets.phases.base import NodeInputs, Phase, PhaseModel

REASON_MAX = 300


def _fell_back(call: CallRecord, exc: BaseException) -> None:
    call.status = "fallback"
    call.fallback_reason = f"{type(exc).__name__}: {exc}"[:REASON_MAX]


class Calls:
    """The run's provider, with the offline provider behind it for every fallback."""

    def __init__(self, llm: LLM):
        self.llm = llm
        self._rules = OfflineLLM()

    async def ask(
        self, phase: Phase, item: str, inputs: NodeInputs, clock: Clock
    ) -> tuple[PhaseModel, CallRecord, list[str]]:
        """One structured call with its repair; any failure falls back to the rules."""
        request = ChatRequest(
            phase=phase.name,
            item=item,
            system=SYSTEM,
            prompt=phase.prompt(inputs),
            schema=phase.model,
            inputs=inputs,
        )
        async with clock.slot():
            try:
                result = await self.llm.chat(request)
            except Exception as exc:  # a provider bug must cost one item, not the site
                result = await self._rules.chat(request)
                _fell_back(result.call, exc)
            value, notes = phase.repair(result.value, inputs, lambda: write_by_rules(request))
        return value, result.call, notes

    async def image(self, request: ImageRequest, clock: Clock) -> ImageResult:
        """One image; any failure draws it instead."""
        async with clock.slot():
            try:
                return await self.llm.image(request)
            except Exception as exc:  # one bad image never stops the site
                result = await self._rules.image(request)
                _fell_back(result.call, exc)
                return result

    async def aclose(self) -> None:
        await self.llm.aclose()

"""Provider calls and the one place that decides when a call falls back to the rules.

Every chat call (a phase, a page's copy) and every image goes through here: a provider failure
costs that one item its model answer, never the site, and the fallback is recorded on the call.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from merlin_assets.engine import gate
from merlin_assets.engine.changes import change_note
from merlin_assets.engine.describe import describe_photos
from merlin_assets.engine.judge import judge
from merlin_assets.llm.base import LLM, CallRecord, ChatRequest, ImageRequest, ImageResult
from merlin_assets.llm.offline import OfflineLLM, write_by_rules
from merlin_assets.prompts.common import SYSTEM

if TYPE_CHECKING:
    from pathlib import Path

    from merlin_assets.config.project import ProjectConfig
    from merlin_assets.content_gate import Finding
    from merlin_assets.engine.scheduler import Clock
    from merlin_assets.phases.base import NodeInputs, Phase
    from merlin_assets.types.phase_model import PhaseModel

REASON_MAX = 300


def _fell_back(call: CallRecord, exc: BaseException) -> None:
    call.status = "fallback"
    call.fallback_reason = f"{type(exc).__name__}: {exc}"[:REASON_MAX]


@dataclass
class Answer:
    """A phase's answer for one item, and how it came to be."""

    value: PhaseModel
    calls: list[CallRecord]
    notes: list[str] = field(default_factory=list)
    # The content gate: findings on the first answer, whether it was asked for again, and
    # which fields still failed and were written by the rules instead.
    gate_findings: list[str] = field(default_factory=list)
    regenerated: bool = False
    field_fallbacks: list[str] = field(default_factory=list)
    # Sentences taken out of running text after the redo ("path: removed "..."").
    removed_sentences: list[str] = field(default_factory=list)
    # How many copy fields the gate read on the first answer (0: the phase holds no copy).
    gate_read: int = 0

    def event_fields(self) -> dict:
        """What an item's event records of this answer."""
        return {
            "calls": self.calls,
            "notes": self.notes,
            "gate_findings": self.gate_findings,
            "regenerated": self.regenerated,
            "field_fallbacks": self.field_fallbacks,
            "removed_sentences": self.removed_sentences,
            "gate_read": self.gate_read,
        }


class Calls:
    """The run's provider, with the offline provider behind it for every fallback."""

    def __init__(self, llm: LLM):
        self.llm = llm
        self._rules = OfflineLLM()

    async def _answer(self, phase: Phase, request: ChatRequest, clock: Clock):
        async with clock.slot():
            try:
                result = await self.llm.chat(request)
            except Exception as exc:  # a provider bug must cost one item, not the site
                result = await self._rules.chat(request)
                _fell_back(result.call, exc)
            value, notes = phase.repair(
                result.value, request.inputs, lambda: write_by_rules(request)
            )
        # A repair's own notes say why, but not always everything it changed (a clamped size,
        # a section put back in the page's order): generated answers changed silently in five
        # of ten phases. This note names every changed field, for any phase.
        changed = change_note(result.value, value)
        if changed:
            notes = [*notes, changed]
        return value, result.call, notes

    async def ask(self, phase: Phase, item: str, inputs: NodeInputs, clock: Clock) -> Answer:
        """One structured call with its repair and the content gate; any provider failure
        falls back to the rules, copy that fails the gate is asked for once more."""
        request = ChatRequest(
            phase=phase.name,
            item=item,
            system=SYSTEM,
            prompt=phase.prompt(inputs),
            schema=phase.model,
            inputs=inputs,
            max_output_tokens=phase.max_output_tokens,
            rules=lambda: phase.write_by_rules(inputs),
        )
        value, call, notes = await self._answer(phase, request, clock)
        answer = Answer(value=value, calls=[call], notes=notes)
        # The rules answer the same way every time and write only what the config says:
        # asking them again, judging them or falling back to them field by field cannot help;
        # the findings stay on record for the checks.
        by_model = call.status != "fallback" and call.provider != self._rules.name
        judged: dict[str, list[Finding]] = {}
        findings = await self._review(phase, item, value, inputs, clock, answer, by_model, judged)
        if not findings:
            return answer
        answer.gate_findings = gate.as_text(findings)
        if not by_model:
            return answer
        again = dataclasses.replace(request, prompt=request.prompt + gate.redo_note(findings))
        value, call, notes = await self._answer(phase, again, clock)
        answer.value, answer.regenerated = value, True
        answer.calls.append(call)
        answer.notes += notes
        by_model = call.status != "fallback" and call.provider != self._rules.name
        findings = await self._review(phase, item, value, inputs, clock, answer, by_model, judged)
        if findings:
            answer.value, answer.removed_sentences, findings = await asyncio.to_thread(
                gate.remove_sentences, phase, item, answer.value, inputs, findings
            )
        if findings:
            answer.value, answer.field_fallbacks = gate.fall_back_fields(
                answer.value, lambda: write_by_rules(request), findings
            )
            # The rules reuse upstream copy a model wrote (a real model's invented phone came
            # back that way): what they wrote is read too, and a failing sentence of it goes.
            _, after = await asyncio.to_thread(gate.review, phase, item, answer.value, inputs)
            if after:
                answer.value, removed, _ = await asyncio.to_thread(
                    gate.remove_sentences, phase, item, answer.value, inputs, after
                )
                answer.removed_sentences += removed
        return answer

    async def _review(
        self,
        phase: Phase,
        item: str,
        value: PhaseModel,
        inputs: NodeInputs,
        clock: Clock,
        answer: Answer,
        by_model: bool,
        judged: dict[str, list[Finding]],
    ) -> list[Finding]:
        """The rules' error findings on a model's copy and, where a model runs, the judge's;
        the judge's call joins the item's calls. A redo that gave the same copy is not judged
        again (`judged` holds each copy's verdict): the question would be the same, and its
        answer a reply-cache hit that some counts took for a request."""
        # The gate is pure-Python CPU work: off the event loop, so calls in flight are not held.
        read, findings = await asyncio.to_thread(gate.review, phase, item, value, inputs)
        # The first answer's count: a test tells an item the gate read and passed from one
        # it never read.
        answer.gate_read = answer.gate_read or read
        if not by_model or phase.copy_fields is None or not self.llm.fact_check:
            return findings
        copy = value.model_dump_json()
        if copy not in judged:
            verdict = await judge(self.llm, phase, item, value, inputs, clock)
            if verdict.call is not None:
                answer.calls.append(verdict.call)
            answer.notes += [f"fact_check: not in the copy: {s}" for s in verdict.unmatched]
            judged[copy] = verdict.findings
        return findings + judged[copy]

    async def describe_photos(
        self, config: ProjectConfig, source: Path | str | None, clock: Clock
    ) -> list[CallRecord]:
        """Alt text for the config's photos that have none, from a vision model where one is
        configured (`engine.describe`); a `ConfigError` where none is."""
        return await describe_photos(self.llm, config, source, clock)

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

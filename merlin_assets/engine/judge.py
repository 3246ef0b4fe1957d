"""The fact-check judge: a model reads one item's copy beside the facts, where a model runs.

Its findings join the rules' (`engine.gate`) and act the same way: one redo with them in the
prompt, then the sentence is removed or the field falls back to the rules. Its calls ride in
the item's `calls` with kind `fact_check`, so the run's cost counts them and the timings store
shows the judge's cost per page (`judge_cost_by_page`). Offline no judge runs: the rules write
only what the config says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from merlin_assets.content_gate import Finding
from merlin_assets.content_gate.text import norm
from merlin_assets.content_gate.verdict import Verdict
from merlin_assets.llm.base import LLM, CallRecord, ChatRequest
from merlin_assets.llm.endpoints import FACT_CHECK_ROUTE
from merlin_assets.prompts import fact_check

if TYPE_CHECKING:
    from merlin_assets.engine.scheduler import Clock
    from merlin_assets.phases.base import NodeInputs, Phase
    from merlin_assets.types.phase_model import PhaseModel

# The judge's route and its calls' kind: an endpoint pool's `routes.fact_check` (else
# `default`), and an endpoint's `phase_models.fact_check` may name a stronger model.
FACT_CHECK = FACT_CHECK_ROUTE
CHECK = "unsupported_by_facts"
# A judge's answer is short (a few sentences and reasons); this bounds a rambling one.
OUTPUT_TOKENS = 1024


@dataclass
class Judgement:
    """What one judge call found, its call record, and the sentences it named that the copy
    does not hold (ignored, but kept on record)."""

    findings: list[Finding] = field(default_factory=list)
    call: CallRecord | None = None
    unmatched: list[str] = field(default_factory=list)


async def judge(
    llm: LLM, phase: Phase, item: str, value: PhaseModel, inputs: NodeInputs, clock: Clock
) -> Judgement:
    """The judge's findings on one item's copy: one error per flagged sentence, on the field
    that holds it. A judge that fails finds nothing; the rules' findings still act."""
    fields = (
        [f for f in phase.copy_fields(item, value) if f.text.strip()] if phase.copy_fields else []
    )
    if not fields or inputs.config is None:
        return Judgement()
    request = ChatRequest(
        phase=FACT_CHECK,
        item=item,
        system=fact_check.SYSTEM,
        prompt=fact_check.prompt(inputs.config, fields),
        schema=Verdict,
        inputs=inputs,
        max_output_tokens=OUTPUT_TOKENS,
    )
    async with clock.slot():
        try:
            result = await llm.chat(request)
        except Exception as exc:  # a judge that cannot answer must not cost the item
            call = CallRecord(item=item, kind=FACT_CHECK, provider=llm.name, model="")
            call.status, call.fallback_reason = "fallback", f"{type(exc).__name__}: {exc}"[:300]
            return Judgement(call=call)
    call = result.call
    call.kind = FACT_CHECK
    if call.status == "fallback":  # the rules wrote an empty verdict: nothing was judged
        return Judgement(call=call)
    out = Judgement(call=call)
    for flag in result.value.unsupported:
        holder = _field_of(flag.sentence, fields)
        if holder is None:
            out.unmatched.append(flag.sentence)
            continue
        out.findings.append(
            Finding(
                item,
                holder,
                CHECK,
                f"not supported by the facts: {flag.reason} (\u201c{flag.sentence}\u201d)",
                sentence=flag.sentence,
            )
        )
    return out


def _field_of(sentence: str, fields: list) -> str | None:
    """The field whose text holds the sentence (compared word by word, case aside)."""
    said = norm(sentence)
    if not said:
        return None
    return next((f.field for f in fields if said in norm(f.text)), None)

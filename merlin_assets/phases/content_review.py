"""The content review: the whole site's copy read by the content gate, as asset checks.

Each item's copy is gated as it is written (and redone or fallen back when it fails); this
node reads the finished copy together, which is the only place the site-wide checks (does the
site name the business, its place, its services? does it repeat itself, read easily?) can run,
and shows every finding in the UI. It names no node: every node that declares `copy_fields` is
one of its needs (see `phases.graph`), and it reads each by that declaration.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from merlin_assets.content_gate import CHECKS as GATE_CHECKS
from merlin_assets.content_gate import CopyField, Facts, Finding, check_site
from merlin_assets.content_gate.style import (
    FLESCH_FLOOR,
    HERO_WORDS,
    MAX_REPEATS,
    PHRASE_WORDS,
    check_style,
    exempt_phrases,
)
from merlin_assets.phases.base import Need, Node
from merlin_assets.phases.quality_assessment import preview as report_preview
from merlin_assets.phases.quality_assessment.report import CheckOutcome, QualityReport

if TYPE_CHECKING:
    from merlin_assets.engine.scheduler import ItemEvent, Scheduler

GATE_FAMILIES: dict[str, str] = {
    "content_degenerate": "No empty, placeholder, repeated, cut-off or over-long copy "
    "(headings ≤ 14 words, eyebrows ≤ 8, buttons ≤ 5)",
    "content_claims": "No testimonial, name, figure, award or guarantee the config does not supply",
    "content_vocabulary": "No vocabulary of another trade",
    "content_sense": "No copy in another language, no gibberish, keyword stuffing or poetic "
    "nonsense",
    "content_relevance": "The copy names the business, its place and its real services",
}
# How the copy reads, measured on the whole site (`content_gate.style`); warnings, with the
# measured figures in each check's metadata.
RULE_COPY: dict[str, str] = {
    "repeated_phrases": f"No phrase of {PHRASE_WORDS}+ words more than {MAX_REPEATS} times "
    "across the site, apart from the business's name and address",
    "hero_length": f"Each page's main heading is at most {HERO_WORDS} words",
    "articles": "Every 'a' and 'an' fits the word after it; no article before a field's name "
    "('a deep-sea marine biology research')",
    "readability": f"English body copy scores at least {FLESCH_FLOOR:g} in Flesch reading ease",
}
FAMILIES: dict[str, str] = {**GATE_FAMILIES, **RULE_COPY}


def _family(finding: Finding) -> str:
    return f"content_{GATE_CHECKS[finding.check][0]}" if finding.check in GATE_CHECKS else ""


def site_copy(nodes: Mapping[str, Node], values: Mapping[str, Any]) -> list[CopyField]:
    """Every field of visitor copy in `values` (node name -> value; a partitioned node's is
    item key -> value), in graph order, as each node's `copy_fields` declares it."""
    fields: list[CopyField] = []
    for name, node in nodes.items():
        if node.copy_fields is None or name not in values:
            continue
        value = values[name]
        items = value.items() if node.partitioning else [(None, value)]
        for key, one in items:
            fields += node.copy_fields(node.copy_item(key), one)
    return fields


def review(config: Any, fields: list[CopyField]) -> QualityReport:
    """The site's copy checked as a whole: the gate's families, then how it reads."""
    findings = check_site(fields, Facts.from_config(config))
    errors = [f for f in findings if f.severity == "error"]
    outcomes = []
    for name, description in GATE_FAMILIES.items():
        mine = [f for f in errors if _family(f) == name]
        outcomes.append(
            CheckOutcome(
                name=name,
                passed=not mine,
                description=description,
                findings=[f"{f.item} {f.field}: {f.message}".strip() for f in mine],
            )
        )
    address = config.contact.address if config.contact else None
    for check in check_style(fields, exempt_phrases(config.name, config.location, address)):
        outcomes.append(
            CheckOutcome(
                name=check.name,
                passed=check.passed,
                description=RULE_COPY[check.name],
                findings=check.findings,
                figures=check.figures,
            )
        )
    passed = sum(o.passed for o in outcomes)
    return QualityReport(score=round(passed / len(outcomes), 3), checks=outcomes)


def preview(v: QualityReport) -> dict[str, Any]:
    """The quality report's preview, with the count of findings behind the failed checks."""
    return {**report_preview(v), "findings": sum(len(c.findings) for c in v.checks)}


class ReviewNode(Node):
    async def build(self, run: Scheduler, item: Any = None) -> ItemEvent:
        values = await run.gather(self.needs)
        clock = run.clock(run.cpu)
        async with clock.slot():
            fields = site_copy(run.graph.nodes, values)
            report = await asyncio.to_thread(review, values["project_config"], fields)
        run.store.save(run.project_id, self.name, report)
        return clock.event(self.name, None, report)

    def load(self, run: Scheduler, key: str | None = None) -> QualityReport:
        return run.store.load(run.project_id, self.name, QualityReport)

    def degraded(self, error: str) -> QualityReport:
        # No outcome at all: a family check neither passes nor fails a review that never ran.
        return QualityReport(score=0.0, checks=[])


NODE = ReviewNode(
    name="content_review",
    group="site",
    description="The site's copy read as a whole: degenerate text, unsupported claims, another "
    "trade's vocabulary, and whether it names the business, its place and services.",
    kinds=frozenset({"python"}),
    needs=(Need("project_config"),),
    preview=preview,
    checks=FAMILIES,
    checks_on="content_review",
    error_checks=frozenset({"content_claims", "content_degenerate"}),
    counts_as_phase=False,
    collects_copy=True,
    role="polish",
    degrades_to="no content review",
)

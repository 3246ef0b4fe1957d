"""The quality report: scores and concrete findings about the published site, as asset checks."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from merlin_assets.phases.base import Need, Node
from merlin_assets.phases.quality_assessment.checks import CHECKS, assess_site
from merlin_assets.phases.quality_assessment.report import CheckOutcome, QualityReport
from merlin_assets.releases.summary import HAND_EDITS_CHECK, hand_edit_findings

if TYPE_CHECKING:
    from merlin_assets.engine.scheduler import ItemEvent, Scheduler

__all__ = ["CHECKS", "NODE", "CheckOutcome", "QualityReport", "assess_site"]

# Judged from the live release's manifest, not the folder, so not one of `assess_site`'s.
HAND_EDITS = {
    HAND_EDITS_CHECK: "Every page edited by hand in the live site merged with the newly "
    "generated one (a conflict keeps the hand edit live and names the page)",
}


def preview(v: QualityReport) -> dict[str, Any]:
    return {
        "score": v.score,
        "passed": sum(c.passed for c in v.checks),
        "failed": [c.name for c in v.checks if not c.passed],
        "preview_md": "\n".join(
            f"- {'✅' if c.passed else '❌'} **{c.name}** {'; '.join(c.findings[:3])}"
            for c in v.checks
        ),
    }


class QualityNode(Node):
    async def build(self, run: Scheduler, item: Any = None) -> ItemEvent:
        values = await run.gather(self.needs)
        clock = run.clock(run.cpu)
        async with clock.slot():
            report = await asyncio.to_thread(self._assess, run, values["style_system"])
        run.store.save(run.project_id, self.name, report)
        return clock.event(self.name, None, report)

    @staticmethod
    def _assess(run: Scheduler, style: Any) -> QualityReport:
        # The checks read files; a site in an object store is read from a local copy.
        with tempfile.TemporaryDirectory(prefix="merlin-quality-") as scratch:
            site = run.publisher.download(run.project_id, Path(scratch))
            if site is None:
                raise FileNotFoundError(f"no published site for '{run.project_id}' to assess")
            report = assess_site(site, style)
        # Not in the score: a conflict is the owner's to resolve, not a fault of the site.
        findings = hand_edit_findings(run.publisher.release_store, run.project_id)
        outcome = CheckOutcome(
            name=HAND_EDITS_CHECK,
            passed=not findings,
            description=HAND_EDITS[HAND_EDITS_CHECK],
            findings=findings,
        )
        return report.model_copy(update={"checks": [*report.checks, outcome]})

    def load(self, run: Scheduler, key: str | None = None) -> QualityReport:
        return run.store.load(run.project_id, self.name, QualityReport)


NODE = QualityNode(
    name="quality_assessment",
    group="site",
    description="Scores and concrete findings about the published site.",
    kinds=frozenset({"python"}),
    needs=(Need("site"), Need("style_system")),
    preview=preview,
    checks={**CHECKS, **HAND_EDITS},
    checks_on="site",
    error_checks=frozenset({"links_resolve", "images_resolve", "html_parses", HAND_EDITS_CHECK}),
    counts_as_phase=False,
)

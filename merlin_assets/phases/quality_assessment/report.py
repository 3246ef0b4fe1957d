"""What the quality report holds: one outcome per check, and the share that passed."""

from __future__ import annotations

from pydantic import BaseModel


class CheckOutcome(BaseModel):
    name: str
    passed: bool
    description: str
    findings: list[str]
    # What the check measured (a score, a count, the longest heading), shown as metadata.
    figures: dict[str, float | int | str] = {}


class QualityReport(BaseModel):
    score: float
    checks: list[CheckOutcome]

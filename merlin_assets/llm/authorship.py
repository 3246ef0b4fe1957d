"""Who wrote a run's items, the model or the rules, and why the rules: one line for people.

A run whose service was down used to end on "quality: 14/14 checks passed", with the fact
that the rules wrote all 23 items in a middle line; this line goes last, beside the quality
line, so a site built by rules never reads as a site built by the model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

# The first kind whose words a fallback reason holds names it; unreachable before "refused"
# (a model's refusal), keys before HTTP codes.
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("service unreachable", ("service unreachable", "found dead before the run")),
    ("API keys rejected", ("every API key was rejected",)),
    ("spending cap", ("spending cap",)),
    ("rate limited", ("HTTP 429",)),
    ("timed out", ("timed out",)),
    ("service errors", ("HTTP 5", "connection failed", "circuit open")),
    (
        "invalid answers",
        (
            "not valid JSON",
            "failed validation",
            "truncated",
            "refused",
            "empty reply",
            "content filter",
            "image",
        ),
    ),
)


def kind_of(reason: str) -> str:
    """The kind of a fallback reason, in a few words (`other errors` when none fits)."""
    for kind, words in KINDS:
        if any(word in reason for word in words):
            return kind
    return "other errors"


def written_by(items: Iterable[Mapping[str, Any]], *, offline: str = "") -> str:
    """The line, from the metadata of a run's items; only items that asked a provider count.

    Args:
        items: Each item's metadata (`llm_calls`, `fallback`, `fallback_reason`).
        offline: Why the offline provider wrote the site (`run with --rules`, ...); "" when a
            model service was asked.
    """
    asked = [m for m in items if m.get("llm_calls")]
    total = len(asked)
    if offline:
        return f"written by rules: {total} of {total} items (offline: {offline})"
    by_rules = [m for m in asked if m.get("fallback")]
    line = f"written by the model: {total - len(by_rules)} of {total} items; by rules: "
    if not by_rules:
        return line + "0"
    kinds = Counter(kind_of(str(m.get("fallback_reason", ""))) for m in by_rules)
    if len(kinds) == 1:
        return line + f"{len(by_rules)} ({next(iter(kinds))})"
    parts = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    return line + f"{len(by_rules)} ({parts})"

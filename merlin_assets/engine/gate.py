"""The content gate acting on one item: redo once with the findings, then fall back per field.

A phase that declares `copy_fields` has its answer read by the content gate right after its
repair. Copy that fails is asked for once more with the findings in the prompt; whatever still
fails is replaced field by field with the rule-based writer's text. Never more than one redo:
the original design looped whole passes on a score it could not reach.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from merlin_assets.content_gate import Facts, Finding, check_copy, failing_fields

if TYPE_CHECKING:
    from merlin_assets.phases.base import NodeInputs, Phase, PhaseModel

FINDINGS_MAX = 12
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def review(phase: Phase, item: str, value: PhaseModel, inputs: NodeInputs) -> list[Finding]:
    """Error findings on the copy of one item; none for phases that hold no visitor copy."""
    if phase.copy_fields is None:
        return []
    found = check_copy(phase.copy_fields(item, value), Facts.from_config(inputs.config))
    return [f for f in found if f.severity == "error"]


def redo_note(findings: list[Finding]) -> str:
    """What the model is told when its answer is asked for again."""
    lines = [f"- {f.field or 'whole answer'}: {f.message}" for f in findings[:FINDINGS_MAX]]
    return (
        "\n\nYour previous answer failed these checks. Write it again and fix every one; use "
        "only facts given above, never invent names, reviews, figures or awards:\n"
        + "\n".join(lines)
    )


def as_text(findings: list[Finding]) -> list[str]:
    return [f"{f.item} {f.field}: {f.check}: {f.message}".strip() for f in findings]


def _steps(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _STEP.findall(path)]


def _get(data: Any, steps: list[str | int]) -> Any:
    for step in steps:
        if isinstance(step, int):
            if not isinstance(data, list) or step >= len(data):
                raise KeyError(step)
            data = data[step]
        else:
            if not isinstance(data, dict) or step not in data:
                raise KeyError(step)
            data = data[step]
    return data


def _set(data: Any, steps: list[str | int], new: Any) -> None:
    parent = _get(data, steps[:-1])
    parent[steps[-1]] = new


def fall_back_fields(
    value: PhaseModel, rules: Callable[[], PhaseModel], findings: list[Finding]
) -> tuple[PhaseModel, list[str]]:
    """`value` with each failing field replaced by the rule-based writer's, where it has one.

    A field the rules do not have (a list item past their length) is emptied if it is text,
    so nothing that failed the gate is published.
    """
    failing = sorted({f for fields in failing_fields(findings).values() for f in fields if f})
    if not failing:
        return value, []
    data, written = value.model_dump(), rules().model_dump()
    replaced: list[str] = []
    for path in failing:
        steps = _steps(path)
        try:
            current = _get(data, steps)
        except KeyError:
            continue
        try:
            _set(data, steps, _get(written, steps))
        except KeyError:
            if not isinstance(current, str):
                continue
            _set(data, steps, "")
        replaced.append(path)
    _drop_repeated_items(data)
    return type(value).model_validate(data), replaced


def _leaves(data: Any, path: list[str | int]) -> list[tuple[list[str | int], str]]:
    if isinstance(data, str):
        return [(path, data)]
    if isinstance(data, dict):
        return [leaf for k, v in data.items() for leaf in _leaves(v, [*path, k])]
    if isinstance(data, list):
        return [leaf for i, v in enumerate(data) for leaf in _leaves(v, [*path, i])]
    return []


def _drop_repeated_items(data: Any) -> None:
    """A list item that says what another field already said goes: the rules write some lines
    (a bullet, an FAQ) the same way in several sections, and a page must not repeat itself."""
    seen: set[str] = set()
    drop: list[list[str | int]] = []
    for path, text in _leaves(data, []):
        said = " ".join(text.lower().split())
        if said and said in seen and isinstance(path[-1], int):
            drop.append(path)
        seen.add(said)
    for path in sorted(drop, key=lambda p: p[-1], reverse=True):  # later items first
        del _get(data, path[:-1])[path[-1]]

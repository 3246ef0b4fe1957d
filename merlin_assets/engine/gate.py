"""The content gate acting on one item: redo once with the findings, then fall back per field.

A phase that declares `copy_fields` has its answer read by the content gate right after its
repair (and, where a model runs, by the fact-check judge, `engine.judge`). Copy that fails is
asked for once more with the findings in the prompt. Whatever still fails then acts on the
field: a sentence that fails is removed from running text when what is left passes; otherwise
the field is replaced with the rule-based writer's text, or its list item is dropped. Never
more than one redo: the original design looped whole passes on a score it could not reach.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from itertools import zip_longest
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from merlin_assets.content_gate import CopyField, Facts, Finding, check_copy, failing_fields
from merlin_assets.content_gate.text import norm, sentences

if TYPE_CHECKING:
    from merlin_assets.phases.base import NodeInputs, Phase
    from merlin_assets.types.phase_model import PhaseModel

FINDINGS_MAX = 12
# Checks the gate acts on whatever severity they report: each names something invented.
INVENTIONS = frozenset({"unmatched_quote", "invented_name", "invented_testimonial"})
# Running text, where taking one sentence out leaves copy that still reads. A heading, button,
# bullet, quote or name is one statement: it falls back whole (an invented quote or person is
# never published, and never trimmed into a shorter invention).
TRIMMABLE = frozenset({"body", "description"})
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def review(
    phase: Phase, item: str, value: PhaseModel, inputs: NodeInputs
) -> tuple[int, list[Finding]]:
    """How many copy fields of one item were read, and the error findings on them; (0, [])
    for phases that hold no visitor copy. The count is recorded so a test can tell an item the
    gate read and passed from one it never read.

    A quote unlike every testimonial the config gives is acted on as an error: an invented
    quote is removed, never only warned about (the site-wide review still reports it).
    """
    if phase.copy_fields is None:
        return 0, []
    fields = phase.copy_fields(item, value)
    found = check_copy(fields, Facts.from_config(inputs.config))
    found = [replace(f, severity="error") if f.check in INVENTIONS else f for f in found]
    return len(fields), [f for f in found if f.severity == "error"]


def redo_note(findings: list[Finding]) -> str:
    """What the model is told when its answer is asked for again: invented claims first, so
    a long list of lesser findings never crowds them out, and every kind of finding once
    before any kind twice (with typed claims, six phone and hours findings had pushed another
    trade's words out of the twelve lines)."""
    by_check: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: f.family != "claims"):
        by_check.setdefault(f.check, []).append(f)
    first = [f for rank in zip_longest(*by_check.values()) for f in rank if f is not None]
    lines = [f"- {f.field or 'whole answer'}: {f.message}" for f in first[:FINDINGS_MAX]]
    return (
        "\n\nYour previous answer failed these checks. Write it again and fix every one; use "
        "only facts given above, never invent names, reviews, figures or awards:\n"
        + "\n".join(lines)
    )


def remove_sentences(
    phase: Phase, item: str, value: PhaseModel, inputs: NodeInputs, findings: list[Finding]
) -> tuple[PhaseModel, list[str], list[Finding]]:
    """`value` without the failing sentences of its running text, where that is enough.

    A field's failing sentences are the ones a finding names (the judge's) and the ones that
    fail the rules on their own. They go when the rest of the field is not empty, passes the
    rules and keeps the model valid; otherwise the field's findings are returned, for the
    field to fall back to the rules. Returns the new value, what was removed ("path: removed
    "..."") and the findings still to act on.
    """
    if phase.copy_fields is None:
        return value, [], findings
    kinds = {f.field: f.kind for f in phase.copy_fields(item, value)}
    texts = {f.field: f.text for f in phase.copy_fields(item, value)}
    facts = Facts.from_config(inputs.config)
    by_field: dict[str, list[Finding]] = {}
    for finding in findings:
        by_field.setdefault(finding.field, []).append(finding)
    data, removed, left = value.model_dump(), [], []
    for path, found in by_field.items():
        kind = kinds.get(path)
        if kind not in TRIMMABLE:
            left += found
            continue
        kept, gone = _trim(item, path, kind, texts[path], found, facts)
        trial = value.model_dump()
        _set(trial, _steps(path), kept)
        try:
            type(value).model_validate(trial)
        except ValidationError:
            kept = ""
        if not kept:
            left += found
            continue
        _set(data, _steps(path), kept)
        removed += [f"{path}: removed \u201c{sentence}\u201d" for sentence in gone]
    return type(value).model_validate(data), removed, left


def _trim(
    item: str, path: str, kind: str, text: str, found: list[Finding], facts: Facts
) -> tuple[str, list[str]]:
    """The field's text without its failing sentences, and those sentences; "" when what is
    left is empty or still fails."""
    named = [norm(f.sentence) for f in found if f.sentence]
    kept, gone = [], []
    for sentence in sentences(text):
        said = norm(sentence)
        bad = any(n and (n in said or said in n) for n in named) or any(
            f.severity == "error"
            for f in check_copy([CopyField(item, path, kind, sentence)], facts)
        )
        (gone if bad else kept).append(sentence)
    rest = " ".join(kept)
    if not gone or not rest:
        return "", gone
    still = check_copy([CopyField(item, path, kind, rest)], facts)
    if any(f.severity == "error" for f in still):
        return "", gone
    return rest, gone


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

    Where the rules have nothing at that place (a bullet past the end of their list), the list
    item holding the field is dropped instead, so nothing that failed the gate is published and
    no item is left empty. A list that dropping leaves below its schema's minItems is taken
    whole from the rules. Returns the new value and the paths written by the rules or dropped.
    """
    failing = sorted({f for fields in failing_fields(findings).values() for f in fields if f})
    if not failing:
        return value, []
    data, written = value.model_dump(), rules().model_dump()
    replaced: list[str] = []
    drop: set[tuple[str | int, ...]] = set()
    for path in failing:
        steps = _steps(path)
        try:
            _get(data, steps)
        except KeyError:
            continue
        try:
            _set(data, steps, _get(written, steps))
        except KeyError:
            drop.add(_item_of(steps))
        replaced.append(path)
    drop |= _repeated_items(data)
    schema = type(value).model_json_schema()
    for key, field in data.items():
        kept = _without(field, (key,), drop, written, schema, replaced)
        if kept is _DROPPED:  # a field outside any list had nothing from the rules
            kept = written[key]
            replaced.append(str(key))
        data[key] = kept
    return type(value).model_validate(data), replaced


def _item_of(steps: list[str | int]) -> tuple[str | int, ...]:
    """The list item a field lies in (the field itself when it is one), else its top field."""
    last = max((i for i, step in enumerate(steps) if isinstance(step, int)), default=0)
    return tuple(steps[: last + 1])


_DROPPED = object()


def _without(
    data: Any,
    at: tuple[str | int, ...],
    drop: set[tuple[str | int, ...]],
    written: dict[str, Any],
    schema: dict[str, Any],
    replaced: list[str],
) -> Any:
    """`data` (found at `at`) without the items in `drop`; _DROPPED when it must go itself.

    Bottom-up, so every index in `drop` still points where it did in the answer. A list that
    lost items below its minItems comes whole from the rules; where the rules have no such list
    (the item holding it is past their end), that item goes too.
    """
    if at in drop:
        return _DROPPED
    if isinstance(data, dict):
        out = {}
        for key, child in data.items():
            kept = _without(child, (*at, key), drop, written, schema, replaced)
            if kept is _DROPPED:
                return _DROPPED
            out[key] = kept
        return out
    if not isinstance(data, list):
        return data
    kept = [
        _without(child, (*at, i), drop, written, schema, replaced) for i, child in enumerate(data)
    ]
    kept = [child for child in kept if child is not _DROPPED]
    if len(kept) == len(data) or len(kept) >= _min_items(schema, at):
        return kept
    try:
        whole = _get(written, list(at))
    except KeyError:
        return _DROPPED
    replaced.append(_path_text(at))
    return whole


def _min_items(schema: dict[str, Any], at: tuple[str | int, ...]) -> int:
    """The minItems the phase's JSON schema (what the model is held to) sets at `at`."""
    node, least = _resolve(schema, schema)
    for step in at:
        if isinstance(step, int):
            node = node.get("items", {})
        else:
            node = node.get("properties", {}).get(step, {})
        node, least = _resolve(schema, node)
    return least


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Through $ref and an Optional's anyOf to the node that describes the value, with the
    minItems found on the way (pydantic puts a field's own limits beside its anyOf)."""
    least = 0
    while True:
        least = max(least, int(node.get("minItems", 0)))
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:
            node = next((n for n in node["anyOf"] if n.get("type") != "null"), {})
        else:
            return node, least


def _path_text(at: tuple[str | int, ...]) -> str:
    return "".join(
        f"[{step}]" if isinstance(step, int) else f"{'.' if i else ''}{step}"
        for i, step in enumerate(at)
    )


def _leaves(data: Any, path: list[str | int]) -> list[tuple[list[str | int], str]]:
    if isinstance(data, str):
        return [(path, data)]
    if isinstance(data, dict):
        return [leaf for k, v in data.items() for leaf in _leaves(v, [*path, k])]
    if isinstance(data, list):
        return [leaf for i, v in enumerate(data) for leaf in _leaves(v, [*path, i])]
    return []


def _repeated_items(data: Any) -> set[tuple[str | int, ...]]:
    """The list items that say what another field already said: the rules write some lines
    (a bullet, an FAQ) the same way in several sections, and a page must not repeat itself."""
    seen: set[str] = set()
    repeated: set[tuple[str | int, ...]] = set()
    for path, text in _leaves(data, []):
        said = " ".join(text.lower().split())
        if said and said in seen and isinstance(path[-1], int):
            repeated.add(tuple(path))
        seen.add(said)
    return repeated

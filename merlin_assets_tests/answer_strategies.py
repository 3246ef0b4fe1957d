"""Hypothesis strategies for anything a phase's JSON schema allows, and the text people type.

`answers(model)` draws JSON for a phase's strict schema, the one the provider sends: half from
`hypothesis_jsonschema.from_schema` (any instance, full Unicode, shrinks well), half from
`edge_instances`, which walks the same schema towards its edges, where models actually go
wrong: strings empty, whitespace-only or exactly at their maxLength, right-to-left text and
bidi controls, emoji sequences, markup characters; lists at their maxItems; any enum value;
integers and numbers far outside the range a description asks for. Given a plausible answer,
a third share (`near`) keeps most of it and changes parts, as a model that nearly follows the
plan does.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from openai.lib._pydantic import to_strict_json_schema
from pydantic import BaseModel

# Pieces joined into edge text. Each is something a model or a person really writes: RTL
# scripts with their marks and an override (U+202E), emoji with joiners, flags and skin tones,
# combining marks, CJK, markup and quote characters, odd spaces, and NUL, which JSON carries.
PIECES = (
    "Crumb & Co",
    "<b>bold</b>",
    "\"quoted\" 'single'",
    "a{b}c;--x",
    "מאפייה משפחתית",
    "مخبز العائلة",
    "\u200f\u202eevil\u202c",
    "🍞🥐",
    "👩‍👩‍👧‍👦",
    "🇬🇧",
    "👍🏽",
    "e\u0301\u0308",
    "パン屋",
    "Пекарня",
    "\u00a0\u2009\u200b",
    "\t",
    "\n",
    "\x00",
    "…",
    "x",
)
# Whitespace a stripped check would call empty.
BLANKS = (" ", "\t", "\n", "\u00a0", "\u2003", "\u3000")


@st.composite
def edge_text(draw: st.DrawFn, min_size: int = 0, max_size: int | None = None) -> str:
    """Text within [min_size, max_size] code points, biased towards its edges."""
    top = 200 if max_size is None else max_size
    low = min(min_size, top)
    kind = draw(st.sampled_from(("full", "full", "blank", "empty", "short", "any")))
    if kind == "empty" and low == 0:
        return ""
    if kind == "blank":
        size = draw(st.integers(max(low, 1), max(low, min(top, 8))))
        return "".join(draw(st.lists(st.sampled_from(BLANKS), min_size=size, max_size=size)))
    if kind == "any":
        return draw(st.text(min_size=low, max_size=top))
    pieces = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
    text = "".join(pieces)
    if kind == "full":
        # Exactly the maximum: repeat and cut, which may split an emoji sequence mid-way,
        # as a model's cut-off reply does.
        text *= top // max(1, len(text)) + 1
    return text[:top].ljust(low, "x")


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return defs[ref.rsplit("/", 1)[1]] if ref else schema


def edge_instances(schema: dict[str, Any], defs: dict[str, Any] | None = None):
    """A strategy for instances of a (strict, $ref-using) JSON schema, drawn at its edges."""
    defs = schema.get("$defs", {}) if defs is None else defs
    schema = _resolve(schema, defs)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        return edge_text(schema.get("minLength", 0), schema.get("maxLength"))
    if kind == "integer":
        extremes = st.sampled_from((0, -1, 1, 3, 7, 99, -(2**31), 2**31 - 1, 2**63, -(2**70)))
        return extremes | st.integers()
    if kind == "number":
        extremes = st.sampled_from((0.0, -0.0, 1.0, -1.5, 1e-300, 1e300, -1e300, 2.5))
        return extremes | st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        low, high = schema.get("minItems", 0), schema.get("maxItems", 12)
        items = edge_instances(schema["items"], defs)
        size = st.sampled_from((low, high)) | st.integers(low, high)
        return size.flatmap(lambda n: st.lists(items, min_size=n, max_size=n))
    if kind == "object":
        props = schema.get("properties", {})
        return st.fixed_dictionaries({k: edge_instances(v, defs) for k, v in props.items()})
    raise ValueError(f"no strategy for schema {schema!r}")


def near(value: Any, schema: dict[str, Any], defs: dict[str, Any] | None = None):
    """A strategy for `value` (an instance of `schema`) with some of its parts replaced by
    edge instances and some lists reordered: answers a model gives when it follows the plan but
    not quite, which random keys never reach (a page's copy with every section, out of order)."""
    defs = schema.get("$defs", {}) if defs is None else defs
    schema = _resolve(schema, defs)
    kind = schema.get("type")
    if kind == "object" and isinstance(value, dict):
        props = schema.get("properties", {})
        return st.fixed_dictionaries({k: near(value[k], props[k], defs) for k in props})
    if kind == "array" and isinstance(value, list):
        items = st.tuples(*(near(v, schema["items"], defs) for v in value)).map(list)
        return items | st.permutations(value) | edge_instances(schema, defs)
    return st.just(value) | st.just(value) | edge_instances(schema, defs)


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The schema the OpenAI provider sends for `model` (every limit kept, as for a local
    server; see `llm.openai_provider.response_format`)."""
    return to_strict_json_schema(model)


def answers(model: type[BaseModel], plausible: BaseModel | None = None):
    """Any JSON value the phase's schema allows: from the generic generator, at its edges, or
    (given a `plausible` answer, the rules' one say) near that answer."""
    schema = strict_schema(model)
    drawn = from_schema(schema) | edge_instances(schema)
    if plausible is not None:
        drawn |= near(plausible.model_dump(mode="json"), schema)
    return drawn

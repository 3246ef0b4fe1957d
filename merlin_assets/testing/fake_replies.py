"""Schema-driven content: a readable JSON value valid for a structured-output schema."""

from __future__ import annotations

import copy
import math
import random
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

_RANGE = re.compile(r"(-?\d+(?:\.\d+)?)\s*(?:\([^)]*\)\s*)?(?:-|–|to)\s*(-?\d+(?:\.\d+)?)")
_AT_MOST_CHARS = re.compile(r"at most (\d+) char", re.IGNORECASE)
_FONTS = ("Inter", "Lora", "Merriweather", "Source Sans 3", "Playfair Display", "Work Sans")
_MAX_DEPTH = 12


def instance_for_schema(
    schema: Mapping[str, Any],
    rng: random.Random,
    hints: Mapping[str, Any] | None = None,
    *,
    payloads: Sequence[str] = (),
) -> Any:
    """A JSON value valid for `schema`, with readable text derived from property names.

    Args:
        schema: JSON schema as sent in `response_format.json_schema.schema`.
        rng: Source of every random choice, so output is reproducible.
        hints: Property name -> value (or `callable(rng)`) used verbatim for that property.
        payloads: Hostile strings; free-text fields are replaced by or suffixed with them.

    Returns:
        Plain JSON data (dicts, lists, str, int, float, bool, None).
    """
    return _Generator(schema, rng, hints or {}, payloads).value(schema, "value", (), None, 0)


def _label(name: str) -> str:
    # "muted_text" / "mutedText" / "muted-text" -> "muted text"
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return re.sub(r"[_\-\s]+", " ", spaced).strip().lower() or "value"


def _description_range(node: Mapping[str, Any]) -> tuple[float, float] | None:
    # The product states bounds in prose ("16-20", "1 (minor) to 5 (essential)") because
    # strict mode used to reject minimum/maximum; honour them so values look plausible.
    match = _RANGE.search(str(node.get("description", "")))
    if not match:
        return None
    lo, hi = float(match.group(1)), float(match.group(2))
    return (lo, hi) if lo <= hi else None


class _Generator:
    def __init__(
        self,
        root: Mapping[str, Any],
        rng: random.Random,
        hints: Mapping[str, Any],
        payloads: Sequence[str],
    ) -> None:
        self.root = root
        self.rng = rng
        self.hints = hints
        self.payloads = list(payloads)
        self.spliced = 0

    def resolve(self, ref: str) -> Mapping[str, Any]:
        if not ref.startswith("#"):
            raise ValueError(f"only local $ref is supported, got {ref!r}")
        node: Any = self.root
        for part in filter(None, ref[1:].split("/")):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def value(
        self,
        node: Mapping[str, Any],
        name: str,
        path: tuple[str, ...],
        index: int | None,
        depth: int,
    ) -> Any:
        if "$ref" in node:
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**self.resolve(node["$ref"]), **siblings}
        if name in self.hints:
            hint = self.hints[name]
            return hint(self.rng) if callable(hint) else copy.deepcopy(hint)
        if "const" in node:
            return copy.deepcopy(node["const"])
        if "enum" in node:
            return copy.deepcopy(self.rng.choice(node["enum"]))
        for key in ("anyOf", "oneOf"):
            if key in node:
                return self.value(self.pick_branch(node[key], depth), name, path, index, depth)
        if "allOf" in node:
            merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
            for part in node["allOf"]:
                if "$ref" in part:
                    part = self.resolve(part["$ref"])
                merged.update(part)
            return self.value(merged, name, path, index, depth)

        kind = node.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            if not kinds or (depth > _MAX_DEPTH and "null" in kind):
                return None
            kind = kinds[0]
        if kind is None:
            kind = "object" if "properties" in node else "array" if "items" in node else "string"
        if kind == "object":
            return self.object(node, name, path, index, depth)
        if kind == "array":
            return self.array(node, name, path, depth)
        if kind == "string":
            return self.string(node, name, path, index)
        if kind == "integer":
            return self.integer(node)
        if kind == "number":
            return self.number(node)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "null":
            return None
        raise ValueError(f"unsupported schema type {kind!r} at {'.'.join(path) or 'root'}")

    def pick_branch(self, options: Sequence[Mapping[str, Any]], depth: int) -> Mapping[str, Any]:
        non_null = [o for o in options if o.get("type") != "null"]
        has_null = len(non_null) < len(options)
        # Mostly fill nullable fields so tests see content; stop recursion with null when deep.
        if has_null and (not non_null or depth > _MAX_DEPTH or self.rng.random() < 0.15):
            return {"type": "null"}
        return self.rng.choice(non_null or list(options))

    def object(
        self,
        node: Mapping[str, Any],
        name: str,
        path: tuple[str, ...],
        index: int | None,
        depth: int,
    ) -> dict[str, Any]:
        props: Mapping[str, Any] = node.get("properties") or {}
        if props:
            # Strict mode requires every property; optional ones are valid to include too.
            return {
                key: self.value(sub, key, (*path, key), index, depth + 1)
                for key, sub in props.items()
            }
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and depth <= _MAX_DEPTH:
            return {
                f"{_label(name).replace(' ', '-')}-{i}": self.value(
                    extra, name, (*path, str(i)), i - 1, depth + 1
                )
                for i in range(1, self.rng.randint(1, 2) + 1)
            }
        return {}

    def array(
        self, node: Mapping[str, Any], name: str, path: tuple[str, ...], depth: int
    ) -> list[Any]:
        lo = int(node.get("minItems", 0))
        hi = node.get("maxItems")
        prefix = node.get("prefixItems") or []
        hinted = _description_range(node) if "minItems" not in node and hi is None else None
        if hinted and hinted[1] <= 20:
            lo, hi = int(hinted[0]), int(hinted[1])
        items: Any = node.get("items")
        count = self.rng.randint(1, 3) if depth <= _MAX_DEPTH else 0
        if items is False:  # a closed tuple: exactly the prefix items
            count = len(prefix)
        if hi is not None:
            count = min(count, int(hi))
        count = max(count, lo)
        out: list[Any] = []
        for i in range(count):
            sub = prefix[i] if i < len(prefix) else items if isinstance(items, dict) else {}
            out.append(self.value(sub, name, (*path, str(i)), i, depth + 1))
        if node.get("uniqueItems"):
            out = self.unique(out, lo)
        return out

    @staticmethod
    def unique(items: list[Any], minimum: int) -> list[Any]:
        seen: list[Any] = []
        for item in items:
            if item not in seen:
                seen.append(item)
        return seen if len(seen) >= minimum else items

    def string(
        self, node: Mapping[str, Any], name: str, path: tuple[str, ...], index: int | None
    ) -> str:
        text = self.base_string(node, name, path, index)
        if self.payloads and "format" not in node:
            payload = self.payloads[self.spliced % len(self.payloads)]
            # Alternate replacing and appending so both bare and embedded payloads get tested.
            text = payload if self.spliced % 2 == 0 else f"{text} {payload}"
            self.spliced += 1
        max_len = node.get("maxLength")
        if max_len is None and (match := _AT_MOST_CHARS.search(str(node.get("description", "")))):
            max_len = int(match.group(1))
        min_len = int(node.get("minLength", 0))
        if len(text) < min_len:
            text = (text + " text" * min_len)[:min_len]
        if max_len is not None:
            text = text[: int(max_len)]
        return text

    def base_string(
        self, node: Mapping[str, Any], name: str, path: tuple[str, ...], index: int | None
    ) -> str:
        number = 1 if index is None else index + 1
        fmt = node.get("format")
        lowered = name.lower()
        if fmt == "email" or "email" in lowered:
            return f"hello{number if number > 1 else ''}@example.com"
        if fmt in ("uri", "url") or lowered in ("url", "website", "href"):
            return f"https://example.com/{number}"
        if fmt == "date-time":
            return "2024-01-01T12:00:00Z"
        if fmt == "date":
            return "2024-01-01"
        if fmt == "uuid":
            return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        if "phone" in lowered:
            return f"+1 555 01{number:02d}"
        if any("palette" in p.lower() for p in path) or lowered.endswith(("color", "colour")):
            return f"#{self.rng.getrandbits(24):06x}"
        if "font" in lowered or any("font" in p.lower() for p in path):
            return self.rng.choice(_FONTS)
        # Keys and slugs follow the nearest list index, so cross-references ("item-1") made by
        # one request usually exist in another request's output.
        if lowered == "slug" or lowered.endswith("_slug"):
            return f"page-{number}"
        if lowered in ("key", "id") or lowered.endswith(("_key", "_keys", "_id", "_ids")):
            return f"item-{number}"
        suffix = f" {number}" if index is not None else ""
        return f"Sample {_label(name)} text{suffix}"

    def integer(self, node: Mapping[str, Any]) -> int:
        lo, hi = self.bounds(node, 1, 5)
        lo_i, hi_i = math.ceil(lo), math.floor(hi)
        if lo_i > hi_i:
            return lo_i
        value = self.rng.randint(lo_i, hi_i)
        step = node.get("multipleOf")
        if isinstance(step, int) and step > 0:
            value = max(lo_i, value - value % step)
        return value

    def number(self, node: Mapping[str, Any]) -> float:
        lo, hi = self.bounds(node, 0.1, 1.0)
        value = round(self.rng.uniform(lo, hi), 3)
        return min(max(value, lo), hi)

    @staticmethod
    def bounds(node: Mapping[str, Any], lo: float, hi: float) -> tuple[float, float]:
        hinted = _description_range(node)
        if hinted:
            lo, hi = hinted
        tiny = 1e-6 if node.get("type") == "number" else 1
        if "minimum" in node:
            lo = float(node["minimum"])
        if "exclusiveMinimum" in node:
            lo = float(node["exclusiveMinimum"]) + tiny
        if "maximum" in node:
            hi = float(node["maximum"])
        if "exclusiveMaximum" in node:
            hi = float(node["exclusiveMaximum"]) - tiny
        if hi < lo:
            # Only one bound given and it excludes the default window: stay near that bound.
            hi, lo = (
                (lo + 4, lo) if "minimum" in node or "exclusiveMinimum" in node else (hi, hi - 4)
            )
        return lo, hi

"""Relevance: does the site as a whole say who the business is, where, and what it does?

Site-wide, the copy must name the business, name its place when the config gives one, and
mention at least min(3, n) of its n services (each one missing is listed). Each page item
("page:...") with real copy on it should name the business too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from merlin_assets.content_gate.facts import Facts
from merlin_assets.content_gate.findings import SITE, CopyField, Finding
from merlin_assets.content_gate.text import STOPWORDS, norm, stem, stems_match, words, wordset

# Endings that are not part of what people call a business ("Crumb & Co Ltd" is "Crumb").
_LEGAL = wordset("ltd limited llc llp inc plc co company corp gmbh sa sarl bv pty group")
# A page with at least this many words of copy should name the business somewhere.
PAGE_MIN_WORDS = 40
# Words in a location that say nothing about the place itself.
_PLACE_FILLER = wordset(
    "area areas region greater central north south east west northern southern eastern "
    "western city county district borough town village nationwide worldwide online remote "
    "serving based across and the of in near around local"
)


def check_relevance(fields: Iterable[CopyField], facts: Facts) -> list[Finding]:
    """Findings about the site as a whole (item `SITE`) and about pages that never name it."""
    fields = [f for f in fields if f.text.strip()]
    site = "\n".join(f.text for f in fields)
    out = []
    variants = name_variants(facts.name)
    if variants and not _names(site, variants):
        out.append(
            Finding(SITE, "", "missing_business_name", f"the copy never names {facts.name!r}")
        )
    else:
        out += _pages_without_name(fields, variants, facts.name)
    places = place_words(facts.location)
    if places and not any(re.search(rf"\b{re.escape(p)}\b", site, re.IGNORECASE) for p in places):
        out.append(
            Finding(SITE, "", "missing_location", f"the copy never names {facts.location!r}")
        )
    out += _services(fields, facts)
    return out


def name_variants(name: str) -> list[str]:
    """Normalised ways copy may name the business: in full, without legal endings, or by
    a leading part of at least two (and half its) words."""
    tokens = norm(name).split()
    if not tokens:
        return []
    variants = {" ".join(tokens)}
    core = list(tokens)
    while len(core) > 1 and core[-1] in _LEGAL | {"and"}:
        core.pop()
    if core and core[0] == "the" and len(core) > 1:
        core = core[1:]
    variants.add(" ".join(core))
    significant = [t for t in core if t != "and"]
    need = max(2, math.ceil(len(significant) / 2))
    for end in range(1, len(core) + 1):
        prefix = core[:end]
        if len([t for t in prefix if t != "and"]) >= need and prefix[-1] != "and":
            variants.add(" ".join(prefix))
    return sorted(variants, key=len)


def _names(text: str, variants: list[str]) -> bool:
    padded = f" {norm(text)} "
    return any(f" {v} " in padded for v in variants)


def _pages_without_name(fields: list[CopyField], variants: list[str], name: str) -> list[Finding]:
    by_item: dict[str, list[str]] = {}
    for f in fields:
        if f.item.startswith("page"):
            by_item.setdefault(f.item, []).append(f.text)
    out = []
    for item, texts in by_item.items():
        text = "\n".join(texts)
        if len(text.split()) >= PAGE_MIN_WORDS and not _names(text, variants):
            out.append(
                Finding(item, "", "missing_business_name", f"this page never names {name!r}")
            )
    return out


def place_words(location: str) -> list[str]:
    """Names in a location that copy may use for it: "Leith, Edinburgh" gives both."""
    parts = [p.strip() for p in re.split(r"[,;/()]|\band\b|&", location) if p.strip()]
    out = []
    for part in parts:
        kept = [w for w in part.split() if w.lower().strip(".") not in _PLACE_FILLER]
        if kept:
            out.append(" ".join(kept).strip("."))
        out += [w for w in kept if len(w) >= 4 and w[0].isupper()]
    return list(dict.fromkeys(p for p in out if p))


def service_mentioned(service: str, field_texts: list[list[str]]) -> bool:
    """Whether some field says the service: at least two thirds of its words, as stems."""
    wanted = [stem(w) for w in words(service) if w not in STOPWORDS]
    if not wanted:
        return True
    need = math.ceil(len(wanted) * 2 / 3)
    for stems in field_texts:
        if sum(any(stems_match(w, s) for s in stems) for w in wanted) >= need:
            return True
    return False


def _services(fields: list[CopyField], facts: Facts) -> list[Finding]:
    if not facts.services:
        return []
    field_stems = [sorted({stem(w) for w in words(f.text)}) for f in fields]
    missing = [s for s in facts.services if not service_mentioned(s, field_stems)]
    named = len(facts.services) - len(missing)
    need = min(3, len(facts.services))
    if named < need:
        return [
            Finding(
                SITE,
                "",
                "missing_services",
                f"only {named} of the config's services appear (need {need}); missing: "
                + ", ".join(missing),
            )
        ]
    if missing:
        return [
            Finding(
                SITE,
                "",
                "missing_services",
                "services the copy never mentions: " + ", ".join(missing),
                "warning",
            )
        ]
    return []

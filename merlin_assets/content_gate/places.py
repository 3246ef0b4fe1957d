"""Places in the copy beyond the ones the config names.

A place is a capitalised name GeoNames knows (a city, country or US state), or any capitalised
name that is not an everyday word after "in", "from", "across", "serving", "near"... ("across
Portobello and Newhaven"). It passes when the config names it (location, address, notes, a
testimonial's role) or when it holds a place the config names: Edinburgh gives Scotland and the
UK, Portland with Maine gives Maine. Everyday words that are also places ("Reading", "Bath",
"Best") count only after a place preposition.
"""

from __future__ import annotations

import re
from functools import cache

from merlin_assets.content_gate.facts import Facts
from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.text import words, wordset
from merlin_assets.content_gate.wordlists import (
    day_names,
    is_common_word,
    is_given_name,
    place,
    place_first_words,
    region_names,
)

_CAP = r"[A-Z][a-zà-ÿ]+(?:-[A-Z]?[a-zà-ÿ]+)*(?:['’][A-Z][a-zà-ÿ]+)?"  # not "Leith's"
# After "in", "across" or in a list of places, only a frequent word ("in Reading" aside) is no
# place: "Fife" (zipf 3.4) is, "Bread" (5.0) is not.
CONTEXT_ZIPF = 4.0
_NAME = re.compile(rf"(?<![\w@./-])({_CAP}(?:\s+(?:upon|on|de|la|le|del)?\s*{_CAP}){{0,3}})")
_PLACE_CONTEXT = re.compile(
    r"\b(?:in|from|across|serving|near|around|throughout|covering|to|visit|at|of|outside|"
    r"beyond|between|and|or|all over|based in|like)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_STRONG_CONTEXT = re.compile(
    r"\b(?:in|from|across|serving|near|around|throughout|covering|outside|beyond|based in|"
    r"branches? in|shops? in|offices? in|stores? in|clinics? in)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# Capitalised words after a place word that are never a place themselves.
_NOT_PLACES = wordset(
    "The A An Our Your We You Us It Its This That Every All Each Monday Tuesday Wednesday "
    "Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December Christmas Easter Street Road Lane Avenue Place "
    "Square Park Court Mr Mrs Ms Dr Google Instagram Facebook Maps English French German "
    "Spanish Italian Scottish Welsh Irish British American Mon Tue Wed Thu Fri Sat Sun"
)
_STREET = re.compile(
    r"^\s+(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Place|Square|Park|Court|Way|Drive|Close|"
    r"Terrace|Crescent|Row|Walk|Hill|Gardens|Blvd|Boulevard|Market|Hall|House|Centre|Center)\b"
)


def check_places(fields: list[CopyField], facts: Facts) -> list[Finding]:
    """Places the config never names and that do not hold its location."""
    allowed = _allowed(facts.corpus, facts.location, facts.address)
    names = _person_and_business_words(facts)
    out = []
    for f in fields:
        reported: set[str] = set()
        for name in places_in(f.text):
            if name in reported or _known(name, allowed) or set(words(name)) <= names:
                continue
            reported.add(name)
            where = f" (the config says {facts.location})" if facts.location else ""
            out.append(
                Finding(
                    f.item,
                    f.field,
                    "invented_place",
                    f"{name!r} is a place the config does not name{where}",
                )
            )
    return out


def places_in(text: str) -> list[str]:
    """Names in the text that read as places."""
    out = []
    days = day_names()
    for m in _NAME.finditer(text):
        name = m.group(1)
        tokens = name.split()
        while tokens and (tokens[0] in _NOT_PLACES or tokens[0].lower() in days):
            tokens = tokens[1:]
        if not tokens:
            continue
        name = " ".join(tokens)
        before = text[: m.start()]
        after = text[m.end() :]
        if _STREET.match(after):
            continue
        found = _longest_place(tokens)
        if found:
            single = " " not in found
            if single and is_common_word(found) and not _STRONG_CONTEXT.search(before):
                continue
            if single and is_given_name(found) and _followed_by_surname(found, name, after):
                continue
            out.append(found)
        elif (_STRONG_CONTEXT.search(before) or _after_a_place(before)) and not any(
            is_common_word(t, CONTEXT_ZIPF) for t in tokens
        ):
            out.append(name)
    return out


def _after_a_place(before: str) -> bool:
    """In a list of places: "Leith, Edinburgh and Fife"."""
    m = re.search(rf"({_CAP})\s*(?:,|\band\b|\bor\b|&)\s*$", before)
    return bool(m and place(m.group(1)))


def _followed_by_surname(found: str, name: str, after: str) -> bool:
    """ "Florence Okafor" is a person, "Florence" alone may be the city."""
    return name != found or bool(re.match(rf"\s+{_CAP}\b", after))


def _longest_place(tokens: list[str]) -> str:
    first = place_first_words()
    for start in range(len(tokens)):
        if tokens[start] not in first:
            continue
        for end in range(len(tokens), start, -1):
            candidate = " ".join(tokens[start:end])
            if place(candidate):
                return candidate
    return ""


def _known(name: str, allowed: frozenset[str]) -> bool:
    return name.lower() in allowed or all(w in allowed for w in words(name))


@cache
def _allowed(corpus: str, location: str, address: str) -> frozenset[str]:
    """Lowercase place names and words the config gives, with the regions that hold them."""
    allowed = set(words(corpus)) | {m.lower() for m in re.findall(rf"{_CAP}(?: {_CAP})*", corpus)}
    here = [p.strip() for p in re.split(r"[,;\n]|\s+-\s+", f"{location},{address}") if p.strip()]
    codes = []
    for part in here:
        tokens = part.split()
        for start in range(len(tokens)):
            for end in range(len(tokens), start, -1):
                name = " ".join(tokens[start:end])
                codes += [(name, code) for code in place(name)]
    # A name several places share ("Portland") resolves to the country/state that another
    # name in the config also gives ("Maine"), else to all of them.
    by_code: dict[tuple[str, str], set[str]] = {}
    for name, code in codes:
        by_code.setdefault(code, set()).add(name)
    codes = list(by_code)
    states = {c for c, names in by_code.items() if c[1] and len(names) > 1}
    for country, admin1 in states or set(codes):
        allowed |= {n.lower() for n in region_names(country, admin1)}
    return frozenset(allowed)


def _person_and_business_words(facts: Facts) -> set[str]:
    out = set(words(facts.name))
    for p in facts.people:
        out |= set(words(p.name))
    return out

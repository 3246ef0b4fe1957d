"""Invented figures and unsupported claim words: numbers and boasts the config never made.

A figure is a number tied to a unit that makes it a claim (500+, 98%, 4.9/5, £25, 20 years
of experience, since 1998, 24/7, thousands of customers). It passes when the config states
the same number anywhere (description, notes, offers, hours, testimonials, founded...).
A claim word (award-winning, certified, guaranteed, rated, fully insured, verified reviews)
passes when the config's own text holds any of its evidence words.
"""

from __future__ import annotations

import re

from merlin_assets.content_gate.facts import NUMBER_WORDS, Facts
from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.text import has_phrase

_NUM = r"\d[\d,]*(?:\.\d+)?"
_UNITS = (
    r"clients|customers|reviews|ratings|projects|homes|households|families|patients|students|"
    r"members|businesses|companies|users|weddings|events|jobs|installations|cases|orders|"
    r"visitors|guests|pupils|couples|people|smiles|cakes|boilers"
)
_ADJ = r"(?:(?:happy|satisfied|loyal|trusted|local|repeat|returning|delighted)\s+)?"
_WORD_NUMBERS = "|".join(NUMBER_WORDS)

# label, pattern; group 1 (when present) is the number the claim rests on.
FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        (
            "years",
            rf"\b(?:over|more than|almost|nearly|some|around|about|upwards of)\s+({_NUM})"
            rf"\+?\s+years",
        ),
        (
            "years",
            rf"\b({_NUM})\+?\s+years?\s+(?:of\s+)?(?:experience|in business|serving|trading"
            rf"|of service|of expertise|expertise|in the (?:trade|industry|business))",
        ),
        (
            "since",
            r"\b(?:since|established|est\.?|founded|trading since)\s+(?:in\s+)?"
            r"((?:1[5-9]|20)\d\d)\b",
        ),
        ("rating", r"(?<![\d.])(\d(?:\.\d)?)\s*(?:/|out of)\s*(?:5|10)\b(?!\s*/)"),
        ("rating", r"(?<![\d.])(\d(?:\.\d)?)[\s-]*stars?\b"),
        ("count", rf"(?<![\d.])({_NUM})\+?\s+{_ADJ}(?:{_UNITS})\b"),
        ("percent", rf"(?<![\d.])({_NUM})\s*(?:%|per ?cent\b)"),
        ("price", rf"[£$€¥₹]\s?({_NUM})"),
        ("price", rf"(?<![\d.])({_NUM})\s?(?:USD|EUR|GBP|CAD|AUD|dollars|pounds|euros)\b"),
        ("plus", rf"(?<![\d.+/])({_NUM})\s?\+(?![\d+])"),
        ("round the clock", r"\b24\s*/\s*7\b|\b24\s*/\s*365\b|\b24[\s-]hours?\s+a\s+day\b"),
        ("many", rf"\b(?:hundreds|thousands|millions|dozens)\s+of\s+{_ADJ}(?:{_UNITS})\b"),
        (
            "many",
            rf"\b(?:{_WORD_NUMBERS})\s+{_ADJ}(?:{_UNITS})\b(?=.*\b(?:served|helped|"
            rf"trust|worked|since|so far|and counting))",
        ),
    )
)
_ROUND_THE_CLOCK = ("24/7", "24 hours", "24-hour", "24 hour", "around the clock", "24/365")

# label -> (patterns, evidence in the config, whether "not/no/never" before it cancels it)
CLAIMS: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "reviews": (
        (
            r"\bverified (?:reviews?|customers?|buyers?|clients?|reviewers?)\b",
            r"\b(?:google|trustpilot|yelp|tripadvisor|checkatrade|feefo|facebook) reviews?\b",
            r"\breviews? (?:on|from) (?:google|trustpilot|yelp|tripadvisor|checkatrade|feefo)\b",
            r"\btrustpilot\b",
        ),
        ("review*", "trustpilot", "yelp", "tripadvisor", "checkatrade", "feefo"),
        False,
    ),
    "award": (
        (
            r"\baward[\s-]winning\b",
            r"\bmulti[\s-]award\b",
            r"\bprize[\s-]winning\b",
            r"\bwon (?:an?|the|several|many|numerous|\d+)?\s*(?:\w+\s)?awards?\b",
            r"\bwinners? of (?:the\s)?\w+",
            r"\bawarded (?:the\s)?[\w\s]{0,30}(?:prize|award)\b",
        ),
        ("award*", "prize*", "winner*", "won"),
        False,
    ),
    "certification": (
        (
            r"\bcertified\b",
            r"\bcertification\b",
            r"\baccredited\b",
            r"\baccreditation\b",
            r"\blicensed\b",
            r"\bchartered\b",
            r"\bgas safe\b",
            r"\bNICEIC\b",
            r"\bISO \d{3,5}\b",
            r"\bregulated by\b",
            r"\bregistered with\b",
            r"\bapproved by\b",
        ),
        (
            "certif*",
            "accredit*",
            "licen*",
            "chartered",
            "regulat*",
            "registered",
            "gas safe",
            "niceic",
            "iso",
            "approved",
            "member of",
            "qualified",
        ),
        False,
    ),
    "guarantee": (
        (
            r"\bguarantee[sd]?\b",
            r"\bmoney[\s-]back\b",
            r"\bno[\s-]win,?\s+no[\s-]fee\b",
            r"\bwarrant(?:y|ies|ied)\b",
        ),
        ("guarantee*", "warrant*", "money-back", "money back", "refund*", "no win"),
        True,
    ),
    "rating": (
        (
            r"\b(?:top|highly|best|highest|5[\s-]star|five[\s-]star)[\s-]rated\b",
            r"\brated\b",
            r"\b(?:5|five)[\s-]stars?\b",
            r"★{3,}",
        ),
        ("rated", "rating*", "star", "review*", "ofsted", "cqc"),
        True,
    ),
    "insured": (
        (r"\b(?:fully\s+)?insured\b",),
        ("insur*",),
        True,
    ),
    "number one": (
        (
            r"(?:#\s?1|\bnumber one|\bno\.\s?1)\s+(?:in|for|rated)\b",
            r"\bvoted\s+(?:the\s+)?"
            r"(?:best|top|#|number|no\.)",
        ),
        ("voted", "number one", "#1", "no. 1"),
        False,
    ),
}
_NEGATION = re.compile(
    r"\b(?:not|no|never|can't|cannot|can’t|won't|without)\b[\w\s,]{0,20}$", re.IGNORECASE
)


def check_figures(fields: list[CopyField], facts: Facts) -> list[Finding]:
    """Figures in the copy that the config does not state."""
    out = []
    corpus = facts.corpus.lower()
    for f in fields:
        reported: set[str] = set()
        for label, pattern in FIGURES:
            for m in pattern.finditer(f.text):
                said = m.group().strip()
                if said.lower() in reported or _figure_supported(label, m, facts, corpus):
                    continue
                reported.add(said.lower())
                out.append(
                    Finding(
                        f.item,
                        f.field,
                        "invented_figure",
                        f"{said!r} ({label}) is not a figure the config states",
                    )
                )
    return out


def _figure_supported(label: str, m: re.Match[str], facts: Facts, corpus: str) -> bool:
    if m.group().lower() in corpus:
        return True
    if label == "round the clock":
        return any(p in corpus for p in _ROUND_THE_CLOCK)
    if label == "many":
        return any(w in corpus for w in ("hundreds", "thousands", "millions", "dozens"))
    value = _value(m.group(1))
    if value is None:
        return False
    if value in facts.figures:
        return True
    if label == "years" and facts.founded:
        return 0 < value <= facts.year - facts.founded + 1
    return False


def _value(raw: str) -> float | None:
    try:
        return float(raw.rstrip(",.").replace(",", ""))
    except ValueError:
        return None


def check_claim_words(fields: list[CopyField], facts: Facts) -> list[Finding]:
    """Award, certification, guarantee, rating and review boasts the config gives no cause for."""
    supported = {
        label: _has_evidence(evidence, facts) for label, (_, evidence, _) in CLAIMS.items()
    }
    out = []
    for f in fields:
        for label, (patterns, _, negatable) in CLAIMS.items():
            if supported[label]:
                continue
            m = _first_claim(f.text, patterns, negatable)
            if m:
                out.append(
                    Finding(
                        f.item,
                        f.field,
                        "unsupported_claim",
                        f"{m!r} claims {_NOUN[label]} that the config does not mention",
                    )
                )
    return out


_NOUN = {
    "reviews": "reviews",
    "award": "an award",
    "certification": "a certification or licence",
    "guarantee": "a guarantee",
    "rating": "a rating",
    "insured": "insurance",
    "number one": "a top ranking",
}


def _has_evidence(evidence: tuple[str, ...], facts: Facts) -> bool:
    if facts.accreditations and evidence == CLAIMS["certification"][1]:
        return True
    return any(has_phrase(facts.corpus, e) for e in evidence)


def _first_claim(text: str, patterns: tuple[str, ...], negatable: bool) -> str:
    for pattern in patterns:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            if negatable and _NEGATION.search(text[: m.start()]):
                continue
            return m.group()
    return ""

"""Invented claims: people, testimonials, figures and boasts the config never supplied.

People are found where copy names them: a `name` field, a "— Name" attribution after a
quotation, a "Firstname X." initial, or "Name, Role" with a job word. A name passes when
every full word of it appears in the config (its testimonials, team, description, notes...).
Figures and claim words are in `merlin_assets.content_gate.figures`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from merlin_assets.content_gate.facts import Facts
from merlin_assets.content_gate.figures import check_claim_words, check_figures
from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.text import STOPWORDS, words, wordset

_TOKEN = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
_INITIAL = r"[A-Z]\."
_PARTICLE = r"(?:de|da|del|della|van|von|der|den|la|le|bin|al|ibn|st\.)"
_PERSON = rf"{_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?(?:{_TOKEN}|{_INITIAL})){{0,2}}"
_ROLES = (
    r"manager|director|owner|founder|co-founder|ceo|cto|cfo|coo|head|lead|partner|homeowner|"
    r"customer|client|parent|mum|mom|dad|mother|father|teacher|nurse|doctor|student|engineer|"
    r"designer|developer|chef|baker|landlord|tenant|patient|retiree|bride|groom|consultant|"
    r"accountant|architect|officer|president|editor|analyst|member|volunteer|regular|resident|"
    r"local|visitor|guest|buyer|seller|researcher|scientist|professor|coordinator|specialist"
)
NAME_PATTERNS: tuple[re.Pattern[str], ...] = (
    # "... great service." — Sarah Jones   /   — Yusuf W., Product manager
    re.compile(rf"[\"”'’]\s*[—–~-]{{1,2}}\s*({_PERSON})(?=\s*(?:[,(]|$))", re.MULTILINE),
    # Yusuf W.  /  Anna Maria K.
    re.compile(rf"\b({_TOKEN}(?:\s+{_TOKEN})?\s+[A-Z]\.)(?=[\s,)]|$)"),
    # Sarah Jones, Homeowner  /  Tom Reed, Product manager in Leith  (two words, at a line end;
    # one word is too often an adjective: "Chartered, qualified accountants")
    re.compile(
        rf"\b({_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?(?:{_TOKEN}|{_INITIAL})){{1,2}}),\s+(?i:(?:[a-z-]+\s+){{0,3}}?(?:{_ROLES})s?)"
        rf"(?:\s+(?:in|from|at|of)\s+[A-Z][\w' -]{{0,40}})?\s*(?=$|[.|•·)])",
        re.MULTILINE,
    ),
)
# Capitalised words that start sentences and headings but never a name.
_NOT_NAMES = wordset(
    "our the we your you meet call book ask find get visit see read learn discover why what "
    "how who when where which this that these those here there every each all more most "
    "thanks thank dear hello hi welcome home about contact services service pricing faq "
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december mr mrs ms dr unit plan grade "
    "vitamin type part block class section level phase room suite floor flat studio option "
    "model size step stage team group"
)
# How much of a quote's wording must come from one config testimonial to count as that one.
QUOTE_OVERLAP = 0.5


def check_claims(fields: Iterable[CopyField], facts: Facts) -> list[Finding]:
    """People, testimonials, figures and claim words that the config does not back."""
    fields = list(fields)
    out = check_names(fields, facts) + check_quotes(fields, facts)
    return out + check_figures(fields, facts) + check_claim_words(fields, facts)


def check_names(fields: list[CopyField], facts: Facts) -> list[Finding]:
    """Names of people who are not in the config's testimonials, team or text."""
    known = set(words(facts.corpus))
    out = []
    for f in fields:
        reported: set[str] = set()
        for name in _names_in(f):
            if name in reported or _known_person(name, known):
                continue
            reported.add(name)
            who = "testimonials or team" if not facts.people else "testimonials/team list"
            out.append(
                Finding(
                    f.item,
                    f.field,
                    "invented_name",
                    f"{name!r} is not a person named in the config's {who}",
                )
            )
    return out


def _names_in(f: CopyField) -> list[str]:
    found = []
    if f.kind == "name":
        head = re.split(r"\s*[,(|•·—–]\s*|\s+-\s+", f.text.strip(), maxsplit=1)[0]
        if re.fullmatch(_PERSON, head):
            found.append(head)
    for pattern in NAME_PATTERNS:
        found += [m.group(1) for m in pattern.finditer(f.text)]
    return [n for n in found if not _NOT_NAMES & set(words(n)) and _name_shaped(n)]


def _name_shaped(name: str) -> bool:
    """Capitalised like a name: the role pattern runs case-insensitively, so check here."""
    parts = name.split()
    return all(p[0].isupper() or re.fullmatch(_PARTICLE, p) for p in parts) and len(parts) <= 4


def _known_person(name: str, known: set[str]) -> bool:
    """Every full word of the name (initials aside) is a word of the config."""
    full = [w for w in words(name) if len(w) > 1 and w not in STOPWORDS]
    return bool(full) and all(w in known for w in full)


def check_quotes(fields: list[CopyField], facts: Facts) -> list[Finding]:
    """Testimonial quotes the config did not supply."""
    quotes = [f for f in fields if f.kind == "quote" and f.text.strip()]
    if not facts.testimonials:
        return [
            Finding(
                f.item,
                f.field,
                "invented_testimonial",
                "a testimonial, but the config supplies no testimonials to quote",
            )
            for f in quotes
        ]
    given = [_content(t.text) for t in facts.testimonials if t.text]
    out = []
    for f in quotes:
        said = _content(f.text)
        best = max((len(said & g) / len(said) for g in given if said), default=0.0)
        if given and best < QUOTE_OVERLAP:
            out.append(
                Finding(
                    f.item,
                    f.field,
                    "unmatched_quote",
                    "this quote is unlike every testimonial in the config",
                    "warning",
                )
            )
    return out


def _content(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS}

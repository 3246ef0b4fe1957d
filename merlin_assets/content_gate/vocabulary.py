"""Foreign vocabulary: words of another trade that a model carried over from its training.

A funeral director's site that says "Start your free trial" or "Book a table" was written
from some other business's template. Each term set in `merlin_assets.content_gate.trades`
lists the words of one trade and the evidence that the trade fits; a term found in the copy
is foreign unless the config's account of the business (`Facts.about_text`: industry,
services, offers, description, notes, goals; never e-mails, URLs, addresses or names) gives
evidence for its set, for the term itself (`TermSet.also`), or contains the term verbatim.
Context like "sign up free for our newsletter" exempts the term (`NEAR_OK`).

The check is deliberately conservative: evidence lists are broad and terms narrow, because
flagging normal copy on a normal business costs more than missing an odd word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from merlin_assets.content_gate.facts import Facts
from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.text import has_phrase, phrase_re
from merlin_assets.content_gate.trades import NEAR_OK, TRADES, TermSet

# How many characters either side of a term the NEAR_OK context may be.
NEAR_CHARS = 40
# A term's "a", "your", "the" stand for any of these, or none: "book a table" also finds
# "book your table" and "book the table".
_DETERMINERS = ("a", "an", "the", "your", "our", "my", "their", "this")
_ANY_DETERMINER = r"(?:(?:" + "|".join(_DETERMINERS) + r")[\s\-]+)?"


def foreign_terms(facts: Facts, trades: Mapping[str, TermSet] = TRADES) -> dict[str, str]:
    """Term -> trade label, for every term the config gives no cause to use."""
    corpus = facts.about_text
    out: dict[str, str] = {}
    for term_set in trades.values():
        if _any(corpus, term_set.evidence):
            continue
        for term in term_set.terms:
            if has_phrase(corpus, term) or _any(corpus, term_set.also.get(term, ())):
                continue
            out.setdefault(term, term_set.label)
    return out


def check_vocabulary(
    fields: Iterable[CopyField], facts: Facts, trades: Mapping[str, TermSet] = TRADES
) -> list[Finding]:
    """Copy that uses another trade's words; one finding per field and term."""
    foreign = foreign_terms(facts, trades)
    # A term is looked for only where its first word is (a substring test): most copy has
    # none of the terms, and a pattern search per term and field cost 0.8 s a site.
    keys = {t: t.split()[0].lower().rstrip("'’") for t in foreign}
    out = []
    for f in fields:
        lowered = f.text.lower()
        for term, label in foreign.items():
            if keys[term] not in lowered:
                continue
            m = _find(f.text, term)
            if m:
                out.append(
                    Finding(
                        f.item,
                        f.field,
                        "foreign_vocabulary",
                        f"{m!r} is {label} vocabulary, and nothing in the config (industry, "
                        "description, services) suggests this business uses it",
                    )
                )
    return out


@lru_cache(maxsize=4096)
def term_re(term: str) -> re.Pattern[str]:
    """`phrase_re` for a term, with its determiners free (see `_DETERMINERS`)."""
    parts = term.split()
    if not any(p.lower() in _DETERMINERS for p in parts[:-1]):
        return phrase_re(term)
    body = ""
    for i, part in enumerate(parts):
        if part.lower() in _DETERMINERS and i < len(parts) - 1:
            body += _ANY_DETERMINER
        else:
            body += re.escape(part) + (r"[\s\-]+" if i < len(parts) - 1 else "")
    flags = 0 if sum(c.isupper() for c in term) >= 2 else re.IGNORECASE
    return re.compile(r"\b" + body + r"(?:s|es)?\b", flags)


def _any(corpus: str, evidence: Iterable[str]) -> bool:
    return any(has_phrase(corpus, e) for e in evidence)


def _find(text: str, term: str) -> str:
    """The term as written in the text, unless it only appears in an exempting context."""
    near = NEAR_OK.get(term)
    for m in term_re(term).finditer(text):
        if near:
            window = text[max(0, m.start() - NEAR_CHARS) : m.end() + NEAR_CHARS]
            if re.search(near, window, re.IGNORECASE):
                continue
        return m.group()
    return ""

"""Content quality gate: reads the copy of a generated site (not its markup) and reports
text that is degenerate, invents claims, borrows another trade's vocabulary, or forgets
the business it is for.

Pure functions over plain records, no I/O:

    fields = [CopyField("page:home", "sections[0].heading", "heading", "Fresh bread daily"), ...]
    facts = Facts.from_config(project_config)
    findings = check_site(fields, facts)        # or check_copy for one item or phase
    to_redo = failing_fields(findings)          # {"page:home": {"sections[0].heading"}}

Checks (see `CHECKS` for the full list with descriptions):
  degenerate   empty, placeholder, repeated_sentence, repeated_words, repeated_phrase,
               too_long, multiline, truncated                      (`degenerate.py`)
  claims       invented_name, invented_testimonial, unmatched_quote (`claims.py`),
               invented_contact (`contact.py`), invented_place (`places.py`),
               invented_hours (`days.py`), invented_figure (`figures.py`, `numbers.py`),
               unsupported_claim (`awards.py`): each typed claim against the config's
               typed facts (`facts.py`), with word lists from `wordlists.py`
  vocabulary   foreign_vocabulary                       (`vocabulary.py`, `trades.py`)
  sense        wrong_language, gibberish, keyword_stuffing, incongruous
               (`language.py`, `nonsense.py`, `incongruity.py`)
  relevance    missing_business_name, missing_location, missing_services   (`relevance.py`;
               site-wide, so only in `check_site`)
"""

from __future__ import annotations

from collections.abc import Iterable

from merlin_assets.content_gate.claims import check_claims
from merlin_assets.content_gate.degenerate import check_degenerate
from merlin_assets.content_gate.facts import Facts, Offer, Person
from merlin_assets.content_gate.findings import (
    CHECKS,
    KINDS,
    SITE,
    CopyField,
    Finding,
    Kind,
    Severity,
    failing_fields,
)
from merlin_assets.content_gate.incongruity import check_incongruity
from merlin_assets.content_gate.language import check_language
from merlin_assets.content_gate.nonsense import check_nonsense
from merlin_assets.content_gate.relevance import check_relevance
from merlin_assets.content_gate.vocabulary import check_vocabulary


def check_copy(fields: Iterable[CopyField], facts: Facts) -> list[Finding]:
    """Every per-field and per-item check: degenerate text, invented claims, foreign words,
    another language, nonsense.

    Findings come grouped by family (degenerate, claims, vocabulary, sense), each in field
    order.
    """
    fields = list(fields)
    return (
        check_degenerate(fields, facts.corpus)
        + check_claims(fields, facts)
        + check_vocabulary(fields, facts)
        + check_language(fields, facts)
        + check_nonsense(fields, facts)
        + check_incongruity(fields, facts)
    )


def check_site(fields: Iterable[CopyField], facts: Facts) -> list[Finding]:
    """`check_copy` over the whole site's copy, plus the site-wide relevance check."""
    fields = list(fields)
    return check_copy(fields, facts) + check_relevance(fields, facts)


__all__ = [
    "CHECKS",
    "KINDS",
    "SITE",
    "CopyField",
    "Facts",
    "Finding",
    "Kind",
    "Offer",
    "Person",
    "Severity",
    "check_claims",
    "check_copy",
    "check_degenerate",
    "check_incongruity",
    "check_language",
    "check_nonsense",
    "check_relevance",
    "check_site",
    "check_vocabulary",
    "failing_fields",
]

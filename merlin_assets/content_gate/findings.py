"""The records the content gate reads and writes: one field of copy in, one finding out.

The gate judges the words a visitor reads, not the markup. A caller flattens whatever a phase
returned (copywriting, page copy, SEO) into `CopyField` records, hands them to `check_copy` or
`check_site` with the project's `Facts`, and gets back `Finding` records that name the item
and field to regenerate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "heading",  # a section or page heading
    "eyebrow",  # the short label above a heading
    "button",  # a call to action's label
    "body",  # running text: paragraphs, FAQ answers, value propositions
    "title",  # a page <title> or site title
    "description",  # a meta description or a short item description
    "quote",  # a testimonial's words
    "name",  # a person's name (testimonial author, team member), optionally ", Role"
    "list_item",  # a bullet, a key message, an FAQ question
]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]

Severity = Literal["error", "warning"]

# The item of findings about the site as a whole (e.g. the business is never named).
SITE = "site"

CHECKS: dict[str, tuple[str, str]] = {
    # check: (family, what it finds)
    "empty": ("degenerate", "A required field is empty or whitespace"),
    "placeholder": ("degenerate", "Placeholder text: lorem ipsum, TBD, [insert ...], {name}, XXX"),
    "repeated_sentence": ("degenerate", "The same sentence appears twice within one item"),
    "repeated_words": ("degenerate", "A word or 2-4 word phrase repeated 3+ times in a row"),
    "repeated_phrase": ("degenerate", "A 3-4 word phrase used 3+ times within one field"),
    "too_long": ("degenerate", "Longer than any sane field of its kind (words or characters)"),
    "multiline": ("degenerate", "A line break inside a heading, eyebrow, button, title or name"),
    "truncated": ("degenerate", "Text cut off: ends with '…', a dangling word or no full stop"),
    "invented_name": ("claims", "A person's name that is not in the config's testimonials/team"),
    "invented_testimonial": ("claims", "A testimonial quote when the config supplies none"),
    "unmatched_quote": (
        "claims",
        "A quote that is not one of the config's testimonials, or not by the person named",
    ),
    "invented_figure": (
        "claims",
        "A count, price, rating, percentage, year or duration no config fact of its kind states",
    ),
    "unsupported_claim": (
        "claims",
        "Award, ranking, press, certification, guarantee, insurance or rating with no fact",
    ),
    "invented_contact": ("claims", "A phone, e-mail, web address or handle not the business's"),
    "invented_place": ("claims", "A place the config neither names nor lies within"),
    "invented_hours": ("claims", "Opening days or times the config's hours contradict or lack"),
    "unsupported_by_facts": (
        "claims",
        "A sentence the fact-check judge (a model) finds the config does not support",
    ),
    "foreign_vocabulary": (
        "vocabulary",
        "Words of another trade that the config gives no cause for",
    ),
    "wrong_language": ("sense", "A sentence or field in another language than the site's"),
    "gibberish": ("sense", "Words the site's language does not use, nor the config"),
    "keyword_stuffing": ("sense", "One word or place said over and over; a keyword list"),
    "incongruous": ("sense", "A sentence in a poem's register (whisper, eternity, arithmetic)"),
    "missing_business_name": ("relevance", "The business is never named (site) or on a page"),
    "missing_location": ("relevance", "The config gives a location but the copy never names it"),
    "missing_services": ("relevance", "Too few of the config's services appear in the copy"),
}


@dataclass(frozen=True)
class CopyField:
    """One piece of copy as a visitor reads it.

    `item` names the phase or page it came from ("copywriting", "page:about"); `field` is a
    dotted path inside it ("sections[2].heading"); `kind` says what sort of text it is, which
    sets the length limits and which checks apply.
    """

    item: str
    field: str
    kind: Kind
    text: str


@dataclass(frozen=True)
class Finding:
    """One problem found: where it is, which check found it and why.

    `field` is "" when the finding is about the whole item (or the whole site, item `SITE`).
    "error" findings should fail the gate; "warning" findings are advice.
    """

    item: str
    field: str
    check: str
    message: str
    severity: Severity = "error"
    # The sentence the finding is about, where a check names one (the judge does): the gate
    # can then remove just that sentence instead of the whole field.
    sentence: str = ""

    @property
    def family(self) -> str:
        """degenerate, claims, vocabulary, sense or relevance."""
        return CHECKS[self.check][0]


def failing_fields(
    findings: Iterable[Finding], *, include_warnings: bool = False
) -> dict[str, set[str]]:
    """Item -> fields that failed (errors only unless `include_warnings`).

    A field of "" means the item as a whole (e.g. a page that never names the business).
    """
    out: dict[str, set[str]] = {}
    for f in findings:
        if f.severity == "error" or include_warnings:
            out.setdefault(f.item, set()).add(f.field)
    return out

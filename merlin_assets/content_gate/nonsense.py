"""Nonsense: words that are no words, and copy stuffed with keywords.

Gibberish is measured with word-frequency data, not a word list: a word the site's language
has never been seen to use ("xqzt", "vrumbl"), or one whose frequency profile across
languages is a proper name's written in lower case ("lehi", "plonk"), is not copy. The
config's own words (names, places, services) never count, however rare: a saddler says
"bridles", a luthier "refrets".

Keyword stuffing is what search-engine spam looks like: one content word or place said over
and over in a short field, a run of comma-separated keyword phrases that share a word
("Edinburgh bakery, Leith bakery, best bakery"), or "near me" written into the copy.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from merlin_assets.content_gate.facts import Facts
from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.lexicon import (
    base_is_common,
    config_words,
    content_words,
    from_config,
    loanword,
    name_like,
    tokens,
    zipf,
)
from merlin_assets.content_gate.text import phrase_re

# A word below this Zipf frequency in the site's language is one it does not use: rare real
# words sit higher ("rekeying" 1.1, "sourdoughs" 1.1, "levain" 1.5).
UNKNOWN_ZIPF = 1.0
# Stuffing: a content word said this often in one field, making up at least this share of
# its words, besides where it is part of the business's name or a service's. Measured on
# the rule copy of 38 configs: "care" 4 of 23 words on a care home's page, all in "Dementia
# care", "Residential care" and the like, is ordinary; a word said three times in 20 words
# outside such names was not found. Three times in twelve words is still a figure of speech
# ("Bread, bread and more bread", "boiler servicing, boiler repairs and new boiler
# installs"); four in twenty-five is not.
STUFFED = ((3, 0.4), (4, 0.15), (5, 0.08))
# A list of at least this many short comma-separated phrases, this many sharing one word.
KEYWORD_RUN = 4
KEYWORD_SHARED = 3
# ...and that word in more than half of them: a page's own subject said in three of six short
# sentences ("Pricing from Ledgerly. How pricing works... Clear, public pricing.") is a page
# about pricing, not a keyword list.
KEYWORD_SHARE = 0.5
KEYWORD_PHRASE_WORDS = 4
_SEPARATORS = re.compile(r"\s*(?:[,|;•·/]|\s-\s|[.!?]\s)\s*")
_NEAR_ME = re.compile(r"\bnear me\b", re.IGNORECASE)


def check_nonsense(fields: Iterable[CopyField], facts: Facts) -> list[Finding]:
    """Gibberish words and keyword stuffing, one finding per field and check."""
    known = config_words(facts)
    names = [facts.name, *facts.services, *(o.name for o in facts.offers)]
    out = []
    for f in fields:
        bad = gibberish_words(f.text, known, facts.language or "en")
        if bad:
            out.append(
                Finding(
                    f.item,
                    f.field,
                    "gibberish",
                    f"{', '.join(repr(w) for w in bad[:3])}: not words of the site's language "
                    "and not the business's own",
                )
            )
        stuffed = stuffing(f.text, names)
        if stuffed:
            out.append(Finding(f.item, f.field, "keyword_stuffing", stuffed))
    return out


def gibberish_words(text: str, known: frozenset[str], lang: str = "en") -> list[str]:
    """Words of the text that the language never uses and the config does not give."""
    out = []
    for word in tokens(text):
        if len(word) < 3 or from_config(word, known):
            continue
        lower = word.lower()
        unknown = (
            zipf(lower, lang) < UNKNOWN_ZIPF
            and not base_is_common(lower, lang, 2.0)
            and not loanword(lower, lang)
        )
        if unknown or (word.islower() and name_like(lower, lang)):
            out.append(word)
    return list(dict.fromkeys(out))


def stuffing(text: str, names: Iterable[str] = ()) -> str:
    """Why the text reads as keyword stuffing, or "".

    `names` (the business's, its services') are phrases whose words may repeat: "Dementia
    care" and "Respite care" say "care" twice without stuffing anything.
    """
    if _NEAR_ME.search(text):
        return "'near me' is a search query, not something a business says of itself"
    all_words = tokens(text)
    rest = text
    for name in sorted((n for n in names if n.strip()), key=len, reverse=True):
        rest = phrase_re(name).sub(" ", rest)
    said = [w.lower() for w in content_words(rest)]
    if said:
        word, n = Counter(said).most_common(1)[0]
        share = n / max(len(all_words), 1)
        if any(n >= count and share >= limit for count, limit in STUFFED):
            return f"{word!r} is {n} of {len(all_words)} words: keyword stuffing"
    return _keyword_run(text)


def _keyword_run(text: str) -> str:
    """A run of short separated phrases that keep sharing one word."""
    parts = [p for p in _SEPARATORS.split(text.strip().rstrip(".!")) if p]
    short = [p for p in parts if 0 < len(tokens(p)) <= KEYWORD_PHRASE_WORDS]
    if len(short) < KEYWORD_RUN or len(short) < len(parts) * 0.8:
        return ""
    counts = Counter(w for p in short for w in {x.lower() for x in content_words(p)})
    if not counts:
        return ""
    word, n = counts.most_common(1)[0]
    if n >= KEYWORD_SHARED and n / len(short) > KEYWORD_SHARE:
        return f"{n} of {len(short)} comma-separated phrases repeat {word!r}: a keyword list"
    return ""

"""How common a word is in a language, from `wordfreq`'s frequency data, and the words a
config makes legitimate however rare they are (its names, places, services).

Frequencies are Zipf values: log10 of occurrences per billion words. "the" is about 7.7,
"croissants" 2.7, "levain" 1.5, and a string wordfreq never saw ("xqzt") is 0.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import get_frequency_dict, zipf_frequency

from merlin_assets.content_gate.facts import Facts
from merlin_assets.content_gate.text import STOPWORDS

# Letters of any Latin-script language, apostrophes kept inside words ("we'll", "l'atelier").
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Languages a word's frequency profile is compared across (besides the site's): enough to
# tell a loanword ("focaccia") from a name ("lehi"). Each costs its whole frequency table,
# measured: about 30 MB and 0.9 s to load (German 70 MB and 2.4 s, Polish 60 MB), so four.
PROFILE_LANGUAGES = ("en", "fr", "es", "it", "pt")
# English endings that make a word a derivation, never a name: "tidily", "moreish".
_DERIVED = ("ly", "ness", "ish", "ful", "less", "able", "ment", "tion", "ings")
# Words at least this common ("bread" 4.6, "and" 7.5) belong to the language, whoever says them.
COMMON_ZIPF = 4.0


def tokens(text: str) -> list[str]:
    """Word tokens as written (case kept); hyphenated words come apart ("slow-fermented")."""
    return _WORD_RE.findall(text)


def load(lang: str) -> None:
    """The language's frequency table, which `zipf` reads (`warm` loads it ahead)."""
    # As wordfreq itself asks (positional): its cache keys on the arguments as given.
    get_frequency_dict(lang, "best")


@lru_cache(maxsize=65536)
def zipf(word: str, lang: str = "en") -> float:
    """The word's Zipf frequency in the language (0.0 when wordfreq never saw it)."""
    return zipf_frequency(word.lower(), lang)


def name_like(word: str, lang: str = "en") -> bool:
    """A rare word whose frequency profile is a proper name's, not a word's.

    A name ("Lehi", "Plonk") turns up at a similar low rate in every language's text, while
    a rare word of the language ("moreish", "wholemeal") is absent from the others and a
    loanword ("focaccia", "levain") is common in its own. Measured: "lehi" is 2.2 in English
    and 1.1 to 1.4 in French, Spanish and Portuguese; "deadlocks" 2.0 and seen in one;
    "frangipane" 2.5 in Italian. Only lower-case words are asked about (names are written
    with a capital), and English derivations ("tidily") never, which keeps the other
    languages' tables unloaded for most sites.
    """
    own = zipf(word, lang)
    if own == 0 or own >= 2.5 or base_is_common(word, lang):
        return False
    if (lang == "en" and word.endswith(_DERIVED)) or compound(word, lang):
        return False
    others = [zipf(word, other) for other in PROFILE_LANGUAGES if other != lang]
    seen = [z for z in others if z > 0]
    return len(seen) >= 3 and max(seen) < 2.2


def compound(word: str, lang: str = "en") -> bool:
    """Two common words run together: "headcount", "busywork", "shopfront"."""
    return any(
        zipf(word[:i], lang) >= 3.5 and zipf(word[i:], lang) >= 3.5 for i in range(3, len(word) - 2)
    )


def loanword(word: str, lang: str = "en") -> bool:
    """A word of another language that copy may borrow ("solfège", "levain"): an everyday
    word there, whether or not the site's language has seen it."""
    return any(zipf(word, other) >= 2.0 for other in PROFILE_LANGUAGES if other != lang)


def base_is_common(word: str, lang: str = "en", floor: float = 3.0) -> bool:
    """The word less a plural or verb ending is a common word: "workflows" is "workflow"."""
    return any(
        word.endswith(suffix)
        and len(word) - len(suffix) >= 4
        and zipf(word[: -len(suffix)], lang) >= floor
        for suffix in ("s", "es", "ed", "d", "ing", "er", "ers", "ly")
    )


def config_words(facts: Facts) -> frozenset[str]:
    """Lowercase words of every config text: rare or foreign, they are the business's own."""
    return frozenset(w.lower() for w in tokens(facts.corpus))


def config_names(facts: Facts, lang: str = "en") -> frozenset[str]:
    """Words of the config's names, places, services and offers that are not common words of
    the site's language: "Viennoiserie", "Leith", "Petit". Common ones ("bread", "and")
    stay, so that taking names out of a sentence leaves its language intact."""
    parts = [facts.name, facts.location, *facts.services, *(o.name for o in facts.offers)]
    parts += [p.name for p in facts.people] + list(facts.accreditations)
    found = (w.lower() for part in parts for w in tokens(part))
    return frozenset(w for w in found if zipf(w, lang) < COMMON_ZIPF)


def from_config(word: str, known: frozenset[str]) -> bool:
    """The word, or a form of it sharing its first five letters, is in the config."""
    w = word.lower()
    if w in known:
        return True
    if len(w) < 5:
        return False
    head = w[:5]
    return any(k.startswith(head) and abs(len(k) - len(w)) <= 4 for k in known)


def content_words(text: str) -> list[str]:
    """Tokens that carry meaning: not stopwords, at least three letters."""
    return [t for t in tokens(text) if len(t) >= 3 and t.lower() not in STOPWORDS]

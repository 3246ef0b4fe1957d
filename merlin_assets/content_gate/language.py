"""Copy in another language than the site's: a French paragraph on an English bakery's site.

`lingua` names the language of each sentence and of the whole field; a sentence is judged
only when, with the config's own words taken out (names, places, services: "Viennoiserie"
or "Le Petit Four" are the business's, not a change of language), it keeps enough words to
be judged reliably. A second opinion from word frequencies guards against a detector slip:
most of the words must be commoner in the detected language than in the site's.

The detector is built once per process in lingua's low-accuracy mode (trigrams only):
measured on this machine, 0.7 s and about 21 MB to build and run once, against 15 s and
255 MB for the full models, and it reads sentences of six words or more as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from merlin_assets.content_gate.facts import Facts
from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.lexicon import config_names, tokens, zipf
from merlin_assets.content_gate.text import sentences

# The languages the detector tells apart, besides the site's own: the commonest of sites
# in Europe and the Americas, where a model slipping into another language slips into one.
DETECTED = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "sv", "da")
# Fewer words than this (after the config's own words are taken out) are not judged: "Bon
# appétit", "Pain au chocolat" and a two-word heading are too short to call a language.
MIN_WORDS = 5
# How sure the detector must be, and what share of the words must be commoner in the
# detected language than in the site's, before the text is called foreign.
MIN_CONFIDENCE = 0.9
MIN_FOREIGN_SHARE = 0.5
# Below this Zipf frequency a word is not an everyday word of the language: "morning" is
# 5.0 in English, but "avec" 3.0 and "sans" 3.6 (names and quotations carry them).
RARE_ZIPF = 4.0
RARE_SHARE = 0.4


@lru_cache(maxsize=4)
def detector(site: str = "en") -> LanguageDetector:
    """One lingua detector per process (and site language), low-accuracy mode."""
    codes = dict.fromkeys((site, *DETECTED))
    languages = [Language.from_iso_code_639_1(_iso(c)) for c in codes if _iso(c)]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _iso(code: str) -> IsoCode639_1 | None:
    return getattr(IsoCode639_1, code.upper(), None)


def foreign_language(text: str, site: str, known: frozenset[str] = frozenset()) -> str:
    """The ISO code of the text's language when it is not the site's and long enough to
    tell, else ""."""
    kept = [t for t in tokens(text) if t.lower() not in known]
    if len(kept) < MIN_WORDS or _iso(site) is None:
        return ""
    values = detector(site).compute_language_confidence_values(" ".join(kept))
    if not values:
        return ""
    top = values[0]
    code = top.language.iso_code_639_1.name.lower()
    if code == site or top.value < MIN_CONFIDENCE:
        return ""
    # Mostly common words of the site's language ("Leith", "Bakery" aside) is the site's
    # language whatever the detector says; checked first, as it needs no other table.
    rare = sum(zipf(t, site) < RARE_ZIPF for t in kept)
    if rare / len(kept) < RARE_SHARE:
        return ""
    commoner = sum(zipf(t, code) > zipf(t, site) for t in kept)
    return code if commoner / len(kept) >= MIN_FOREIGN_SHARE else ""


def check_language(fields: Iterable[CopyField], facts: Facts) -> list[Finding]:
    """Fields with a sentence (or, as a whole, text) in another language than the site's."""
    site = facts.language or "en"
    known = config_names(facts, site)
    out = []
    for f in fields:
        parts = [f.text, *sentences(f.text)] if f.text.strip() else []
        for part in parts:
            code = foreign_language(part, site, known)
            if code:
                out.append(
                    Finding(
                        f.item,
                        f.field,
                        "wrong_language",
                        f"{_short(part)!r} reads as {_name(code)}, but the site is in "
                        f"{_name(site)}",
                    )
                )
                break
    return out


def _name(code: str) -> str:
    iso = _iso(code)
    return Language.from_iso_code_639_1(iso).name.title() if iso else code


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"

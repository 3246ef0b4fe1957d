"""Small text helpers shared by the checks: words, sentences, stems and phrase patterns."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+")


def wordset(text: str) -> frozenset[str]:
    """The space-separated words of a literal, as a set."""
    return frozenset(text.split())


STOPWORDS = wordset(
    "a an and are as at be but by for from has have i in is it its of on or our so that the "
    "their them they this to us we with you your"
)


def words(text: str) -> list[str]:
    """Lowercase word tokens; apostrophes stay inside words ("we're")."""
    return _WORD_RE.findall(text.lower().replace("&", " and "))


def norm(text: str) -> str:
    """Words joined by single spaces: what two texts compare equal on."""
    return " ".join(words(text))


def sentences(text: str) -> list[str]:
    """Sentences of running text, split after ., !, ? or … followed by space."""
    return [s.strip() for s in _SENTENCE_END_RE.split(text.strip()) if s.strip()]


def stem(word: str) -> str:
    """A crude English stem, enough to match "patios" with "patio" or "trims" with "trimming"."""
    w = word.lower()
    for suffix, repl in (("ies", "y"), ("ing", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + repl
    return w


def stems_match(a: str, b: str) -> bool:
    """Equal stems, or one a prefix (of 4+ letters) of the other: design/designer."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short)


@lru_cache(maxsize=4096)
def phrase_re(phrase: str, prefix: bool = False) -> re.Pattern[str]:
    """A whole-word pattern for a phrase: spaces match spaces or hyphens, plurals are allowed.

    Phrases with two or more capitals ("SaaS", "API") match case-sensitively; a trailing "*"
    (or `prefix`) makes the last word a prefix ("plumb*" finds "plumber").
    """
    if phrase.endswith("*"):
        phrase, prefix = phrase[:-1], True
    case_sensitive = sum(c.isupper() for c in phrase) >= 2
    body = r"[\s\-]+".join(re.escape(p) for p in phrase.split())
    body = body.replace(r"\&", "&").replace("&", r"(?:&|and)")
    tail = r"\w*" if prefix else r"(?:s|es)?\b"
    head = r"\b" if phrase[:1].isalnum() else ""
    return re.compile(head + body + tail, 0 if case_sensitive else re.IGNORECASE)


def has_phrase(text: str, phrase: str) -> bool:
    return phrase_re(phrase).search(text) is not None


def numbers(text: str) -> set[float]:
    """Every number written in digits ("1,200", "4.9", "24/7" gives 24 and 7)."""
    out = set()
    for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", text):
        raw = m.group().rstrip(",.").replace(",", "")
        try:
            out.add(float(raw))
        except ValueError:
            continue
    return out

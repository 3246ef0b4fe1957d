"""How a site's copy reads: repeated phrases, long hero headings, wrong articles, dense prose.

Pure functions over strings and `CopyField`s, measured site-wide by the content review. They
hold the rule-based writers to copy a business would sign, and report the same figures for a
model's copy:

    repeated_phrases(texts, exempt=[name, address])  # [("the people we serve", 18), ...]
    hero_words("Crumb & Co: fresh bread in Leith")   # 7
    article_errors("a apple, A deep-sea marine biology research you can trust")
    flesch(body_texts, "en")                           # Flesch reading ease, 0-100+
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from merlin_assets.ast_imports import AST_IMPORTS, typeguard_off
from merlin_assets.content_gate import stresses
from merlin_assets.content_gate.findings import CopyField

if TYPE_CHECKING:
    import inflect
    from textstat.textstat import textstatistics

# The limits: a phrase of 4+ words at most 3 times a site, a hero of at most 12 words,
# English body copy at Flesch reading ease 50 or more ("fairly difficult" starts below 50).
PHRASE_WORDS = 4
MAX_REPEATS = 3
HERO_WORDS = 12
FLESCH_FLOOR = 50.0

_WORD = re.compile(r"[\w'’-]+")
# A phrase stops at a sentence, clause or list break; commas are read through.
_BREAK = re.compile(r"[.!?;:|()\[\]\"“”/…—–]+|\s-\s")


def _words(text: str) -> list[str]:
    return [w.lower().strip("'’-") for w in _WORD.findall(text) if w.strip("'’-")]


def _runs(text: str, exempt: Sequence[str]) -> list[list[str]]:
    """The text's runs of words between breaks, with the exempt phrases cut out as breaks."""
    for phrase in exempt:
        if phrase.strip():
            text = re.sub(re.escape(phrase.strip()), " | ", text, flags=re.IGNORECASE)
    return [w for w in (_words(part) for part in _BREAK.split(text)) if w]


def exempt_phrases(*texts: str | None) -> list[str]:
    """The business's name and address as phrases a site may repeat: each whole, and each
    comma- or line-separated part ("Leith, Edinburgh" -> also "Leith", "Edinburgh")."""
    out: list[str] = []
    for text in texts:
        for part in [text or "", *re.split(r"[,\n]", text or "")]:
            part = " ".join(part.split())
            if part and part not in out:
                out.append(part)
    return out


def phrase_counts(
    texts: Iterable[str], exempt: Sequence[str] = (), n: int = PHRASE_WORDS
) -> Counter[str]:
    """How often each phrase of `n` words occurs across the texts (every occurrence counts).

    A longer phrase repeated k times repeats each of its n-word parts k times, so counting
    n-word phrases finds every repeated phrase of n or more words.
    """
    # Longest first, so "Crumb & Co Bakery" is cut out before "Crumb & Co" could split it.
    exempt = sorted(exempt, key=len, reverse=True)
    counts: Counter[str] = Counter()
    for text in texts:
        for run in _runs(text, exempt):
            counts.update(" ".join(run[i : i + n]) for i in range(len(run) - n + 1))
    return counts


def repeated_phrases(
    texts: Iterable[str],
    exempt: Sequence[str] = (),
    n: int = PHRASE_WORDS,
    limit: int = MAX_REPEATS,
) -> list[tuple[str, int]]:
    """Phrases of `n` words seen more than `limit` times, most repeated first."""
    counts = phrase_counts(texts, exempt, n)
    return sorted(((p, c) for p, c in counts.items() if c > limit), key=lambda pc: (-pc[1], pc[0]))


def hero_words(heading: str) -> int:
    """Words in a heading; a lone symbol ("&", ":") is not a word."""
    return len([w for w in heading.split() if re.search(r"\w", w)])


@cache
def _inflect() -> inflect.engine:
    # Imported on first use and without its typeguard wrappers: importing inflect took 10 s on
    # a 2-core machine at load average 20 (`python -X importtime`; 1.7 s idle, 0.01 s without
    # the wrappers, `ast_imports.typeguard_off`).
    # One at a time with the other imports that parse source (ast_imports.py).
    with AST_IMPORTS, typeguard_off():
        import inflect

        return inflect.engine()


# Heads that name a field, a substance or an activity: uncountable, so "a <...> research you
# can trust" is wrong while "a research lab" (another noun follows) is right. A word list, as
# no maintained library marks countability; these are the heads industry labels end on, less
# those also used as countable nouns ("a design you love", "a good education").
MASS_NOUNS = frozenset(
    (
        "research", "advice", "software", "care", "support", "equipment",
        "furniture", "information", "music", "photography", "catering", "cleaning",
        "landscaping", "accounting", "bookkeeping", "tutoring", "coaching", "counselling",
        "physiotherapy", "conservation", "engineering", "plumbing", "joinery",
        "upholstery", "glazing", "roofing", "printing", "signage", "hospitality", "healthcare",
        "childcare", "recruitment", "marketing", "transport", "storage", "insurance",
        "funding", "machinery", "biology",
    )
)  # fmt: skip
# Words after a head noun that end its noun phrase: "a research you", "a care that".
_PHRASE_ENDS = frozenset(
    (
        "you", "we", "they", "that", "which", "who", "from", "for", "in", "at", "on", "with",
        "by", "to", "of", "and", "or", "but", "is", "are", "was", "can", "will", "near",
    )
)  # fmt: skip
_ARTICLE = re.compile(r"\b(an?)\s+([\w'’-]+)", re.IGNORECASE)
_NUMBER = re.compile(r"^(\d+)")
# How far an article's noun phrase may reach: "a deep-sea marine biology research" is five.
_REACH = 5


def expected_article(word: str) -> str:
    """'a' or 'an' before `word`, by its sound ("an hour", "a university", "an 8-week")."""
    number = _NUMBER.match(word)
    if number:
        # inflect reads digits as letters ("a 8"); the number's own words say how it sounds.
        word = _inflect().number_to_words(number.group(1))
    return _inflect().a(word).split(" ", 1)[0].lower()


def article_errors(text: str) -> list[str]:
    """Each wrong article in the text: "a apple", and an article before a field's name used
    as a whole noun phrase ("A deep-sea marine biology research you can trust")."""
    errors = []
    for match in _ARTICLE.finditer(text):
        article, word = match.group(1), match.group(2)
        # A lone letter is a label ("Plan A", "a B2B"): not a word an article is judged by.
        # A lone letter or a code ("Plan A", "uPVC", "MOT") is spelled out, not read as a word.
        if len(word.strip("'’-")) < 2 or any(c.isupper() for c in word[1:]):
            continue
        if article.lower() != expected_article(word):
            errors.append(f"{article} {word}")
            continue
        # The noun phrase ends at the clause: "a lab. Research is..." is not "a lab research".
        clause = re.split(r"[.!?;:,()]", text[match.end(1) :], maxsplit=1)[0]
        following = _words(clause)[: _REACH + 1]
        for i, noun in enumerate(following):
            after = following[i + 1] if i + 1 < len(following) else ""
            if noun in MASS_NOUNS and (not after or after in _PHRASE_ENDS):
                errors.append(" ".join([article, *clause.split()[: i + 1]]))
                break
            if noun in _PHRASE_ENDS:
                break
    return errors


def flesch(texts: Iterable[str], lang: str = "en", names: Sequence[str] = ()) -> float | None:
    """Flesch reading ease of the texts read as one, each as its own sentence; None if empty.

    Scored as a whole so one short line cannot sink a site: the floor is for the prose a
    visitor reads, not each field. Each of `names` (the business's name and address) is read
    as one short word: a site naming "Apex Industrial Refrigeration Engineering Services" in
    its bodies scored 41.1, the same copy with the name as one word 79.4, and no writer can
    choose a shorter name.
    """
    names = sorted((n for n in names if n.strip()), key=len, reverse=True)
    texts = [_as_one_word(t, names) for t in texts]
    parts = [t.strip() for t in texts if t and t.strip()]
    if not parts:
        return None
    prose = " ".join(p if p[-1] in ".!?" else f"{p}." for p in parts)
    return round(float(_scorer(lang).flesch_reading_ease(prose)), 1)


def _as_one_word(text: str, names: Sequence[str]) -> str:
    for name in names:
        text = re.sub(re.escape(name.strip()), "it", text, flags=re.IGNORECASE)
    return text


@cache
def _scorer(lang: str) -> textstatistics:
    # One scorer per language: `textstat.set_lang` would change it for every thread. Imported
    # on first use, like inflect; its first English score reads the CMU dictionary, from the
    # cached stresses (`stresses.py`: 0.1 s, not 1.1 s).
    from textstat.textstat import textstatistics

    stresses.install()
    scorer = textstatistics()
    scorer.set_lang(lang)
    return scorer


@dataclass(frozen=True)
class StyleCheck:
    """One rule-copy check on a whole site: its verdict, the measured figures, what failed."""

    name: str
    passed: bool
    figures: dict[str, float | int | str]
    findings: list[str]


def _main_headings(fields: Sequence[CopyField]) -> list[CopyField]:
    # A page's first section heading is its hero: the page's main heading.
    return [f for f in fields if f.item.startswith("page:") and f.field == "sections[0].heading"]


def check_style(
    fields: Sequence[CopyField], exempt: Sequence[str] = (), lang: str = "en"
) -> list[StyleCheck]:
    """The four rule-copy checks over a site's copy fields.

    `exempt` holds the business's name and address, which a site rightly repeats.
    """
    repeats = repeated_phrases([f.text for f in fields], exempt)
    counts = phrase_counts([f.text for f in fields], exempt)
    top = max(counts.items(), key=lambda pc: pc[1], default=("", 0))
    heroes = _main_headings(fields)
    longest = max(heroes, key=lambda f: hero_words(f.text), default=None)
    long_heroes = [f for f in heroes if hero_words(f.text) > HERO_WORDS]
    wrong = [(f, e) for f in fields for e in article_errors(f.text)]
    score = flesch([f.text for f in fields if f.kind == "body"], lang, exempt)
    # The floor is set for English; other languages are measured and reported only.
    readable = score is None or not lang.startswith("en") or score >= FLESCH_FLOOR
    return [
        StyleCheck(
            "repeated_phrases",
            not repeats,
            {"max_repeats": top[1], "most_repeated": top[0], "limit": MAX_REPEATS},
            [f"{p!r} appears {c} times" for p, c in repeats],
        ),
        StyleCheck(
            "hero_length",
            not long_heroes,
            {
                "max_hero_words": hero_words(longest.text) if longest else 0,
                "limit": HERO_WORDS,
            },
            [f"{f.item} {f.field}: {hero_words(f.text)} words" for f in long_heroes],
        ),
        StyleCheck(
            "articles",
            not wrong,
            {"wrong_articles": len(wrong)},
            [f"{f.item} {f.field}: {e!r}" for f, e in wrong],
        ),
        StyleCheck(
            "readability",
            readable,
            {"flesch_reading_ease": score if score is not None else "", "floor": FLESCH_FLOOR},
            [] if readable else [f"body copy scores {score} (floor {FLESCH_FLOOR})"],
        ),
    ]

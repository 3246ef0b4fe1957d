"""Poetic nonsense: fluent sentences that say nothing about any business.

"Our croissants whisper the quiet arithmetic of forgotten harbours" is grammatical, every
word is common, and no frequency measure flags it. What gives it away is register: a
sentence built from the words of dream and elegy (whisper, forgotten, eternity), of the
cosmos and of mathematics (nebula, arithmetic, theorem), none of which a trade needs.

This is a heuristic over word classes, not a semantic model: no package small enough to
ship offline relates words to a trade (word vectors would; see the report in issue 17).
To keep false positives low on flowery but real copy ("a symphony of flavours", "slow
mornings and patient hands"), a sentence needs three such words, none of them the
config's own (a bakery called "Forgotten Harbour" may say so).
"""

from __future__ import annotations

from collections.abc import Iterable

from merlin_assets.content_gate.facts import Facts
from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.lexicon import config_words, tokens
from merlin_assets.content_gate.text import sentences, wordset

# Stems of words whose register is reverie, elegy, the cosmos or abstract mathematics.
POETIC = wordset(
    "whisper murmur sigh weep wept yearn dream dreamt ponder mourn forgot forgotten echo "
    "shimmer glimmer haunt ache longing reverie melancholy nostalgia oblivion solitude "
    "silence silent quiet hush eternity eternal infinite infinity endless ancient destiny "
    "fate soul ghost shadow twilight moonlight starlight dusk void abyss cosmos cosmic "
    "galaxy galaxies nebula constellation universe arithmetic algebra geometry calculus "
    "theorem equation logarithm axiom paradox metaphysic philosophy poem poetry "
    "sonnet elegy lullaby wander forlorn lament vanish ephemeral lonely moon star"
)
# How many such words one sentence may hold before it is read as nonsense.
MAX_POETIC = 2


def check_incongruity(fields: Iterable[CopyField], facts: Facts) -> list[Finding]:
    """Sentences written in the register of a poem rather than of a business."""
    known = config_words(facts)
    out = []
    for f in fields:
        for sentence in sentences(f.text):
            found = poetic_words(sentence, known)
            if len(found) > MAX_POETIC:
                out.append(
                    Finding(
                        f.item,
                        f.field,
                        "incongruous",
                        f"{', '.join(repr(w) for w in found)}: a poem's words, not this "
                        "business's; the sentence says nothing a customer can use",
                    )
                )
                break
    return out


def poetic_words(sentence: str, known: frozenset[str] = frozenset()) -> list[str]:
    """The sentence's words of the poetic register that the config does not use."""
    out = []
    for word in tokens(sentence):
        lower = word.lower()
        if lower in known:
            continue
        if any(form in POETIC for form in _forms(lower)):
            out.append(word)
    return list(dict.fromkeys(out))


def _forms(word: str) -> list[str]:
    """The word and the word less a plural or verb ending: "whispers" gives "whisper"."""
    forms = [word]
    for suffix in ("s", "es", "ed", "d", "ing", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)])
    return forms

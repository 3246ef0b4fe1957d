"""Matching free text against keyword tables: scene hints and icon glyphs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence


def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", ascii_text.lower())


def _matches(word: str, keyword: str) -> bool:
    # Prefix matching catches plurals and stems; short keywords must match whole words.
    return word == keyword or (len(keyword) >= 4 and word.startswith(keyword))


def best_match(table: dict[str, tuple[str, ...]], weighted: Sequence[tuple[str, int]]) -> str:
    """The `table` entry whose keywords occur most in the texts, each text's hits times its weight.

    Ties go to the entry listed first; "" when nothing matches.
    """
    scores = dict.fromkeys(table, 0)
    for text, weight in weighted:
        for word in _words(text):
            for name, keywords in table.items():
                if any(_matches(word, k) for k in keywords):
                    scores[name] += weight
    best = max(scores, key=lambda n: scores[n])
    return best if scores[best] > 0 else ""

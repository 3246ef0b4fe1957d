"""What changed between two releases: pages and images added, changed and removed, and how
many words of each changed page's visible text."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping

from merlin_assets.releases.manifest import Changes, is_image, is_page
from merlin_assets.releases.text import visible_lines, words


def words_changed(old: bytes | str, new: bytes | str) -> int:
    """Words added plus words removed between two pages' visible text."""
    a, b = words(visible_lines(old)), words(visible_lines(new))
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return sum(
        (i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def compare(
    old: Mapping[str, str],
    new: Mapping[str, str],
    read_old: Callable[[str], bytes],
    read_new: Callable[[str], bytes],
) -> Changes:
    """Changes from the files `old` to `new` (each a map of path to SHA-256); the readers give
    a changed page's bytes for its word count."""
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = sorted(r for r in set(old) & set(new) if old[r] != new[r])
    out = Changes(
        pages_added=[r for r in added if is_page(r)],
        pages_changed=[r for r in changed if is_page(r)],
        pages_removed=[r for r in removed if is_page(r)],
        images_added=[r for r in added if is_image(r)],
        images_changed=[r for r in changed if is_image(r)],
        images_removed=[r for r in removed if is_image(r)],
        other_changed=[r for r in (*added, *changed, *removed) if not (is_page(r) or is_image(r))],
    )
    for rel in out.pages_changed:
        out.words_changed[rel] = words_changed(read_old(rel), read_new(rel))
    for rel in out.pages_added:
        out.words_changed[rel] = len(words(visible_lines(read_new(rel))))
    for rel in out.pages_removed:
        out.words_changed[rel] = len(words(visible_lines(read_old(rel))))
    return out

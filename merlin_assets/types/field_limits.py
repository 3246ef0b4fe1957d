"""The one home of the limits every part of the product agrees on: ids, SEO lengths, alt text.

An id (a project, a section key, a page slug, an image key) becomes a file name and a URL path,
so every id anywhere matches `ID_RE`.
"""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
ID_RE = re.compile(ID_PATTERN)
# Search results cut titles past about 60 characters and descriptions past about 160.
TITLE_MAX = 60
DESCRIPTION_MIN, DESCRIPTION_MAX = 120, 160
# Screen readers read alt text in one go; 125 characters is the usual ceiling.
ALT_MAX = 125

Notes = list[str]


def visible(text: str) -> bool:
    """Whether a text shows anything: not only controls, format characters and spaces (an
    alt of NUL characters is empty once the page drops what HTML may not hold)."""
    return any(unicodedata.category(c)[0] not in "CZ" for c in text)


def clip(text: str, limit: int) -> str:
    """Shorten at a word boundary so titles and descriptions never end mid-word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-|")
    return (cut or text[: limit - 1]) + "…"


def as_key(raw: str, taken: set[str], fallback: str) -> str:
    """A safe, unique key: lowercase-hyphenated, never empty, never a duplicate."""
    base = slugify(raw or "", max_length=50) or fallback
    if not ID_RE.fullmatch(base):
        base = fallback
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key

"""Links a page may carry: only relative or http(s)/mailto/tel URLs survive."""

from __future__ import annotations

import re

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def safe_url(url: str | None, *, default: str = "#") -> str:
    """`url` if it is relative or http(s)/mailto/tel, else `default`.

    Control characters are refused outright because browsers strip tabs and newlines from
    URLs, so "java\\tscript:" would otherwise slip past the scheme check.
    """
    if not url or _CONTROL_RE.search(url):
        return default
    url = url.strip()
    if not url:
        return default
    # Browsers read "//host" and "\\host" as another origin, and "/\\host" the same way.
    if url[:2] in ("//", "\\\\", "/\\", "\\/"):
        return default
    match = _SCHEME_RE.match(url)
    if match and match.group(1).lower() not in _SAFE_SCHEMES:
        return default
    return url

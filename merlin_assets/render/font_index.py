"""The installed font families, and what a site does with any family name.

The index is built from the `fontpkg.family` entry points of the installed `fontpkg-*` packages
(their own metadata.json: name, licence, category, files); a name is only ever a key into it,
and every path comes from the metadata. `choose` turns an untrusted name into a `Choice`: the
served family that draws it, its kind, the name to put first in the stack and a note (see
`render.font_names` for the system names, aliases and kinds).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import entry_points

from merlin_assets.render.font_names import (
    ALIASES,
    KIND_DEFAULT,
    SYSTEM,
    css_name,
    guess_kind,
    kind_of_served,
)

__all__ = ["Choice", "available_families", "choose", "resolve_family"]

log = logging.getLogger(__name__)

# Licences whose fonts may be shipped with every generated site.
_OPEN_LICENSES = frozenset({"OFL-1.1", "Apache-2.0"})

_KEY_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SAFE_FAMILY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ]{0,63}")
_SAFE_FILE_RE = re.compile(r"[A-Za-z0-9_\-\[\],.]+\.(?:ttf|otf)")


@dataclass(frozen=True)
class Family:
    """One installed open font family; fonts.py subsets and embeds its upright files."""

    name: str  # display name from the package metadata, e.g. "Playfair Display"
    key: str  # "playfair-display"
    kind: str  # one of font_names.KINDS: "sans", "serif", "slab", "mono", "display", "script"
    license: str
    license_text: str
    files: tuple  # fontpkg.FontFile, upright only


# --- the index --------------------------------------------------------------------------------


def family_key(name: object) -> str | None:
    """The lookup key of an untrusted family name, or None when it cannot be one."""
    if not isinstance(name, str) or len(name) > 80:
        return None
    # Tolerate `"Inter", sans-serif` and `'Inter'`: only the first family, without quotes.
    first = name.split(",", 1)[0].strip().strip("\"'").strip()
    key = re.sub(r"[\s_-]+", "-", first.lower())
    return key if _KEY_RE.fullmatch(key) else None


@functools.lru_cache(maxsize=1)
def family_index() -> dict[str, Family]:
    """Installed open font families by key, from the fontpkg packages' own metadata."""
    from fontpkg import family_from_metadata

    out: dict[str, Family] = {}
    for ep in entry_points(group="fontpkg.family"):
        try:
            root = resources.files(ep.value)
            meta = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
            fam = family_from_metadata(meta, root)
            license_file = root / "LICENSE"
            license_text = (
                license_file.read_text(encoding="utf-8") if license_file.is_file() else ""
            )
        except Exception as exc:  # a broken font package must not break publishing
            log.warning("skipping font package %s: %s", ep.value, exc)
            continue
        key = family_key(fam.name)
        if (
            key is None
            or fam.license not in _OPEN_LICENSES
            or not _SAFE_FAMILY_RE.fullmatch(fam.name)
        ):
            continue
        categories = {str(c).upper() for c in meta.get("category", [])}
        kind = kind_of_served(key, categories)
        upright = tuple(
            f for f in fam.files if f.style == "normal" and _SAFE_FILE_RE.fullmatch(f.path.name)
        )
        if upright:
            out[key] = Family(fam.name, key, kind, fam.license, license_text, upright)
    return out


def available_families() -> list[str]:
    """Display names of the installed families `build_fonts` can ship."""
    return sorted(f.name for f in family_index().values())


@dataclass(frozen=True)
class Choice:
    """What a site does with one untrusted family name.

    family: the served family that draws it (the name's own, a near one, or the nearest of its
        kind), or None when the visitor's own font does (a system or web-safe name).
    kind: the kind of the name, one of font_names.KINDS.
    first: a CSS token to put before the served family in the stack: the system font's name or
        keyword, or the unknown name (reduced by `css_name`) for visitors who have it.
    note: what was substituted, for the run summary; None when the name is served as given.
    """

    family: Family | None
    kind: str
    first: str | None
    note: str | None


def _near(key: str, index: dict[str, Family]) -> str | None:
    """The served family a near name means: an alias, the longest served family the name's
    words begin with ("noto-sans-jp" -> "noto-sans"), or a one-letter typo ("montserat")."""
    import difflib

    if key in ALIASES and ALIASES[key] in index:
        return ALIASES[key]
    words = key.split("-")
    for n in range(len(words) - 1, 0, -1):
        prefix = "-".join(words[:n])
        target = prefix if prefix in index else ALIASES.get(prefix)
        if target in index:
            return target
    close = difflib.get_close_matches(key, list(index), n=1, cutoff=0.9)
    return close[0] if close else None


def choose(name: object) -> Choice:
    """The family, kind, leading stack token and note for an untrusted family name."""
    index = family_index()
    shown = css_name(name)
    key = family_key(name)
    # A name with characters no family name has is read as what is left of it.
    cleaned = key is None and shown is not None
    key = key or family_key(shown)
    if key is not None and key in index:
        fam = index[key]
        note = f"the name was reduced to {shown}, served as {fam.name}" if cleaned else None
        return Choice(fam, fam.kind, None, note)
    if key is not None and key in SYSTEM:
        token, kind = SYSTEM[key]
        plain = token.strip('"')
        return Choice(None, kind, token, f"{plain} is a system font: visitors' own, no download")
    first = f'"{shown}"' if shown else None
    near = _near(key, index) if key is not None else None
    if near is not None:
        fam = index[near]
        return Choice(
            fam,
            fam.kind,
            first,
            f"{shown} is not served; kept first for visitors who have it, "
            f"then {fam.name}, the closest served family",
        )
    kind = guess_kind(key or "")
    fam = index.get(KIND_DEFAULT[kind])
    if fam is None:  # the kind's default is not installed: any served family of that kind
        fam = next((f for f in index.values() if f.kind == kind), None)
    what = f"{shown} is not served" if shown else "not a plain font family name"
    kept = "; kept first for visitors who have it" if shown else ""
    served = f", then {fam.name}, a served {kind} family" if fam else ", system fonts only"
    return Choice(fam, kind, first, f"{what}{kept}{served}")


def resolve_family(name: object) -> tuple[Family | None, str | None]:
    """The served family for an untrusted name, and a note when it is not the name's own."""
    choice = choose(name)
    return choice.family, choice.note

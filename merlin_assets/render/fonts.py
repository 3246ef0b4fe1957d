"""Self-hosted, subset WOFF2 brand fonts for a generated site.

The style system names a heading and a body font family (an LLM picks them, so the names are
untrusted). `build_fonts` turns them into font files the site serves itself (no request to any
font CDN), subset to the characters the site's pages use, with the `@font-face` rules that load
them and the full CSS font stacks that fall back to system fonts for anything the brand font
lacks (CJK, Arabic, emoji, ...).

Source of the fonts: the `fontpkg` family packages on PyPI (`fontpkg-inter`, `fontpkg-lato`, ...,
all OFL-1.1, generated unmodified from the google/fonts repository), listed in pyproject.toml so
`pip install -e .` brings them. Each registers itself under the `fontpkg.family` entry point with a
`metadata.json` (family name, licence, category, files). That registry is the only index a name is
looked up in: a name is reduced to a key of `[a-z0-9-]`, looked up in a dict built from the
installed packages' metadata, and every path comes from that metadata, never from the name. An
unknown or malformed name yields no files and a system-only stack. Families installed: every one
that `merlin_assets.industries` pairs (Playfair Display, Source Sans 3, Fraunces, Lato, Cormorant
Garamond, Merriweather, Libre Baskerville, Nunito, Open Sans, Poppins, Inter, Lora, Montserrat,
Oswald, Space Grotesk, IBM Plex Sans, Raleway, DM Serif Display, DM Sans) plus Work Sans, which the
test LLM server picks. `ALIASES` maps renamed or near families (Source Sans Pro, EB Garamond,
Proxima Nova, ...) to the closest installed one; `bundle.notes` says when that happened.

Each weight is a static instance (variable fonts are pinned at that weight, their other axes at
the defaults), subset to the site's characters plus printable ASCII and common typographic
punctuation (so small later edits still render), hinting dropped, kerning, ligatures and mark
positioning kept, compressed as WOFF2. Subsetting happens before instancing (instancing a whole
variable font costs ten times more) and both steps are cached in-process, so sites and pages that
share a family and a character set reuse the bytes.

How the site publisher plugs it in (not wired yet; publishing is being restructured). Call it
once per site, with the visible text of all its pages, so every page shares the same files:

    bundle = build_fonts(style.fonts.heading, style.fonts.body, visible_text_of_all_pages)
    for rel, data in bundle.files.items():     # "fonts/inter-400-1a2b3c4d.woff2", licences
        out = site_dir / rel                   # <site>/fonts/..., beside <site>/assets/
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    site_css = bundle.css + site_css           # @font-face rules first in assets/site.css;
                                               # their url("../fonts/...") is relative to it
    # In css_tokens (render/site.py) the stacks replace today's _font_stack values:
    #   heading_font = Markup(bundle.stacks["heading"]); body_font = Markup(bundle.stacks["body"])
    # (safe to mark: a stack holds only a name from the package index and constants).

Visible text means titles, navigation, body copy, button labels and footer (image alt text
rarely shows and can be left out). Characters the brand font lacks are left out of the subset
and the browser takes them from the next font in the stack. File names carry a content hash, so
a re-published site with new characters never meets a stale cached font. Cost: about 1-2 s of
CPU per family for a first subset (Merriweather, whose layout tables are 3 MB, about 7 s);
a cache hit is free.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from importlib.metadata import entry_points
from pathlib import Path

__all__ = [
    "ALIASES",
    "BODY_WEIGHTS",
    "HEADING_WEIGHTS",
    "FontBundle",
    "available_families",
    "build_fonts",
    "font_stack",
    "resolve_family",
    "subset_woff2",
]

log = logging.getLogger(__name__)

# Weights site.css.j2 asks of each role. Headings, .brand and buttons are 700, the testimonial
# quote is set in the heading font at 400, and the FAQ summary's 600 matches the 700 face (CSS
# font matching goes up from 600). Body text is 400 and <strong>/labels 700; the few 500 and 600
# uses match the 400 and 700 faces, so no weight is ever synthesised.
HEADING_WEIGHTS: tuple[int, ...] = (400, 700)
BODY_WEIGHTS: tuple[int, ...] = (400, 700)

# Renamed, sibling or commercial families mapped to the closest installed open family.
ALIASES: dict[str, str] = {
    "source-sans-pro": "source-sans-3",
    "source-sans": "source-sans-3",
    "playfair": "playfair-display",
    "playfair-display-sc": "playfair-display",
    "cormorant": "cormorant-garamond",
    "eb-garamond": "cormorant-garamond",
    "garamond": "cormorant-garamond",
    "baskerville": "libre-baskerville",
    "nunito-sans": "nunito",
    "inter-tight": "inter",
    "inter-display": "inter",
    "dm-serif-text": "dm-serif-display",
    "ibm-plex": "ibm-plex-sans",
    "proxima-nova": "montserrat",
    "gotham": "montserrat",
    "raleway-dots": "raleway",
}

# Licences whose fonts may be shipped with every generated site.
_OPEN_LICENSES = frozenset({"OFL-1.1", "Apache-2.0"})

# Kerning and ligatures, plus what Latin text with combining marks needs to shape correctly.
_FEATURES = ("kern", "liga", "clig", "calt", "ccmp", "locl", "mark", "mkmk", "rlig")

# Always in the subset: printable ASCII, no-break space and common typographic punctuation.
_BASE_CHARS = frozenset(
    [chr(c) for c in range(0x20, 0x7F)] + list("\u00a0«»©®°±·×÷‐‑–—‘’‚“”„†•…‹›€£¥™−")
)

_SANS = ("system-ui", "-apple-system", '"Segoe UI"', "Roboto", '"Helvetica Neue"', "Arial")
_SERIF = ("Georgia", "Cambria", '"Times New Roman"', "Times")
_MONO = ("ui-monospace", '"SFMono-Regular"', "Menlo", "Consolas")
_CJK = ('"Noto Sans CJK SC"', '"PingFang SC"', '"Hiragino Sans"', '"Microsoft YaHei"')
_ARABIC = ('"Noto Naskh Arabic"', '"Geeza Pro"', '"Segoe UI"')
_EMOJI = ('"Apple Color Emoji"', '"Segoe UI Emoji"', '"Noto Color Emoji"')
_GENERIC = {"sans": "sans-serif", "serif": "serif", "mono": "monospace"}
_SERIF_HINTS = (
    "serif",
    "garamond",
    "baskerville",
    "georgia",
    "times",
    "caslon",
    "bodoni",
    "didot",
    "slab",
    "merriweather",
    "lora",
    "playfair",
    "fraunces",
    "cormorant",
    "crimson",
    "spectral",
    "literata",
)

_KEY_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SAFE_FAMILY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ]{0,63}")
_SAFE_FILE_RE = re.compile(r"[A-Za-z0-9_\-\[\],.]+\.(?:ttf|otf)")


@dataclass(frozen=True)
class _Family:
    name: str  # display name from the package metadata, e.g. "Playfair Display"
    key: str  # "playfair-display"
    kind: str  # "sans" | "serif" | "mono"
    license: str
    license_text: str
    files: tuple  # fontpkg.FontFile, upright only


@dataclass(frozen=True)
class FontBundle:
    """What a site needs to load its brand fonts.

    files: site-relative path -> bytes (`fonts/<family>-<weight>-<hash>.woff2` and each family's
        licence as `fonts/<family>-LICENSE.txt`).
    css: `@font-face` rules, to put first in assets/site.css (urls are `../fonts/...`).
    stacks: {"heading": ..., "body": ...} full CSS font-family values.
    families: {"heading": ..., "body": ...} the installed family served, or None (system only).
    notes: what was substituted or left to system fonts, for run summaries.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    css: str = ""
    stacks: dict[str, str] = field(default_factory=dict)
    families: dict[str, str | None] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


# --- the index --------------------------------------------------------------------------------


def _key(name: object) -> str | None:
    """The lookup key of an untrusted family name, or None when it cannot be one."""
    if not isinstance(name, str) or len(name) > 80:
        return None
    # Tolerate `"Inter", sans-serif` and `'Inter'`: only the first family, without quotes.
    first = name.split(",", 1)[0].strip().strip("\"'").strip()
    key = re.sub(r"[\s_-]+", "-", first.lower())
    return key if _KEY_RE.fullmatch(key) else None


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, _Family]:
    """Installed open font families by key, from the fontpkg packages' own metadata."""
    from fontpkg import family_from_metadata

    out: dict[str, _Family] = {}
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
        key = _key(fam.name)
        if (
            key is None
            or fam.license not in _OPEN_LICENSES
            or not _SAFE_FAMILY_RE.fullmatch(fam.name)
        ):
            continue
        categories = {str(c).upper() for c in meta.get("category", [])}
        kind = "mono" if "MONOSPACE" in categories else "serif" if "SERIF" in categories else "sans"
        upright = tuple(
            f for f in fam.files if f.style == "normal" and _SAFE_FILE_RE.fullmatch(f.path.name)
        )
        if upright:
            out[key] = _Family(fam.name, key, kind, fam.license, license_text, upright)
    return out


def available_families() -> list[str]:
    """Display names of the installed families `build_fonts` can ship."""
    return sorted(f.name for f in _index().values())


def resolve_family(name: object) -> tuple[_Family | None, str | None]:
    """The installed family for an untrusted name (via ALIASES when needed), and a note."""
    key = _key(name)
    if key is None:
        return None, "not a plain font family name; system fonts only"
    index = _index()
    if key in index:
        return index[key], None
    alias = ALIASES.get(key)
    if alias and alias in index:
        fam = index[alias]
        return fam, f"{name} is not packaged; served as {fam.name}, the closest open family"
    return None, f"{name} is not packaged; system fonts only"


def _guess_kind(name: object) -> str:
    """Serif or sans system fallback for a family that is not installed (a choice, no echo)."""
    key = _key(name) or ""
    if "mono" in key:
        return "mono"
    if "sans" not in key and any(h in key for h in _SERIF_HINTS):
        return "serif"
    return "sans"


def font_stack(family: str | None, kind: str) -> str:
    """A CSS font-family value: brand font, system UI fonts, script and emoji fallbacks, generic.

    `family` must come from the index (it is quoted as is); pass None for a system-only stack.
    """
    system = {"sans": _SANS, "serif": _SERIF, "mono": _MONO}.get(kind, _SANS)
    parts = [f'"{family}"'] if family else []
    for name in (*system, *_CJK, *_ARABIC, *_EMOJI):
        if name not in parts:
            parts.append(name)
    parts.append(_GENERIC.get(kind, "sans-serif"))
    return ", ".join(parts)


# --- subsetting -------------------------------------------------------------------------------


def _subset_options(flavor: str | None):
    from fontTools import subset

    opts = subset.Options()
    opts.flavor = flavor
    opts.hinting = False
    opts.desubroutinize = True
    opts.layout_features = list(_FEATURES)
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.legacy_kern = False
    # Keep the copyright, licence and licence URL in the font (OFL's notice requirement).
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    opts.name_languages = [0x409]
    opts.drop_tables = [*opts.drop_tables, "meta", "STAT"]
    opts.ignore_missing_unicodes = True
    return opts


def _font_file(fam: _Family, weight: int) -> Path:
    """The upright file serving `weight`: a variable font spanning it, else the nearest static."""
    for f in fam.files:
        if f.covers(weight):
            return f.path
    static = [f for f in fam.files if f.weight is not None]
    if static:
        return min(static, key=lambda f: (abs(f.weight - weight), f.weight)).path
    return fam.files[0].path


@functools.lru_cache(maxsize=64)
def _subset_source(path: str, chars: str) -> bytes:
    """The source font (variable or static) reduced to `chars`, as TTF bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(path, recalcTimestamp=False)
    sub = subset.Subsetter(_subset_options(None))
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


@functools.lru_cache(maxsize=256)
def _woff2(path: str, weight: int, chars: str) -> tuple[bytes, tuple[int, ...]]:
    """A static WOFF2 of `path` at `weight` covering `chars`, and the code points it maps."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(io.BytesIO(_subset_source(path, chars)), recalcTimestamp=False)
    if "fvar" in font:
        limits = {
            a.axisTag: (min(max(weight, a.minValue), a.maxValue) if a.axisTag == "wght" else None)
            for a in font["fvar"].axes
        }
        font = instancer.instantiateVariableFont(font, limits)
    font.flavor = "woff2"
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue(), tuple(sorted(font.getBestCmap()))


def subset_woff2(family: str, weight: int, text: str) -> bytes | None:
    """WOFF2 bytes of an installed `family` at `weight` for `text`, or None if not installed."""
    fam, _ = resolve_family(family)
    if fam is None:
        return None
    return _woff2(str(_font_file(fam, weight)), weight, _charset(text))[0]


def _charset(text: str) -> str:
    """The sorted characters to keep: the text's (as written and NFC) plus the base set."""
    chars = set(text) | set(unicodedata.normalize("NFC", text)) | _BASE_CHARS
    return "".join(sorted(c for c in chars if c.isprintable() or c == "\u00a0"))


def _unicode_range(codepoints: tuple[int, ...]) -> str:
    ranges: list[str] = []
    start = prev = None
    for cp in codepoints:
        if prev is not None and cp == prev + 1:
            prev = cp
            continue
        if start is not None:
            ranges.append(f"U+{start:X}" if start == prev else f"U+{start:X}-{prev:X}")
        start = prev = cp
    if start is not None:
        ranges.append(f"U+{start:X}" if start == prev else f"U+{start:X}-{prev:X}")
    return ", ".join(ranges)


# --- the bundle -------------------------------------------------------------------------------


def build_fonts(
    heading: str,
    body: str,
    text: str,
    *,
    heading_weights: tuple[int, ...] = HEADING_WEIGHTS,
    body_weights: tuple[int, ...] = BODY_WEIGHTS,
) -> FontBundle:
    """Font files, @font-face CSS and font stacks for a site whose visible text is `text`."""
    chars = _charset(text if isinstance(text, str) else "")
    files: dict[str, bytes] = {}
    rules: list[str] = []
    stacks: dict[str, str] = {}
    families: dict[str, str | None] = {}
    notes: list[str] = []
    done: set[tuple[str, int]] = set()
    by_digest: dict[str, str] = {}

    for role, name, weights in (
        ("heading", heading, heading_weights),
        ("body", body, body_weights),
    ):
        fam, note = resolve_family(name)
        if note:
            notes.append(f"fonts.{role}: {note}")
        families[role] = fam.name if fam else None
        stacks[role] = font_stack(fam.name if fam else None, fam.kind if fam else _guess_kind(name))
        if fam is None:
            continue
        if fam.license_text:
            files[f"fonts/{fam.key}-LICENSE.txt"] = fam.license_text.encode("utf-8")
        for weight in sorted(set(weights)):
            if (fam.key, weight) in done:
                continue
            done.add((fam.key, weight))
            try:
                data, codepoints = _woff2(str(_font_file(fam, weight)), weight, chars)
            except Exception as exc:  # a font that fails to subset degrades to system fonts
                log.warning("could not subset %s %s: %s", fam.name, weight, exc)
                notes.append(f"fonts.{role}: {fam.name} {weight} failed to subset ({exc})")
                continue
            digest = hashlib.sha256(data).hexdigest()[:8]
            # A family without this weight (DM Serif Display has only 400) serves the nearest
            # file for it: one file, declared for each weight so the browser never fakes bold.
            rel = by_digest.setdefault(digest, f"fonts/{fam.key}-{weight}-{digest}.woff2")
            files[rel] = data
            rules.append(
                "@font-face {\n"
                f'  font-family: "{fam.name}";\n'
                "  font-style: normal;\n"
                f"  font-weight: {weight};\n"
                "  font-display: swap;\n"
                f'  src: url("../{rel}") format("woff2");\n'
                f"  unicode-range: {_unicode_range(codepoints)};\n"
                "}\n"
            )
    return FontBundle(
        files=files,
        css="".join(rules),
        stacks=stacks,
        families=families,
        notes=tuple(notes),
    )

"""Self-hosted, subset WOFF2 brand fonts for a generated site.

The style system names a heading and a body font family (an LLM picks them, so the names are
untrusted). `build_fonts` turns them into font files the site serves itself (no request to any
font CDN), subset to the Unicode blocks of the site's text, with the `@font-face` rules that load
them and the full CSS font stacks that fall back to system fonts for anything the brand font
lacks (CJK, Arabic, emoji, ...).

Source of the fonts: the `fontpkg` family packages on PyPI (`fontpkg-inter`, `fontpkg-lato`, ...,
all OFL-1.1, generated unmodified from the google/fonts repository), listed in pyproject.toml so
`pip install -e .` brings them. Each registers itself under the `fontpkg.family` entry point with a
`metadata.json` (family name, licence, category, files). That registry is the only index a name is
looked up in: a name is reduced to a key of `[a-z0-9-]`, looked up in a dict built from the
installed packages' metadata, and every path comes from that metadata, never from the name.
82 families are installed: the 60-odd most used web families across serif, sans, slab, mono,
display and script (Roboto, Roboto Slab, Noto Sans, Noto Serif, ...) and every one that
`merlin_assets.industries` pairs. `choose` says what a site does with any other name (see
`render.font_names`): a system name (Georgia, system-ui) is the visitor's own font, with no
file; a near name (`ALIASES`, "Noto Sans JP", a typo) is served as its family; anything else is
kept first in the stack, reduced to safe characters, and drawn in the served default of the kind
its words suggest. `bundle.notes` says each time that happened. Each served weight also gets a
metric-matched local fallback face (`render.font_metrics`), named right after the family in the
stack, so the swap to the web font moves nothing (the bakery's home page: CLS 0.094 -> 0).

Each weight is a static instance (variable fonts are pinned at that weight, their other axes at
the defaults), hinting dropped, kerning, ligatures and mark positioning kept, compressed as WOFF2.
A subset covers Unicode blocks, not characters: every character the font has in the blocks of
the given text, and always in Basic Latin, Latin-1 Supplement, Latin Extended-A and General
Punctuation (`ALWAYS_BLOCKS`), so page copy written later in the same language renders too; the
@font-face `unicode-range` lists what the file maps, so the browser takes anything else from the
next font in the stack without downloading the file for it.

So a subset depends only on (font file, weight, blocks the font has characters in), and is
cached on disk under `MERLIN_FONT_CACHE_DIR` or `~/.cache/merlin/fonts/` (written atomically, keyed
by the source file's content digest) and in-process: the first site on a machine pays for it,
every later one reads a file. Cost of a first subset, in CPU: about 1-2 s per family (Playfair
Display and Source Sans 3: 3.2 s for the four files), Merriweather (3 MB of layout tables, three
axes) about 13 s; a cache hit about 0.1 s for a site's four files. Subsetting happens before
instancing (instancing a whole variable font costs ten times more), on lazily loaded fonts.

`merlin_assets.phases.site_fonts` makes a site's bundle from the config's and the copywriting's
text, early in the run; the site node puts `bundle.css` first in assets/site.css (its
`url("../fonts/...")` are relative to it) and renders the stylesheet with `bundle.stacks`.
File names carry a content hash, so a re-published site never meets a stale cached font.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import io
import logging
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from merlin_assets.render.font_index import (
    Choice,
    Family,
    available_families,
    choose,
    family_index,
    family_key,
    resolve_family,
)
from merlin_assets.render.font_metrics import fallback_face
from merlin_assets.render.font_names import ALIASES, GENERIC, SYSTEM_STACK

__all__ = [
    "ALIASES",
    "BODY_WEIGHTS",
    "HEADING_WEIGHTS",
    "Choice",
    "FontBundle",
    "available_families",
    "build_fonts",
    "choose",
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

# Kerning and ligatures, plus what Latin text with combining marks needs to shape correctly.
_FEATURES = ("kern", "liga", "clig", "calt", "ccmp", "locl", "mark", "mkmk", "rlig")

# Blocks every subset covers, whatever the text: the copy written later (page copy, edits) in
# the same Latin-script language is covered too. Other blocks come from the config's and the
# copywriting's characters; a character of any other block falls back through the stack.
ALWAYS_BLOCKS: tuple[str, ...] = (
    "Basic Latin",
    "Latin-1 Supplement",
    "Latin Extended-A",
    "General Punctuation",
)

_CJK = ('"Noto Sans CJK SC"', '"PingFang SC"', '"Hiragino Sans"', '"Microsoft YaHei"')
_ARABIC = ('"Noto Naskh Arabic"', '"Geeza Pro"', '"Segoe UI"')
_EMOJI = ('"Apple Color Emoji"', '"Segoe UI Emoji"', '"Noto Color Emoji"')


@dataclass(frozen=True)
class FontBundle:
    """What a site needs to load its brand fonts.

    files: site-relative path -> bytes (`fonts/<family>-<weight>-<hash>.woff2` and each family's
        licence as `fonts/<family>-LICENSE.txt`).
    css: `@font-face` rules, to put first in assets/site.css (urls are `../fonts/...`).
    stacks: {"heading": ..., "body": ...} full CSS font-family values.
    families: {"heading": ..., "body": ...} the installed family served, or None (system only).
    notes: what was substituted or left to system fonts, for run summaries.
    blocks: the Unicode blocks the subsets were asked to cover.
    sources: per font file, where its bytes came from: "subset" (made now), "disk" (the
        machine's font cache) or "memory" (made earlier in this process).
    """

    files: dict[str, bytes] = field(default_factory=dict)
    css: str = ""
    stacks: dict[str, str] = field(default_factory=dict)
    families: dict[str, str | None] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)


def font_stack(family: str | None, kind: str, first: str | None = None) -> str:
    """A CSS font-family value: `first` (a system name or an unknown family, see `Choice`), the
    served family and its metric-matched fallback face, system fonts of the kind, script and
    emoji fallbacks, and the kind's generic family last.

    `family` must come from the index and `first` from `choose` (they are used as is).
    """
    generic = GENERIC.get(kind, "sans-serif")
    parts: list[str] = []
    if first and first != generic:
        parts.append(first)
    if family:
        parts += [f'"{family}"', f'"{family} Fallback"']
    for name in (*SYSTEM_STACK.get(kind, SYSTEM_STACK["sans"]), *_CJK, *_ARABIC, *_EMOJI):
        if name not in parts and name != generic:
            parts.append(name)
    parts.append(generic)
    return ", ".join(parts)


# --- what a subset covers ---------------------------------------------------------------------


@functools.cache
def _block_spans() -> tuple[tuple[int, int, str], ...]:
    """Every Unicode block as (first, last, name), from fontTools' copy of Blocks.txt."""
    from fontTools.unicodedata import Blocks

    ends = [*Blocks.RANGES[1:], 0x110000]
    return tuple(
        (first, end - 1, name)
        for first, end, name in zip(Blocks.RANGES, ends, Blocks.VALUES, strict=True)
        if name != "No_Block"
    )


def block_of(char: str) -> str | None:
    """The Unicode block of one character, or None for an unassigned stretch."""
    spans, cp = _block_spans(), ord(char)
    i = bisect.bisect_right(spans, (cp, 0x110000, "")) - 1
    return spans[i][2] if i >= 0 and spans[i][0] <= cp <= spans[i][1] else None


def blocks_of(text: str) -> tuple[str, ...]:
    """The blocks a subset covers: those of `text` (as written and NFC) and ALWAYS_BLOCKS."""
    text = text if isinstance(text, str) else ""
    chars = set(text) | set(unicodedata.normalize("NFC", text))
    found = {block_of(c) for c in chars if c.isprintable() or c == "\u00a0"}
    order = {name: i for i, (_, _, name) in enumerate(_block_spans())}
    return tuple(sorted((found - {None}) | set(ALWAYS_BLOCKS), key=order.__getitem__))


@functools.lru_cache(maxsize=64)
def _source(path: str, size: int, mtime_ns: int) -> tuple[str, frozenset[int], bool]:
    """A source font's content digest (part of every cache key), the code points it maps, and
    whether it is a variable font (a static one gives the same bytes at every weight)."""
    from fontTools.ttLib import TTFont

    data = Path(path).read_bytes()
    font = TTFont(io.BytesIO(data), lazy=True)
    return hashlib.sha256(data).hexdigest()[:16], frozenset(font.getBestCmap()), "fvar" in font


def _source_of(path: str) -> tuple[str, frozenset[int], bool]:
    return _source(path, (st := Path(path).stat()).st_size, st.st_mtime_ns)


def _control(cp: int) -> bool:
    # C0 and C1 controls and DEL: mapped by some fonts, never drawn.
    return cp < 0x20 or 0x7F <= cp < 0xA0


def _coverage(path: str, blocks: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Of `blocks`, those the font has characters in, and every such character it has."""
    cmap = _source_of(path)[1]
    wanted = set(blocks)
    kept: list[str] = []
    codepoints: list[int] = []
    for first, last, name in _block_spans():
        if name in wanted:
            inside = sorted(cp for cp in cmap if first <= cp <= last and not _control(cp))
            if inside:
                kept.append(name)
                codepoints.extend(inside)
    return tuple(kept), tuple(codepoints)


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


def font_file(fam: Family, weight: int) -> Path:
    """The upright file serving `weight`: a variable font spanning it, else the nearest static."""
    for f in fam.files:
        if f.covers(weight):
            return f.path
    static = [f for f in fam.files if f.weight is not None]
    if static:
        return min(static, key=lambda f: (abs(f.weight - weight), f.weight)).path
    return fam.files[0].path


def _names_to_keep(font, options) -> set[int]:
    """The name ids the subsetter would keep: the options' and those fvar refers to (the
    instancer drops the latter with fvar). GSUB/GPOS feature names are not among the kept
    features, and STAT is dropped."""
    keep = set(options.name_IDs)
    if "fvar" in font:
        fvar = font["fvar"]
        keep |= {a.axisNameID for a in fvar.axes}
        keep |= {i.subfamilyNameID for i in fvar.instances}
        keep |= {i.postscriptNameID for i in fvar.instances if i.postscriptNameID != 0xFFFF}
    return keep


@functools.lru_cache(maxsize=16)
def _subset_source(path: str, codepoints: tuple[int, ...]) -> bytes:
    """The source font (variable or static) reduced to `codepoints`, as TTF bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = _subset_options(None)
    # Lazy: only the lookups of the kept features are ever decompiled.
    font = TTFont(path, recalcTimestamp=False, lazy=True)
    # The subsetter prunes `name` by walking every table for the ids they use: seconds for a
    # font with megabytes of layout (Merriweather). The ids are few and known; prune here.
    name = font["name"]
    del font["name"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=codepoints)
    sub.subset(font)
    keep = _names_to_keep(font, options)
    name.names = [
        n
        for n in name.names
        if n.nameID in keep and n.isUnicode() and n.langID in options.name_languages
    ]
    font["name"] = name
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _make_woff2(path: str, weight: int, codepoints: tuple[int, ...]) -> bytes:
    """A static WOFF2 of `path` at `weight` mapping `codepoints` (the CPU-heavy part)."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(io.BytesIO(_subset_source(path, codepoints)), recalcTimestamp=False, lazy=True)
    if "fvar" in font:
        limits = {
            a.axisTag: (min(max(weight, a.minValue), a.maxValue) if a.axisTag == "wght" else None)
            for a in font["fvar"].axes
        }
        # In place: the font was just read from bytes, and a copy of it costs seconds.
        font = instancer.instantiateVariableFont(font, limits, inplace=True)
    font.flavor = "woff2"
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def font_cache_dir() -> Path:
    """Where subsets are kept between runs: one folder per machine user
    (`MERLIN_FONT_CACHE_DIR`, else `~/.cache/merlin/fonts`). Not the reply cache's folder: a
    subset is the same bytes for every run and every API key, so a fresh reply cache (a new
    project folder, a benchmark) has no reason to pay for it again."""
    from merlin_assets.llm.settings import default_cache_dir

    return Path(os.environ.get("MERLIN_FONT_CACHE_DIR") or default_cache_dir() / "fonts")


def _is_woff2(data: bytes) -> bool:
    # The header's `length` is the whole file's: a truncated or foreign file fails it.
    return len(data) > 48 and data[:4] == b"wOF2" and int.from_bytes(data[8:12], "big") == len(data)


def _cached_woff2(
    key: str, path: str, weight: int, blocks: tuple[str, ...]
) -> tuple[bytes, tuple[int, ...], str]:
    """The WOFF2 for (source file, weight, blocks): from memory, the disk cache, or made now.

    Returns the bytes, the code points they map and where they came from ("memory", "disk" or
    "subset"). The blocks that count are those the font has characters in, so a text with an
    emoji and one without share a subset.
    """
    covered, codepoints = _coverage(path, blocks)
    source_digest, _, variable = _source_of(path)
    at = str(weight) if variable else "static"
    digest = hashlib.sha256(
        f"{_CACHE_VERSION}|{source_digest}|{at}|{','.join(covered)}".encode()
    ).hexdigest()[:16]
    name = f"{key}-{at}-{digest}.woff2"
    hit = _MEMORY.get(name)
    if hit is not None:
        return hit, codepoints, "memory"
    folder, source = font_cache_dir(), "disk"
    try:
        data = (folder / name).read_bytes()
    except OSError:
        data = b""
    if not _is_woff2(data):
        data, source = _make_woff2(path, weight, codepoints), "subset"
        try:
            from merlin_assets.paths import write_atomic

            write_atomic(folder / name, data)
        except OSError as exc:  # a read-only or full cache costs time next run, nothing else
            log.warning("could not cache font subset %s: %s", folder / name, exc)
    if len(_MEMORY) >= 256:
        _MEMORY.pop(next(iter(_MEMORY)))
    _MEMORY[name] = data
    return data, codepoints, source


# In-process cache of subsets by cache file name (content digest of source, weight, blocks).
_MEMORY: dict[str, bytes] = {}
# Bump when the subsetting options change, so no older subset is served from the disk cache.
_CACHE_VERSION = 1


def clear_memory_cache() -> None:
    """Forget every in-process subset (a new process would); the disk cache stays."""
    _MEMORY.clear()
    _subset_source.cache_clear()
    _source.cache_clear()


def subset_woff2(family: str, weight: int, text: str) -> bytes | None:
    """WOFF2 bytes of an installed `family` at `weight` for `text`'s blocks, or None when no
    family of that name is served (no substitute is made here)."""
    fam = family_index().get(family_key(family) or "")
    if fam is None:
        return None
    return _cached_woff2(fam.key, str(font_file(fam, weight)), weight, blocks_of(text))[0]


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
    """Font files, @font-face CSS and font stacks for a site whose text is like `text`.

    `text` picks the Unicode blocks (with ALWAYS_BLOCKS); each font is subset to every character
    it has in them, so any text in those blocks renders, and the subset is reused from the cache
    by every site with the same family, weight and blocks.
    """
    blocks = blocks_of(text)
    files: dict[str, bytes] = {}
    rules: list[str] = []
    stacks: dict[str, str] = {}
    families: dict[str, str | None] = {}
    notes: list[str] = []
    done: set[tuple[str, int]] = set()
    by_digest: dict[str, str] = {}
    sources: dict[str, str] = {}

    for role, name, weights in (
        ("heading", heading, heading_weights),
        ("body", body, body_weights),
    ):
        choice = choose(name)
        fam = choice.family
        if choice.note:
            notes.append(f"fonts.{role}: {choice.note}")
        families[role] = fam.name if fam else None
        stacks[role] = font_stack(fam.name if fam else None, choice.kind, choice.first)
        if fam is None:
            continue
        if fam.license_text:
            files[f"fonts/{fam.key}-LICENSE.txt"] = fam.license_text.encode("utf-8")
        for weight in sorted(set(weights)):
            if (fam.key, weight) in done:
                continue
            done.add((fam.key, weight))
            try:
                data, codepoints, source = _cached_woff2(
                    fam.key, str(font_file(fam, weight)), weight, blocks
                )
            except Exception as exc:  # a font that fails to subset degrades to system fonts
                log.warning("could not subset %s %s: %s", fam.name, weight, exc)
                notes.append(f"fonts.{role}: {fam.name} {weight} failed to subset ({exc})")
                continue
            digest = hashlib.sha256(data).hexdigest()[:8]
            # A family without this weight (DM Serif Display has only 400) serves the nearest
            # file for it: one file, declared for each weight so the browser never fakes bold.
            rel = by_digest.setdefault(digest, f"fonts/{fam.key}-{weight}-{digest}.woff2")
            files[rel] = data
            sources.setdefault(rel, source)
            rules.append(fallback_face(fam.name, fam.kind, weight, data))
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
        blocks=blocks,
        sources=sources,
    )

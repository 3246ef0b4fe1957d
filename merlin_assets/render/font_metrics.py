"""Metric-matched fallback faces, so the page does not move when a web font arrives.

A served family is declared `font-display: swap`: the text is drawn at once in the next font of
the stack and redrawn when the WOFF2 has loaded. If the two fonts differ in width or line
height, every line after that text moves (layout shift, CLS). As next/font, fontaine and capsize
do, each served family gets a second face, "<Family> Fallback", that is a local system font
(Arial, Times New Roman or Courier New, or their metric-compatible Liberation, Arimo, Tinos and
Cousine copies) scaled with `size-adjust` to the brand font's average character width, with the
brand font's ascent, descent and line gap (`ascent-override`, ... are relative to the adjusted
size, so they are divided by it). The stack names it right after the brand family.

The average width is the advance of each character weighted by how often it occurs in English
text (Lewand's letter frequencies with spaces, capsize's method); the brand font's figures come
from its served WOFF2 (a static instance at the weight it serves, so bold headings get bold
widths), the reference fonts' are hard-coded below.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

__all__ = ["Metrics", "fallback_face", "measure"]

# Occurrences per 1000 characters of English prose with spaces (Lewand, "Cryptological
# Mathematics", 2000, letters scaled by 0.82 to leave room for the 18% that are spaces).
_FREQUENCY: dict[str, float] = {
    " ": 180.0,
    "e": 104.6,
    "t": 74.2,
    "a": 67.0,
    "o": 61.6,
    "i": 57.2,
    "n": 55.3,
    "s": 51.9,
    "h": 50.0,
    "r": 49.1,
    "d": 34.9,
    "l": 32.9,
    "c": 22.8,
    "u": 22.6,
    "m": 19.7,
    "w": 19.4,
    "f": 18.3,
    "g": 16.5,
    "y": 16.2,
    "p": 15.8,
    "b": 12.2,
    "v": 8.0,
    "k": 6.3,
    "j": 1.3,
    "x": 1.2,
    "q": 0.8,
    "z": 0.6,
}


@dataclass(frozen=True)
class Metrics:
    """What a fallback face needs of a font, in font units."""

    units_per_em: int
    avg_width: float  # frequency-weighted advance of `_FREQUENCY`'s characters
    ascent: int
    descent: int  # positive, below the baseline
    line_gap: int


# The local fonts a fallback face scales, by the kind of the brand family and by weight (400 or
# 700). Measured with `measure()` from Debian's fonts-liberation 1.07.4 (LiberationSans-Regular
# .ttf, ...-Bold.ttf, LiberationSerif-*, LiberationMono-*), which are metric-compatible with
# Arial, Times New Roman and Courier New (same advances and vertical metrics; the 904 of Arial
# is capsize's figure too), so one set of figures serves whichever of them the visitor has.
# Each `local()` list names the Microsoft font first.
_REFERENCE: dict[str, tuple[tuple[str, ...], Metrics, tuple[str, ...], Metrics]] = {
    "sans": (
        ("Arial", "ArialMT", "Liberation Sans", "LiberationSans", "Arimo"),
        Metrics(2048, 904.27, 1854, 434, 67),
        ("Arial Bold", "Arial-BoldMT", "Liberation Sans Bold", "LiberationSans-Bold", "Arimo Bold"),
        Metrics(2048, 977.68, 1854, 434, 67),
    ),
    "serif": (
        ("Times New Roman", "TimesNewRomanPSMT", "Liberation Serif", "LiberationSerif", "Tinos"),
        Metrics(2048, 819.35, 1825, 443, 87),
        (
            "Times New Roman Bold",
            "TimesNewRomanPS-BoldMT",
            "Liberation Serif Bold",
            "LiberationSerif-Bold",
            "Tinos Bold",
        ),
        Metrics(2048, 871.70, 1825, 443, 87),
    ),
    "mono": (
        ("Courier New", "CourierNewPSMT", "Liberation Mono", "LiberationMono", "Cousine"),
        Metrics(2048, 1229.0, 1705, 615, 0),
        (
            "Courier New Bold",
            "CourierNewPS-BoldMT",
            "Liberation Mono Bold",
            "LiberationMono-Bold",
            "Cousine Bold",
        ),
        Metrics(2048, 1229.0, 1705, 615, 0),
    ),
}
# Which reference a kind of family is drawn in before its font loads.
_REFERENCE_OF = {
    "sans": "sans",
    "display": "sans",
    "script": "sans",
    "serif": "serif",
    "slab": "serif",
    "mono": "mono",
}


def measure(data: bytes) -> Metrics | None:
    """The fallback metrics of a font file (TTF, OTF, WOFF or WOFF2), or None when it lacks the
    tables or characters to tell."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(io.BytesIO(data), lazy=True)
        upm = font["head"].unitsPerEm
        cmap, hmtx = font.getBestCmap(), font["hmtx"]
        os2 = font.get("OS/2")
        total = weight = 0.0
        for char, share in _FREQUENCY.items():
            glyph = cmap.get(ord(char))
            if glyph is not None:
                total += hmtx[glyph][0] * share
                weight += share
        if not upm or weight < 0.9 * sum(_FREQUENCY.values()):
            return None
        # Browsers take typo metrics when the font asks (fsSelection bit 7), else hhea's.
        if os2 is not None and os2.fsSelection & (1 << 7):
            ascent, descent, gap = os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap
        else:
            hhea = font["hhea"]
            ascent, descent, gap = hhea.ascent, hhea.descent, hhea.lineGap
        return Metrics(upm, total / weight, ascent, abs(descent), max(0, gap))
    except Exception:  # a font we cannot read gets no fallback face, not a failed site
        return None


@functools.lru_cache(maxsize=256)
def _measured(data: bytes) -> Metrics | None:
    return measure(data)


def _pct(value: float) -> str:
    return f"{value * 100:.2f}%"


def fallback_face(family: str, kind: str, weight: int, data: bytes) -> str:
    """The `@font-face` rule of "<family> Fallback" at `weight`, from the served WOFF2 `data`;
    "" when the font cannot be measured. `family` comes from the installed index."""
    brand = _measured(data)
    if brand is None:
        return ""
    locals_400, ref_400, locals_700, ref_700 = _REFERENCE[_REFERENCE_OF.get(kind, "sans")]
    local_names, ref = (locals_700, ref_700) if weight >= 600 else (locals_400, ref_400)
    size = (brand.avg_width / brand.units_per_em) / (ref.avg_width / ref.units_per_em)
    em = brand.units_per_em * size
    src = ", ".join(f'local("{name}")' for name in local_names)
    return (
        "@font-face {\n"
        f'  font-family: "{family} Fallback";\n'
        "  font-style: normal;\n"
        f"  font-weight: {weight};\n"
        f"  src: {src};\n"
        f"  size-adjust: {_pct(size)};\n"
        f"  ascent-override: {_pct(brand.ascent / em)};\n"
        f"  descent-override: {_pct(brand.descent / em)};\n"
        f"  line-gap-override: {_pct(brand.line_gap / em)};\n"
        "}\n"
    )

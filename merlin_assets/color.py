"""Colour arithmetic for palettes: parsing, mixing and WCAG contrast.

Palette colours travel as "#rrggbb" strings; the offline image drawing works on (r, g, b) tuples
of ints, with the `*_rgb` helpers and `lighten`, `darken`, `luma` and `rgba` below.
"""

from __future__ import annotations

import colorsys
import re

from PIL import ImageColor

RGB = tuple[int, int, int]
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
AA_TEXT = 4.5


def is_hex(value: str) -> bool:
    return bool(_HEX.fullmatch(value or ""))


def to_rgb(value: str) -> tuple[int, int, int]:
    if not is_hex(value):
        raise ValueError(f"not a #rrggbb colour: {value!r}")
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def to_hex(rgb: tuple[float, float, float]) -> str:
    r, g, b = (max(0, min(255, round(c))) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def parse_rgb(value: str, fallback: RGB) -> RGB:
    """Any CSS colour Pillow knows ("#abc", "navy", "rgb(...)", "hsl(...)"), else `fallback`.

    Palettes come from an LLM: an unreadable colour should fall back, not fail the site.
    """
    try:
        rgb = ImageColor.getrgb(value)
    except (ValueError, TypeError, AttributeError):
        return fallback
    return rgb[0], rgb[1], rgb[2]


def mix_rgb(a: RGB, b: RGB, t: float) -> RGB:
    """`t` of the way from `a` to `b`, each channel rounded to the nearest int."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def lighten(c: RGB, t: float) -> RGB:
    """`t` of the way to white."""
    return mix_rgb(c, (255, 255, 255), t)


def darken(c: RGB, t: float) -> RGB:
    """`t` of the way to black."""
    return mix_rgb(c, (0, 0, 0), t)


def luma(c: RGB) -> float:
    """Perceived brightness in 0-1 with Rec. 709 weights on the raw (not linearised) channels.

    Cheaper and coarser than `luminance`; the drawing code uses it to tell light from dark.
    """
    return (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255


def rgba(c: RGB, alpha: float) -> tuple[int, int, int, int]:
    """`c` with an alpha channel, `alpha` clamped to 0-1."""
    return c[0], c[1], c[2], round(255 * max(0.0, min(1.0, alpha)))


def mix(a: str, b: str, t: float) -> str:
    """`t` of the way from colour `a` to colour `b`."""
    return to_hex(mix_rgb(to_rgb(a), to_rgb(b), t))


def luminance(value: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ensure_contrast(fg: str, bg: str, minimum: float = AA_TEXT) -> str:
    """Darken or lighten `fg` just enough to reach `minimum` contrast against `bg`."""
    if contrast(fg, bg) >= minimum:
        return fg
    target = "#000000" if luminance(bg) > 0.18 else "#ffffff"
    for step in range(1, 21):
        candidate = mix(fg, target, step / 20)
        if contrast(candidate, bg) >= minimum:
            return candidate
    return target


def readable_on(bg: str) -> str:
    """Near-black or white, whichever reads better on `bg`."""
    dark, light = "#111827", "#ffffff"
    return dark if contrast(dark, bg) >= contrast(light, bg) else light


def shift(value: str, *, hue: float = 0.0, light: float = 0.0, sat: float = 0.0) -> str:
    """Move a colour around HLS space (hue in turns, lightness and saturation in 0-1 units)."""
    r, g, b = (c / 255 for c in to_rgb(value))
    h, lt, s = colorsys.rgb_to_hls(r, g, b)
    h = (h + hue) % 1.0
    lt = max(0.0, min(1.0, lt + light))
    s = max(0.0, min(1.0, s + sat))
    return to_hex(tuple(c * 255 for c in colorsys.hls_to_rgb(h, lt, s)))


def readable_pair(fg: str, bg: str, minimum: float = AA_TEXT) -> tuple[str, str]:
    """`fg` adjusted to read on `bg`; where no text colour can (a mid-tone background), the
    background moves away from the text too."""
    fg = ensure_contrast(fg, bg, minimum)
    if contrast(fg, bg) >= minimum:
        return fg, bg
    away = "#ffffff" if luminance(fg) < 0.18 else "#000000"
    for step in range(1, 21):
        candidate = mix(bg, away, step / 20)
        if contrast(fg, candidate) >= minimum:
            return fg, candidate
    return fg, away

"""The shared stylesheet: design tokens checked and derived from the style system."""

from __future__ import annotations

import math
import re

from markupsafe import Markup

from merlin_assets import color
from merlin_assets.config.project import FONT_RE
from merlin_assets.render.environment import environment
from merlin_assets.types.style import StyleSystem

_HEX_FIELDS = ("primary", "secondary", "accent", "background", "surface", "text", "muted_text")

_SERIF_HINTS = (
    "serif",
    "playfair",
    "merriweather",
    "lora",
    "georgia",
    "garamond",
    "baskerville",
    "fraunces",
    "cormorant",
    "crimson",
    "spectral",
    "bitter",
    "slab",
    "arvo",
    "times",
    "caslon",
    "bodoni",
    "didot",
    "literata",
    "newsreader",
    "prata",
)
_SANS_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
_SERIF_STACK = 'Georgia, Cambria, "Times New Roman", Times, serif'
_MONO_STACK = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace'


def _font_stack(name: str, role: str) -> Markup:
    if not re.fullmatch(FONT_RE, name or ""):
        raise ValueError(f"fonts.{role} is not a plain font family name: {name!r}")
    lowered = name.lower()
    if "mono" in lowered:
        generic = _MONO_STACK
    elif "sans" not in lowered and any(h in lowered for h in _SERIF_HINTS):
        generic = _SERIF_STACK
    else:
        generic = _SANS_STACK
    # Safe to mark: the name matched FONT_RE, which admits no quote, semicolon or brace.
    return Markup(f'"{name}", {generic}')


# A full stack from render.fonts: quoted family names, bare keywords, commas and spaces only.
_STACK_NAME = r'(?:"[A-Za-z0-9][A-Za-z0-9 -]{0,63}"|-?[A-Za-z][A-Za-z0-9-]{0,40})'
_STACK_RE = re.compile(rf"^{_STACK_NAME}(?:, {_STACK_NAME}){{0,40}}$")


def _given_stack(stack: object, role: str) -> Markup:
    if not isinstance(stack, str) or not _STACK_RE.fullmatch(stack):
        raise ValueError(f"fonts.{role} stack is not a plain list of font families: {stack!r}")
    # Safe to mark: the pattern admits no semicolon, brace, bracket, backslash or stray quote.
    return Markup(stack)


def _finite(value: float, lo: float, hi: float, default: float) -> float:
    if not isinstance(value, int | float) or not math.isfinite(value):
        return default
    return min(hi, max(lo, value))


def _rgb(hex_color: str) -> str:
    r, g, b = color.to_rgb(hex_color)
    return f"{r} {g} {b}"


def css_tokens(style: StyleSystem, stacks: dict[str, str] | None = None) -> dict[str, object]:
    """Checked and derived design tokens; raises ValueError on anything unsafe for CSS.

    `stacks` ({"heading": ..., "body": ...}, from `render.fonts.build_fonts`) replaces the
    font-family values guessed from the style's font names, so the self-hosted fonts load.
    """
    pal = style.palette
    for name in _HEX_FIELDS:
        if not color.is_hex(getattr(pal, name)):
            raise ValueError(f"palette.{name} is not #rrggbb: {getattr(pal, name)!r}")
    for i, value in enumerate(pal.neutrals):
        if not color.is_hex(value):
            raise ValueError(f"palette.neutrals[{i}] is not #rrggbb: {value!r}")
    if stacks:
        heading_font = _given_stack(stacks.get("heading"), "heading")
        body_font = _given_stack(stacks.get("body"), "body")
    else:
        heading_font = _font_stack(style.fonts.heading, "heading")
        body_font = _font_stack(style.fonts.body, "body")

    bg, surface = pal.background.lower(), pal.surface.lower()
    # A surface indistinguishable from the background would make alternating bands invisible.
    tint = surface if color.contrast(surface, bg) >= 1.04 else color.mix(bg, pal.primary, 0.06)
    hero_bg = color.mix(bg, pal.primary, 0.08)
    text = pal.text.lower()
    for back in (bg, tint, hero_bg):
        text = color.ensure_contrast(text, back)
    muted = pal.muted_text.lower()
    for back in (bg, tint, hero_bg):
        muted = color.ensure_contrast(muted, back)
    link = pal.primary.lower()
    for back in (bg, tint, hero_bg):
        link = color.ensure_contrast(link, back)
    eyebrow = pal.accent.lower()
    for back in (bg, tint, hero_bg):
        eyebrow = color.ensure_contrast(eyebrow, back)
    btn_ink = color.readable_on(pal.primary)
    btn_bg = color.ensure_contrast(pal.primary.lower(), btn_ink)
    btn_hover = color.ensure_contrast(color.shift(btn_bg, light=-0.07), btn_ink)
    brand_end = color.ensure_contrast(color.mix(btn_bg, pal.secondary, 0.45), btn_ink)
    # The footer is always a dark band: the text colour on light themes, a deeper background
    # on dark ones.
    if color.luminance(bg) < color.luminance(text):
        footer_bg, footer_ink = color.mix(bg, "#000000", 0.35), text
    else:
        footer_bg, footer_ink = text, bg
    footer_ink = color.ensure_contrast(footer_ink, footer_bg)

    base = _finite(style.base_font_px, 14, 22, 17)
    ratio = _finite(style.type_scale_ratio, 1.067, 1.5, 1.25)
    unit = _finite(style.spacing_unit_px, 4, 12, 8)
    radius = _finite(style.radius_px, 0, 32, 10)
    shadow = _finite(style.shadow_strength, 0, 1, 0.4)

    h1 = max(ratio**5, 2.4)
    h2 = max(ratio**3, 1.75)
    h3 = max(ratio**2, 1.25)

    def rem(x: float) -> str:
        return f"{x:.3f}".rstrip("0").rstrip(".") + "rem"

    ink = _rgb(text)
    if shadow <= 0:
        shadows = ("none", "none", "none")
    else:
        shadows = (
            f"0 1px 2px rgb({ink} / {0.04 + 0.06 * shadow:.3f})",
            f"0 2px 4px -1px rgb({ink} / {0.04 + 0.06 * shadow:.3f}), "
            f"0 10px 24px -6px rgb({ink} / {0.06 + 0.16 * shadow:.3f})",
            f"0 4px 8px -2px rgb({ink} / {0.04 + 0.06 * shadow:.3f}), "
            f"0 24px 48px -12px rgb({ink} / {0.1 + 0.24 * shadow:.3f})",
        )
    return {
        "colors": {
            "primary": pal.primary.lower(),
            "secondary": pal.secondary.lower(),
            "accent": pal.accent.lower(),
            "bg": bg,
            "surface": surface,
            "tint": tint,
            "hero-bg": hero_bg,
            "text": text,
            "muted": muted,
            "link": link,
            "eyebrow": eyebrow,
            "border": color.mix(bg, text, 0.12),
            "border-strong": color.mix(bg, text, 0.22),
            "btn-bg": btn_bg,
            "btn-ink": btn_ink,
            "btn-hover": btn_hover,
            "brand-start": btn_bg,
            "brand-end": brand_end,
            "brand-ink": btn_ink,
            "footer-bg": footer_bg,
            "footer-ink": footer_ink,
        },
        "neutrals": [n.lower() for n in pal.neutrals],
        "heading_font": heading_font,
        "body_font": body_font,
        "base_pct": f"{base / 16 * 100:.3f}".rstrip("0").rstrip("."),
        "h1": rem(h1),
        "h1_min": rem(max(2.0, h1 * 0.62)),
        "h2": rem(h2),
        "h2_min": rem(max(1.5, h2 * 0.75)),
        "h3": rem(h3),
        "lead": rem(min(1.3, ratio)),
        "small": rem(1 / ratio),
        "unit": f"{unit:g}px",
        "radius": f"{radius:g}px",
        "radius_lg": f"{min(radius * 1.5, 40):g}px",
        "shadow_sm": shadows[0],
        "shadow_md": shadows[1],
        "shadow_lg": shadows[2],
    }


def render_css(style: StyleSystem, stacks: dict[str, str] | None = None) -> str:
    """The shared stylesheet, built from the style system's tokens (and the fonts' stacks)."""
    return environment().get_template("site.css.j2").render(t=css_tokens(style, stacks))

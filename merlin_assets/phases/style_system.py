"""Style system: palette, fonts and spacing; brand colours win and text meets WCAG AA."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import Field

from merlin_assets import color
from merlin_assets.color import ensure_contrast, mix, shift
from merlin_assets.config.project import FONT_RE
from merlin_assets.industries import profile_for
from merlin_assets.phases.base import NodeInputs, Phase, needs_of
from merlin_assets.phases.design_context import DesignContext
from merlin_assets.phases.design_strategy import DesignStrategy
from merlin_assets.prompts.common import business, inputs_block
from merlin_assets.types import style
from merlin_assets.types.field_limits import Notes
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets.types.style import Palette
from merlin_assets.writers.text import (
    cap,
    need,
    pick,
    rng_for,
    wordset,
)


def _served() -> list[str]:
    from merlin_assets.render.fonts import available_families

    return available_families()


class Fonts(style.Fonts):
    # The schema offers the model only the families the site can serve (strict structured
    # outputs enforce an enum); the type stays a plain string, because a config's brand font and
    # a non-strict server's answer may name anything, and render.fonts serves any name. The
    # enum lives here, not in types/, because only this node (above render) can ask render.fonts.
    heading: str = Field(json_schema_extra={"maxLength": 40, "enum": _served()})
    body: str = Field(json_schema_extra={"maxLength": 40, "enum": _served()})


class StyleSystem(style.StyleSystem):
    # The value type of types/style.py (what render reads) with the served fonts' enum in its
    # schema; the same class names keep the schema the model is sent unchanged.
    fonts: Fonts


STYLE_SYSTEM = """Create the visual style system for this website from the strategy and context.
Palette: primary, secondary, accent, background, surface, text, muted_text and 5 neutrals, all
as #rrggbb. Body text must reach 4.5:1 contrast on background and surface. Respect any brand
colours and fonts in the business description. Pick a heading and a body font from the
families the site serves: {families}.
Then a base font size of 16-20 px, a type scale ratio 1.125-1.333, a spacing unit 4-12 px,
a corner radius 0-24 px, a shadow strength 0-1 and a mood phrase.
{business}
{inputs}"""


def prompt(inp: Inputs) -> str:
    return STYLE_SYSTEM.format(
        families=", ".join(_served()),
        business=business(inp.config),
        inputs=inputs_block(design_strategy=inp.design_strategy, design_context=inp.design_context),
    )


SOFT = wordset(
    "warm friendly playful caring gentle welcoming cheerful approachable nurturing cosy "
    "supportive inclusive encouraging patient compassionate hopeful calm natural"
)


SHARP = wordset(
    "precise authoritative professional technical established discreet solid minimal "
    "polished expert refined"
)


BOLD = wordset("bold energetic confident ambitious striking motivating distinctive")


ELEGANT = wordset("elegant refined indulgent stylish polished luxurious editorial")


def _words(inputs: Inputs) -> set[str]:
    assert inputs.design_strategy is not None
    text = " ".join(inputs.design_strategy.brand_personality).lower()
    return set(re.findall(r"[a-z-]+", text))


def _text_colors(primary: str, background: str, surface: str) -> tuple[str, str]:
    """Body and muted text tinted by the primary, readable on both background and surface."""
    text = mix(primary, "#000000", 0.78)
    for ground in (surface, background):
        text = ensure_contrast(text, ground, 7.0)
    muted = mix(text, background, 0.4)
    for ground in (surface, background):
        muted = ensure_contrast(muted, ground, 4.6)
    return text, muted


_GREYS = ("#f4f4f5", "#d4d4d8", "#a1a1aa", "#52525b", "#27272a")


def _palette(inputs: Inputs) -> Palette:
    config = inputs.config
    profile = profile_for(config)
    rng = rng_for(inputs, "style_system:palette")
    brand = config.brand.colors
    seed_primary, seed_secondary, seed_accent = profile.palette
    if brand.primary:
        primary = brand.primary.lower()
        # Without brand partners, derive them from the brand primary so nothing clashes.
        secondary = shift(primary, light=-0.12, sat=-0.15)
        accent = shift(primary, hue=0.42, sat=0.1)
    else:
        # A small nudge per project keeps two businesses in one industry from looking cloned.
        hue, light = rng.uniform(-0.02, 0.02), rng.uniform(-0.04, 0.03)
        primary = shift(seed_primary, hue=hue, light=light)
        secondary = shift(seed_secondary, hue=hue, light=light)
        accent = shift(seed_accent, hue=hue)
    secondary = brand.secondary.lower() if brand.secondary else secondary
    accent = brand.accent.lower() if brand.accent else accent

    background = mix("#ffffff", primary, 0.025)
    surface = mix("#ffffff", primary, 0.06)
    text, muted = _text_colors(primary, background, surface)
    neutrals = [mix(grey, primary, 0.08) for grey in _GREYS]
    return Palette(
        primary=primary,
        secondary=secondary,
        accent=accent,
        background=background,
        surface=surface,
        text=text,
        muted_text=muted,
        neutrals=neutrals,
    )


def write(inputs: Inputs) -> StyleSystem:
    need(inputs, "design_strategy", "design_context")
    assert inputs.design_strategy is not None and inputs.design_context is not None
    config = inputs.config
    profile = profile_for(config)
    rng = rng_for(inputs, "style_system")
    words = _words(inputs)
    soft, sharp = len(words & SOFT), len(words & SHARP)
    bold, elegant = bool(words & BOLD), bool(words & ELEGANT)

    heading, body = pick(rng, profile.font_pairs)
    fonts = Fonts(
        heading=config.brand.fonts.heading or heading, body=config.brand.fonts.body or body
    )
    if soft > sharp:
        radius, shadow = pick(rng, (12, 14, 16)), rng.uniform(0.3, 0.4)
    elif sharp > soft:
        radius, shadow = pick(rng, (4, 6)), rng.uniform(0.2, 0.3)
    else:
        radius, shadow = pick(rng, (8, 10)), rng.uniform(0.25, 0.4)
    if bold:
        shadow += 0.15
    # Calm and elegant brands read better a touch larger; dense technical ones at 16px.
    base = 18 if elegant else 17 if soft > sharp else 16

    keywords = inputs.design_strategy.visual_keywords or list(profile.visual_keywords)
    adjectives = inputs.design_strategy.brand_personality or list(profile.personality)
    first, second = (adjectives + list(profile.personality))[:2]
    moods = [
        f"{cap(first)} and {second}, with {keywords[0]}",
        f"{cap(keywords[0])}, {first} and unhurried",
    ]
    if "confident" not in (first, second):
        moods.append(f"{cap(first)}, {second} and quietly confident")
    mood = pick(rng, moods)
    return StyleSystem(
        palette=_palette(inputs),
        fonts=fonts,
        base_font_px=base,
        type_scale_ratio=1.25 if bold or elegant else 1.2,
        spacing_unit_px=8,
        radius_px=radius,
        shadow_strength=round(min(0.6, max(0.2, shadow)), 2),
        mood=mood,
    )


def repair(value: StyleSystem, inputs: Inputs, rules: Callable[[], PhaseModel]):
    notes: Notes = []
    ruled: StyleSystem | None = None

    def fallback() -> StyleSystem:
        nonlocal ruled
        if ruled is None:
            r = rules()
            assert isinstance(r, StyleSystem)
            ruled = r
        return ruled

    palette = value.palette.model_dump()
    for name, hexv in list(palette.items()):
        if name == "neutrals":
            good = [c for c in hexv if color.is_hex(c)]
            palette[name] = good if len(good) >= 3 else fallback().palette.neutrals
        elif not color.is_hex(hexv):
            palette[name] = getattr(fallback().palette, name)
            notes.append(f"palette.{name} {hexv!r} is not #rrggbb")
    brand = inputs.config.brand
    for name in ("primary", "secondary", "accent"):
        wanted = getattr(brand.colors, name)
        if wanted and palette[name].lower() != wanted.lower():
            palette[name] = wanted.lower()
            notes.append(f"palette.{name} set to the brand colour")
    text, background = color.readable_pair(palette["text"], palette["background"])
    if background != palette["background"]:
        notes.append("palette.background moved so body text can reach 4.5:1")
        palette["background"] = background
    if color.contrast(text, palette["surface"]) < color.AA_TEXT:
        # A light surface on a dark background (or the reverse) leaves no text colour that
        # reads on both: keep the background and make the surface a tint of it.
        tint = color.mix(background, text, 0.06)
        palette["surface"] = tint if color.contrast(text, tint) >= color.AA_TEXT else background
        notes.append("palette.surface moved toward the background so text reads on both")
    if text != palette["text"]:
        notes.append("palette.text adjusted for contrast on background and surface")
        palette["text"] = text
    muted = color.ensure_contrast(palette["muted_text"], palette["background"])
    if muted != palette["muted_text"]:
        notes.append("palette.muted_text adjusted for contrast on background")
        palette["muted_text"] = muted
    fonts = value.fonts.model_dump()
    for name in ("heading", "body"):
        wanted = getattr(brand.fonts, name)
        if wanted:
            fonts[name] = wanted
        elif not re.fullmatch(FONT_RE, fonts[name] or ""):
            fonts[name] = getattr(fallback().fonts, name)
            notes.append(f"fonts.{name} is not a plain font family name")
    repaired = value.model_copy(
        update={
            "palette": value.palette.model_validate(palette),
            "fonts": value.fonts.model_validate(fonts),
            "base_font_px": min(20, max(15, value.base_font_px)),
            "type_scale_ratio": min(1.333, max(1.1, value.type_scale_ratio)),
            "spacing_unit_px": min(12, max(4, value.spacing_unit_px)),
            "radius_px": min(24, max(0, value.radius_px)),
            "shadow_strength": min(1.0, max(0.0, value.shadow_strength)),
        }
    )
    return repaired, notes


@dataclass(frozen=True)
class Inputs(NodeInputs):
    design_strategy: DesignStrategy
    design_context: DesignContext


def preview(v: StyleSystem) -> dict:
    p = v.palette
    return {
        "fonts": f"{v.fonts.heading} / {v.fonts.body}",
        "mood": v.mood,
        "preview_md": "| token | colour |\n|---|---|\n"
        + "\n".join(
            f"| {k} | `{getattr(p, k)}` |"
            for k in ("primary", "secondary", "accent", "background", "surface", "text")
        ),
    }


NODE = Phase(
    name="style_system",
    group="design",
    description="Palette, fonts, type scale, spacing, radii, shadows and mood; text meets WCAG AA.",
    needs=needs_of(Inputs),
    inputs=Inputs,
    model=StyleSystem,
    max_output_tokens=512,
    prompt=prompt,
    fallback=write,
    repair=repair,
    preview=preview,
)

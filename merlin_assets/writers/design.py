"""Rule-based design phases: strategy, context and the style system."""

from __future__ import annotations

import re

from merlin_assets.color import ensure_contrast, mix, shift
from merlin_assets.industries import profile_for
from merlin_assets.inputs import Inputs
from merlin_assets.models import (
    Audience,
    DesignContext,
    DesignStrategy,
    Fonts,
    Palette,
    StyleSystem,
)
from merlin_assets.writers.text import (
    article,
    audience_for,
    cap,
    context,
    fill,
    goal_clause,
    join,
    need,
    pick,
    rng_for,
    sample,
    sentence,
    services_for,
    tone_words,
    wordset,
)

_SINCE = re.compile(r"\b(?:since|established|est\.?|founded(?: in)?)\s+((?:19|20)\d\d)\b", re.I)
_YEARS = re.compile(r"\b(\d{1,3})\+?\s+years\b", re.I)
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


def _heritage(text: str) -> str:
    """A trust line from the business's own words ("since 1998", "20 years"), if it has one."""
    if match := _SINCE.search(text):
        return f"Trading since {match.group(1)}"
    if match := _YEARS.search(text):
        return f"{match.group(1)} years of experience"
    return ""


def design_strategy(inputs: Inputs) -> DesignStrategy:
    config = inputs.config
    profile = profile_for(config)
    rng = rng_for(inputs, "design_strategy")
    ctx = context(config, profile)

    # The client's own tone words lead; the industry's fill in so there are always 3-5.
    personality = tone_words(config.tone)
    for word in sample(rng, profile.personality, len(profile.personality)):
        if word not in personality and len(personality) < 4:
            personality.append(word)
    a, b, c = personality[:3]
    # Client words go in as values, never into the template, so braces in them are harmless.
    voice = pick(
        rng,
        (
            "{A}, {b} and {c}: {name} speaks to {audience} in plain, specific language and "
            "never oversells.",
            "{name} sounds {a} and {b}, like {a_label} that knows its {customers} by name: "
            "short sentences, concrete detail, no jargon.",
            "Speak as {a}, {c} people {in_area}: human, confident and always specific about "
            "what {customers} get.",
        ),
    )
    ctx |= {
        "A": cap(a),
        "a": a,
        "b": b,
        "c": c,
        "a_label": f"{article(ctx['label'])} {ctx['label']}",
    }
    visual = sample(rng, profile.visual_keywords, 4)
    if config.location:
        visual.append(f"{config.location} character")

    colors = config.brand.colors
    own = [hex_ for hex_ in (colors.primary, colors.secondary, colors.accent) if hex_]
    direction = profile.color_direction
    if own:
        direction = f"Built around the brand's own colours ({', '.join(own)}). " + direction

    conversion = profile.conversion_goal
    if config.goals:
        conversion = f"{conversion}, helping {config.name} {goal_clause(config.goals[0])}"

    trust = sample(rng, profile.trust_builders, 4)
    heritage = _heritage(f"{config.description} {config.notes}")
    if heritage:
        trust.insert(0, heritage)
    elif config.location:
        trust.append(f"Local to {config.location}")

    return DesignStrategy(
        brand_personality=personality,
        voice=fill(voice, ctx),
        visual_keywords=visual,
        color_direction=direction,
        conversion_goal=conversion,
        trust_builders=trust[:5],
    )


def design_context(inputs: Inputs) -> DesignContext:
    config = inputs.config
    profile = profile_for(config)
    rng = rng_for(inputs, "design_context")
    services = services_for(config, profile)
    where = f" in {config.location}" if config.location else ""
    promise = pick(rng, profile.promises)
    offer = join(services[:3])
    value = pick(
        rng,
        (
            f"{config.name} is {article(profile.label)} {profile.label}{where} offering "
            f"{offer}, {promise}.",
            f"For {audience_for(config, profile)}{where}, {config.name} brings {offer}, {promise}.",
            f"{cap(offer)} from {config.name}, {promise}, for "
            f"{audience_for(config, profile)}{where}.",
        ),
    )
    tone = profile.emotional_tone
    if config.tone:
        tone = f"{tone}, in a {config.tone.strip().rstrip('.').lower()} voice"
    objective = (
        f"{profile.conversion_goal}. Show {audience_for(config, profile)} what {config.name} "
        f"offers, prove it with {sample(rng, profile.trust_builders, 1)[0].lower()}, and keep "
        "the next step one tap away."
    )
    if config.goals:
        objective += f" It should also help the business {goal_clause(config.goals[0])}."
    return DesignContext(
        audience=Audience(
            who=cap(audience_for(config, profile)),
            goals=sample(rng, profile.goals, 3),
            pain_points=sample(rng, profile.pain_points, 3),
        ),
        emotional_tone=tone,
        value_proposition=sentence(value),
        page_objective=objective,
    )


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


_GREYS = ("#f4f4f5", "#d4d4d8", "#a1a1aa", "#52525b", "#27272a")


def style_system(inputs: Inputs) -> StyleSystem:
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

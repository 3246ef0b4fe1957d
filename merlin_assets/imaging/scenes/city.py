"""Hero scene: a city skyline in three hazy layers, by day or with lit windows at night."""

from __future__ import annotations

from merlin_assets.color import RGB, darken, lighten, mix_rgb
from merlin_assets.imaging.canvas import BLACK, WHITE, Canvas, mist_band, radial_glow
from merlin_assets.imaging.gradients import vertical
from merlin_assets.imaging.scenes.parts import draw_cloud, draw_stars


def _building(
    cv: Canvas,
    x: float,
    top: float,
    width: float,
    ground: float,
    colour: RGB,
    windows: tuple[RGB, RGB, float] | None,
) -> None:
    rng, d, u = cv.rng, cv.d, cv.u
    colour = mix_rgb(colour, rng.choice((WHITE, BLACK)), rng.uniform(0, 0.06))
    d.rectangle((x, top, x + width, ground), fill=colour)
    if windows is not None:
        # A shaded flank turns a flat rectangle into a tower catching light from the left.
        d.rectangle((x + width * 0.78, top, x + width, ground), fill=darken(colour, 0.14))
    style = rng.random()
    if style < 0.25:
        inner, rise = width * rng.uniform(0.45, 0.7), rng.uniform(3, 8) * u
        d.rectangle((x + (width - inner) / 2, top - rise, x + (width + inner) / 2, top), colour)
        if rng.random() < 0.6:
            mast = rng.uniform(3, 9) * u
            d.rectangle(
                (x + width / 2 - 0.2 * u, top - rise - mast, x + width / 2 + 0.2 * u, top), colour
            )
    elif style < 0.4:
        d.polygon([(x, top), (x + width, top - rng.uniform(2, 7) * u), (x + width, top)], colour)
    elif style < 0.5:
        d.chord((x, top - width * 0.35, x + width, top + width * 0.35), 180, 360, fill=colour)
    if windows is None:
        return
    lit, unlit, chance = windows
    margin = 1.2 * u
    if rng.random() < 0.3:
        # Office floors: continuous glazing bands instead of punched windows.
        y = top + margin
        while y + 1.0 * u < ground - margin:
            fill = lit if rng.random() < chance * 0.8 else unlit
            d.rectangle((x + margin, y, x + width - margin, y + 1.0 * u), fill=fill)
            y += 2.4 * u
        return
    ww, wh, gx, gy = 1.1 * u, 1.6 * u, 2.3 * u, 3.0 * u
    cols = max(1, int((width - 2 * margin + (gx - ww)) / gx))
    left = x + (width - (cols * gx - (gx - ww))) / 2
    y = top + margin
    while y + wh < ground - margin:
        for col in range(cols):
            fill = lit if rng.random() < chance else unlit
            wx = left + col * gx
            d.rectangle((wx, y, wx + ww, y + wh), fill=fill)
        y += gy


def draw(cv: Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    night = c.dark or rng.random() < 0.55
    if night:
        top = mix_rgb(darken(c.primary, 0.6), (8, 10, 30), 0.45)
        mid = mix_rgb(darken(c.primary, 0.25), c.accent, 0.35)
        low = mix_rgb(c.accent, lighten(c.background, 0.4), 0.3)
        lit = mix_rgb(c.accent, (255, 238, 196), 0.6)
        orb = mix_rgb(c.accent, WHITE, 0.25)
    else:
        top = mix_rgb(c.primary, lighten(c.background, 0.3), 0.5)
        mid = mix_rgb(lighten(c.background, 0.4), c.secondary, 0.22)
        low = mix_rgb(lighten(c.background, 0.6), c.accent, 0.22)
        lit = lighten(mix_rgb(c.surface, c.secondary, 0.2), 0.4)
        orb = mix_rgb(c.accent, WHITE, 0.35)
    cv.img = vertical((w, h), [(0.0, top), (0.5, mid), (0.85, low), (1.0, low)])
    if night:
        draw_stars(cv, 0.4 * h)
    haze = mix_rgb(low, mid, 0.35)
    sx, sy, sr = rng.uniform(0.25, 0.75) * w, rng.uniform(0.3, 0.42) * h, rng.uniform(9, 13) * u
    radial_glow(cv, sx, sy, sr * 6, orb, 0.4, sharpness=3.0)
    cv.d.ellipse((sx - sr, sy - sr, sx + sr, sy + sr), fill=orb)
    if not night:
        for _ in range(rng.randint(1, 3)):
            cx, cy = rng.uniform(0, w), rng.uniform(0.08, 0.25) * h
            draw_cloud(cv, cx, cy, rng.uniform(2.5, 4.5) * u, lighten(mid, 0.6), 0.6)

    ground = h * 0.94
    layers = [
        ((0.3, 0.55), (6, 11), 0.72, False),
        ((0.42, 0.66), (8, 14), 0.4, True),
        ((0.56, 0.8), (11, 19), 0.0, True),
    ]
    for i, (tops, widths, fade, detailed) in enumerate(layers):
        depth = i / (len(layers) - 1)
        base = mix_rgb(
            mix_rgb(c.secondary, c.primary, 0.4 + 0.6 * depth), c.ink, 0.2 + 0.55 * depth
        )
        colour = mix_rgb(base, haze, fade)
        windows = None
        if detailed:
            unlit = mix_rgb(colour, mid, 0.16)
            glow = mix_rgb(lit, colour, 0.45) if i < 2 else lit
            windows = (glow, unlit, (0.35 if night else 0.25) * (0.6 + 0.4 * depth))
        x = -rng.uniform(0, widths[1]) * u
        while x < w:
            width = rng.uniform(*widths) * u
            top_y = rng.uniform(*tops) * h
            _building(cv, x, top_y, width, h, colour, windows)
            x += width + rng.uniform(-0.3, 1.2) * u
        if i < len(layers) - 1:
            mist_band(cv, 0.5 * h, h, haze, 0.0, 0.55)
    # Street level: a dark base and rounded trees to ground the towers.
    d = cv.d
    d.rectangle((0, ground, w, h), fill=c.ink)
    tree = mix_rgb(c.ink, c.secondary, 0.22)
    x = rng.uniform(0, 6) * u
    while x < w:
        r = rng.uniform(1.8, 3.0) * u
        d.rectangle((x - 0.25 * u, ground - r, x + 0.25 * u, ground), fill=c.ink)
        d.ellipse((x - r, ground - 2.8 * r, x + r, ground - 0.8 * r), fill=tree)
        x += rng.uniform(5, 14) * u

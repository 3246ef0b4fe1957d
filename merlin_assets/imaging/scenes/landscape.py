"""Hero scene: layered mountains and hills under a sun or moon, with mist between the ridges."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from PIL import ImageDraw

from merlin_assets.color import RGB, darken, lighten, mix_rgb, rgba
from merlin_assets.imaging.canvas import WHITE, Canvas, fill_shapes, mist_band, radial_glow
from merlin_assets.imaging.gradients import vertical
from merlin_assets.imaging.scenes.parts import draw_cloud, draw_stars, ridge_hills, ridge_points


def _ridge_peaks(rng: random.Random, mean: float, amp: float, levels: int = 7) -> list[float]:
    """Jagged mountain heights by midpoint displacement, `2**levels + 1` of them.

    A few coarse summits are placed first so every range has a clear silhouette.
    """
    n, coarse = 2**levels, 4
    ys = [0.0] * (n + 1)
    for k in range(coarse + 1):
        ys[k * n // coarse] = -rng.uniform(0.05, 1.0) * amp * 0.75
    step, scale = n // coarse, amp * 0.4
    while step > 1:
        half = step // 2
        for i in range(half, n, step):
            ys[i] = (ys[i - half] + ys[i + half]) / 2 + rng.uniform(-1, 1) * scale
        step, scale = half, scale * 0.5
    return [mean + y for y in ys]


def _ridge_at(ys: Sequence[float], w: float, x: float) -> float:
    n = len(ys) - 1
    f = max(0.0, min(n - 1e-9, x / w * n))
    i = int(f)
    return ys[i] + (ys[i + 1] - ys[i]) * (f - i)


def _pine(d: ImageDraw.ImageDraw, x: float, y: float, height: float, colour: RGB) -> None:
    width = height * 0.42
    for tier in range(3):
        top = y - height + tier * height * 0.22
        bottom = top + height * 0.46
        half = width * (0.32 + 0.2 * tier)
        d.polygon([(x, top), (x + half, bottom), (x - half, bottom)], fill=colour)
    d.rectangle((x - width * 0.07, y - height * 0.2, x + width * 0.07, y + height * 0.05), colour)


def _birds(cv: Canvas, colour: RGB) -> None:
    rng, u, da = cv.rng, cv.u, cv.da
    cx, cy = rng.uniform(0.2, 0.8) * cv.w, rng.uniform(0.14, 0.28) * cv.h
    for _ in range(rng.randint(3, 5)):
        x, y, s = cx + rng.gauss(0, 7 * u), cy + rng.gauss(0, 3 * u), rng.uniform(0.9, 1.5) * u
        wing = [(x - s, y - 0.45 * s), (x - 0.45 * s, y - 0.5 * s), (x, y)]
        wing += [(x + 0.45 * s, y - 0.5 * s), (x + s, y - 0.45 * s)]
        da.line(wing, fill=rgba(colour, 0.7), width=max(2, round(0.22 * u)), joint="curve")


def draw(cv: Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    night = c.dark or rng.random() < 0.2
    if night:
        top = mix_rgb(darken(c.primary, 0.62), (10, 12, 34), 0.5)
        horizon = mix_rgb(darken(mix_rgb(c.primary, c.secondary, 0.4), 0.3), c.accent, 0.3)
        orb = mix_rgb(WHITE, c.accent, 0.12)
    else:
        top = mix_rgb(c.primary, lighten(c.background, 0.3), 0.5)
        horizon = mix_rgb(lighten(c.background, 0.55), c.accent, 0.28)
        orb = mix_rgb(c.accent, WHITE, 0.4)
    haze = mix_rgb(horizon, top, 0.22)
    cv.img = vertical((w, h), [(0.0, top), (0.68, horizon), (1.0, horizon)])
    if night:
        draw_stars(cv, 0.5 * h)
    sx, sy, sr = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.32) * h, rng.uniform(5, 7.5) * u
    radial_glow(cv, sx, sy, sr * 9, orb, 0.32 if night else 0.45, sharpness=3.0)
    radial_glow(cv, sx, sy, sr * 2.4, orb, 0.5, sharpness=3.0)
    cv.d.ellipse((sx - sr, sy - sr, sx + sr, sy + sr), fill=orb)
    if night:
        for _ in range(3):
            cr, ang = rng.uniform(0.12, 0.22) * sr, rng.uniform(0, math.tau)
            px, py = sx + math.cos(ang) * sr * 0.5, sy + math.sin(ang) * sr * 0.5
            fill_shapes(
                cv, [("ellipse", (px - cr, py - cr, px + cr, py + cr))], darken(orb, 0.25), 0.35
            )
    cloud = lighten(haze, 0.7) if not night else lighten(haze, 0.2)
    for _ in range(rng.randint(2, 4)):
        cx, cy = rng.uniform(-0.05, 1.05) * w, rng.uniform(0.1, 0.36) * h
        draw_cloud(cv, cx, cy, rng.uniform(2.5, 5.5) * u, cloud, 0.28 if night else 0.7)
    if not night:
        _birds(cv, mix_rgb(c.ink, top, 0.35))

    means = [0.6, 0.66, 0.75, 0.86]
    for i, mean in enumerate(means):
        depth = i / (len(means) - 1)
        base = mix_rgb(mix_rgb(c.secondary, c.primary, depth), c.ink, 0.12 + 0.5 * depth)
        if night:
            base = mix_rgb(base, c.ink, 0.35)
        colour = mix_rgb(base, haze, 0.05 + 0.68 * (1 - depth) ** 1.2)
        if i < 2:
            ys = _ridge_peaks(rng, (mean + rng.uniform(-0.02, 0.02)) * h, (0.3 - 0.08 * i) * h)
        else:
            ys = ridge_hills(rng, (mean + rng.uniform(-0.01, 0.01)) * h, 0.035 * h)
        cv.d.polygon([*ridge_points(ys, w), (w, h), (0, h)], fill=colour)
        if i >= 2:
            for _ in range(rng.randint(1, 2)):
                gx = rng.uniform(0.05, 0.95) * w
                for _ in range(rng.randint(4, 9)):
                    x = gx + rng.gauss(0, 5 * u)
                    tree = rng.uniform(6, 10) * u * (0.65 if i == 2 else 1.0)
                    _pine(cv.d, x, _ridge_at(ys, w, x) + tree * 0.1, tree, colour)
        if i < len(means) - 1:
            # Mist pooling at each ridge's foot is what sells the distance between layers.
            top = min(ys) if i < 2 else mean * h - 0.03 * h
            mist_band(cv, top, means[i + 1] * h + 0.04 * h, haze, 0.0, 0.7)

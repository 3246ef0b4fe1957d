"""Supporting scene: paper-cut layers of rolling hills under a sun."""

from __future__ import annotations

from merlin_assets.color import lighten, mix_rgb
from merlin_assets.imaging.canvas import WHITE, Canvas, draw_shapes, radial_glow, soft_shapes
from merlin_assets.imaging.gradients import vertical
from merlin_assets.imaging.scenes.parts import ridge_hills, ridge_points


def draw(cv: Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    top = mix_rgb(c.background, c.primary, 0.15 if not c.dark else 0.3)
    low = mix_rgb(lighten(c.background, 0.3), c.accent, 0.22)
    cv.img = vertical((w, h), [(0.0, top), (0.6, low), (1.0, low)])
    sx, sy, sr = rng.uniform(0.2, 0.8) * w, rng.uniform(0.22, 0.35) * h, rng.uniform(8, 12) * u
    orb = mix_rgb(c.accent, WHITE, 0.3)
    radial_glow(cv, sx, sy, sr * 5, orb, 0.4, 3.0)
    cv.d.ellipse((sx - sr, sy - sr, sx + sr, sy + sr), fill=orb)
    far = mix_rgb(c.secondary, low, 0.45)
    near = mix_rgb(c.primary, c.ink, 0.4)
    n = 5
    for i in range(n):
        t = i / (n - 1)
        colour = mix_rgb(far, near, t**0.8)
        mean = (0.45 + 0.42 * t) * h
        ys = ridge_hills(rng, mean, (0.07 - 0.015 * t) * h, n=80)
        pts = ridge_points(ys, w)
        shape = [("poly", [*pts, (w, h + 10 * u), (0, h + 10 * u)])]
        # Paper-cut depth: each layer shadows the one behind, visible only above its own edge.
        if i > 0:
            ylim = (min(ys) - 10 * u, max(ys) + 2 * u)
            soft_shapes(cv, shape, c.ink, 0.35, 3 * u, offset=(0, -1.2 * u), ylim=ylim)
        draw_shapes(cv.d, shape, colour)

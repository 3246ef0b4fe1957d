"""Backgrounds: stripes, halftone dots or contour lines fading across a soft gradient."""

from __future__ import annotations

import math

from PIL import Image, ImageChops, ImageDraw

from merlin_assets.color import mix_rgb
from merlin_assets.imaging.canvas import Canvas, paint, radial_glow
from merlin_assets.imaging.gradients import angle_field, linear, stretch


def draw(cv: Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    bg = c.background
    stops = [(0.0, mix_rgb(bg, c.primary, 0.04)), (1.0, mix_rgb(bg, c.secondary, 0.1))]
    cv.img = linear((w, h), stops, rng.uniform(20, 70))
    radial_glow(
        cv, rng.choice((0.1, 0.9)) * w, 0.15 * h, 0.8 * w, mix_rgb(bg, c.primary, 0.35), 0.18, 2.0
    )
    ink = mix_rgb(bg, c.primary, 0.16 if not c.dark else 0.22)
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    kind = rng.choice(("stripes", "dots", "topo"))
    if kind == "stripes":
        gap, width = 5.5 * u, 1.2 * u
        k = -h
        while k < w:
            d.polygon([(k, 0), (k + width, 0), (k + width + h, h), (k + h, h)], fill=255)
            k += gap
    elif kind == "dots":
        gap = 4.0 * u
        for row in range(int(h / gap) + 2):
            for col in range(int(w / gap) + 2):
                x = col * gap + (gap / 2 if row % 2 else 0)
                y = row * gap
                # Halftone: dots swell along the diagonal for a sense of direction.
                r = (0.25 + 0.6 * min(1.0, (x / w + y / h) / 2 + 0.1)) * u
                d.ellipse((x - r, y - r, x + r, y + r), fill=255)
    else:
        _topo(cv, d)
    # Fade the pattern out across the frame so text laid on top has a calm side.
    lut = [round(255 * (0.15 + 0.85 * v / 255)) for v in range(256)]
    fade = stretch(angle_field((w, h), rng.uniform(0, 360)).point(lut), (w, h))
    paint(cv.img, ink, (0, 0), ImageChops.multiply(mask, fade))


def _topo(cv: Canvas, d: ImageDraw.ImageDraw) -> None:
    """Contour lines of a few smooth hills, traced by marching squares."""
    rng, w, h, u = cv.rng, cv.w, cv.h, cv.u
    hills = [
        (
            rng.uniform(-0.1, 1.1) * w,
            rng.uniform(-0.1, 1.1) * h,
            rng.uniform(0.12, 0.3) * w,
            rng.uniform(0.5, 1.0) * rng.choice((1, -0.6)),
        )
        for _ in range(6)
    ]
    cols, rows = 80, max(8, round(80 * h / w))
    sx, sy = w / cols, h / rows
    values = [
        [
            sum(
                a * math.exp(-((x - hx) ** 2 + (y - hy) ** 2) / (2 * s * s))
                for hx, hy, s, a in hills
            )
            for x in (i * sx for i in range(cols + 1))
        ]
        for y in (j * sy for j in range(rows + 1))
    ]
    low = min(min(r) for r in values)
    high = max(max(r) for r in values)
    step = (high - low) / 22
    width = max(1, round(0.3 * u))
    for j in range(rows):
        for i in range(cols):
            a, b = values[j][i], values[j][i + 1]
            cc, dd = values[j + 1][i + 1], values[j + 1][i]
            lo, hi = min(a, b, cc, dd), max(a, b, cc, dd)
            k = math.ceil((lo - low) / step)
            level = low + k * step
            while level < hi:
                pts = []
                corners = ((a, b, (i, j), (i + 1, j)), (b, cc, (i + 1, j), (i + 1, j + 1)))
                corners += ((dd, cc, (i, j + 1), (i + 1, j + 1)), (a, dd, (i, j), (i, j + 1)))
                for v0, v1, p0, p1 in corners:
                    if (v0 - level) * (v1 - level) < 0:
                        t = (level - v0) / (v1 - v0)
                        pts.append(
                            ((p0[0] + (p1[0] - p0[0]) * t) * sx, (p0[1] + (p1[1] - p0[1]) * t) * sy)
                        )
                for p in range(0, len(pts) - 1, 2):
                    d.line([pts[p], pts[p + 1]], fill=255, width=width)
                level += step

"""Pieces drawn by more than one scene: ridgelines, sky, balls, leaves and isometric boxes."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from merlin_assets.color import RGB, darken, lighten, rgba
from merlin_assets.imaging.canvas import WHITE, Canvas, Point, fill_shapes, shape_mask
from merlin_assets.imaging.gradients import BILINEAR, colorize, radial


def ridge_hills(rng: random.Random, mean: float, amp: float, n: int = 96) -> list[float]:
    """Rolling hill heights: a few sines of rising frequency and falling weight."""
    waves = [
        (rng.uniform(0.5, 1.3), rng.uniform(0, math.tau), 0.65),
        (rng.uniform(1.8, 3.2), rng.uniform(0, math.tau), 0.25),
        (rng.uniform(5.0, 8.0), rng.uniform(0, math.tau), 0.1),
    ]
    return [
        mean + amp * sum(wt * math.sin(math.tau * f * i / n + ph) for f, ph, wt in waves)
        for i in range(n + 1)
    ]


def ridge_points(ys: Sequence[float], w: float) -> list[Point]:
    n = len(ys) - 1
    return [(w * i / n, y) for i, y in enumerate(ys)]


def draw_cloud(cv: Canvas, x: float, y: float, s: float, colour: RGB, alpha: float) -> None:
    shapes = [
        ("rrect", (x - 2.0 * s, y - 0.5 * s, x + 2.0 * s, y + 0.5 * s), 0.5 * s),
        ("ellipse", (x - 1.55 * s, y - 1.25 * s, x - 0.05 * s, y + 0.25 * s)),
        ("ellipse", (x - 0.9 * s, y - 1.85 * s, x + 1.1 * s, y + 0.15 * s)),
        ("ellipse", (x + 0.35 * s, y - 1.05 * s, x + 1.65 * s, y + 0.25 * s)),
    ]
    fill_shapes(cv, shapes, colour, alpha)


def draw_stars(cv: Canvas, bottom: float) -> None:
    rng, da, u = cv.rng, cv.da, cv.u
    for _ in range(int(110 * cv.w / 3200) + 20):
        x, y = rng.uniform(0, cv.w), rng.uniform(0, bottom) * rng.uniform(0.3, 1)
        r = rng.uniform(0.1, 0.3) * u
        da.ellipse((x - r, y - r, x + r, y + r), fill=rgba(WHITE, rng.uniform(0.25, 0.85)))


def sphere(cv: Canvas, cx: float, cy: float, r: float, colour: RGB) -> None:
    """A ball lit from the upper left."""
    mask, box = shape_mask(cv, [("ellipse", (cx - r, cy - r, cx + r, cy + r))])
    if mask is None:
        return
    radius = 1.75 * r  # must exceed r plus the highlight offset so the crop stays inside
    hx, hy = cx - 0.38 * r, cy - 0.42 * r
    size = max(2, round(2 * radius))
    shading = radial().resize((size, size), BILINEAR)
    fx, fy = round(box[0] - (hx - radius)), round(box[1] - (hy - radius))
    shading = shading.crop((fx, fy, fx + mask.width, fy + mask.height))
    stops = [
        (0.0, lighten(colour, 0.45)),
        (0.25, colour),
        (0.7, darken(colour, 0.3)),
        (1.0, darken(colour, 0.35)),
    ]
    cv.img.paste(colorize(shading, stops), box[:2], mask)


def leaf_points(bx: float, by: float, length: float, width: float, angle: float) -> list[Point]:
    """A pointed leaf from its base at (bx, by) along `angle` radians."""
    ca, sa = math.cos(angle), math.sin(angle)
    side: list[tuple[float, float]] = []
    for k in range(13):
        t = k / 12
        side.append((t * length, width / 2 * math.sin(math.pi * t) ** 0.8 * (1 - 0.3 * t)))
    outline = side + [(a, -b) for a, b in reversed(side)]
    return [(bx + a * ca - b * sa, by + a * sa + b * ca) for a, b in outline]


def iso(ox: float, oy: float, tw: float, i: float, j: float, z: float) -> Point:
    return ox + (i - j) * tw / 2, oy + (i + j) * tw / 4 - z


def iso_box(
    cv: Canvas,
    ox: float,
    oy: float,
    tw: float,
    cell: tuple[float, float, float, float],
    z0: float,
    z1: float,
    colour: RGB,
) -> list[Point]:
    """Draw a lit isometric box over cell (i0, j0, i1, j1); returns its top face."""
    i0, j0, i1, j1 = cell
    d = cv.d

    def p(i: float, j: float, z: float) -> Point:
        return iso(ox, oy, tw, i, j, z)

    left = [p(i0, j1, z0), p(i1, j1, z0), p(i1, j1, z1), p(i0, j1, z1)]
    right = [p(i1, j0, z0), p(i1, j1, z0), p(i1, j1, z1), p(i1, j0, z1)]
    top = [p(i0, j0, z1), p(i1, j0, z1), p(i1, j1, z1), p(i0, j1, z1)]
    d.polygon(left, fill=colour)
    d.polygon(right, fill=darken(colour, 0.25))
    d.polygon(top, fill=lighten(colour, 0.3))
    return top

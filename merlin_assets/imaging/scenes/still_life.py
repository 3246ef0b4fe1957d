"""Supporting scene: lit geometric solids on a table before an arch backdrop."""

from __future__ import annotations

from merlin_assets.color import darken, lighten, mix_rgb
from merlin_assets.imaging.canvas import Canvas, fill_gradient, radial_glow, soft_shapes
from merlin_assets.imaging.gradients import vertical
from merlin_assets.imaging.scenes.parts import iso_box, sphere


def draw(cv: Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    table_y = rng.uniform(0.64, 0.7) * h
    wall = mix_rgb(c.background, c.primary, 0.08 if not c.dark else 0.2)
    wall_low = mix_rgb(c.background, c.secondary, 0.16)
    top = (
        mix_rgb(c.surface, c.secondary, 0.22)
        if not c.dark
        else mix_rgb(c.surface, c.secondary, 0.25)
    )
    f = table_y / h
    cv.img = vertical(
        (w, h),
        [(0.0, wall), (f - 0.001, wall_low), (f, lighten(top, 0.15)), (1.0, darken(top, 0.12))],
    )
    d = cv.d
    # An arch backdrop frames the group, a staple of product photography sets.
    ax = rng.uniform(0.4, 0.6) * w
    aw = rng.uniform(0.24, 0.3) * w
    arch = mix_rgb(wall, c.primary, 0.18)
    d.rectangle((ax - aw, 0.08 * h + aw, ax + aw, table_y), fill=arch)
    d.ellipse((ax - aw, 0.08 * h, ax + aw, 0.08 * h + 2 * aw), fill=arch)
    radial_glow(cv, ax - aw * 0.3, 0.2 * h, 0.5 * w, lighten(c.background, 0.5), 0.3, 2.0)

    colours = [c.primary, c.secondary, c.accent, lighten(c.primary, 0.35)]
    rng.shuffle(colours)
    kinds = ["sphere", "cylinder", "cube", "cone"]
    rng.shuffle(kinds)
    count = rng.randint(3, 4)
    slots = [ax + (k - (count - 1) / 2) * aw * (0.85 if count == 3 else 0.68) for k in range(count)]
    for k, (kind, x) in enumerate(zip(kinds[:count], slots, strict=False)):
        size = rng.uniform(10, 14) * u
        base = table_y + (5 if k % 2 else 11) * u
        colour = colours[k % len(colours)]
        cast = [
            (
                "poly",
                [
                    (x - size * 0.7, base),
                    (x + size * 0.7, base),
                    (x + size * 3.2, base - size * 0.5),
                    (x + size * 1.8, base - size * 0.9),
                ],
            )
        ]
        soft_shapes(cv, cast, c.ink, 0.22, 2.5 * u)
        soft_shapes(
            cv,
            [("ellipse", (x - size, base - size * 0.2, x + size, base + size * 0.2))],
            c.ink,
            0.45,
            1.0 * u,
        )
        if kind == "sphere":
            sphere(cv, x, base - size, size, colour)
        elif kind == "cylinder":
            e, height = size * 0.3, size * rng.uniform(1.6, 2.4)
            body = [
                ("rect", (x - size, base - height, x + size, base)),
                ("ellipse", (x - size, base - e, x + size, base + e)),
            ]
            fill_gradient(
                cv,
                body,
                [
                    (0.0, darken(colour, 0.05)),
                    (0.3, lighten(colour, 0.25)),
                    (0.7, colour),
                    (1.0, darken(colour, 0.3)),
                ],
                0,
            )
            d.ellipse(
                (x - size, base - height - e, x + size, base - height + e),
                fill=lighten(colour, 0.2),
            )
        elif kind == "cube":
            tw = size * 1.7
            iso_box(cv, x, base - tw / 2, tw, (0, 0, 1, 1), 0, size * 1.2, colour)
        else:
            e, height = size * 0.3, size * rng.uniform(2.0, 2.8)
            body = [
                ("poly", [(x, base - height), (x + size, base), (x - size, base)]),
                ("ellipse", (x - size, base - e, x + size, base + e)),
            ]
            fill_gradient(
                cv,
                body,
                [
                    (0.0, lighten(colour, 0.1)),
                    (0.35, lighten(colour, 0.3)),
                    (1.0, darken(colour, 0.3)),
                ],
                0,
            )

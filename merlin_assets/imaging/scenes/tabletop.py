"""Objects standing on the interior scene's table, each with a contact shadow."""

from __future__ import annotations

import math

from merlin_assets.color import darken, lighten, mix_rgb, rgba
from merlin_assets.imaging.canvas import Canvas, soft_shapes
from merlin_assets.imaging.scenes.parts import leaf_points, sphere


def _contact(cv: Canvas, x0: float, x1: float, y: float) -> None:
    u = cv.u
    soft_shapes(cv, [("ellipse", (x0, y - 0.9 * u, x1, y + 0.7 * u))], cv.c.ink, 0.4, 0.9 * u)


def table_vase(cv: Canvas, x: float, y: float) -> None:
    c, d, u, rng = cv.c, cv.d, cv.u, cv.rng
    vr = 4.5 * u
    _contact(cv, x - vr, x + vr * 1.6, y)
    for k in range(5):
        angle = -math.pi / 2 + (k - 2) * 0.32 + rng.uniform(-0.1, 0.1)
        pts = leaf_points(x, y - 2 * vr, 10 * u, 3.4 * u, angle)
        d.polygon(pts, fill=mix_rgb(c.secondary, darken(c.secondary, 0.45), k / 5))
    d.rounded_rectangle((x - vr, y - 2.6 * vr, x + vr, y), radius=vr * 0.8, fill=c.primary)
    d.rounded_rectangle(
        (x - vr * 0.6, y - 2.3 * vr, x - vr * 0.3, y - vr * 0.7),
        radius=vr * 0.15,
        fill=lighten(c.primary, 0.25),
    )


def table_bowl(cv: Canvas, x: float, y: float) -> None:
    c, d, u = cv.c, cv.d, cv.u
    br = 8 * u
    _contact(cv, x - br, x + br * 1.2, y)
    for fx, fc in (
        (-0.38, c.accent),
        (0.36, c.secondary),
        (0.0, mix_rgb(c.accent, c.primary, 0.4)),
    ):
        fr = 3.2 * u
        sphere(cv, x + fx * br, y - br * 0.5 - fr * 0.55 - (1.2 * u if fx == 0 else 0), fr, fc)
    bowl = lighten(c.surface, 0.1) if not c.dark else lighten(c.surface, 0.3)
    d.chord((x - br, y - br * 1.1, x + br, y + br * 0.1 - 0.2 * u), 0, 180, fill=bowl)
    d.rectangle((x - br * 0.35, y - 1.2 * u, x + br * 0.35, y), fill=darken(bowl, 0.12))


def table_cup(cv: Canvas, x: float, y: float) -> None:
    c, d, u = cv.c, cv.d, cv.u
    cup = lighten(c.primary, 0.15) if cv.rng.random() < 0.5 else c.accent
    _contact(cv, x - 5.5 * u, x + 6.5 * u, y)
    d.ellipse((x + 1.8 * u, y - 6.4 * u, x + 6 * u, y - 2.2 * u), outline=cup, width=round(1.1 * u))
    d.rounded_rectangle(
        (x - 3.8 * u, y - 7.6 * u, x + 3.3 * u, y - 0.8 * u), radius=1.6 * u, fill=cup
    )
    d.rounded_rectangle(
        (x - 5.5 * u, y - 1.2 * u, x + 5 * u, y), radius=0.5 * u, fill=darken(cup, 0.15)
    )
    steam = rgba(lighten(c.surface, 0.5), 0.6)
    for k in (-1, 1):
        pts = [(x + k * 1.2 * u + math.sin(t / 3) * u, y - 9 * u - t * 0.7 * u) for t in range(10)]
        cv.da.line(pts, fill=steam, width=round(0.5 * u), joint="curve")


def table_books(cv: Canvas, x: float, y: float) -> None:
    c, d, u, rng = cv.c, cv.d, cv.u, cv.rng
    _contact(cv, x - 7 * u, x + 8 * u, y)
    for k, colour in enumerate(
        rng.sample([c.primary, c.secondary, c.accent, lighten(c.primary, 0.4)], 3)
    ):
        bw, bh = rng.uniform(11, 14) * u, 2.2 * u
        bx = x - bw / 2 + rng.uniform(-1, 1) * u
        by = y - k * bh
        d.rounded_rectangle((bx, by - bh, bx + bw, by), radius=0.4 * u, fill=colour)
        d.rectangle(
            (bx + bw - 1.2 * u, by - bh + 0.5 * u, bx + bw - 0.2 * u, by - 0.5 * u),
            fill=lighten(c.surface, 0.5),
        )

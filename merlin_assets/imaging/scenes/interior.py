"""Hero scene: a room with a window, shelves, a framed print, a pendant lamp and a set table."""

from __future__ import annotations

import math
from collections.abc import Sequence

from merlin_assets.color import RGB, darken, lighten, luma, mix_rgb
from merlin_assets.imaging.canvas import WHITE, Box, Canvas, fill_shapes, radial_glow, soft_shapes
from merlin_assets.imaging.gradients import vertical
from merlin_assets.imaging.scenes.parts import leaf_points, ridge_hills
from merlin_assets.imaging.scenes.tabletop import table_books, table_bowl, table_cup, table_vase


def _plant(cv: Canvas, x: float, base: float, size: float, leaf: RGB, pot: RGB) -> None:
    rng, d = cv.rng, cv.d
    top = base - size * 0.42
    for k in range(rng.randint(6, 9)):
        angle = -math.pi / 2 + rng.uniform(-1.1, 1.1)
        shade = mix_rgb(leaf, darken(leaf, 0.4), (k % 3) / 3)
        pts = leaf_points(x, top + size * 0.05, size * rng.uniform(0.5, 0.8), size * 0.22, angle)
        d.polygon(pts, fill=shade)
    d.polygon(
        [
            (x - size * 0.24, top),
            (x + size * 0.24, top),
            (x + size * 0.18, base),
            (x - size * 0.18, base),
        ],
        fill=pot,
    )
    d.rectangle(
        (x - size * 0.27, top - size * 0.04, x + size * 0.27, top + size * 0.05),
        fill=lighten(pot, 0.12),
    )


def _shelf_items(cv: Canvas, x0: float, x1: float, y: float, colours: Sequence[RGB]) -> None:
    rng, d, u = cv.rng, cv.d, cv.u
    x = x0 + rng.uniform(1, 3) * u
    while x < x1 - 8 * u:
        kind = rng.random()
        if kind < 0.4:
            for _ in range(rng.randint(3, 6)):
                bw, bh = rng.uniform(1.6, 2.6) * u, rng.uniform(8, 12) * u
                book = rng.choice(colours)
                d.rectangle((x, y - bh, x + bw, y), fill=book)
                d.rectangle((x, y - bh * 0.8, x + bw, y - bh * 0.72), fill=lighten(book, 0.3))
                x += bw + 0.2 * u
            if rng.random() < 0.5:
                # One book leaning on the row breaks the picket-fence rhythm.
                bw, bh, book = 2.2 * u, 10 * u, rng.choice(colours)
                d.polygon(
                    [
                        (x, y),
                        (x + bw, y),
                        (x + bw + bh * 0.45, y - bh * 0.9),
                        (x + bh * 0.45, y - bh),
                    ],
                    fill=book,
                )
                x += bh * 0.45
        elif kind < 0.65:
            jw, jh, jar = rng.uniform(5, 7) * u, rng.uniform(6, 9) * u, rng.choice(colours)
            d.rounded_rectangle((x, y - jh, x + jw, y), radius=1.2 * u, fill=lighten(jar, 0.55))
            d.rounded_rectangle(
                (x, y - jh * 0.6, x + jw, y), radius=1.2 * u, fill=lighten(jar, 0.2)
            )
            d.rectangle(
                (x + 0.4 * u, y - jh - 1.3 * u, x + jw - 0.4 * u, y - jh + 0.3 * u),
                fill=darken(jar, 0.25),
            )
            x += jw
        elif kind < 0.85:
            vr, vase = rng.uniform(3, 4.2) * u, rng.choice(colours)
            d.ellipse((x, y - 2 * vr, x + 2 * vr, y), fill=vase)
            d.rectangle((x + vr * 0.6, y - 2.9 * vr, x + vr * 1.4, y - 1.6 * vr), fill=vase)
            d.ellipse(
                (x + vr * 0.3, y - 1.6 * vr, x + vr * 0.8, y - 1.1 * vr), fill=lighten(vase, 0.25)
            )
            x += 2 * vr
        else:
            size = rng.uniform(9, 12) * u
            leaf = mix_rgb(cv.c.secondary, (60, 140, 80), 0.35)
            _plant(cv, x + size * 0.3, y, size, leaf, rng.choice(colours))
            x += size * 0.6
        x += rng.uniform(2, 5) * u


def _frame_art(cv: Canvas, box: Box) -> None:
    """A framed abstract print: sun over hills, in the palette."""
    c, d, u = cv.c, cv.d, cv.u
    x0, y0, x1, y1 = box
    soft_shapes(cv, [("rect", box)], c.ink, 0.3, 1.5 * u, offset=(0.6 * u, 1.2 * u))
    d.rectangle(box, fill=darken(mix_rgb(c.secondary, c.accent, 0.3), 0.45))
    m = 1.2 * u
    inner = (x0 + m, y0 + m, x1 - m, y1 - m)
    d.rectangle(inner, fill=lighten(c.surface, 0.4))
    p = 2.2 * u
    art = (inner[0] + p, inner[1] + p, inner[2] - p, inner[3] - p)
    d.rectangle(art, fill=mix_rgb(c.background, c.accent, 0.2))
    aw, ah = art[2] - art[0], art[3] - art[1]
    r = aw * 0.18
    d.ellipse(
        (
            art[0] + aw * 0.55,
            art[1] + ah * 0.2,
            art[0] + aw * 0.55 + 2 * r,
            art[1] + ah * 0.2 + 2 * r,
        ),
        fill=c.accent,
    )
    d.polygon(
        [
            (art[0], art[3] - ah * 0.25),
            (art[0] + aw * 0.45, art[1] + ah * 0.45),
            (art[0] + aw * 0.8, art[3] - ah * 0.2),
            (art[2], art[3] - ah * 0.3),
            (art[2], art[3]),
            (art[0], art[3]),
        ],
        fill=c.primary,
    )


def draw(cv: Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    floor_y = rng.uniform(0.72, 0.76) * h
    rail_y = floor_y - 0.2 * h
    wall_top = mix_rgb(c.surface, c.background, 0.5)
    wall_low = mix_rgb(c.background, c.secondary, 0.14)
    if c.dark:
        wall_top, wall_low = (
            mix_rgb(c.background, c.primary, 0.15),
            mix_rgb(c.surface, c.secondary, 0.12),
        )
    panel = mix_rgb(wall_low, c.primary, 0.12)
    floor_far = mix_rgb(mix_rgb(c.secondary, c.primary, 0.3), wall_low, 0.45)
    floor_near = darken(floor_far, 0.18)
    f, r = floor_y / h, rail_y / h
    cv.img = vertical(
        (w, h),
        [
            (0.0, wall_top),
            (r - 0.001, wall_low),
            (r, panel),
            (f - 0.001, darken(panel, 0.05)),
            (f, floor_far),
            (1.0, floor_near),
        ],
    )
    d = cv.d
    # Floorboards converge on a vanishing point above the room for a hint of perspective.
    board = mix_rgb(floor_far, c.ink, 0.1)
    for k in range(-14, 15):
        d.line(
            [(w / 2 + k * 7 * u, floor_y), (w / 2 + k * 13 * u, h)],
            fill=board,
            width=max(1, round(0.18 * u)),
        )
    d.rectangle((0, rail_y - 0.8 * u, w, rail_y), fill=lighten(panel, 0.3))
    for k in range(1, 12):
        # Wainscot panel seams.
        x = k * w / 11
        d.line(
            [(x, rail_y + 2 * u), (x, floor_y - 3 * u)],
            fill=darken(panel, 0.06),
            width=max(1, round(0.25 * u)),
        )
    d.rectangle((0, floor_y - 1.8 * u, w, floor_y), fill=lighten(panel, 0.35))
    soft_shapes(cv, [("rect", (0, floor_y, w, floor_y + 0.5 * u))], c.ink, 0.25, 1.2 * u)

    # Window on the right (the whole room is mirrored at the end half of the time).
    wx0, wx1, wy0, wy1 = 0.66 * w, 0.9 * w, 0.1 * h, rail_y - 2 * u
    frame = lighten(c.surface, 0.3) if not c.dark else mix_rgb(c.surface, c.secondary, 0.2)
    soft_shapes(cv, [("rect", (wx0, wy0, wx1, wy1))], c.ink, 0.3, 2 * u, offset=(-0.8 * u, 1.2 * u))
    d.rectangle((wx0, wy0, wx1, wy1), fill=frame)
    g = 1.4 * u
    sky_top = mix_rgb(c.primary, WHITE, 0.45 if not c.dark else 0.0)
    sky_low = mix_rgb(c.accent, WHITE, 0.55 if not c.dark else 0.2)
    glass = vertical(
        (round(wx1 - wx0 - 2 * g), round(wy1 - wy0 - 2 * g)), [(0, sky_top), (1, sky_low)]
    )
    cv.img.paste(glass, (round(wx0 + g), round(wy0 + g)))
    hills = ridge_hills(rng, wy1 - 0.1 * h, 0.025 * h, n=24)
    pts = [(wx0 + g + (wx1 - wx0 - 2 * g) * k / 24, y) for k, y in enumerate(hills)]
    d.polygon(
        [*pts, (wx1 - g, wy1 - g), (wx0 + g, wy1 - g)], fill=mix_rgb(c.secondary, sky_low, 0.35)
    )
    d.rectangle(((wx0 + wx1) / 2 - g / 2, wy0, (wx0 + wx1) / 2 + g / 2, wy1), fill=frame)
    d.rectangle((wx0, (wy0 + wy1) / 2 - g / 2, wx1, (wy0 + wy1) / 2 + g / 2), fill=frame)
    d.rectangle((wx0 - 1.5 * u, wy1, wx1 + 1.5 * u, wy1 + 1.8 * u), fill=lighten(frame, 0.3))
    shaft = [(wx0, wy1), (wx1, wy1), (wx1 - 0.1 * w, h), (wx0 - 0.28 * w, h)]
    fill_shapes(cv, [("poly", shaft)], lighten(sky_low, 0.6), 0.12)

    # Shelves on the left wall, a print between the lamp and the window.
    sx0, sx1 = 0.04 * w, 0.24 * w
    wood = mix_rgb(mix_rgb(c.secondary, c.accent, 0.3), c.ink, 0.35)
    objects = [c.primary, c.secondary, c.accent, lighten(c.primary, 0.35)]
    for y in (0.3 * h, 0.5 * h)[: rng.randint(1, 2)]:
        soft_shapes(
            cv, [("rect", (sx0, y, sx1, y + 1.5 * u))], c.ink, 0.35, 1.5 * u, offset=(0, 1.5 * u)
        )
        _shelf_items(cv, sx0, sx1, y, objects)
        d.rectangle((sx0, y, sx1, y + 1.5 * u), fill=wood)
    fw = rng.uniform(0.1, 0.13) * w
    _frame_art(cv, (0.58 * w - fw, 0.14 * h, 0.58 * w, 0.14 * h + fw * 1.25))

    # Pendant lamp over the table, with the light it throws.
    tx = rng.uniform(0.36, 0.4) * w
    lamp_y = rng.uniform(0.16, 0.22) * h
    shade = c.accent if luma(c.accent) < 0.8 else c.primary
    radial_glow(
        cv, tx, lamp_y + 20 * u, 50 * u, lighten(c.accent, 0.6), 0.35 if c.dark else 0.22, 2.5
    )
    d.line([(tx, 0), (tx, lamp_y)], fill=c.ink, width=max(1, round(0.35 * u)))
    d.chord((tx - 10 * u, lamp_y - 1 * u, tx + 10 * u, lamp_y + 15 * u), 180, 360, fill=shade)
    d.rectangle((tx - 1.2 * u, lamp_y - 2.2 * u, tx + 1.2 * u, lamp_y), fill=darken(shade, 0.2))
    d.chord(
        (tx - 2.4 * u, lamp_y + 4.4 * u, tx + 2.4 * u, lamp_y + 9.2 * u),
        0,
        180,
        fill=lighten(c.accent, 0.85),
    )

    # Rug, table and what stands on it, each with a contact shadow.
    foot = floor_y + 0.15 * h
    top_y = foot - 0.3 * h
    half = 0.22 * w
    rug = mix_rgb(c.primary, floor_far, 0.55)
    d.ellipse((tx - half * 1.3, foot - 5 * u, tx + half * 1.3, foot + 6 * u), fill=rug)
    d.ellipse(
        (tx - half * 1.15, foot - 3.5 * u, tx + half * 1.15, foot + 4.5 * u),
        outline=lighten(rug, 0.2),
        width=round(0.6 * u),
    )
    soft_shapes(
        cv,
        [("ellipse", (tx - half * 1.05, foot - 3 * u, tx + half * 1.05, foot + 2.5 * u))],
        c.ink,
        0.4,
        3 * u,
    )
    table = mix_rgb(wood, c.surface, 0.15)
    for lx, shade_by in (
        (tx - half * 0.62, 0.3),
        (tx + half * 0.62 - 2.2 * u, 0.3),
        (tx - half * 0.85, 0.12),
        (tx + half * 0.85 - 2.2 * u, 0.12),
    ):
        d.polygon(
            [
                (lx, top_y),
                (lx + 2.2 * u, top_y),
                (lx + 1.8 * u, foot - (2 * u if shade_by > 0.2 else 0)),
                (lx + 0.4 * u, foot - (2 * u if shade_by > 0.2 else 0)),
            ],
            fill=darken(table, shade_by),
        )
    soft_shapes(
        cv,
        [("rect", (tx - half, top_y, tx + half, top_y + 2 * u))],
        c.ink,
        0.35,
        1.5 * u,
        offset=(0, 2.5 * u),
    )
    d.rounded_rectangle(
        (tx - half, top_y - 0.5 * u, tx + half, top_y + 2.6 * u), radius=1 * u, fill=table
    )
    d.rectangle(
        (tx - half + 0.5 * u, top_y - 0.5 * u, tx + half - 0.5 * u, top_y + 0.4 * u),
        fill=lighten(table, 0.2),
    )

    surface_y = top_y - 0.5 * u
    slots = [tx - half * 0.68, tx - half * 0.05, tx + half * 0.6]
    items = [table_vase, table_bowl, table_cup, table_books]
    rng.shuffle(items)
    for x, item in zip(slots, items, strict=False):
        item(cv, x, surface_y)

    # Floor plant under the window.
    px, py = 0.86 * w, floor_y + 0.12 * h
    soft_shapes(
        cv, [("ellipse", (px - 8 * u, py - 2 * u, px + 9 * u, py + 2 * u))], c.ink, 0.35, 1.5 * u
    )
    _plant(
        cv,
        px,
        py,
        34 * u,
        mix_rgb(c.secondary, (50, 120, 70), 0.45),
        mix_rgb(c.surface, c.accent, 0.25),
    )
    cv.mirror = rng.random() < 0.5

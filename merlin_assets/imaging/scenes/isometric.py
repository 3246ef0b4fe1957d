"""Hero scene: isometric blocks, circuit traces and floating orbs on a tiled plate, for tech."""

from __future__ import annotations

from merlin_assets.color import darken, lighten, mix_rgb, rgba
from merlin_assets.imaging.canvas import Canvas, radial_glow, soft_shapes
from merlin_assets.imaging.gradients import linear
from merlin_assets.imaging.scenes.parts import iso, iso_box, sphere


def draw(cv: Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    if c.dark:
        stops = [(0.0, mix_rgb(c.background, c.primary, 0.25)), (1.0, darken(c.background, 0.3))]
    else:
        stops = [
            (0.0, mix_rgb(c.background, c.primary, 0.1)),
            (1.0, mix_rgb(c.background, c.secondary, 0.28)),
        ]
    cv.img = linear((w, h), stops, rng.uniform(30, 70))
    radial_glow(cv, w * 0.2, h * 0.2, 0.55 * w, lighten(c.primary, 0.3), 0.25, sharpness=2.5)
    radial_glow(cv, w * 0.85, h * 0.85, 0.5 * w, lighten(c.accent, 0.3), 0.18, sharpness=2.5)
    for _ in range(rng.randint(5, 9)):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.4, 1.2) * u
        cv.da.ellipse((x - r, y - r, x + r, y + r), fill=rgba(lighten(c.primary, 0.5), 0.5))

    n = 5
    tw = min(0.7 * w / n, 0.8 * h / (n * 0.5 + 2.0))
    ox, oy = w / 2 + rng.uniform(-0.06, 0.06) * w, h / 2 - n * tw / 4 + 0.1 * h
    slab = 0.5 * tw
    plate = mix_rgb(c.surface, c.background, 0.3)
    edge = [iso(ox, oy, tw, 0, 0, 0), iso(ox, oy, tw, n, 0, 0)]
    edge += [iso(ox, oy, tw, n, n, 0), iso(ox, oy, tw, 0, n, 0)]
    shadow = [(x, y + slab + 3 * u) for x, y in edge]
    soft_shapes(cv, [("poly", shadow)], c.ink, 0.35, 5 * u)
    iso_box(cv, ox, oy, tw, (0, 0, n, n), -slab, 0, mix_rgb(plate, c.primary, 0.22))
    d = cv.d
    d.polygon(edge, fill=plate)
    line = mix_rgb(plate, c.primary, 0.12)
    for k in range(1, n):
        d.line(
            [iso(ox, oy, tw, k, 0, 0), iso(ox, oy, tw, k, n, 0)], fill=line, width=round(0.2 * u)
        )
        d.line(
            [iso(ox, oy, tw, 0, k, 0), iso(ox, oy, tw, n, k, 0)], fill=line, width=round(0.2 * u)
        )

    # Circuit traces run along cell centres, drawn first so blocks sit on top of them.
    trace = mix_rgb(plate, c.accent, 0.7)
    for _ in range(rng.randint(3, 5)):
        i, j = rng.randrange(n) + 0.5, rng.randrange(n) + 0.5
        pts = [(i, j)]
        for _ in range(rng.randint(2, 3)):
            if rng.random() < 0.5:
                i = rng.randrange(n) + 0.5
            else:
                j = rng.randrange(n) + 0.5
            pts.append((i, j))
        d.line([iso(ox, oy, tw, a, b, 0) for a, b in pts], fill=trace, width=round(0.45 * u))
        for a, b in (pts[0], pts[-1]):
            x, y = iso(ox, oy, tw, a, b, 0)
            d.ellipse((x - 0.9 * u, y - 0.5 * u, x + 0.9 * u, y + 0.5 * u), fill=trace)

    choices = [c.primary, c.secondary, c.primary, c.accent]
    cells = [(i, j) for i in range(n) for j in range(n)]
    blocks = {cell for cell in cells if rng.random() < 0.45}
    empty = [cell for cell in cells if cell not in blocks]
    floats = set(rng.sample(empty, min(len(empty), rng.randint(1, 3))))
    for i, j in sorted(cells, key=lambda cell: (cell[0] + cell[1], cell[0])):
        if (i, j) in floats:
            # A hovering orb and its shadow on an empty tile: a hint of live data.
            x, y = iso(ox, oy, tw, i + 0.5, j + 0.5, 0)
            r, lift = 0.17 * tw, rng.uniform(0.45, 0.8) * tw
            soft_shapes(
                cv, [("ellipse", (x - r, y - r / 2, x + r, y + r / 2))], c.ink, 0.3, 1.2 * u
            )
            sphere(cv, x, y - lift, r * 0.8, rng.choice((c.accent, c.secondary)))
        if (i, j) in blocks:
            inset = rng.uniform(0.12, 0.22)
            height = rng.uniform(0.25, 1.2) * tw * (1.0 if rng.random() < 0.75 else 1.6)
            colour = rng.choice(choices)
            cell = (i + inset, j + inset, i + 1 - inset, j + 1 - inset)
            top = iso_box(cv, ox, oy, tw, cell, 0, height, colour)
            if rng.random() < 0.5:
                # An inset screen on the lid suggests a device or a dashboard tile.
                cx = sum(p[0] for p in top) / 4
                cy = sum(p[1] for p in top) / 4
                screen = [(cx + (x - cx) * 0.6, cy + (y - cy) * 0.6) for x, y in top]
                d.polygon(screen, fill=mix_rgb(lighten(colour, 0.3), c.surface, 0.6))
            elif height > 0.8 * tw:
                for k in range(1, int(height / (0.18 * tw))):
                    z = k * 0.18 * tw
                    a = iso(ox, oy, tw, cell[0] + 0.1, cell[3], z)
                    b = iso(ox, oy, tw, cell[2] - 0.1, cell[3], z)
                    d.line([a, b], fill=lighten(colour, 0.18), width=round(0.3 * u))

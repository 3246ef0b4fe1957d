"""Supporting scene: out-of-focus discs of light over a gradient."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFilter

from merlin_assets.color import lighten, mix_rgb, rgba
from merlin_assets.imaging.canvas import Canvas, fill_shapes, radial_glow
from merlin_assets.imaging.gradients import linear, stretch


def draw(cv: Canvas) -> None:
    c, rng, w, h = cv.c, cv.rng, cv.w, cv.h
    dark = c.dark or rng.random() < 0.5
    if dark:
        stops = [(0.0, mix_rgb(c.primary, c.ink, 0.55)), (1.0, mix_rgb(c.secondary, c.ink, 0.45))]
        tints = [
            lighten(c.primary, 0.3),
            lighten(c.secondary, 0.3),
            lighten(c.accent, 0.2),
            lighten(c.accent, 0.6),
        ]
    else:
        stops = [
            (0.0, mix_rgb(c.background, c.primary, 0.18)),
            (1.0, mix_rgb(c.background, c.secondary, 0.3)),
        ]
        tints = [c.primary, c.secondary, c.accent, lighten(c.primary, 0.4)]
    # The blurred layers are composed at an eighth of the size: they hold no detail worth pixels.
    lw, lh = max(8, w // 8), max(8, h // 8)
    lu = min(lw, lh) / 100
    base = linear((lw, lh), stops, rng.uniform(20, 70))
    for count, (rmin, rmax), blur, alpha in (
        (16, (5, 14), 3.2, 0.4),
        (9, (8, 20), 1.6, 0.45),
        (5, (10, 24), 0.6, 0.35),
    ):
        overlay, mask = base.copy(), Image.new("L", (lw, lh), 0)
        od, md = ImageDraw.Draw(overlay), ImageDraw.Draw(mask)
        for _ in range(count):
            x, y, r = rng.uniform(0, lw), rng.uniform(0, lh), rng.uniform(rmin, rmax) * lu
            tint = rng.choice(tints)
            od.ellipse((x - r, y - r, x + r, y + r), fill=tint)
            md.ellipse(
                (x - r, y - r, x + r, y + r), fill=round(255 * alpha * rng.uniform(0.6, 1.0))
            )
            # Real bokeh discs glow a little brighter at the rim.
            md.ellipse(
                (x - r, y - r, x + r, y + r),
                outline=round(255 * min(1, alpha * 1.5)),
                width=max(1, round(r * 0.08)),
            )
        overlay = overlay.filter(ImageFilter.GaussianBlur(blur * lu))
        base.paste(overlay, (0, 0), mask.filter(ImageFilter.GaussianBlur(blur * lu)))
    cv.img = stretch(base, (w, h))
    # A few sharp discs in the focal plane give the blur something to be out of focus against.
    u = cv.u
    for _ in range(rng.randint(4, 7)):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(1.5, 5) * u
        tint = rng.choice(tints)
        fill_shapes(cv, [("ellipse", (x - r, y - r, x + r, y + r))], tint, 0.55)
        cv.da.ellipse(
            (x - r, y - r, x + r, y + r),
            outline=rgba(lighten(tint, 0.5), 0.6),
            width=max(1, round(0.25 * u)),
        )
    radial_glow(
        cv, rng.choice((0, w)), rng.uniform(0, h), 0.6 * w, lighten(c.accent, 0.4), 0.25, 2.5
    )

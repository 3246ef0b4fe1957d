"""Icon badges: a glyph picked from the image's words on a bevelled, shadowed badge."""

from __future__ import annotations

import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from merlin_assets.color import darken, lighten, luma, mix_rgb
from merlin_assets.imaging.canvas import (
    WHITE,
    Canvas,
    alpha_lut,
    draw_shapes,
    fill_gradient,
    paint,
    shape_mask,
    soft_shapes,
)
from merlin_assets.imaging.gradients import BILINEAR, linear
from merlin_assets.imaging.scenes.glyphs import GLYPHS
from merlin_assets.imaging.words import best_match
from merlin_assets.types.images import PlannedImage

_GLYPH_WORDS: dict[str, tuple[str, ...]] = {
    "star": (
        "star", "rating", "review", "best", "premium", "award", "excellen", "favourite", "top",
    ),
    "leaf": (
        "leaf", "eco", "green", "organic", "plant", "garden", "nature", "natural", "sustainab",
        "vegan", "fresh", "herb", "farm",
    ),
    "check": (
        "check", "done", "guarantee", "verified", "trust", "reliable", "approved", "quality",
        "certified", "complete",
    ),
    "heart": (
        "heart", "love", "care", "health", "wellness", "kind", "family", "pet", "charity",
        "community", "wedding",
    ),
    "house": ("house", "home", "estate", "property", "roof", "rent", "residential", "renovat"),
    "gear": (
        "gear", "setting", "repair", "engineer", "tool", "mechanic", "maintenance",
        "process", "automat", "install",
    ),
    "cup": ("cup", "coffee", "tea", "cafe", "drink", "espresso", "breakfast", "brunch", "latte"),
    "bolt": (
        "bolt", "fast", "speed", "energy", "electric", "power", "quick", "instant", "lightning",
        "rapid",
    ),
    "pin": ("location", "map", "pin", "visit", "address", "local", "area", "direction"),
    "chat": (
        "chat", "support", "message", "talk", "consult", "faq", "question", "advice", "feedback",
    ),
    "shield": ("shield", "secur", "safe", "protect", "insur", "privacy", "warranty", "risk"),
    "chart": (
        "chart", "growth", "analytic", "data", "finance", "result", "statistic", "report",
        "revenue", "invest",
    ),
    "clock": ("clock", "time", "hour", "schedule", "booking", "appointment", "deadline", "24"),
    "sparkle": ("sparkle", "clean", "magic", "new", "shine", "beauty", "glow", "polish", "idea"),
    "book": ("book", "learn", "education", "course", "class", "lesson", "guide", "school"),
    "person": ("person", "team", "people", "user", "client", "customer", "staff", "expert"),
}  # fmt: skip


def pick_glyph(image: PlannedImage, seed: int) -> str:
    """Name of the icon glyph for `image`: from words in its key, prompt and alt, else the seed."""
    name = best_match(_GLYPH_WORDS, [(image.key, 3), (image.prompt, 1), (image.alt, 1)])
    return name or random.Random(seed).choice(sorted(GLYPHS))


def draw(cv: Canvas, image: PlannedImage) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    glyph = pick_glyph(image, rng.randrange(1 << 30))
    bg = c.background
    top = lighten(bg, 0.25) if not c.dark else mix_rgb(bg, c.primary, 0.12)
    cv.img = linear((w, h), [(0.0, top), (1.0, mix_rgb(bg, c.primary, 0.08))], 90)
    cx, cy, half = w / 2, h / 2 - 1.5 * u, 36 * u
    box = (cx - half, cy - half, cx + half, cy + half)
    shape = ("ellipse", box) if rng.random() < 0.35 else ("rrect", box, half * 0.48)
    soft_shapes(cv, [shape], c.ink, 0.38, 5 * u, offset=(0, 4.5 * u))
    soft_shapes(cv, [shape], c.ink, 0.25, 1.2 * u, offset=(0, 1.2 * u))
    main = c.primary
    stops = [
        (0.0, lighten(main, 0.2)),
        (0.55, main),
        (1.0, mix_rgb(darken(main, 0.2), c.secondary, 0.35)),
    ]
    fill_gradient(cv, [shape], stops, 60)
    # A faint top sheen and a light rim give the badge a slight bevel.
    mask, mbox = shape_mask(cv, [shape])
    if mask is None:
        return
    sheen = Image.new("L", mask.size, 0)
    ImageDraw.Draw(sheen).ellipse((-0.3 * half, -1.1 * half, 2.3 * half, 0.9 * half), fill=30)
    paint(cv.img, WHITE, mbox[:2], ImageChops.multiply(mask, sheen))
    inset = 1.0 * u
    inner_box = (box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset)
    inner = (
        ("ellipse", inner_box) if shape[0] == "ellipse" else ("rrect", inner_box, shape[2] - inset)
    )
    inner_mask = Image.new("L", mask.size, 0)
    draw_shapes(ImageDraw.Draw(inner_mask), [inner], 255, mbox[0], mbox[1])
    paint(cv.img, WHITE, mbox[:2], ImageChops.subtract(mask, inner_mask).point(alpha_lut(0.22)))
    glyph_mask = Image.new("L", (w, h), 0)
    GLYPHS[glyph](ImageDraw.Draw(glyph_mask), cx, cy, half * 0.56)
    if luma(main) < 0.62:
        fg, under = (c.surface if luma(c.surface) > 0.6 else WHITE), darken(main, 0.55)
    else:
        # A pale brand colour (yellow, mint) needs a dark glyph to stay legible.
        fg, under = darken(main, 0.72), lighten(main, 0.5)
    shadow = glyph_mask.resize((w // 4, h // 4), BILINEAR).filter(ImageFilter.GaussianBlur(0.6 * u))
    shadow = shadow.resize((w, h), BILINEAR).point(alpha_lut(0.35))
    paint(cv.img, under, (0, round(0.9 * u)), shadow)
    paint(cv.img, fg, (0, 0), glyph_mask)

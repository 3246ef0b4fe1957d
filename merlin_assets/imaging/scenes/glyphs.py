"""Icon glyphs drawn in white (255) on an L mask, centred on (cx, cy) within radius r."""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import ImageDraw

from merlin_assets.imaging.canvas import Point
from merlin_assets.imaging.scenes.parts import leaf_points


def _polar(cx: float, cy: float, r: float, angle: float) -> Point:
    return cx + r * math.cos(angle), cy + r * math.sin(angle)


def _glyph_star(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    cy += 0.06 * r
    pts = [
        _polar(cx, cy, r * (0.92 if k % 2 == 0 else 0.42), -math.pi / 2 + k * math.pi / 5)
        for k in range(10)
    ]
    d.polygon(pts, fill=255)


def _glyph_leaf(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    bx, by = cx - 0.55 * r, cy + 0.55 * r
    d.polygon(leaf_points(bx, by, 1.75 * r, 1.05 * r, -math.pi / 4), fill=255)
    d.line(
        [(bx + 0.1 * r, by - 0.1 * r), (cx + 0.55 * r, cy - 0.55 * r)],
        fill=0,
        width=round(0.09 * r),
    )
    d.line(
        [(bx - 0.25 * r, by + 0.25 * r), (bx + 0.1 * r, by - 0.1 * r)],
        fill=255,
        width=round(0.11 * r),
    )


def _glyph_check(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = [
        (cx - 0.6 * r, cy + 0.02 * r),
        (cx - 0.17 * r, cy + 0.45 * r),
        (cx + 0.62 * r, cy - 0.45 * r),
    ]
    width = 0.26 * r
    d.line(pts, fill=255, width=round(width), joint="curve")
    for x, y in (pts[0], pts[-1]):
        d.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=255)


def _glyph_heart(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = []
    for k in range(72):
        t = math.tau * k / 72
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((cx + x * r / 17, cy - y * r / 17 + 0.05 * r))
    d.polygon(pts, fill=255)


def _glyph_house(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    d.rectangle((cx + 0.35 * r, cy - 0.7 * r, cx + 0.55 * r, cy - 0.2 * r), fill=255)
    d.line(
        [(cx - 0.85 * r, cy - 0.02 * r), (cx, cy - 0.8 * r), (cx + 0.85 * r, cy - 0.02 * r)],
        fill=255,
        width=round(0.17 * r),
        joint="curve",
    )
    d.polygon(
        [
            (cx, cy - 0.6 * r),
            (cx + 0.62 * r, cy - 0.05 * r),
            (cx + 0.62 * r, cy + 0.75 * r),
            (cx - 0.62 * r, cy + 0.75 * r),
            (cx - 0.62 * r, cy - 0.05 * r),
        ],
        fill=255,
    )
    d.rounded_rectangle(
        (cx - 0.17 * r, cy + 0.2 * r, cx + 0.17 * r, cy + 0.75 * r), radius=0.08 * r, fill=0
    )


def _glyph_gear(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    teeth, step = 8, math.tau / 8
    pts: list[Point] = []
    for k in range(teeth):
        a = k * step
        pts += [_polar(cx, cy, 0.66 * r, a - 0.34 * step), _polar(cx, cy, 0.88 * r, a - 0.2 * step)]
        pts += [_polar(cx, cy, 0.88 * r, a + 0.2 * step), _polar(cx, cy, 0.66 * r, a + 0.34 * step)]
    d.polygon(pts, fill=255)
    d.ellipse((cx - 0.68 * r, cy - 0.68 * r, cx + 0.68 * r, cy + 0.68 * r), fill=255)
    d.ellipse((cx - 0.28 * r, cy - 0.28 * r, cx + 0.28 * r, cy + 0.28 * r), fill=0)


def _glyph_cup(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    cx -= 0.08 * r
    d.ellipse((cx + 0.2 * r, cy - 0.12 * r, cx + 0.78 * r, cy + 0.42 * r), fill=255)
    d.ellipse((cx + 0.36 * r, cy + 0.03 * r, cx + 0.62 * r, cy + 0.27 * r), fill=0)
    d.rounded_rectangle(
        (cx - 0.58 * r, cy - 0.25 * r, cx + 0.42 * r, cy + 0.58 * r), radius=0.22 * r, fill=255
    )
    d.rectangle((cx - 0.58 * r, cy - 0.25 * r, cx + 0.42 * r, cy), fill=255)
    d.rounded_rectangle(
        (cx - 0.75 * r, cy + 0.66 * r, cx + 0.6 * r, cy + 0.8 * r), radius=0.07 * r, fill=255
    )
    for k in (-0.3, 0.1):
        pts = [
            (cx + k * r + 0.06 * r * math.sin(t * 0.75), cy - 0.38 * r - t * 0.045 * r)
            for t in range(10)
        ]
        d.line(pts, fill=255, width=round(0.09 * r), joint="curve")


def _glyph_bolt(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = [(0.18, -0.88), (-0.5, 0.1), (-0.05, 0.1), (-0.2, 0.88), (0.52, -0.16), (0.06, -0.16)]
    d.polygon([(cx + x * r, cy + y * r) for x, y in pts], fill=255)


def _glyph_pin(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    top = cy - 0.22 * r
    d.polygon(
        [(cx - 0.5 * r, top + 0.2 * r), (cx + 0.5 * r, top + 0.2 * r), (cx, cy + 0.88 * r)],
        fill=255,
    )
    d.ellipse((cx - 0.58 * r, top - 0.58 * r, cx + 0.58 * r, top + 0.58 * r), fill=255)
    d.ellipse((cx - 0.22 * r, top - 0.22 * r, cx + 0.22 * r, top + 0.22 * r), fill=0)


def _glyph_chat(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    d.rounded_rectangle(
        (cx - 0.82 * r, cy - 0.62 * r, cx + 0.82 * r, cy + 0.42 * r), radius=0.32 * r, fill=255
    )
    d.polygon(
        [
            (cx - 0.5 * r, cy + 0.3 * r),
            (cx - 0.08 * r, cy + 0.3 * r),
            (cx - 0.55 * r, cy + 0.82 * r),
        ],
        fill=255,
    )
    for k in (-1, 0, 1):
        x, y, s = cx + k * 0.36 * r, cy - 0.1 * r, 0.11 * r
        d.ellipse((x - s, y - s, x + s, y + s), fill=0)


def _glyph_shield(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    right = [(cx, cy - 0.86 * r), (cx + 0.7 * r, cy - 0.58 * r)]
    for k in range(11):
        t = k / 10
        right.append(
            (cx + 0.7 * r * (1 - t**1.8), cy - 0.58 * r + 1.46 * r * math.sin(t * math.pi / 2))
        )
    left = [(2 * cx - x, y) for x, y in reversed(right[1:-1])]
    d.polygon(right + left, fill=255)
    _glyph_check_cut(d, cx, cy - 0.02 * r, 0.55 * r)


def _glyph_check_cut(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = [
        (cx - 0.6 * r, cy + 0.02 * r),
        (cx - 0.17 * r, cy + 0.45 * r),
        (cx + 0.62 * r, cy - 0.45 * r),
    ]
    d.line(pts, fill=0, width=round(0.28 * r), joint="curve")


def _glyph_chart(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    bw = 0.3 * r
    for k, height in enumerate((0.55, 0.9, 1.3)):
        x = cx - 0.7 * r + k * 0.5 * r
        d.rounded_rectangle(
            (x, cy + 0.75 * r - height * r, x + bw, cy + 0.75 * r), radius=0.07 * r, fill=255
        )
    d.rounded_rectangle(
        (cx - 0.85 * r, cy + 0.8 * r, cx + 0.85 * r, cy + 0.92 * r), radius=0.05 * r, fill=255
    )


def _glyph_clock(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    d.ellipse((cx - 0.85 * r, cy - 0.85 * r, cx + 0.85 * r, cy + 0.85 * r), fill=255)
    d.ellipse((cx - 0.66 * r, cy - 0.66 * r, cx + 0.66 * r, cy + 0.66 * r), fill=0)
    width = round(0.13 * r)
    d.line(
        [(cx, cy - 0.45 * r), (cx, cy), (cx + 0.32 * r, cy + 0.2 * r)],
        fill=255,
        width=width,
        joint="curve",
    )
    d.ellipse((cx - 0.1 * r, cy - 0.1 * r, cx + 0.1 * r, cy + 0.1 * r), fill=255)


def _glyph_sparkle(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    def astroid(x: float, y: float, s: float) -> list[Point]:
        return [
            (x + s * math.cos(t) ** 3, y + s * math.sin(t) ** 3)
            for t in (math.tau * k / 64 for k in range(64))
        ]

    d.polygon(astroid(cx - 0.12 * r, cy + 0.1 * r, 0.8 * r), fill=255)
    d.polygon(astroid(cx + 0.55 * r, cy - 0.55 * r, 0.35 * r), fill=255)


def _glyph_book(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    for side in (-1, 1):
        outer, inner = cx + side * 0.85 * r, cx + side * 0.06 * r
        d.polygon(
            [
                (inner, cy - 0.5 * r),
                (outer, cy - 0.65 * r),
                (outer, cy + 0.55 * r),
                (inner, cy + 0.7 * r),
            ],
            fill=255,
        )
        for k in range(3):
            y = cy - 0.3 * r + k * 0.28 * r
            d.line(
                [(inner + side * 0.15 * r, y), (outer - side * 0.15 * r, y - 0.12 * r)],
                fill=0,
                width=round(0.06 * r),
            )


def _glyph_person(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    d.ellipse((cx - 0.34 * r, cy - 0.82 * r, cx + 0.34 * r, cy - 0.14 * r), fill=255)
    d.chord((cx - 0.75 * r, cy - 0.02 * r, cx + 0.75 * r, cy + 1.45 * r), 180, 360, fill=255)
    d.rectangle((cx - 0.75 * r, cy + 0.7 * r, cx + 0.75 * r, cy + 0.78 * r), fill=255)


GLYPHS: dict[str, Callable[[ImageDraw.ImageDraw, float, float, float], None]] = {
    "star": _glyph_star,
    "leaf": _glyph_leaf,
    "check": _glyph_check,
    "heart": _glyph_heart,
    "house": _glyph_house,
    "gear": _glyph_gear,
    "cup": _glyph_cup,
    "bolt": _glyph_bolt,
    "pin": _glyph_pin,
    "chat": _glyph_chat,
    "shield": _glyph_shield,
    "chart": _glyph_chart,
    "clock": _glyph_clock,
    "sparkle": _glyph_sparkle,
    "book": _glyph_book,
    "person": _glyph_person,
}

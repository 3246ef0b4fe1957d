"""The drawing canvas and its primitives: palette colours, shapes, masks, soft shadows, glows, mist.

Scenes draw on a canvas up to twice the output size, which `finish` scales down: that
anti-aliases the polygon edges ImageDraw leaves jagged. Soft shadows, mist and glows carry no fine
detail, so their masks are blurred at a fraction of the canvas size and stretched back up: that
keeps a 1600x900 image well inside its time budget without numpy.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from merlin_assets.color import RGB, darken, luma, mix_rgb, parse_rgb
from merlin_assets.imaging.gradients import (
    BILINEAR,
    NEAREST,
    RADIAL_EDGE,
    Stops,
    linear,
    radial,
    ramp,
)
from merlin_assets.types.style import Palette

Point = tuple[float, float]
Box = tuple[float, float, float, float]
# ("ellipse" | "rect", box) | ("rrect", box, radius) | ("poly", points) | ("line", points, width)
Shape = tuple

WHITE: RGB = (255, 255, 255)
BLACK: RGB = (0, 0, 0)


@dataclass(frozen=True)
class Colours:
    primary: RGB
    secondary: RGB
    accent: RGB
    background: RGB
    surface: RGB
    ink: RGB
    dark: bool

    @classmethod
    def of(cls, palette: Palette) -> Colours:
        primary = parse_rgb(palette.primary, (37, 99, 235))
        background = parse_rgb(palette.background, (248, 250, 252))
        dark = luma(background) < 0.35
        text = parse_rgb(palette.text, (17, 24, 39))
        # Silhouettes and shadows tinted by the primary colour read as part of the brand.
        ink = mix_rgb(darken(primary, 0.72), BLACK if dark else text, 0.35)
        return cls(
            primary=primary,
            secondary=parse_rgb(palette.secondary, (20, 184, 166)),
            accent=parse_rgb(palette.accent, (245, 158, 11)),
            background=background,
            surface=parse_rgb(palette.surface, (255, 255, 255)),
            ink=ink,
            dark=dark,
        )


@dataclass
class Canvas:
    w: int
    h: int
    rng: random.Random
    c: Colours
    img: Image.Image = field(default_factory=lambda: Image.new("RGB", (1, 1)))
    mirror: bool = False  # flip left-right once scaled down, where it is four times cheaper

    @property
    def u(self) -> float:
        """One percent of the short side: every size is drawn in these units."""
        return min(self.w, self.h) / 100

    @property
    def d(self) -> ImageDraw.ImageDraw:
        return ImageDraw.Draw(self.img)

    @property
    def da(self) -> ImageDraw.ImageDraw:
        # Blending draws are ten times slower on big fills: only for small translucent marks.
        return ImageDraw.Draw(self.img, "RGBA")


def draw_shapes(
    d: ImageDraw.ImageDraw,
    shapes: Sequence[Shape],
    fill: int | RGB,
    dx: float = 0.0,
    dy: float = 0.0,
    k: float = 1.0,
) -> None:
    def pt(p: Point) -> Point:
        return (p[0] - dx) * k, (p[1] - dy) * k

    def bx(b: Box) -> Box:
        return (b[0] - dx) * k, (b[1] - dy) * k, (b[2] - dx) * k, (b[3] - dy) * k

    for shape in shapes:
        kind = shape[0]
        if kind == "poly":
            d.polygon([pt(p) for p in shape[1]], fill=fill)
        elif kind == "ellipse":
            d.ellipse(bx(shape[1]), fill=fill)
        elif kind == "rect":
            d.rectangle(bx(shape[1]), fill=fill)
        elif kind == "rrect":
            d.rounded_rectangle(bx(shape[1]), radius=shape[2] * k, fill=fill)
        elif kind == "line":
            width = max(1, round(shape[2] * k))
            d.line([pt(p) for p in shape[1]], fill=fill, width=width, joint="curve")
        else:
            raise ValueError(f"unknown shape {kind!r}")


def shape_bounds(shapes: Sequence[Shape]) -> Box:
    xs: list[float] = []
    ys: list[float] = []
    for shape in shapes:
        if shape[0] in ("poly", "line"):
            pad = shape[2] / 2 if shape[0] == "line" else 0.0
            xs += [p[0] - pad for p in shape[1]] + [p[0] + pad for p in shape[1]]
            ys += [p[1] - pad for p in shape[1]] + [p[1] + pad for p in shape[1]]
        else:
            xs += [shape[1][0], shape[1][2]]
            ys += [shape[1][1], shape[1][3]]
    return min(xs), min(ys), max(xs), max(ys)


def clip_box(cv: Canvas, box: Box, pad: float = 0.0) -> tuple[int, int, int, int] | None:
    x0, y0 = max(0, math.floor(box[0] - pad)), max(0, math.floor(box[1] - pad))
    x1, y1 = min(cv.w, math.ceil(box[2] + pad)), min(cv.h, math.ceil(box[3] + pad))
    return None if x1 <= x0 or y1 <= y0 else (x0, y0, x1, y1)


def shape_mask(
    cv: Canvas, shapes: Sequence[Shape], pad: float = 2.0
) -> tuple[Image.Image, tuple[int, int, int, int]] | tuple[None, None]:
    """A crisp L mask of `shapes` over their clipped bounding box, with the box."""
    box = clip_box(cv, shape_bounds(shapes), pad)
    if box is None:
        return None, None
    x0, y0, x1, y1 = box
    mask = Image.new("L", (x1 - x0, y1 - y0), 0)
    draw_shapes(ImageDraw.Draw(mask), shapes, 255, x0, y0)
    return mask, box


def alpha_lut(alpha: float) -> list[int]:
    return [round(v * alpha) for v in range(256)]


def paint(img: Image.Image, colour: RGB, at: tuple[int, int], mask: Image.Image) -> None:
    """Paint `colour` through `mask` onto `img` at `at`."""
    # Pasting a solid image is about 2.5x faster in Pillow than pasting a bare colour.
    img.paste(Image.new("RGB", mask.size, colour), at, mask)


def fill_shapes(cv: Canvas, shapes: Sequence[Shape], colour: RGB, alpha: float = 1.0) -> None:
    """Paint shapes as one layer, so translucent overlaps do not double up."""
    if alpha >= 1.0:
        draw_shapes(cv.d, shapes, colour)
        return
    mask, box = shape_mask(cv, shapes)
    if mask is not None:
        paint(cv.img, colour, box[:2], mask.point(alpha_lut(alpha)))


def soft_shapes(
    cv: Canvas,
    shapes: Sequence[Shape],
    colour: RGB,
    alpha: float,
    blur: float,
    offset: Point = (0.0, 0.0),
    ylim: tuple[float, float] | None = None,
) -> None:
    """Paint shapes blurred by `blur` canvas pixels: shadows, mist and soft light.

    `ylim` clips the painted band, for shadows that are only visible above an edge.
    """
    ox, oy = offset
    b = shape_bounds(shapes)
    box = clip_box(cv, (b[0] + ox, b[1] + oy, b[2] + ox, b[3] + oy), pad=blur * 2.5 + 2)
    if box is None:
        return
    x0, y0, x1, y1 = box
    if ylim is not None:
        y0, y1 = max(y0, math.floor(ylim[0])), min(y1, math.ceil(ylim[1]))
        if y1 <= y0:
            return
    # Keep at least ~3 low-res pixels of blur radius so small shadows stay smooth.
    down = max(1.0, min(8.0, blur / 3))
    sw, sh = max(1, round((x1 - x0) / down)), max(1, round((y1 - y0) / down))
    mask = Image.new("L", (sw, sh), 0)
    draw_shapes(ImageDraw.Draw(mask), shapes, 255, x0 - ox, y0 - oy, sw / (x1 - x0))
    if blur / down >= 0.3:
        mask = mask.filter(ImageFilter.GaussianBlur(blur / down))
    if alpha < 1.0:
        mask = mask.point(alpha_lut(alpha))
    paint(cv.img, colour, (x0, y0), mask.resize((x1 - x0, y1 - y0), BILINEAR))


@functools.cache
def _glow_lut(strength: float, sharpness: float) -> list[int]:
    # A Gaussian fall-off cut to zero at the radius: no visible rim, no cusp in the middle.
    floor = math.exp(-sharpness)
    out = []
    for v in range(256):
        t = min(1.0, v / RADIAL_EDGE)
        out.append(round(255 * strength * max(0.0, math.exp(-sharpness * t * t) - floor)))
    return out


def radial_glow(
    cv: Canvas,
    cx: float,
    cy: float,
    radius: float,
    colour: RGB,
    strength: float,
    sharpness: float = 4.0,
) -> None:
    box = clip_box(cv, (cx - radius, cy - radius, cx + radius, cy + radius))
    if box is None:
        return
    x0, y0, x1, y1 = box
    # Scale only the visible part: a glow wider than the frame would otherwise cost 4x.
    k = 256 / (2 * radius)
    left, top = cx - radius, cy - radius
    source = tuple(
        max(0.0, min(256.0, v))
        for v in ((x0 - left) * k, (y0 - top) * k, (x1 - left) * k, (y1 - top) * k)
    )
    mask = radial().point(_glow_lut(round(strength, 3), sharpness))
    size = (x1 - x0, y1 - y0)
    if size[0] * size[1] < 1_000_000:
        mask = mask.resize(size, BILINEAR, box=source)
    else:
        half = mask.resize(((size[0] + 1) // 2, (size[1] + 1) // 2), BILINEAR, box=source)
        mask = half.resize((half.width * 2, half.height * 2), NEAREST).crop((0, 0, *size))
    paint(cv.img, colour, (x0, y0), mask)


def fill_gradient(
    cv: Canvas, shapes: Sequence[Shape], stops: Stops, angle: float, alpha: float = 1.0
) -> None:
    """Fill shapes with a gradient spanning their bounding box."""
    mask, box = shape_mask(cv, shapes)
    if mask is None:
        return
    if alpha < 1.0:
        mask = mask.point(alpha_lut(alpha))
    cv.img.paste(linear(mask.size, stops, angle), box[:2], mask)


def mist_band(cv: Canvas, y0: float, y1: float, colour: RGB, a0: float, a1: float) -> None:
    """A full-width vertical alpha ramp of `colour`: mist, haze and light fall-off."""
    top, bottom = max(0, round(y0)), min(cv.h, round(y1))
    if bottom - top < 2:
        return
    scale = (bottom - top) / (y1 - y0) if y1 > y0 else 1.0
    start = a0 + (a1 - a0) * (top - y0) / (y1 - y0)
    end = start + (a1 - a0) * scale
    lut = [round(255 * max(0.0, min(1.0, start + (end - start) * v / 255))) for v in range(256)]
    strip = ramp().resize((1, bottom - top), BILINEAR).point(lut)
    paint(cv.img, colour, (0, top), strip.resize((cv.w, bottom - top), NEAREST))


def finish(cv: Canvas, size: tuple[int, int], *, grain: float, vignette: float) -> Image.Image:
    img = cv.img
    if img.size != size:
        factor = img.width // size[0]
        if img.size == (size[0] * factor, size[1] * factor):
            # An exact 2x2 box average is textbook supersampling, at a tenth of LANCZOS's cost.
            img = img.reduce(factor)
        else:
            img = img.resize(size, Image.Resampling.LANCZOS)
    if cv.mirror:
        img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    w, h = size
    if vignette > 0:
        lut = []
        for v in range(256):
            t = max(0.0, min(1.0, (v / RADIAL_EDGE - 0.5) / 0.95))
            lut.append(round(255 * vignette * t * t * (3 - 2 * t)))
        mask = radial().point(lut).resize(size, BILINEAR)
        paint(img, cv.c.ink, (0, 0), mask)
    if grain > 0:
        # Seeded bytes, not effect_noise(): Pillow's noise comes from an unseeded C rand().
        noise = Image.frombytes("L", size, cv.rng.randbytes(w * h))
        noise = noise.point([128 + round((v - 127.5) / 127.5 * grain) for v in range(256)])
        img = ImageChops.add(img, Image.merge("RGB", (noise, noise, noise)), offset=-128)
    return img

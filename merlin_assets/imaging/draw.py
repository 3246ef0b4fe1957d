"""Offline illustrations drawn with Pillow: layered scenes, abstract depth, icon badges, patterns.

Everything is drawn on a canvas twice the requested size and scaled down at the end, which
anti-aliases the polygon edges ImageDraw leaves jagged. Soft shadows, mist and glows carry no fine
detail, so their masks are blurred at a fraction of the canvas size and stretched back up: that
keeps a 1600x900 image well inside its time budget without numpy.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFilter

from merlin_assets.models import Palette, PlannedImage

RGB = tuple[int, int, int]
Point = tuple[float, float]
Box = tuple[float, float, float, float]
Stops = Sequence[tuple[float, RGB]]
# ("ellipse" | "rect", box) | ("rrect", box, radius) | ("poly", points) | ("line", points, width)
Shape = tuple

WHITE: RGB = (255, 255, 255)
BLACK: RGB = (0, 0, 0)

ICON_SIZE = (512, 512)
_ASPECT_SIZES = {"16:9": (1600, 900), "4:3": (1200, 900), "3:2": (1200, 800), "1:1": (900, 900)}
_SUPERSAMPLE = 2
# A 2x canvas beyond this many output pixels would blow the time budget; draw those at 1x.
_SUPERSAMPLE_MAX_PIXELS = 1600 * 900
# radial_gradient() is 256 px wide but reaches 255 only in its corners: 181 marks its 128 px radius.
_RADIAL_EDGE = 181
_BILINEAR = Image.Resampling.BILINEAR
_NEAREST = Image.Resampling.NEAREST


def aspect_size(aspect: str, purpose: str) -> tuple[int, int]:
    """Pixel size to draw or request for an aspect ratio; icons are always 512x512.

    Args:
        aspect: "16:9", "4:3", "3:2" or "1:1".
        purpose: The PlannedImage purpose.

    Raises:
        ValueError: For an aspect ratio not listed above.
    """
    if purpose == "icon":
        return ICON_SIZE
    try:
        return _ASPECT_SIZES[aspect]
    except KeyError:
        raise ValueError(f"unknown aspect ratio {aspect!r}") from None


def draw_image(
    image: PlannedImage, palette: Palette, size: tuple[int, int], seed: int, scene: str = ""
) -> Image.Image:
    """Draw a flat-illustration image for `image` in the palette's colours.

    The same arguments always give the same pixels.

    Args:
        image: What the image is for; `purpose` picks the kind of drawing, `key` and `prompt`
            pick an icon's glyph.
        palette: Site palette; unparseable colours fall back to neutral defaults.
        size: Output (width, height) in pixels.
        seed: Varies the composition.
        scene: Hint for hero scenes, e.g. "nature", "city", "tech", "kitchen"; when empty the
            image prompt is searched for the same words, and failing that the seed decides.

    Returns:
        An RGB image of exactly `size`.
    """
    width, height = size
    if width < 16 or height < 16:
        raise ValueError(f"image size too small: {size}")
    scale = _SUPERSAMPLE if width * height <= _SUPERSAMPLE_MAX_PIXELS else 1
    rng = _rng(image, seed, scene)
    cv = _Canvas(width * scale, height * scale, rng, _Colours.of(palette))
    grain, vignette = 4.0, 0.0
    if image.purpose == "hero":
        _HERO_SCENES[_pick_scene(scene, image, rng)](cv)
        vignette = 0.22
    elif image.purpose == "supporting":
        rng.choice((_bokeh, _waves, _still_life))(cv)
        vignette = 0.14
    elif image.purpose == "icon":
        _icon(cv, image)
        grain = 1.5
    else:
        _pattern(cv)
        grain = 2.5
    return _finish(cv, size, grain=grain, vignette=vignette)


# --- colours ---------------------------------------------------------------------------------


def _parse(value: str, fallback: RGB) -> RGB:
    # Palettes come from an LLM: accept any CSS colour Pillow knows rather than fail the site.
    try:
        rgb = ImageColor.getrgb(value)
    except (ValueError, TypeError, AttributeError):
        return fallback
    return rgb[0], rgb[1], rgb[2]


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _light(c: RGB, t: float) -> RGB:
    return _mix(c, WHITE, t)


def _dark(c: RGB, t: float) -> RGB:
    return _mix(c, BLACK, t)


def _luma(c: RGB) -> float:
    return (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255


def _rgba(c: RGB, alpha: float) -> tuple[int, int, int, int]:
    return c[0], c[1], c[2], round(255 * max(0.0, min(1.0, alpha)))


@dataclass(frozen=True)
class _Colours:
    primary: RGB
    secondary: RGB
    accent: RGB
    background: RGB
    surface: RGB
    ink: RGB
    dark: bool

    @classmethod
    def of(cls, palette: Palette) -> _Colours:
        primary = _parse(palette.primary, (37, 99, 235))
        background = _parse(palette.background, (248, 250, 252))
        dark = _luma(background) < 0.35
        text = _parse(palette.text, (17, 24, 39))
        # Silhouettes and shadows tinted by the primary colour read as part of the brand.
        ink = _mix(_dark(primary, 0.72), BLACK if dark else text, 0.35)
        return cls(
            primary=primary,
            secondary=_parse(palette.secondary, (20, 184, 166)),
            accent=_parse(palette.accent, (245, 158, 11)),
            background=background,
            surface=_parse(palette.surface, (255, 255, 255)),
            ink=ink,
            dark=dark,
        )


# --- canvas and primitives -------------------------------------------------------------------


@dataclass
class _Canvas:
    w: int
    h: int
    rng: random.Random
    c: _Colours
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


def _rng(image: PlannedImage, seed: int, scene: str) -> random.Random:
    # hash() of a str changes per process; a digest keeps drawings stable across runs.
    text = f"{seed}|{image.key}|{image.purpose}|{image.aspect}|{image.prompt}|{scene}"
    return random.Random(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big"))


def _draw_shapes(
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


def _bounds(shapes: Sequence[Shape]) -> Box:
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


def _clip(cv: _Canvas, box: Box, pad: float = 0.0) -> tuple[int, int, int, int] | None:
    x0, y0 = max(0, math.floor(box[0] - pad)), max(0, math.floor(box[1] - pad))
    x1, y1 = min(cv.w, math.ceil(box[2] + pad)), min(cv.h, math.ceil(box[3] + pad))
    return None if x1 <= x0 or y1 <= y0 else (x0, y0, x1, y1)


def _mask(
    cv: _Canvas, shapes: Sequence[Shape], pad: float = 2.0
) -> tuple[Image.Image, tuple[int, int, int, int]] | tuple[None, None]:
    """A crisp L mask of `shapes` over their clipped bounding box, with the box."""
    box = _clip(cv, _bounds(shapes), pad)
    if box is None:
        return None, None
    x0, y0, x1, y1 = box
    mask = Image.new("L", (x1 - x0, y1 - y0), 0)
    _draw_shapes(ImageDraw.Draw(mask), shapes, 255, x0, y0)
    return mask, box


def _alpha_lut(alpha: float) -> list[int]:
    return [round(v * alpha) for v in range(256)]


def _paint(img: Image.Image, colour: RGB, at: tuple[int, int], mask: Image.Image) -> None:
    """Paint `colour` through `mask` onto `img` at `at`."""
    # Pasting a solid image is about 2.5x faster in Pillow than pasting a bare colour.
    img.paste(Image.new("RGB", mask.size, colour), at, mask)


def _fill(cv: _Canvas, shapes: Sequence[Shape], colour: RGB, alpha: float = 1.0) -> None:
    """Paint shapes as one layer, so translucent overlaps do not double up."""
    if alpha >= 1.0:
        _draw_shapes(cv.d, shapes, colour)
        return
    mask, box = _mask(cv, shapes)
    if mask is not None:
        _paint(cv.img, colour, box[:2], mask.point(_alpha_lut(alpha)))


def _soft(
    cv: _Canvas,
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
    b = _bounds(shapes)
    box = _clip(cv, (b[0] + ox, b[1] + oy, b[2] + ox, b[3] + oy), pad=blur * 2.5 + 2)
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
    _draw_shapes(ImageDraw.Draw(mask), shapes, 255, x0 - ox, y0 - oy, sw / (x1 - x0))
    if blur / down >= 0.3:
        mask = mask.filter(ImageFilter.GaussianBlur(blur / down))
    if alpha < 1.0:
        mask = mask.point(_alpha_lut(alpha))
    _paint(cv.img, colour, (x0, y0), mask.resize((x1 - x0, y1 - y0), _BILINEAR))


@functools.cache
def _radial() -> Image.Image:
    return Image.radial_gradient("L")


@functools.cache
def _ramp() -> Image.Image:
    """A 1x256 ramp from 0 at the top to 255 at the bottom."""
    return Image.linear_gradient("L").crop((0, 0, 1, 256))


@functools.cache
def _glow_lut(strength: float, sharpness: float) -> list[int]:
    # A Gaussian fall-off cut to zero at the radius: no visible rim, no cusp in the middle.
    floor = math.exp(-sharpness)
    out = []
    for v in range(256):
        t = min(1.0, v / _RADIAL_EDGE)
        out.append(round(255 * strength * max(0.0, math.exp(-sharpness * t * t) - floor)))
    return out


def _glow(
    cv: _Canvas,
    cx: float,
    cy: float,
    radius: float,
    colour: RGB,
    strength: float,
    sharpness: float = 4.0,
) -> None:
    box = _clip(cv, (cx - radius, cy - radius, cx + radius, cy + radius))
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
    mask = _radial().point(_glow_lut(round(strength, 3), sharpness))
    size = (x1 - x0, y1 - y0)
    if size[0] * size[1] < 1_000_000:
        mask = mask.resize(size, _BILINEAR, box=source)
    else:
        half = mask.resize(((size[0] + 1) // 2, (size[1] + 1) // 2), _BILINEAR, box=source)
        mask = half.resize((half.width * 2, half.height * 2), _NEAREST).crop((0, 0, *size))
    _paint(cv.img, colour, (x0, y0), mask)


def _lut(stops: Stops) -> list[int]:
    """A 768-entry point() table mapping 0-255 onto colour stops at 0-1."""
    stops = sorted(stops, key=lambda s: s[0])
    channels: list[list[int]] = [[], [], []]
    for v in range(256):
        t = v / 255
        colour = stops[-1][1]
        if t <= stops[0][0]:
            colour = stops[0][1]
        else:
            for (t0, c0), (t1, c1) in itertools.pairwise(stops):
                if t0 <= t <= t1:
                    colour = _mix(c0, c1, (t - t0) / (t1 - t0) if t1 > t0 else 0.0)
                    break
        for i in range(3):
            channels[i].append(colour[i])
    return channels[0] + channels[1] + channels[2]


def _colorize(gray: Image.Image, stops: Stops) -> Image.Image:
    return gray.convert("RGB").point(_lut(stops))


def _vertical(size: tuple[int, int], stops: Stops) -> Image.Image:
    w, h = size
    strip = _ramp().resize((1, h), _BILINEAR)
    return _colorize(strip, stops).resize((w, h), _NEAREST)


def _field(size: tuple[int, int], angle: float) -> Image.Image:
    """An L ramp from 0 to 255 along `angle` degrees: 0 runs left to right, 90 top to bottom."""
    w, h = size
    # A linear field survives bilinear stretching exactly, so it is built tiny.
    sw, sh = max(2, math.ceil(w / 24)), max(2, math.ceil(h / 24))
    ca, sa = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    across = _ramp().transpose(Image.Transpose.ROTATE_90).resize((sw, sh), _BILINEAR)
    across = across.transpose(Image.Transpose.FLIP_LEFT_RIGHT)  # 0 at the left edge
    down = _ramp().resize((sw, sh), _BILINEAR)
    if ca < 0:
        across = across.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if sa < 0:
        down = down.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    weight = abs(sa) / (abs(ca) + abs(sa)) if abs(ca) + abs(sa) else 0.0
    return Image.blend(across, down, weight)


def _stretch(small: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scale a smooth image up to `size`."""
    w, h = size
    if w * h < 1_000_000:
        return small.resize(size, _BILINEAR)
    # Doubling a smooth gradient by pixel repetition is invisible and 2.5x cheaper.
    half = small.resize(((w + 1) // 2, (h + 1) // 2), _BILINEAR)
    half = half.resize((half.width * 2, half.height * 2), _NEAREST)
    return half if half.size == size else half.crop((0, 0, w, h))


def _linear(size: tuple[int, int], stops: Stops, angle: float) -> Image.Image:
    """Gradient along `angle` degrees: 0 runs left to right, 90 top to bottom."""
    return _stretch(_colorize(_field(size, angle), stops), size)


def _fill_gradient(
    cv: _Canvas, shapes: Sequence[Shape], stops: Stops, angle: float, alpha: float = 1.0
) -> None:
    """Fill shapes with a gradient spanning their bounding box."""
    mask, box = _mask(cv, shapes)
    if mask is None:
        return
    if alpha < 1.0:
        mask = mask.point(_alpha_lut(alpha))
    cv.img.paste(_linear(mask.size, stops, angle), box[:2], mask)


def _band(cv: _Canvas, y0: float, y1: float, colour: RGB, a0: float, a1: float) -> None:
    """A full-width vertical alpha ramp of `colour`: mist, haze and light fall-off."""
    top, bottom = max(0, round(y0)), min(cv.h, round(y1))
    if bottom - top < 2:
        return
    scale = (bottom - top) / (y1 - y0) if y1 > y0 else 1.0
    start = a0 + (a1 - a0) * (top - y0) / (y1 - y0)
    end = start + (a1 - a0) * scale
    lut = [round(255 * max(0.0, min(1.0, start + (end - start) * v / 255))) for v in range(256)]
    strip = _ramp().resize((1, bottom - top), _BILINEAR).point(lut)
    _paint(cv.img, colour, (0, top), strip.resize((cv.w, bottom - top), _NEAREST))


def _finish(cv: _Canvas, size: tuple[int, int], *, grain: float, vignette: float) -> Image.Image:
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
            t = max(0.0, min(1.0, (v / _RADIAL_EDGE - 0.5) / 0.95))
            lut.append(round(255 * vignette * t * t * (3 - 2 * t)))
        mask = _radial().point(lut).resize(size, _BILINEAR)
        _paint(img, cv.c.ink, (0, 0), mask)
    if grain > 0:
        # Seeded bytes, not effect_noise(): Pillow's noise comes from an unseeded C rand().
        noise = Image.frombytes("L", size, cv.rng.randbytes(w * h))
        noise = noise.point([128 + round((v - 127.5) / 127.5 * grain) for v in range(256)])
        img = ImageChops.add(img, Image.merge("RGB", (noise, noise, noise)), offset=-128)
    return img


# --- scene choice ----------------------------------------------------------------------------

_SCENE_WORDS: dict[str, tuple[str, ...]] = {
    "landscape": (
        "nature", "landscape", "outdoor", "mountain", "garden", "travel", "farm", "park", "eco",
        "hiking", "adventure", "forest", "lake", "wellness", "yoga", "camp", "tour", "wild",
        "vineyard", "retreat", "landscaping", "green",
    ),
    "city": (
        "city", "urban", "office", "finance", "bank", "law", "legal", "consult", "agency",
        "estate", "corporate", "business", "architect", "hotel", "skyline", "downtown",
        "accounting", "insurance",
    ),
    "tech": (
        "tech", "technology", "software", "saas", "data", "cloud", "ai", "app", "digital",
        "startup", "it", "cyber", "web", "developer", "platform", "analytics", "automation",
    ),
    "interior": (
        "kitchen", "home", "studio", "cafe", "coffee", "bakery", "restaurant", "interior",
        "furniture", "craft", "shop", "boutique", "salon", "bar", "decor", "food", "cook",
        "ceramic", "pottery", "florist", "room", "cleaning",
    ),
}  # fmt: skip


def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", ascii_text.lower())


def _matches(word: str, keyword: str) -> bool:
    # Prefix matching catches plurals and stems; short keywords must match whole words.
    return word == keyword or (len(keyword) >= 4 and word.startswith(keyword))


def _best_match(table: dict[str, tuple[str, ...]], weighted: Sequence[tuple[str, int]]) -> str:
    scores = dict.fromkeys(table, 0)
    for text, weight in weighted:
        for word in _words(text):
            for name, keywords in table.items():
                if any(_matches(word, k) for k in keywords):
                    scores[name] += weight
    best = max(scores, key=lambda n: scores[n])
    return best if scores[best] > 0 else ""


def _pick_scene(scene: str, image: PlannedImage, rng: random.Random) -> str:
    name = _best_match(_SCENE_WORDS, [(scene, 10)]) or _best_match(
        _SCENE_WORDS, [(image.prompt, 1), (image.key, 2)]
    )
    return name or rng.choice(sorted(_SCENE_WORDS))


# --- hero: landscape -------------------------------------------------------------------------


def _ridge_peaks(rng: random.Random, mean: float, amp: float, levels: int = 7) -> list[float]:
    """Jagged mountain heights by midpoint displacement, `2**levels + 1` of them.

    A few coarse summits are placed first so every range has a clear silhouette.
    """
    n, coarse = 2**levels, 4
    ys = [0.0] * (n + 1)
    for k in range(coarse + 1):
        ys[k * n // coarse] = -rng.uniform(0.05, 1.0) * amp * 0.75
    step, scale = n // coarse, amp * 0.4
    while step > 1:
        half = step // 2
        for i in range(half, n, step):
            ys[i] = (ys[i - half] + ys[i + half]) / 2 + rng.uniform(-1, 1) * scale
        step, scale = half, scale * 0.5
    return [mean + y for y in ys]


def _ridge_hills(rng: random.Random, mean: float, amp: float, n: int = 96) -> list[float]:
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


def _ridge_points(ys: Sequence[float], w: float) -> list[Point]:
    n = len(ys) - 1
    return [(w * i / n, y) for i, y in enumerate(ys)]


def _ridge_at(ys: Sequence[float], w: float, x: float) -> float:
    n = len(ys) - 1
    f = max(0.0, min(n - 1e-9, x / w * n))
    i = int(f)
    return ys[i] + (ys[i + 1] - ys[i]) * (f - i)


def _pine(d: ImageDraw.ImageDraw, x: float, y: float, height: float, colour: RGB) -> None:
    width = height * 0.42
    for tier in range(3):
        top = y - height + tier * height * 0.22
        bottom = top + height * 0.46
        half = width * (0.32 + 0.2 * tier)
        d.polygon([(x, top), (x + half, bottom), (x - half, bottom)], fill=colour)
    d.rectangle((x - width * 0.07, y - height * 0.2, x + width * 0.07, y + height * 0.05), colour)


def _cloud(cv: _Canvas, x: float, y: float, s: float, colour: RGB, alpha: float) -> None:
    shapes = [
        ("rrect", (x - 2.0 * s, y - 0.5 * s, x + 2.0 * s, y + 0.5 * s), 0.5 * s),
        ("ellipse", (x - 1.55 * s, y - 1.25 * s, x - 0.05 * s, y + 0.25 * s)),
        ("ellipse", (x - 0.9 * s, y - 1.85 * s, x + 1.1 * s, y + 0.15 * s)),
        ("ellipse", (x + 0.35 * s, y - 1.05 * s, x + 1.65 * s, y + 0.25 * s)),
    ]
    _fill(cv, shapes, colour, alpha)


def _stars(cv: _Canvas, bottom: float) -> None:
    rng, da, u = cv.rng, cv.da, cv.u
    for _ in range(int(110 * cv.w / 3200) + 20):
        x, y = rng.uniform(0, cv.w), rng.uniform(0, bottom) * rng.uniform(0.3, 1)
        r = rng.uniform(0.1, 0.3) * u
        da.ellipse((x - r, y - r, x + r, y + r), fill=_rgba(WHITE, rng.uniform(0.25, 0.85)))


def _birds(cv: _Canvas, colour: RGB) -> None:
    rng, u, da = cv.rng, cv.u, cv.da
    cx, cy = rng.uniform(0.2, 0.8) * cv.w, rng.uniform(0.14, 0.28) * cv.h
    for _ in range(rng.randint(3, 5)):
        x, y, s = cx + rng.gauss(0, 7 * u), cy + rng.gauss(0, 3 * u), rng.uniform(0.9, 1.5) * u
        wing = [(x - s, y - 0.45 * s), (x - 0.45 * s, y - 0.5 * s), (x, y)]
        wing += [(x + 0.45 * s, y - 0.5 * s), (x + s, y - 0.45 * s)]
        da.line(wing, fill=_rgba(colour, 0.7), width=max(2, round(0.22 * u)), joint="curve")


def _landscape(cv: _Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    night = c.dark or rng.random() < 0.2
    if night:
        top = _mix(_dark(c.primary, 0.62), (10, 12, 34), 0.5)
        horizon = _mix(_dark(_mix(c.primary, c.secondary, 0.4), 0.3), c.accent, 0.3)
        orb = _mix(WHITE, c.accent, 0.12)
    else:
        top = _mix(c.primary, _light(c.background, 0.3), 0.5)
        horizon = _mix(_light(c.background, 0.55), c.accent, 0.28)
        orb = _mix(c.accent, WHITE, 0.4)
    haze = _mix(horizon, top, 0.22)
    cv.img = _vertical((w, h), [(0.0, top), (0.68, horizon), (1.0, horizon)])
    if night:
        _stars(cv, 0.5 * h)
    sx, sy, sr = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.32) * h, rng.uniform(5, 7.5) * u
    _glow(cv, sx, sy, sr * 9, orb, 0.32 if night else 0.45, sharpness=3.0)
    _glow(cv, sx, sy, sr * 2.4, orb, 0.5, sharpness=3.0)
    cv.d.ellipse((sx - sr, sy - sr, sx + sr, sy + sr), fill=orb)
    if night:
        for _ in range(3):
            cr, ang = rng.uniform(0.12, 0.22) * sr, rng.uniform(0, math.tau)
            px, py = sx + math.cos(ang) * sr * 0.5, sy + math.sin(ang) * sr * 0.5
            _fill(cv, [("ellipse", (px - cr, py - cr, px + cr, py + cr))], _dark(orb, 0.25), 0.35)
    cloud = _light(haze, 0.7) if not night else _light(haze, 0.2)
    for _ in range(rng.randint(2, 4)):
        cx, cy = rng.uniform(-0.05, 1.05) * w, rng.uniform(0.1, 0.36) * h
        _cloud(cv, cx, cy, rng.uniform(2.5, 5.5) * u, cloud, 0.28 if night else 0.7)
    if not night:
        _birds(cv, _mix(c.ink, top, 0.35))

    means = [0.6, 0.66, 0.75, 0.86]
    for i, mean in enumerate(means):
        depth = i / (len(means) - 1)
        base = _mix(_mix(c.secondary, c.primary, depth), c.ink, 0.12 + 0.5 * depth)
        if night:
            base = _mix(base, c.ink, 0.35)
        colour = _mix(base, haze, 0.05 + 0.68 * (1 - depth) ** 1.2)
        if i < 2:
            ys = _ridge_peaks(rng, (mean + rng.uniform(-0.02, 0.02)) * h, (0.3 - 0.08 * i) * h)
        else:
            ys = _ridge_hills(rng, (mean + rng.uniform(-0.01, 0.01)) * h, 0.035 * h)
        cv.d.polygon([*_ridge_points(ys, w), (w, h), (0, h)], fill=colour)
        if i >= 2:
            for _ in range(rng.randint(1, 2)):
                gx = rng.uniform(0.05, 0.95) * w
                for _ in range(rng.randint(4, 9)):
                    x = gx + rng.gauss(0, 5 * u)
                    tree = rng.uniform(6, 10) * u * (0.65 if i == 2 else 1.0)
                    _pine(cv.d, x, _ridge_at(ys, w, x) + tree * 0.1, tree, colour)
        if i < len(means) - 1:
            # Mist pooling at each ridge's foot is what sells the distance between layers.
            top = min(ys) if i < 2 else mean * h - 0.03 * h
            _band(cv, top, means[i + 1] * h + 0.04 * h, haze, 0.0, 0.7)


# --- hero: city skyline ----------------------------------------------------------------------


def _building(
    cv: _Canvas,
    x: float,
    top: float,
    width: float,
    ground: float,
    colour: RGB,
    windows: tuple[RGB, RGB, float] | None,
) -> None:
    rng, d, u = cv.rng, cv.d, cv.u
    colour = _mix(colour, rng.choice((WHITE, BLACK)), rng.uniform(0, 0.06))
    d.rectangle((x, top, x + width, ground), fill=colour)
    if windows is not None:
        # A shaded flank turns a flat rectangle into a tower catching light from the left.
        d.rectangle((x + width * 0.78, top, x + width, ground), fill=_dark(colour, 0.14))
    style = rng.random()
    if style < 0.25:
        inner, rise = width * rng.uniform(0.45, 0.7), rng.uniform(3, 8) * u
        d.rectangle((x + (width - inner) / 2, top - rise, x + (width + inner) / 2, top), colour)
        if rng.random() < 0.6:
            mast = rng.uniform(3, 9) * u
            d.rectangle(
                (x + width / 2 - 0.2 * u, top - rise - mast, x + width / 2 + 0.2 * u, top), colour
            )
    elif style < 0.4:
        d.polygon([(x, top), (x + width, top - rng.uniform(2, 7) * u), (x + width, top)], colour)
    elif style < 0.5:
        d.chord((x, top - width * 0.35, x + width, top + width * 0.35), 180, 360, fill=colour)
    if windows is None:
        return
    lit, unlit, chance = windows
    margin = 1.2 * u
    if rng.random() < 0.3:
        # Office floors: continuous glazing bands instead of punched windows.
        y = top + margin
        while y + 1.0 * u < ground - margin:
            fill = lit if rng.random() < chance * 0.8 else unlit
            d.rectangle((x + margin, y, x + width - margin, y + 1.0 * u), fill=fill)
            y += 2.4 * u
        return
    ww, wh, gx, gy = 1.1 * u, 1.6 * u, 2.3 * u, 3.0 * u
    cols = max(1, int((width - 2 * margin + (gx - ww)) / gx))
    left = x + (width - (cols * gx - (gx - ww))) / 2
    y = top + margin
    while y + wh < ground - margin:
        for col in range(cols):
            fill = lit if rng.random() < chance else unlit
            wx = left + col * gx
            d.rectangle((wx, y, wx + ww, y + wh), fill=fill)
        y += gy


def _city(cv: _Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    night = c.dark or rng.random() < 0.55
    if night:
        top = _mix(_dark(c.primary, 0.6), (8, 10, 30), 0.45)
        mid = _mix(_dark(c.primary, 0.25), c.accent, 0.35)
        low = _mix(c.accent, _light(c.background, 0.4), 0.3)
        lit = _mix(c.accent, (255, 238, 196), 0.6)
        orb = _mix(c.accent, WHITE, 0.25)
    else:
        top = _mix(c.primary, _light(c.background, 0.3), 0.5)
        mid = _mix(_light(c.background, 0.4), c.secondary, 0.22)
        low = _mix(_light(c.background, 0.6), c.accent, 0.22)
        lit = _light(_mix(c.surface, c.secondary, 0.2), 0.4)
        orb = _mix(c.accent, WHITE, 0.35)
    cv.img = _vertical((w, h), [(0.0, top), (0.5, mid), (0.85, low), (1.0, low)])
    if night:
        _stars(cv, 0.4 * h)
    haze = _mix(low, mid, 0.35)
    sx, sy, sr = rng.uniform(0.25, 0.75) * w, rng.uniform(0.3, 0.42) * h, rng.uniform(9, 13) * u
    _glow(cv, sx, sy, sr * 6, orb, 0.4, sharpness=3.0)
    cv.d.ellipse((sx - sr, sy - sr, sx + sr, sy + sr), fill=orb)
    if not night:
        for _ in range(rng.randint(1, 3)):
            cx, cy = rng.uniform(0, w), rng.uniform(0.08, 0.25) * h
            _cloud(cv, cx, cy, rng.uniform(2.5, 4.5) * u, _light(mid, 0.6), 0.6)

    ground = h * 0.94
    layers = [
        ((0.3, 0.55), (6, 11), 0.72, False),
        ((0.42, 0.66), (8, 14), 0.4, True),
        ((0.56, 0.8), (11, 19), 0.0, True),
    ]
    for i, (tops, widths, fade, detailed) in enumerate(layers):
        depth = i / (len(layers) - 1)
        base = _mix(_mix(c.secondary, c.primary, 0.4 + 0.6 * depth), c.ink, 0.2 + 0.55 * depth)
        colour = _mix(base, haze, fade)
        windows = None
        if detailed:
            unlit = _mix(colour, mid, 0.16)
            glow = _mix(lit, colour, 0.45) if i < 2 else lit
            windows = (glow, unlit, (0.35 if night else 0.25) * (0.6 + 0.4 * depth))
        x = -rng.uniform(0, widths[1]) * u
        while x < w:
            width = rng.uniform(*widths) * u
            top_y = rng.uniform(*tops) * h
            _building(cv, x, top_y, width, h, colour, windows)
            x += width + rng.uniform(-0.3, 1.2) * u
        if i < len(layers) - 1:
            _band(cv, 0.5 * h, h, haze, 0.0, 0.55)
    # Street level: a dark base and rounded trees to ground the towers.
    d = cv.d
    d.rectangle((0, ground, w, h), fill=c.ink)
    tree = _mix(c.ink, c.secondary, 0.22)
    x = rng.uniform(0, 6) * u
    while x < w:
        r = rng.uniform(1.8, 3.0) * u
        d.rectangle((x - 0.25 * u, ground - r, x + 0.25 * u, ground), fill=c.ink)
        d.ellipse((x - r, ground - 2.8 * r, x + r, ground - 0.8 * r), fill=tree)
        x += rng.uniform(5, 14) * u


# --- hero: isometric tech blocks -------------------------------------------------------------


def _iso(ox: float, oy: float, tw: float, i: float, j: float, z: float) -> Point:
    return ox + (i - j) * tw / 2, oy + (i + j) * tw / 4 - z


def _iso_box(
    cv: _Canvas,
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
        return _iso(ox, oy, tw, i, j, z)

    left = [p(i0, j1, z0), p(i1, j1, z0), p(i1, j1, z1), p(i0, j1, z1)]
    right = [p(i1, j0, z0), p(i1, j1, z0), p(i1, j1, z1), p(i1, j0, z1)]
    top = [p(i0, j0, z1), p(i1, j0, z1), p(i1, j1, z1), p(i0, j1, z1)]
    d.polygon(left, fill=colour)
    d.polygon(right, fill=_dark(colour, 0.25))
    d.polygon(top, fill=_light(colour, 0.3))
    return top


def _isometric(cv: _Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    if c.dark:
        stops = [(0.0, _mix(c.background, c.primary, 0.25)), (1.0, _dark(c.background, 0.3))]
    else:
        stops = [
            (0.0, _mix(c.background, c.primary, 0.1)),
            (1.0, _mix(c.background, c.secondary, 0.28)),
        ]
    cv.img = _linear((w, h), stops, rng.uniform(30, 70))
    _glow(cv, w * 0.2, h * 0.2, 0.55 * w, _light(c.primary, 0.3), 0.25, sharpness=2.5)
    _glow(cv, w * 0.85, h * 0.85, 0.5 * w, _light(c.accent, 0.3), 0.18, sharpness=2.5)
    for _ in range(rng.randint(5, 9)):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.4, 1.2) * u
        cv.da.ellipse((x - r, y - r, x + r, y + r), fill=_rgba(_light(c.primary, 0.5), 0.5))

    n = 5
    tw = min(0.7 * w / n, 0.8 * h / (n * 0.5 + 2.0))
    ox, oy = w / 2 + rng.uniform(-0.06, 0.06) * w, h / 2 - n * tw / 4 + 0.1 * h
    slab = 0.5 * tw
    plate = _mix(c.surface, c.background, 0.3)
    edge = [_iso(ox, oy, tw, 0, 0, 0), _iso(ox, oy, tw, n, 0, 0)]
    edge += [_iso(ox, oy, tw, n, n, 0), _iso(ox, oy, tw, 0, n, 0)]
    shadow = [(x, y + slab + 3 * u) for x, y in edge]
    _soft(cv, [("poly", shadow)], c.ink, 0.35, 5 * u)
    _iso_box(cv, ox, oy, tw, (0, 0, n, n), -slab, 0, _mix(plate, c.primary, 0.22))
    d = cv.d
    d.polygon(edge, fill=plate)
    line = _mix(plate, c.primary, 0.12)
    for k in range(1, n):
        d.line(
            [_iso(ox, oy, tw, k, 0, 0), _iso(ox, oy, tw, k, n, 0)], fill=line, width=round(0.2 * u)
        )
        d.line(
            [_iso(ox, oy, tw, 0, k, 0), _iso(ox, oy, tw, n, k, 0)], fill=line, width=round(0.2 * u)
        )

    # Circuit traces run along cell centres, drawn first so blocks sit on top of them.
    trace = _mix(plate, c.accent, 0.7)
    for _ in range(rng.randint(3, 5)):
        i, j = rng.randrange(n) + 0.5, rng.randrange(n) + 0.5
        pts = [(i, j)]
        for _ in range(rng.randint(2, 3)):
            if rng.random() < 0.5:
                i = rng.randrange(n) + 0.5
            else:
                j = rng.randrange(n) + 0.5
            pts.append((i, j))
        d.line([_iso(ox, oy, tw, a, b, 0) for a, b in pts], fill=trace, width=round(0.45 * u))
        for a, b in (pts[0], pts[-1]):
            x, y = _iso(ox, oy, tw, a, b, 0)
            d.ellipse((x - 0.9 * u, y - 0.5 * u, x + 0.9 * u, y + 0.5 * u), fill=trace)

    choices = [c.primary, c.secondary, c.primary, c.accent]
    cells = [(i, j) for i in range(n) for j in range(n)]
    blocks = {cell for cell in cells if rng.random() < 0.45}
    empty = [cell for cell in cells if cell not in blocks]
    floats = set(rng.sample(empty, min(len(empty), rng.randint(1, 3))))
    for i, j in sorted(cells, key=lambda cell: (cell[0] + cell[1], cell[0])):
        if (i, j) in floats:
            # A hovering orb and its shadow on an empty tile: a hint of live data.
            x, y = _iso(ox, oy, tw, i + 0.5, j + 0.5, 0)
            r, lift = 0.17 * tw, rng.uniform(0.45, 0.8) * tw
            _soft(cv, [("ellipse", (x - r, y - r / 2, x + r, y + r / 2))], c.ink, 0.3, 1.2 * u)
            _sphere(cv, x, y - lift, r * 0.8, rng.choice((c.accent, c.secondary)))
        if (i, j) in blocks:
            inset = rng.uniform(0.12, 0.22)
            height = rng.uniform(0.25, 1.2) * tw * (1.0 if rng.random() < 0.75 else 1.6)
            colour = rng.choice(choices)
            cell = (i + inset, j + inset, i + 1 - inset, j + 1 - inset)
            top = _iso_box(cv, ox, oy, tw, cell, 0, height, colour)
            if rng.random() < 0.5:
                # An inset screen on the lid suggests a device or a dashboard tile.
                cx = sum(p[0] for p in top) / 4
                cy = sum(p[1] for p in top) / 4
                screen = [(cx + (x - cx) * 0.6, cy + (y - cy) * 0.6) for x, y in top]
                d.polygon(screen, fill=_mix(_light(colour, 0.3), c.surface, 0.6))
            elif height > 0.8 * tw:
                for k in range(1, int(height / (0.18 * tw))):
                    z = k * 0.18 * tw
                    a = _iso(ox, oy, tw, cell[0] + 0.1, cell[3], z)
                    b = _iso(ox, oy, tw, cell[2] - 0.1, cell[3], z)
                    d.line([a, b], fill=_light(colour, 0.18), width=round(0.3 * u))


# --- hero: interior --------------------------------------------------------------------------


def _leaf_points(bx: float, by: float, length: float, width: float, angle: float) -> list[Point]:
    """A pointed leaf from its base at (bx, by) along `angle` radians."""
    ca, sa = math.cos(angle), math.sin(angle)
    side: list[tuple[float, float]] = []
    for k in range(13):
        t = k / 12
        side.append((t * length, width / 2 * math.sin(math.pi * t) ** 0.8 * (1 - 0.3 * t)))
    outline = side + [(a, -b) for a, b in reversed(side)]
    return [(bx + a * ca - b * sa, by + a * sa + b * ca) for a, b in outline]


def _plant(cv: _Canvas, x: float, base: float, size: float, leaf: RGB, pot: RGB) -> None:
    rng, d = cv.rng, cv.d
    top = base - size * 0.42
    for k in range(rng.randint(6, 9)):
        angle = -math.pi / 2 + rng.uniform(-1.1, 1.1)
        shade = _mix(leaf, _dark(leaf, 0.4), (k % 3) / 3)
        pts = _leaf_points(x, top + size * 0.05, size * rng.uniform(0.5, 0.8), size * 0.22, angle)
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
        fill=_light(pot, 0.12),
    )


def _shelf_items(cv: _Canvas, x0: float, x1: float, y: float, colours: Sequence[RGB]) -> None:
    rng, d, u = cv.rng, cv.d, cv.u
    x = x0 + rng.uniform(1, 3) * u
    while x < x1 - 8 * u:
        kind = rng.random()
        if kind < 0.4:
            for _ in range(rng.randint(3, 6)):
                bw, bh = rng.uniform(1.6, 2.6) * u, rng.uniform(8, 12) * u
                book = rng.choice(colours)
                d.rectangle((x, y - bh, x + bw, y), fill=book)
                d.rectangle((x, y - bh * 0.8, x + bw, y - bh * 0.72), fill=_light(book, 0.3))
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
            d.rounded_rectangle((x, y - jh, x + jw, y), radius=1.2 * u, fill=_light(jar, 0.55))
            d.rounded_rectangle((x, y - jh * 0.6, x + jw, y), radius=1.2 * u, fill=_light(jar, 0.2))
            d.rectangle(
                (x + 0.4 * u, y - jh - 1.3 * u, x + jw - 0.4 * u, y - jh + 0.3 * u),
                fill=_dark(jar, 0.25),
            )
            x += jw
        elif kind < 0.85:
            vr, vase = rng.uniform(3, 4.2) * u, rng.choice(colours)
            d.ellipse((x, y - 2 * vr, x + 2 * vr, y), fill=vase)
            d.rectangle((x + vr * 0.6, y - 2.9 * vr, x + vr * 1.4, y - 1.6 * vr), fill=vase)
            d.ellipse(
                (x + vr * 0.3, y - 1.6 * vr, x + vr * 0.8, y - 1.1 * vr), fill=_light(vase, 0.25)
            )
            x += 2 * vr
        else:
            size = rng.uniform(9, 12) * u
            leaf = _mix(cv.c.secondary, (60, 140, 80), 0.35)
            _plant(cv, x + size * 0.3, y, size, leaf, rng.choice(colours))
            x += size * 0.6
        x += rng.uniform(2, 5) * u


def _frame_art(cv: _Canvas, box: Box) -> None:
    """A framed abstract print: sun over hills, in the palette."""
    c, d, u = cv.c, cv.d, cv.u
    x0, y0, x1, y1 = box
    _soft(cv, [("rect", box)], c.ink, 0.3, 1.5 * u, offset=(0.6 * u, 1.2 * u))
    d.rectangle(box, fill=_dark(_mix(c.secondary, c.accent, 0.3), 0.45))
    m = 1.2 * u
    inner = (x0 + m, y0 + m, x1 - m, y1 - m)
    d.rectangle(inner, fill=_light(c.surface, 0.4))
    p = 2.2 * u
    art = (inner[0] + p, inner[1] + p, inner[2] - p, inner[3] - p)
    d.rectangle(art, fill=_mix(c.background, c.accent, 0.2))
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


def _interior(cv: _Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    floor_y = rng.uniform(0.72, 0.76) * h
    rail_y = floor_y - 0.2 * h
    wall_top = _mix(c.surface, c.background, 0.5)
    wall_low = _mix(c.background, c.secondary, 0.14)
    if c.dark:
        wall_top, wall_low = _mix(c.background, c.primary, 0.15), _mix(c.surface, c.secondary, 0.12)
    panel = _mix(wall_low, c.primary, 0.12)
    floor_far = _mix(_mix(c.secondary, c.primary, 0.3), wall_low, 0.45)
    floor_near = _dark(floor_far, 0.18)
    f, r = floor_y / h, rail_y / h
    cv.img = _vertical(
        (w, h),
        [
            (0.0, wall_top),
            (r - 0.001, wall_low),
            (r, panel),
            (f - 0.001, _dark(panel, 0.05)),
            (f, floor_far),
            (1.0, floor_near),
        ],
    )
    d = cv.d
    # Floorboards converge on a vanishing point above the room for a hint of perspective.
    board = _mix(floor_far, c.ink, 0.1)
    for k in range(-14, 15):
        d.line(
            [(w / 2 + k * 7 * u, floor_y), (w / 2 + k * 13 * u, h)],
            fill=board,
            width=max(1, round(0.18 * u)),
        )
    d.rectangle((0, rail_y - 0.8 * u, w, rail_y), fill=_light(panel, 0.3))
    for k in range(1, 12):
        # Wainscot panel seams.
        x = k * w / 11
        d.line(
            [(x, rail_y + 2 * u), (x, floor_y - 3 * u)],
            fill=_dark(panel, 0.06),
            width=max(1, round(0.25 * u)),
        )
    d.rectangle((0, floor_y - 1.8 * u, w, floor_y), fill=_light(panel, 0.35))
    _soft(cv, [("rect", (0, floor_y, w, floor_y + 0.5 * u))], c.ink, 0.25, 1.2 * u)

    # Window on the right (the whole room is mirrored at the end half of the time).
    wx0, wx1, wy0, wy1 = 0.66 * w, 0.9 * w, 0.1 * h, rail_y - 2 * u
    frame = _light(c.surface, 0.3) if not c.dark else _mix(c.surface, c.secondary, 0.2)
    _soft(cv, [("rect", (wx0, wy0, wx1, wy1))], c.ink, 0.3, 2 * u, offset=(-0.8 * u, 1.2 * u))
    d.rectangle((wx0, wy0, wx1, wy1), fill=frame)
    g = 1.4 * u
    sky_top = _mix(c.primary, WHITE, 0.45 if not c.dark else 0.0)
    sky_low = _mix(c.accent, WHITE, 0.55 if not c.dark else 0.2)
    glass = _vertical(
        (round(wx1 - wx0 - 2 * g), round(wy1 - wy0 - 2 * g)), [(0, sky_top), (1, sky_low)]
    )
    cv.img.paste(glass, (round(wx0 + g), round(wy0 + g)))
    hills = _ridge_hills(rng, wy1 - 0.1 * h, 0.025 * h, n=24)
    pts = [(wx0 + g + (wx1 - wx0 - 2 * g) * k / 24, y) for k, y in enumerate(hills)]
    d.polygon([*pts, (wx1 - g, wy1 - g), (wx0 + g, wy1 - g)], fill=_mix(c.secondary, sky_low, 0.35))
    d.rectangle(((wx0 + wx1) / 2 - g / 2, wy0, (wx0 + wx1) / 2 + g / 2, wy1), fill=frame)
    d.rectangle((wx0, (wy0 + wy1) / 2 - g / 2, wx1, (wy0 + wy1) / 2 + g / 2), fill=frame)
    d.rectangle((wx0 - 1.5 * u, wy1, wx1 + 1.5 * u, wy1 + 1.8 * u), fill=_light(frame, 0.3))
    shaft = [(wx0, wy1), (wx1, wy1), (wx1 - 0.1 * w, h), (wx0 - 0.28 * w, h)]
    _fill(cv, [("poly", shaft)], _light(sky_low, 0.6), 0.12)

    # Shelves on the left wall, a print between the lamp and the window.
    sx0, sx1 = 0.04 * w, 0.24 * w
    wood = _mix(_mix(c.secondary, c.accent, 0.3), c.ink, 0.35)
    objects = [c.primary, c.secondary, c.accent, _light(c.primary, 0.35)]
    for y in (0.3 * h, 0.5 * h)[: rng.randint(1, 2)]:
        _soft(cv, [("rect", (sx0, y, sx1, y + 1.5 * u))], c.ink, 0.35, 1.5 * u, offset=(0, 1.5 * u))
        _shelf_items(cv, sx0, sx1, y, objects)
        d.rectangle((sx0, y, sx1, y + 1.5 * u), fill=wood)
    fw = rng.uniform(0.1, 0.13) * w
    _frame_art(cv, (0.58 * w - fw, 0.14 * h, 0.58 * w, 0.14 * h + fw * 1.25))

    # Pendant lamp over the table, with the light it throws.
    tx = rng.uniform(0.36, 0.4) * w
    lamp_y = rng.uniform(0.16, 0.22) * h
    shade = c.accent if _luma(c.accent) < 0.8 else c.primary
    _glow(cv, tx, lamp_y + 20 * u, 50 * u, _light(c.accent, 0.6), 0.35 if c.dark else 0.22, 2.5)
    d.line([(tx, 0), (tx, lamp_y)], fill=c.ink, width=max(1, round(0.35 * u)))
    d.chord((tx - 10 * u, lamp_y - 1 * u, tx + 10 * u, lamp_y + 15 * u), 180, 360, fill=shade)
    d.rectangle((tx - 1.2 * u, lamp_y - 2.2 * u, tx + 1.2 * u, lamp_y), fill=_dark(shade, 0.2))
    d.chord(
        (tx - 2.4 * u, lamp_y + 4.4 * u, tx + 2.4 * u, lamp_y + 9.2 * u),
        0,
        180,
        fill=_light(c.accent, 0.85),
    )

    # Rug, table and what stands on it, each with a contact shadow.
    foot = floor_y + 0.15 * h
    top_y = foot - 0.3 * h
    half = 0.22 * w
    rug = _mix(c.primary, floor_far, 0.55)
    d.ellipse((tx - half * 1.3, foot - 5 * u, tx + half * 1.3, foot + 6 * u), fill=rug)
    d.ellipse(
        (tx - half * 1.15, foot - 3.5 * u, tx + half * 1.15, foot + 4.5 * u),
        outline=_light(rug, 0.2),
        width=round(0.6 * u),
    )
    _soft(
        cv,
        [("ellipse", (tx - half * 1.05, foot - 3 * u, tx + half * 1.05, foot + 2.5 * u))],
        c.ink,
        0.4,
        3 * u,
    )
    table = _mix(wood, c.surface, 0.15)
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
            fill=_dark(table, shade_by),
        )
    _soft(
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
        fill=_light(table, 0.2),
    )

    surface_y = top_y - 0.5 * u
    slots = [tx - half * 0.68, tx - half * 0.05, tx + half * 0.6]
    items = [_table_vase, _table_bowl, _table_cup, _table_books]
    rng.shuffle(items)
    for x, item in zip(slots, items, strict=False):
        item(cv, x, surface_y)

    # Floor plant under the window.
    px, py = 0.86 * w, floor_y + 0.12 * h
    _soft(cv, [("ellipse", (px - 8 * u, py - 2 * u, px + 9 * u, py + 2 * u))], c.ink, 0.35, 1.5 * u)
    _plant(
        cv, px, py, 34 * u, _mix(c.secondary, (50, 120, 70), 0.45), _mix(c.surface, c.accent, 0.25)
    )
    cv.mirror = rng.random() < 0.5


def _contact(cv: _Canvas, x0: float, x1: float, y: float) -> None:
    u = cv.u
    _soft(cv, [("ellipse", (x0, y - 0.9 * u, x1, y + 0.7 * u))], cv.c.ink, 0.4, 0.9 * u)


def _table_vase(cv: _Canvas, x: float, y: float) -> None:
    c, d, u, rng = cv.c, cv.d, cv.u, cv.rng
    vr = 4.5 * u
    _contact(cv, x - vr, x + vr * 1.6, y)
    for k in range(5):
        angle = -math.pi / 2 + (k - 2) * 0.32 + rng.uniform(-0.1, 0.1)
        pts = _leaf_points(x, y - 2 * vr, 10 * u, 3.4 * u, angle)
        d.polygon(pts, fill=_mix(c.secondary, _dark(c.secondary, 0.45), k / 5))
    d.rounded_rectangle((x - vr, y - 2.6 * vr, x + vr, y), radius=vr * 0.8, fill=c.primary)
    d.rounded_rectangle(
        (x - vr * 0.6, y - 2.3 * vr, x - vr * 0.3, y - vr * 0.7),
        radius=vr * 0.15,
        fill=_light(c.primary, 0.25),
    )


def _table_bowl(cv: _Canvas, x: float, y: float) -> None:
    c, d, u = cv.c, cv.d, cv.u
    br = 8 * u
    _contact(cv, x - br, x + br * 1.2, y)
    for fx, fc in ((-0.38, c.accent), (0.36, c.secondary), (0.0, _mix(c.accent, c.primary, 0.4))):
        fr = 3.2 * u
        _sphere(cv, x + fx * br, y - br * 0.5 - fr * 0.55 - (1.2 * u if fx == 0 else 0), fr, fc)
    bowl = _light(c.surface, 0.1) if not c.dark else _light(c.surface, 0.3)
    d.chord((x - br, y - br * 1.1, x + br, y + br * 0.1 - 0.2 * u), 0, 180, fill=bowl)
    d.rectangle((x - br * 0.35, y - 1.2 * u, x + br * 0.35, y), fill=_dark(bowl, 0.12))


def _table_cup(cv: _Canvas, x: float, y: float) -> None:
    c, d, u = cv.c, cv.d, cv.u
    cup = _light(c.primary, 0.15) if cv.rng.random() < 0.5 else c.accent
    _contact(cv, x - 5.5 * u, x + 6.5 * u, y)
    d.ellipse((x + 1.8 * u, y - 6.4 * u, x + 6 * u, y - 2.2 * u), outline=cup, width=round(1.1 * u))
    d.rounded_rectangle(
        (x - 3.8 * u, y - 7.6 * u, x + 3.3 * u, y - 0.8 * u), radius=1.6 * u, fill=cup
    )
    d.rounded_rectangle(
        (x - 5.5 * u, y - 1.2 * u, x + 5 * u, y), radius=0.5 * u, fill=_dark(cup, 0.15)
    )
    steam = _rgba(_light(c.surface, 0.5), 0.6)
    for k in (-1, 1):
        pts = [(x + k * 1.2 * u + math.sin(t / 3) * u, y - 9 * u - t * 0.7 * u) for t in range(10)]
        cv.da.line(pts, fill=steam, width=round(0.5 * u), joint="curve")


def _table_books(cv: _Canvas, x: float, y: float) -> None:
    c, d, u, rng = cv.c, cv.d, cv.u, cv.rng
    _contact(cv, x - 7 * u, x + 8 * u, y)
    for k, colour in enumerate(
        rng.sample([c.primary, c.secondary, c.accent, _light(c.primary, 0.4)], 3)
    ):
        bw, bh = rng.uniform(11, 14) * u, 2.2 * u
        bx = x - bw / 2 + rng.uniform(-1, 1) * u
        by = y - k * bh
        d.rounded_rectangle((bx, by - bh, bx + bw, by), radius=0.4 * u, fill=colour)
        d.rectangle(
            (bx + bw - 1.2 * u, by - bh + 0.5 * u, bx + bw - 0.2 * u, by - 0.5 * u),
            fill=_light(c.surface, 0.5),
        )


_HERO_SCENES: dict[str, Callable[[_Canvas], None]] = {
    "landscape": _landscape,
    "city": _city,
    "tech": _isometric,
    "interior": _interior,
}


# --- supporting: abstract depth --------------------------------------------------------------


def _sphere(cv: _Canvas, cx: float, cy: float, r: float, colour: RGB) -> None:
    """A ball lit from the upper left."""
    mask, box = _mask(cv, [("ellipse", (cx - r, cy - r, cx + r, cy + r))])
    if mask is None:
        return
    radius = 1.75 * r  # must exceed r plus the highlight offset so the crop stays inside
    hx, hy = cx - 0.38 * r, cy - 0.42 * r
    size = max(2, round(2 * radius))
    shading = _radial().resize((size, size), _BILINEAR)
    fx, fy = round(box[0] - (hx - radius)), round(box[1] - (hy - radius))
    shading = shading.crop((fx, fy, fx + mask.width, fy + mask.height))
    stops = [
        (0.0, _light(colour, 0.45)),
        (0.25, colour),
        (0.7, _dark(colour, 0.3)),
        (1.0, _dark(colour, 0.35)),
    ]
    cv.img.paste(_colorize(shading, stops), box[:2], mask)


def _bokeh(cv: _Canvas) -> None:
    c, rng, w, h = cv.c, cv.rng, cv.w, cv.h
    dark = c.dark or rng.random() < 0.5
    if dark:
        stops = [(0.0, _mix(c.primary, c.ink, 0.55)), (1.0, _mix(c.secondary, c.ink, 0.45))]
        tints = [
            _light(c.primary, 0.3),
            _light(c.secondary, 0.3),
            _light(c.accent, 0.2),
            _light(c.accent, 0.6),
        ]
    else:
        stops = [
            (0.0, _mix(c.background, c.primary, 0.18)),
            (1.0, _mix(c.background, c.secondary, 0.3)),
        ]
        tints = [c.primary, c.secondary, c.accent, _light(c.primary, 0.4)]
    # The blurred layers are composed at an eighth of the size: they hold no detail worth pixels.
    lw, lh = max(8, w // 8), max(8, h // 8)
    lu = min(lw, lh) / 100
    base = _linear((lw, lh), stops, rng.uniform(20, 70))
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
    cv.img = _stretch(base, (w, h))
    # A few sharp discs in the focal plane give the blur something to be out of focus against.
    u = cv.u
    for _ in range(rng.randint(4, 7)):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(1.5, 5) * u
        tint = rng.choice(tints)
        _fill(cv, [("ellipse", (x - r, y - r, x + r, y + r))], tint, 0.55)
        cv.da.ellipse(
            (x - r, y - r, x + r, y + r),
            outline=_rgba(_light(tint, 0.5), 0.6),
            width=max(1, round(0.25 * u)),
        )
    _glow(cv, rng.choice((0, w)), rng.uniform(0, h), 0.6 * w, _light(c.accent, 0.4), 0.25, 2.5)


def _waves(cv: _Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    top = _mix(c.background, c.primary, 0.15 if not c.dark else 0.3)
    low = _mix(_light(c.background, 0.3), c.accent, 0.22)
    cv.img = _vertical((w, h), [(0.0, top), (0.6, low), (1.0, low)])
    sx, sy, sr = rng.uniform(0.2, 0.8) * w, rng.uniform(0.22, 0.35) * h, rng.uniform(8, 12) * u
    orb = _mix(c.accent, WHITE, 0.3)
    _glow(cv, sx, sy, sr * 5, orb, 0.4, 3.0)
    cv.d.ellipse((sx - sr, sy - sr, sx + sr, sy + sr), fill=orb)
    far = _mix(c.secondary, low, 0.45)
    near = _mix(c.primary, c.ink, 0.4)
    n = 5
    for i in range(n):
        t = i / (n - 1)
        colour = _mix(far, near, t**0.8)
        mean = (0.45 + 0.42 * t) * h
        ys = _ridge_hills(rng, mean, (0.07 - 0.015 * t) * h, n=80)
        pts = _ridge_points(ys, w)
        shape = [("poly", [*pts, (w, h + 10 * u), (0, h + 10 * u)])]
        # Paper-cut depth: each layer shadows the one behind, visible only above its own edge.
        if i > 0:
            ylim = (min(ys) - 10 * u, max(ys) + 2 * u)
            _soft(cv, shape, c.ink, 0.35, 3 * u, offset=(0, -1.2 * u), ylim=ylim)
        _draw_shapes(cv.d, shape, colour)


def _still_life(cv: _Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    table_y = rng.uniform(0.64, 0.7) * h
    wall = _mix(c.background, c.primary, 0.08 if not c.dark else 0.2)
    wall_low = _mix(c.background, c.secondary, 0.16)
    top = _mix(c.surface, c.secondary, 0.22) if not c.dark else _mix(c.surface, c.secondary, 0.25)
    f = table_y / h
    cv.img = _vertical(
        (w, h),
        [(0.0, wall), (f - 0.001, wall_low), (f, _light(top, 0.15)), (1.0, _dark(top, 0.12))],
    )
    d = cv.d
    # An arch backdrop frames the group, a staple of product photography sets.
    ax = rng.uniform(0.4, 0.6) * w
    aw = rng.uniform(0.24, 0.3) * w
    arch = _mix(wall, c.primary, 0.18)
    d.rectangle((ax - aw, 0.08 * h + aw, ax + aw, table_y), fill=arch)
    d.ellipse((ax - aw, 0.08 * h, ax + aw, 0.08 * h + 2 * aw), fill=arch)
    _glow(cv, ax - aw * 0.3, 0.2 * h, 0.5 * w, _light(c.background, 0.5), 0.3, 2.0)

    colours = [c.primary, c.secondary, c.accent, _light(c.primary, 0.35)]
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
        _soft(cv, cast, c.ink, 0.22, 2.5 * u)
        _soft(
            cv,
            [("ellipse", (x - size, base - size * 0.2, x + size, base + size * 0.2))],
            c.ink,
            0.45,
            1.0 * u,
        )
        if kind == "sphere":
            _sphere(cv, x, base - size, size, colour)
        elif kind == "cylinder":
            e, height = size * 0.3, size * rng.uniform(1.6, 2.4)
            body = [
                ("rect", (x - size, base - height, x + size, base)),
                ("ellipse", (x - size, base - e, x + size, base + e)),
            ]
            _fill_gradient(
                cv,
                body,
                [
                    (0.0, _dark(colour, 0.05)),
                    (0.3, _light(colour, 0.25)),
                    (0.7, colour),
                    (1.0, _dark(colour, 0.3)),
                ],
                0,
            )
            d.ellipse(
                (x - size, base - height - e, x + size, base - height + e), fill=_light(colour, 0.2)
            )
        elif kind == "cube":
            tw = size * 1.7
            _iso_box(cv, x, base - tw / 2, tw, (0, 0, 1, 1), 0, size * 1.2, colour)
        else:
            e, height = size * 0.3, size * rng.uniform(2.0, 2.8)
            body = [
                ("poly", [(x, base - height), (x + size, base), (x - size, base)]),
                ("ellipse", (x - size, base - e, x + size, base + e)),
            ]
            _fill_gradient(
                cv,
                body,
                [
                    (0.0, _light(colour, 0.1)),
                    (0.35, _light(colour, 0.3)),
                    (1.0, _dark(colour, 0.3)),
                ],
                0,
            )


# --- icons -----------------------------------------------------------------------------------

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
    d.polygon(_leaf_points(bx, by, 1.75 * r, 1.05 * r, -math.pi / 4), fill=255)
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


_GLYPHS: dict[str, Callable[[ImageDraw.ImageDraw, float, float, float], None]] = {
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


def pick_glyph(image: PlannedImage, seed: int) -> str:
    """Name of the icon glyph for `image`: from words in its key, prompt and alt, else the seed."""
    name = _best_match(_GLYPH_WORDS, [(image.key, 3), (image.prompt, 1), (image.alt, 1)])
    return name or random.Random(seed).choice(sorted(_GLYPHS))


def _icon(cv: _Canvas, image: PlannedImage) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    glyph = pick_glyph(image, rng.randrange(1 << 30))
    bg = c.background
    top = _light(bg, 0.25) if not c.dark else _mix(bg, c.primary, 0.12)
    cv.img = _linear((w, h), [(0.0, top), (1.0, _mix(bg, c.primary, 0.08))], 90)
    cx, cy, half = w / 2, h / 2 - 1.5 * u, 36 * u
    box = (cx - half, cy - half, cx + half, cy + half)
    shape = ("ellipse", box) if rng.random() < 0.35 else ("rrect", box, half * 0.48)
    _soft(cv, [shape], c.ink, 0.38, 5 * u, offset=(0, 4.5 * u))
    _soft(cv, [shape], c.ink, 0.25, 1.2 * u, offset=(0, 1.2 * u))
    main = c.primary
    stops = [
        (0.0, _light(main, 0.2)),
        (0.55, main),
        (1.0, _mix(_dark(main, 0.2), c.secondary, 0.35)),
    ]
    _fill_gradient(cv, [shape], stops, 60)
    # A faint top sheen and a light rim give the badge a slight bevel.
    mask, mbox = _mask(cv, [shape])
    if mask is None:
        return
    sheen = Image.new("L", mask.size, 0)
    ImageDraw.Draw(sheen).ellipse((-0.3 * half, -1.1 * half, 2.3 * half, 0.9 * half), fill=30)
    _paint(cv.img, WHITE, mbox[:2], ImageChops.multiply(mask, sheen))
    inset = 1.0 * u
    inner_box = (box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset)
    inner = (
        ("ellipse", inner_box) if shape[0] == "ellipse" else ("rrect", inner_box, shape[2] - inset)
    )
    inner_mask = Image.new("L", mask.size, 0)
    _draw_shapes(ImageDraw.Draw(inner_mask), [inner], 255, mbox[0], mbox[1])
    _paint(cv.img, WHITE, mbox[:2], ImageChops.subtract(mask, inner_mask).point(_alpha_lut(0.22)))
    glyph_mask = Image.new("L", (w, h), 0)
    _GLYPHS[glyph](ImageDraw.Draw(glyph_mask), cx, cy, half * 0.56)
    if _luma(main) < 0.62:
        fg, under = (c.surface if _luma(c.surface) > 0.6 else WHITE), _dark(main, 0.55)
    else:
        # A pale brand colour (yellow, mint) needs a dark glyph to stay legible.
        fg, under = _dark(main, 0.72), _light(main, 0.5)
    shadow = glyph_mask.resize((w // 4, h // 4), _BILINEAR).filter(
        ImageFilter.GaussianBlur(0.6 * u)
    )
    shadow = shadow.resize((w, h), _BILINEAR).point(_alpha_lut(0.35))
    _paint(cv.img, under, (0, round(0.9 * u)), shadow)
    _paint(cv.img, fg, (0, 0), glyph_mask)


# --- backgrounds -----------------------------------------------------------------------------


def _pattern(cv: _Canvas) -> None:
    c, rng, w, h, u = cv.c, cv.rng, cv.w, cv.h, cv.u
    bg = c.background
    stops = [(0.0, _mix(bg, c.primary, 0.04)), (1.0, _mix(bg, c.secondary, 0.1))]
    cv.img = _linear((w, h), stops, rng.uniform(20, 70))
    _glow(cv, rng.choice((0.1, 0.9)) * w, 0.15 * h, 0.8 * w, _mix(bg, c.primary, 0.35), 0.18, 2.0)
    ink = _mix(bg, c.primary, 0.16 if not c.dark else 0.22)
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
    fade = _stretch(_field((w, h), rng.uniform(0, 360)).point(lut), (w, h))
    _paint(cv.img, ink, (0, 0), ImageChops.multiply(mask, fade))


def _topo(cv: _Canvas, d: ImageDraw.ImageDraw) -> None:
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

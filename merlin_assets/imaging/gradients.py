"""Gradient images built small and stretched: vertical and angled ramps mapped onto colour stops."""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence

from PIL import Image

from merlin_assets.color import RGB, mix_rgb

Stops = Sequence[tuple[float, RGB]]

# radial_gradient() is 256 px wide but reaches 255 only in its corners: 181 marks its 128 px radius.
RADIAL_EDGE = 181
BILINEAR = Image.Resampling.BILINEAR
NEAREST = Image.Resampling.NEAREST


@functools.cache
def radial() -> Image.Image:
    return Image.radial_gradient("L")


@functools.cache
def ramp() -> Image.Image:
    """A 1x256 ramp from 0 at the top to 255 at the bottom."""
    return Image.linear_gradient("L").crop((0, 0, 1, 256))


def _stops_lut(stops: Stops) -> list[int]:
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
                    colour = mix_rgb(c0, c1, (t - t0) / (t1 - t0) if t1 > t0 else 0.0)
                    break
        for i in range(3):
            channels[i].append(colour[i])
    return channels[0] + channels[1] + channels[2]


def colorize(gray: Image.Image, stops: Stops) -> Image.Image:
    return gray.convert("RGB").point(_stops_lut(stops))


def vertical(size: tuple[int, int], stops: Stops) -> Image.Image:
    w, h = size
    strip = ramp().resize((1, h), BILINEAR)
    return colorize(strip, stops).resize((w, h), NEAREST)


def angle_field(size: tuple[int, int], angle: float) -> Image.Image:
    """An L ramp from 0 to 255 along `angle` degrees: 0 runs left to right, 90 top to bottom."""
    w, h = size
    # A linear field survives bilinear stretching exactly, so it is built tiny.
    sw, sh = max(2, math.ceil(w / 24)), max(2, math.ceil(h / 24))
    ca, sa = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    across = ramp().transpose(Image.Transpose.ROTATE_90).resize((sw, sh), BILINEAR)
    across = across.transpose(Image.Transpose.FLIP_LEFT_RIGHT)  # 0 at the left edge
    down = ramp().resize((sw, sh), BILINEAR)
    if ca < 0:
        across = across.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if sa < 0:
        down = down.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    weight = abs(sa) / (abs(ca) + abs(sa)) if abs(ca) + abs(sa) else 0.0
    return Image.blend(across, down, weight)


def stretch(small: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scale a smooth image up to `size`."""
    w, h = size
    if w * h < 1_000_000:
        return small.resize(size, BILINEAR)
    # Doubling a smooth gradient by pixel repetition is invisible and 2.5x cheaper.
    half = small.resize(((w + 1) // 2, (h + 1) // 2), BILINEAR)
    half = half.resize((half.width * 2, half.height * 2), NEAREST)
    return half if half.size == size else half.crop((0, 0, w, h))


def linear(size: tuple[int, int], stops: Stops, angle: float) -> Image.Image:
    """Gradient along `angle` degrees: 0 runs left to right, 90 top to bottom."""
    return stretch(colorize(angle_field(size, angle), stops), size)

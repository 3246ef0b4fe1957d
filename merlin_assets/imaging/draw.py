"""Offline illustrations drawn with Pillow: layered scenes, abstract depth, icon badges, patterns.

`draw_image` is the entry point; the scenes live in `merlin_assets.imaging.scenes` and the
canvas they draw on in `merlin_assets.imaging.canvas`.
"""

from __future__ import annotations

import hashlib
import random

from PIL import Image

from merlin_assets.imaging.canvas import Canvas, Colours, finish
from merlin_assets.imaging.scenes import HERO_SCENES, SUPPORTING_SCENES, icon, pattern, pick_scene
from merlin_assets.imaging.scenes.icon import pick_glyph
from merlin_assets.types.images import PlannedImage
from merlin_assets.types.style import Palette

__all__ = ["ICON_SIZE", "aspect_size", "draw_image", "pick_glyph"]

ICON_SIZE = (512, 512)
_ASPECT_SIZES = {"16:9": (1600, 900), "4:3": (1200, 900), "3:2": (1200, 800), "1:1": (900, 900)}
# Scenes are drawn at twice the output size and scaled down, which anti-aliases polygon edges.
_SUPERSAMPLE = 2
# A 2x canvas beyond this many output pixels would blow the time budget; draw those at 1x.
_SUPERSAMPLE_MAX_PIXELS = 1600 * 900


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
        scene: The hero scene to draw, a name in `HERO_SCENES` ("landscape", "city",
            "isometric", "interior"). When empty, the image's prompt and key are searched for
            words that suit a scene, and failing that the seed decides. Any other text is
            matched by its words too, for industry profiles that still give free-text hints
            such as "kitchen" or "tech".

    Returns:
        An RGB image of exactly `size`.
    """
    width, height = size
    if width < 16 or height < 16:
        raise ValueError(f"image size too small: {size}")
    scale = _SUPERSAMPLE if width * height <= _SUPERSAMPLE_MAX_PIXELS else 1
    rng = _rng(image, seed, scene)
    cv = Canvas(width * scale, height * scale, rng, Colours.of(palette))
    grain, vignette = 4.0, 0.0
    if image.purpose == "hero":
        HERO_SCENES[pick_scene(scene, image, rng)](cv)
        vignette = 0.22
    elif image.purpose == "supporting":
        rng.choice(SUPPORTING_SCENES)(cv)
        vignette = 0.14
    elif image.purpose == "icon":
        icon.draw(cv, image)
        grain = 1.5
    else:
        pattern.draw(cv)
        grain = 2.5
    return finish(cv, size, grain=grain, vignette=vignette)


def _rng(image: PlannedImage, seed: int, scene: str) -> random.Random:
    # hash() of a str changes per process; a digest keeps drawings stable across runs.
    text = f"{seed}|{image.key}|{image.purpose}|{image.aspect}|{image.prompt}|{scene}"
    return random.Random(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big"))

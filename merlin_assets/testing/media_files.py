"""Photos and logos made procedurally, for tests, the media bench and the example project.

Each photo is a smooth scene (sky gradient, ground, soft shapes) with film-like grain, so it
compresses like a photograph rather than like flat art; the same seed gives the same bytes.
"""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

GPS_IFD = 0x8825
ORIENTATION = 0x0112
CAMERA_SERIAL = 0xA431  # BodySerialNumber


def photo(
    width: int, height: int, seed: int, *, palette: tuple[tuple[int, int, int], ...] = ()
) -> Image.Image:
    """A photo-like RGB image: sky, ground, a few blurred forms and grain."""
    rng = random.Random(seed)
    colours = palette or tuple(
        (rng.randrange(40, 230), rng.randrange(40, 230), rng.randrange(40, 230)) for _ in range(4)
    )
    small_w, small_h = max(8, width // 8), max(8, height // 8)
    img = Image.new("RGB", (small_w, small_h))
    top, bottom = np.array(colours[0], float), np.array(colours[1], float)
    ramp = np.linspace(0, 1, small_h)[:, None, None]
    sky = top * (1 - ramp) + bottom * ramp
    img = Image.fromarray(np.repeat(sky, small_w, axis=1).astype("uint8"))
    draw = ImageDraw.Draw(img)
    horizon = int(small_h * rng.uniform(0.5, 0.75))
    draw.rectangle((0, horizon, small_w, small_h), fill=colours[2])
    for _ in range(6):
        cx, cy = rng.randrange(small_w), rng.randrange(small_h)
        r = rng.randrange(max(2, small_h // 10), max(3, small_h // 3))
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colours[rng.randrange(len(colours))])
    img = img.filter(ImageFilter.GaussianBlur(1.5)).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    noise = np.random.default_rng(seed).normal(0, 6, (height, width, 1))
    pixels = np.clip(np.asarray(img, float) + noise, 0, 255).astype("uint8")
    return Image.fromarray(pixels)


def jpeg_with_metadata(img: Image.Image, *, orientation: int = 1, quality: int = 88) -> bytes:
    """JPEG bytes carrying what must never reach a site: GPS, a camera serial, an orientation."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "MerlinCam"  # Make
    exif.get_ifd(0x8769)[CAMERA_SERIAL] = "SN-4242-SECRET"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (55.0, 58.0, 30.0)
    gps[3], gps[4] = "W", (3.0, 10.0, 12.0)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


def logo_svg(name: str, colour: str = "#7a3e1d", accent: str = "#e9b44c") -> str:
    """A small wordmark logo: a round mark and the name, in plain SVG."""
    letters = "".join(w[0] for w in name.split()[:2]).upper()
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="360" height="96" viewBox="0 0 360 96">'
        f'<circle cx="48" cy="48" r="40" fill="{colour}"/>'
        f'<circle cx="48" cy="48" r="28" fill="{accent}"/>'
        f'<text x="48" y="58" font-family="sans-serif" font-size="28" font-weight="700" '
        f'text-anchor="middle" fill="{colour}">{letters}</text>'
        f'<text x="104" y="60" font-family="serif" font-size="34" fill="{colour}">{name}</text>'
        "</svg>"
    )


def icon_svg(colour: str = "#7a3e1d", accent: str = "#e9b44c") -> str:
    """A square mark for favicons."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
        f'<rect width="256" height="256" rx="56" fill="{colour}"/>'
        f'<circle cx="128" cy="128" r="72" fill="{accent}"/>'
        f'<path d="M88 150 Q128 70 168 150 Z" fill="{colour}"/>'
        "</svg>"
    )


# The example project's photos (examples/with-media/harbour-loaf/media/): name -> size, seed
# and colours (sky, ground, forms). Each carries GPS and a camera serial, which the site
# must not.
EXAMPLE_PHOTOS = {
    "shopfront.jpg": ((1800, 1200), 11, ((222, 196, 160), (180, 120, 80), (90, 60, 40))),
    "ovens.jpg": ((1200, 900), 12, ((60, 40, 30), (200, 90, 40), (120, 70, 40))),
    "loaves.jpg": ((1200, 900), 13, ((240, 220, 190), (190, 140, 90), (150, 100, 60))),
    "pastries.jpg": ((1200, 900), 14, ((250, 235, 210), (220, 170, 110), (200, 120, 70))),
    "harbour.jpg": ((1200, 800), 15, ((150, 190, 220), (60, 110, 140), (200, 200, 190))),
    "maggie.jpg": ((900, 1200), 16, ((230, 210, 190), (140, 100, 80), (200, 150, 120))),
    "tom.jpg": ((900, 1200), 17, ((210, 220, 230), (120, 110, 100), (190, 140, 110))),
    "wholesale.jpg": ((1200, 900), 18, ((235, 225, 205), (160, 120, 80), (110, 80, 50))),
}


def write_example_photos(folder) -> None:
    """Write the example's photos (smaller JPEGs than a camera's, to keep the repo small)."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, (size, seed, colours) in EXAMPLE_PHOTOS.items():
        img = photo(*size, seed, palette=colours)
        (folder / name).write_bytes(jpeg_with_metadata(img, quality=72))

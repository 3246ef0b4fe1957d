"""A tiny placeholder for an image: its mean colour and a blurred thumbnail as a data URL.

The site's stylesheet paints it as the `<img>`'s background, so the box the image's
`width`/`height` already reserve shows the photo's colours until the file arrives, and the
image covers it once decoded: no layout change, no script (the CSP allows neither inline
styles nor a blurhash decoder). The CSP's `img-src 'self' data:` admits the data URL.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from PIL import Image, ImageStat

# 16 px across, scaled up by the browser, reads as a soft blur of the photo; WebP at quality
# 40 makes it 80-200 bytes (base64 ~110-270 characters) for the photos in examples/, so ten
# images add under 3 KB to the shared stylesheet.
THUMB_WIDTH = 16
THUMB_QUALITY = 40


@dataclass(frozen=True)
class Placeholder:
    """The mean colour (`#rrggbb`) and a blurred thumbnail (`data:image/webp;base64,...`)."""

    color: str
    thumb: str


def placeholder(img: Image.Image) -> Placeholder:
    """The placeholder of `img` as it will be shown (already cropped to its slot)."""
    rgb = img if img.mode == "RGB" else img.convert("RGB")
    height = max(1, round(rgb.height * THUMB_WIDTH / rgb.width))
    small = rgb.resize((THUMB_WIDTH, height), Image.Resampling.BOX, reducing_gap=2.0)
    r, g, b = (round(c) for c in ImageStat.Stat(small).mean[:3])
    out = io.BytesIO()
    small.save(out, "WEBP", quality=THUMB_QUALITY, method=6)
    data = base64.b64encode(out.getvalue()).decode("ascii")
    return Placeholder(color=f"#{r:02x}{g:02x}{b:02x}", thumb=f"data:image/webp;base64,{data}")

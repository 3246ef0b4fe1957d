"""A photo as a vision model is shown it: small, upright, sRGB, with no metadata at all.

Sent only to describe a photo the config gives without alt text (`engine.describe`). The same
check and clean as the site's files run first, so the camera's serial number and GPS never
leave the machine, and 768 px on the long side is all a description needs (OpenAI reads
`detail: low` images at 512 px; a 12 MP JPEG would be ~4 MB of base64 per request).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image

from merlin_assets.config.errors import ConfigError
from merlin_assets.imaging.encode import sniff
from merlin_assets.media.check import MAX_PHOTO_BYTES, decode, read_limited
from merlin_assets.media.clean import clean_photo

LONG_SIDE = 768
QUALITY = 80


def model_jpeg(path: Path, digest: str, *, source: str, field: str) -> bytes:
    """The checked photo at `path` as a small JPEG without metadata.

    Raises:
        ConfigError: The file no longer holds the bytes that were checked (`digest`), or
            cannot be read.
    """
    data = read_limited(path, MAX_PHOTO_BYTES, source=source, field=field)
    if hashlib.sha256(data).hexdigest() != digest:
        raise ConfigError(source, field, f"{path.name} changed since the config was loaded")
    img = clean_photo(decode(data, sniff(data), name=path.name, source=source, field=field))
    img.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    img.convert("RGB").save(out, "JPEG", quality=QUALITY, optimize=True)
    return out.getvalue()

"""Images the fake server returns: cached gradients, a decompression bomb, size parsing."""

from __future__ import annotations

import functools
import io
import re
import struct
import zlib
from typing import Any

from PIL import Image

from merlin_assets.testing.openai_settings import BOMB_SIDE, MAX_IMAGE_SIDE

# The palettes a fake image is drawn in; openai_server.py picks one per request by seed.
GRADIENTS = (
    ((31, 58, 95), (242, 180, 90)),
    ((20, 110, 90), (230, 240, 220)),
    ((90, 30, 110), (250, 200, 210)),
    ((15, 15, 20), (120, 170, 230)),
)


@functools.lru_cache(maxsize=64)
def gradient_image(width: int, height: int, fmt: str = "png", variant: int = 0) -> bytes:
    """Encoded bytes of a two-colour diagonal gradient; cached because encoding dominates."""
    top, bottom = GRADIENTS[variant % len(GRADIENTS)]
    mask = Image.linear_gradient("L").rotate(variant * 30 % 90).resize((width, height))
    img = Image.composite(
        Image.new("RGB", mask.size, bottom), Image.new("RGB", mask.size, top), mask
    )
    out = io.BytesIO()
    if fmt == "png":
        img.save(out, "PNG", compress_level=1)
    else:
        img.save(out, fmt.upper(), quality=80)
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def bomb_png(side: int = BOMB_SIDE) -> bytes:
    """A valid 1-bit PNG of `side`x`side` zeros: ~100 KB on the wire, ~900 Mpx decoded."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte + packed bits
    packer = zlib.compressobj(9)
    parts = [packer.compress(row * 100) for _ in range(side // 100)]
    parts += [packer.compress(row * (side % 100)), packer.flush()]
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )


def parse_size(size: Any) -> tuple[int, int] | None:
    """(width, height) from an API size string; "auto"/missing mean 1024x1024."""
    if size in (None, "", "auto"):
        return 1024, 1024
    match = re.fullmatch(r"(\d{2,5})x(\d{2,5})", str(size))
    if not match:
        return None
    width, height = int(match.group(1)), int(match.group(2))
    if not (16 <= width <= MAX_IMAGE_SIDE and 16 <= height <= MAX_IMAGE_SIDE):
        return None
    return width, height

"""Image bytes from outside that are bombs or not images at all: that image falls back, the run
goes on.

The engine-level tests use a small provider that hands its "API reply" bytes to
`open_untrusted` exactly as the OpenAI provider does, and falls back to a drawing when they are
refused, so the path under test is the one a real reply takes after base64 decoding.
"""

from __future__ import annotations

import asyncio
import io
import struct
import tracemalloc
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from merlin_assets import summaries
from merlin_assets.imaging.encode import (
    MAX_PIXELS,
    UntrustedImageError,
    open_untrusted,
    save_web_image,
)
from merlin_assets.llm.base import ImageRequest, ImageResult
from merlin_assets.llm.offline import draw
from merlin_assets.storage.local import ArtifactStore
from merlin_assets.types.images import ImageFile
from merlin_assets_tests.hostile_support import QuickImagesLLM, build_site

EXAMPLE = Path(__file__).parents[1] / "examples" / "projects" / "crumb-and-co-bakery.yaml"
PEAK_BYTES = 32 * 1024 * 1024


def _chunk(tag: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(tag + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)


def _png_bomb(side: int) -> bytes:
    """A real, complete greyscale PNG of side x side zeros: kilobytes that decode to megapixels."""
    row = b"\x00" + b"\x00" * side
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")
    )


def _encoded(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header is patched to claim a huge size."""
    data = bytearray(_encoded(Image.new("RGB", (16, 16), "red"), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _webp_claiming(width: int, height: int) -> bytes:
    """A lossless WEBP (VP8L) whose header claims a huge size (14 bits per side at most)."""
    data = bytearray(_encoded(Image.new("RGB", (16, 16), "red"), "WEBP", lossless=True))
    bits = (width - 1) | ((height - 1) << 14)
    pos = data.index(b"VP8L") + 9
    data[pos : pos + 4] = struct.pack(
        "<I", bits | (int.from_bytes(data[pos : pos + 4], "little") & ~0x0FFFFFFF)
    )
    return bytes(data)


def _corrupt_idat(png: bytes) -> bytes:
    """`png` with its compressed pixel data overwritten (and the checksum fixed to match)."""
    start = png.index(b"IDAT") - 4
    length = struct.unpack(">I", png[start : start + 4])[0]
    junk = bytes(range(256)) * (length // 256 + 1)
    return png[:start] + _chunk(b"IDAT", junk[:length]) + png[start + 12 + length :]


GOOD = _encoded(Image.new("RGB", (64, 48), (200, 120, 40)), "PNG")
BAD_BYTES = {
    "png-bomb-real": _png_bomb(4200),  # 17.6 M pixels from ~18 KB
    "png-bomb-header": b"\x89PNG\r\n\x1a\n"
    + _chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0))
    + _chunk(b"IEND", b""),
    "jpeg-bomb-header": _jpeg_claiming(60_000, 60_000),
    "webp-bomb-header": _webp_claiming(16_000, 16_000),
    "truncated-png": GOOD[: len(GOOD) // 2],
    "png-corrupt-pixels": _corrupt_idat(GOOD),
    "html-error-page": b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>",
    "json-error": b'{"error": {"message": "content policy violation"}}',
    "svg-with-script": b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    "gif": _encoded(Image.new("RGB", (8, 8)), "GIF"),
    "bmp": _encoded(Image.new("RGB", (8, 8)), "BMP"),
    "tiff": _encoded(Image.new("RGB", (8, 8)), "TIFF"),
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n",
    "zip": b"PK\x03\x04" + b"\x00" * 60,
    "empty": b"",
    "png-signature-then-html": b"\x89PNG\r\n\x1a\n<script>alert(1)</script>",
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("case", sorted(BAD_BYTES))
def test_bad_image_bytes_are_refused_in_bounded_memory(case):
    tracemalloc.start()
    try:
        with pytest.raises(UntrustedImageError) as err:
            open_untrusted(BAD_BYTES[case])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(err.value)
    if "bomb" in case:
        assert "too large" in str(err.value)
    assert peak < PEAK_BYTES, f"{case}: peak {peak / 1e6:.1f} MB"


def test_the_real_bomb_is_small_and_only_its_size_is_wrong():
    bomb = BAD_BYTES["png-bomb-real"]
    assert len(bomb) < 64 * 1024
    with pytest.raises(UntrustedImageError, match="too large"):
        open_untrusted(bomb)
    # The same bytes under a big enough limit decode: it is a real image, not a broken one.
    assert open_untrusted(bomb, max_pixels=MAX_PIXELS * 2).size == (4200, 4200)


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.sampled_from(
        [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF\x00\x00\x00\x00WEBP"]
    ),
    tail=st.binary(max_size=512),
)
def test_fuzzed_bytes_are_refused_or_decode_to_a_bounded_rgb_image(prefix, tail):
    try:
        img = open_untrusted(prefix + tail)
    except UntrustedImageError:
        return
    assert img.mode == "RGB" and img.width * img.height <= MAX_PIXELS


# --- through the engine -------------------------------------------------------------------------


class BadBytesLLM(QuickImagesLLM):
    """A provider whose image "replies" are raw bytes, decoded with `open_untrusted` like the
    OpenAI provider's; a refused image falls back to a drawing and the call says why. It keeps
    every request, so a test can draw the picture the offline drawer makes for it."""

    name = "bytes"

    def __init__(self, replies: dict[str, bytes], *, raise_instead: bool = False):
        self.replies = replies
        self.raise_instead = raise_instead
        self.requests: dict[str, ImageRequest] = {}

    async def image(self, request: ImageRequest) -> ImageResult:
        self.requests[request.image.key] = request
        result = await super().image(request)
        data = self.replies.get(request.image.key, GOOD)
        try:
            result.image = await asyncio.to_thread(open_untrusted, data)
            result.call.provider = self.name
        except UntrustedImageError as exc:
            if self.raise_instead:
                raise
            result.image = await asyncio.to_thread(draw, request)
            result.call.status = "fallback"
            result.call.fallback_reason = f"unusable image: {exc}"[:300]
        return result


def _refusal(data: bytes) -> str:
    """What `open_untrusted` says about `data`."""
    with pytest.raises(UntrustedImageError) as err:
        open_untrusted(data)
    return str(err.value)


@pytest.mark.parametrize("raise_instead", [False, True], ids=["provider-falls-back", "raises"])
def test_bad_images_fall_back_and_the_run_goes_on(raise_instead, tmp_path: Path):
    cases = sorted(BAD_BYTES)
    # Plan the keys first with a plain run, then hand bad bytes to as many images as there are.
    probe, events = build_site(
        EXAMPLE, llm=QuickImagesLLM(), sites=tmp_path / "probe", work=tmp_path / "w0"
    )
    keys = [e.partition for e in events if e.asset == "site_images"]
    replies = {k: BAD_BYTES[cases[i % len(cases)]] for i, k in enumerate(keys[:-1])}
    llm = BadBytesLLM(replies, raise_instead=raise_instead)
    site, events = build_site(EXAMPLE, llm=llm, sites=tmp_path / "sites", work=tmp_path / "w1")
    images = {e.partition: e for e in events if e.asset == "site_images"}
    assert set(images) == set(keys)
    stored = ArtifactStore(tmp_path / "w1").images_dir(site.name)
    for key, event in images.items():
        saved, call = event.value, event.calls[0]
        # The record the engine kept beside the files, and the metadata Dagster shows.
        assert ImageFile.model_validate_json((stored / f"{key}.json").read_bytes()) == saved
        meta = summaries.timing(event) | summaries.describe(event)
        assert meta["source"] == saved.source and meta["files"] == sorted(saved.files.values())
        # Every file the record names was published and is a real, readable picture.
        for name in [*saved.files.values(), saved.fallback]:
            with Image.open(site / "images" / name) as img:
                img.verify()
        if key not in replies:
            assert saved.source != "fallback" and call.status == "ok", key
            assert call.provider == "bytes" and meta["fallback"] is False
            assert (saved.width, saved.height) == (64, 48), key  # GOOD's own pixels
            continue
        assert saved.source == "fallback" and meta["fallback"] is True, key
        assert meta["fallback_reason"] == call.fallback_reason, key
        if raise_instead:
            # The engine's own fallback: the offline provider drew it, and the call says why.
            assert (call.provider, call.model, call.status) == ("offline", "pillow", "fallback")
            assert call.fallback_reason == f"UntrustedImageError: {_refusal(replies[key])}"[:300]
        # The pixels are the offline drawer's for this very request, at its full size.
        expected_dir = tmp_path / "expected" / key
        expected = save_web_image(
            draw(llm.requests[key]), expected_dir, key=key, alt=saved.alt, source="fallback"
        )
        assert expected == saved, key
        for name in [*saved.files.values(), saved.fallback]:
            assert (site / "images" / name).read_bytes() == (expected_dir / name).read_bytes()
    # Every page was published, as in the plain run.
    assert sorted(p.name for p in site.glob("*.html")) == sorted(
        p.name for p in probe.glob("*.html")
    )
    assert any(e.asset == "quality_assessment" for e in events)

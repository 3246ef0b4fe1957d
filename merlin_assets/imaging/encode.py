"""Decode image bytes from outside safely, and save images in responsive web sizes."""

from __future__ import annotations

import contextlib
import io
import os
import struct
import tempfile
import warnings
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Literal

from PIL import Image, ImageOps

from merlin_assets.imaging.placeholder import placeholder
from merlin_assets.types.field_limits import ID_RE
from merlin_assets.types.images import ImageFile

ALLOWED_FORMATS = ("PNG", "JPEG", "WEBP")
WEB_WIDTHS = (480, 960, 1600)
ICON_WIDTHS = (256, 512)
FALLBACK_MAX_WIDTH = 960
WEBP_QUALITY = 80
JPEG_QUALITY = 82
_KEY = ID_RE
# Decoders signal bad input with many exception types; all of them mean "not a usable image".
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error)
# Signatures of formats we recognise but refuse, to name them in the error.
_OTHER_SIGNATURES = (
    (b"GIF8", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"8BPS", "PSD"),
    (b"%PDF", "PDF"),
    (b"\x00\x00\x01\x00", "ICO"),
)


class UntrustedImageError(ValueError):
    """Bytes from outside that are not a safe, supported image."""


def sniff(data: bytes) -> str:
    """The format the bytes are, by their signature: JPEG, PNG, WEBP, SVG, another's name, or
    "unknown". One reader for model images and the business's own files (media/check.py)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    for signature, name in _OTHER_SIGNATURES:
        if data.startswith(signature):
            return name
    if data[4:8] == b"ftyp":
        return "HEIF/AVIF"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg")):
        return "SVG"
    return "unknown"


def _sniff(data: bytes) -> str:
    """The format named by the file signature, or raise UntrustedImageError."""
    fmt = sniff(data)
    if fmt in ("PNG", "JPEG", "WEBP"):
        return fmt
    if fmt == "unknown":
        raise UntrustedImageError("data is not an image (no PNG, JPEG or WEBP signature)")
    raise UntrustedImageError(f"unsupported image format {fmt}; expected PNG, JPEG or WEBP")


# Every image model we call returns at most 1792 x 1024; 4096 x 4096 leaves room for others
# while capping what a few kilobytes of compressed data may expand to (48 MB as RGB).
MAX_PIXELS = 4096 * 4096


def open_untrusted(data: bytes, *, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Decode image bytes from outside (e.g. an API reply) into a loaded RGB image.

    Only PNG, JPEG and WEBP are decoded, so no other Pillow plugin ever sees the bytes. The size
    is checked from the header before any pixel is decoded. Transparency is flattened onto white
    and EXIF rotation applied.

    Args:
        data: The encoded image.
        max_pixels: Largest width * height accepted. Pillow's own `Image.MAX_IMAGE_PIXELS`
            still applies too, as an error rather than a warning.

    Raises:
        UntrustedImageError: Not an image, an unsupported format, a truncated or corrupt file,
            or too many pixels (a decompression bomb).
    """
    if max_pixels < 1:
        raise ValueError(f"max_pixels must be positive, got {max_pixels}")
    if not data:
        raise UntrustedImageError("no image data")
    data = bytes(data)
    fmt = _sniff(data)
    # catch_warnings() swaps process-wide filters, so it only turns Pillow's bomb warning into an
    # error; the pixel limit itself is our own check on the header size, which needs no globals.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data), formats=(fmt,))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise UntrustedImageError(f"image too large (decompression bomb?): {exc}") from exc
        except _DECODE_ERRORS as exc:
            raise UntrustedImageError(f"cannot read {fmt} header: {exc}") from exc
        with img:
            width, height = img.size
            if width < 1 or height < 1:
                raise UntrustedImageError(f"image has no pixels: {width}x{height}")
            if width * height > max_pixels:
                raise UntrustedImageError(
                    f"image too large: {width}x{height} is over the {max_pixels} pixel limit"
                )
            try:
                img.load()
                return _to_rgb(ImageOps.exif_transpose(img))
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise UntrustedImageError(f"image too large (decompression bomb?): {exc}") from exc
            except _DECODE_ERRORS as exc:
                raise UntrustedImageError(f"corrupt or truncated {fmt} image: {exc}") from exc


def _to_rgb(img: Image.Image) -> Image.Image:
    """A new RGB image; transparent parts become white rather than black."""
    has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        img.mode == "P" and "transparency" in img.info
    )
    if has_alpha:
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return img.convert("RGB")


def web_widths(width: int) -> list[int]:
    """Widths to save an image `width` pixels wide at: never upscaled, at least one."""
    ladder = ICON_WIDTHS if width <= ICON_WIDTHS[-1] else WEB_WIDTHS
    widths = [w for w in ladder if w <= width]
    # Keep the full resolution of an image between two rungs (1200 px wide, say): dropping it
    # to 960 would make it soft on high-density screens.
    if width <= ladder[-1] and width not in widths:
        widths.append(width)
    return widths


def save_web_image(
    img: Image.Image,
    out_dir: Path,
    *,
    key: str,
    alt: str,
    source: Literal["offline", "openai", "fallback"],
) -> ImageFile:
    """Save `img` as responsive WebP files plus one JPEG fallback, each written atomically.

    Files are `<key>-<width>.webp` for every width from `web_widths()` and `<key>.jpg` at most
    960 pixels wide. A reader never sees a half-written file.

    Args:
        img: The image, any mode; transparency is flattened onto white.
        out_dir: Directory to write into; created if missing.
        key: File name stem, matching `limits.ID_RE`.
        alt: Alternative text, stored in the returned record.
        source: Where the pixels came from.

    Returns:
        The record of the saved files; width and height are those of the largest WebP.

    Raises:
        ValueError: For a bad key, an empty image, or an `out_dir` that is a symlink.
    """
    if not _KEY.fullmatch(key):
        raise ValueError(f"image key must match {_KEY.pattern}: {key!r}")
    if img.width < 1 or img.height < 1:
        raise ValueError(f"image has no pixels: {img.width}x{img.height}")
    rgb = img if img.mode == "RGB" else _to_rgb(img)
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise ValueError(f"{out_dir} is a symlink; refusing to write images through it")
    out_dir.mkdir(parents=True, exist_ok=True)

    files: dict[str, str] = {}
    scaled: dict[int, Image.Image] = {}
    source_img = rgb
    # Largest first, each size from the one before: smaller resizes, the same LANCZOS result
    # to the eye. WebP method 2 encodes about 2.5x faster than 4 for ~6% more bytes; on two
    # cores image encoding is most of a wide site's CPU time.
    for width in sorted(web_widths(rgb.width), reverse=True):
        source_img = scaled[width] = _scale_to_width(source_img, width)
        name = f"{key}-{width}.webp"
        _write_atomic(
            out_dir / name,
            lambda fh, im=source_img: im.save(fh, "WEBP", quality=WEBP_QUALITY, method=2),
        )
        files[str(width)] = name

    fallback = f"{key}.jpg"
    fallback_width = min(rgb.width, FALLBACK_MAX_WIDTH)
    small = scaled.get(fallback_width) or _scale_to_width(rgb, fallback_width)
    _write_atomic(
        out_dir / fallback,
        lambda fh: small.save(fh, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True),
    )
    files = dict(sorted(files.items(), key=lambda kv: int(kv[0])))
    largest = _scale_size(rgb.size, max(int(w) for w in files))
    stand_in = placeholder(small)
    return ImageFile(
        key=key,
        alt=alt,
        width=largest[0],
        height=largest[1],
        files=files,
        fallback=fallback,
        source=source,
        color=stand_in.color,
        thumb=stand_in.thumb,
    )


def _scale_size(size: tuple[int, int], width: int) -> tuple[int, int]:
    return width, max(1, round(size[1] * width / size[0]))


def _scale_to_width(img: Image.Image, width: int) -> Image.Image:
    if width == img.width:
        return img
    return img.resize(_scale_size(img.size, width), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _write_atomic(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write a file through a temporary sibling and rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes files private (0600); a web server must be able to read them.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise

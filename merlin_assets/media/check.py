"""Checking the business's media files: nothing in them is trusted.

A file must sit inside the config's folder (no symlink on the way, no '..'), be of the kind
its bytes say (not its name), fit the size and pixel limits, decode completely, and be a still,
8-bit RGB or greyscale image. Anything else is a `ConfigError` naming the file and the field,
raised while the config is loaded, so nothing is written for the run.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from merlin_assets.config.errors import ConfigError
from merlin_assets.config.media import media_refs
from merlin_assets.imaging.encode import sniff

if TYPE_CHECKING:
    from merlin_assets.config.project import ProjectConfig

# A 12 MP camera JPEG is 3-8 MB and a 12 MP PNG up to ~36 MB; beyond this a file is not a photo
# meant for a web page.
MAX_PHOTO_BYTES = 40 * 1024 * 1024
MAX_LOGO_BYTES = 4 * 1024 * 1024
# 50 MP covers full-frame cameras (45.7 MP); 10 KB of PNG can claim billions of pixels, so the
# header's size is checked before a single pixel is decoded.
MAX_PHOTO_PIXELS = 50_000_000
# Smaller than a phone screen's width is too small to serve on any slot.
MIN_PHOTO_SIDE = 200
MIN_LOGO_SIDE = 32

# Decoders signal bad input with many exception types; all of them mean "not a usable image".
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error)
_SUFFIX_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".svg": "SVG"}
_GOOD_MODES = {"RGB", "RGBA", "L", "LA", "P", "PA", "1"}


@dataclass(frozen=True)
class MediaFile:
    """A checked file: where it is, what its bytes are, and their content hash."""

    field: str
    path: Path
    format: str  # JPEG, PNG, WEBP or SVG
    width: int
    height: int
    digest: str  # sha256 of the bytes: the cache key of everything made from it


def resolve_inside(folder: Path, value: str, *, source: str, field: str) -> Path:
    """`value` joined to the config's folder, refusing symlinks and anything that leaves it."""
    folder = folder.resolve()
    path = folder
    for part in Path(value).parts:
        if part in ("", "."):
            continue
        if part == "..":
            raise ConfigError(source, field, f"{value!r} leaves the config's folder")
        path = path / part
        try:
            info = path.lstat()
        except FileNotFoundError:
            raise ConfigError(
                source, field, f"{value!r} does not exist (looked for {path})"
            ) from None
        except OSError as exc:
            raise ConfigError(source, field, f"cannot read {value!r}: {exc.strerror}") from None
        if stat.S_ISLNK(info.st_mode):
            raise ConfigError(
                source,
                field,
                f"{value!r} goes through a symlink ({path.name}); copy the file itself into "
                "the config's folder",
            )
    if not path.is_relative_to(folder) or path == folder:
        raise ConfigError(source, field, f"{value!r} is not a file inside the config's folder")
    if not stat.S_ISREG(path.lstat().st_mode):
        raise ConfigError(source, field, f"{value!r} is not a regular file")
    return path


def read_limited(path: Path, limit: int, *, source: str, field: str) -> bytes:
    """The file's bytes, refusing it past `limit` without reading the rest."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ConfigError(source, field, f"cannot read {path.name}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ConfigError(
            source, field, f"{path.name} is over the {limit // (1024 * 1024)} MB limit"
        )
    if not data:
        raise ConfigError(source, field, f"{path.name} is empty")
    return data


def _kind_matches_name(fmt: str, path: Path, *, source: str, field: str, allowed: tuple) -> None:
    named = _SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt not in allowed:
        shown = "not an image" if fmt == "unknown" else f"{fmt} data"
        want = ", ".join("JPEG" if a == "JPEG" else a for a in allowed)
        raise ConfigError(source, field, f"{path.name} is {shown}; expected {want}")
    if named != fmt:
        right = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "SVG": ".svg"}[fmt]
        raise ConfigError(
            source,
            field,
            f"{path.name} is named {path.suffix} but its bytes are {fmt}; rename it to "
            f"{path.stem}{right} (or export it again)",
        )


def decode(data: bytes, fmt: str, *, name: str, source: str, field: str) -> Image.Image:
    """Open and fully decode raster bytes of a known format, refusing everything unsafe.

    Returns the loaded image as the file has it (its mode, metadata and orientation); see
    `merlin_assets.media.clean` for what is served.
    """
    with warnings.catch_warnings():
        # Pillow's own bomb check warns between MAX_IMAGE_PIXELS and twice that; here it refuses.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data), formats=(fmt,))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ConfigError(
                source, field, f"{name} claims too many pixels (a decompression bomb?)"
            ) from None
        except _DECODE_ERRORS as exc:
            raise ConfigError(source, field, f"{name} is not a readable {fmt}: {exc}") from None
        width, height = img.size
        if width * height > MAX_PHOTO_PIXELS:
            raise ConfigError(
                source,
                field,
                f"{name} is {width}x{height}, over the {MAX_PHOTO_PIXELS // 1_000_000} MP limit; "
                "export it smaller (4000 px wide is plenty)",
            )
        if getattr(img, "is_animated", False) or getattr(img, "n_frames", 1) > 1:
            raise ConfigError(source, field, f"{name} is animated; give a still image (one frame)")
        if img.mode == "CMYK":
            raise ConfigError(
                source,
                field,
                f"{name} is CMYK (print colours); export it as an RGB (sRGB) JPEG or PNG",
            )
        if img.mode not in _GOOD_MODES or _png_bit_depth(data) == 16:
            raise ConfigError(
                source,
                field,
                f"{name} is a {img.mode} image with 16-bit or unusual channels; export it as "
                "an 8-bit RGB JPEG or PNG",
            )
        try:
            img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ConfigError(
                source, field, f"{name} claims too many pixels (a decompression bomb?)"
            ) from None
        except _DECODE_ERRORS as exc:
            raise ConfigError(
                source, field, f"{name} is truncated or corrupt ({exc}); export it again"
            ) from None
    return img


def _png_bit_depth(data: bytes) -> int:
    """The IHDR bit depth of a PNG (Pillow reads 16-bit RGB PNGs as 8-bit RGB silently)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 24 and data[12:16] == b"IHDR":
        return data[24]
    return 0


def check_file(
    folder: Path, value: str, *, source: str, field: str, logo: bool = False
) -> tuple[MediaFile, bytes]:
    """One media file checked whole; `logo` allows SVG and smaller sides."""
    path = resolve_inside(folder, value, source=source, field=field)
    data = read_limited(
        path, MAX_LOGO_BYTES if logo else MAX_PHOTO_BYTES, source=source, field=field
    )
    fmt = sniff(data)
    allowed = ("SVG", "PNG", "JPEG", "WEBP") if logo else ("JPEG", "PNG", "WEBP")
    _kind_matches_name(fmt, path, source=source, field=field, allowed=allowed)
    digest = hashlib.sha256(data).hexdigest()
    if fmt == "SVG":
        from merlin_assets.media.svg import clean_svg, svg_size

        cleaned = clean_svg(data, name=path.name, source=source, field=field)
        width, height = svg_size(cleaned)
        return MediaFile(field, path, fmt, width, height, digest), cleaned
    img = decode(data, fmt, name=path.name, source=source, field=field)
    smallest = MIN_LOGO_SIDE if logo else MIN_PHOTO_SIDE
    if min(img.size) < smallest:
        raise ConfigError(
            source,
            field,
            f"{path.name} is {img.width}x{img.height}; at least {smallest} px a side is needed",
        )
    return MediaFile(field, path, fmt, img.width, img.height, digest), data


# Content hash -> checked; a sensor or CLI loading the same config again re-reads and hashes the
# bytes (~0.01 s for a 4 MB JPEG) but does not decode a 12 MP photo again (~0.3 s of CPU each):
# in this process from memory, in the next one from a marker file per content hash.
_CHECKED: dict[tuple[str, str, bool], tuple[str, int, int]] = {}
# Bump when a check is added, so files passed by an older check are checked again.
_CHECK_VERSION = "1"


def checked_dir() -> Path | None:
    """Where passed checks are remembered across runs; None when MERLIN_MEDIA_CHECKED=off."""
    setting = os.environ.get("MERLIN_MEDIA_CHECKED", "")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "merlin" / "media-checked"


def _marker(key: tuple[str, str, bool]) -> Path | None:
    folder = checked_dir()
    if folder is None:
        return None
    digest, suffix, logo = key
    return folder / f"{digest}-{suffix.lstrip('.')}-{'logo' if logo else 'photo'}-v{_CHECK_VERSION}"


def _remembered(key: tuple[str, str, bool]) -> tuple[str, int, int] | None:
    if key in _CHECKED:
        return _CHECKED[key]
    marker = _marker(key)
    try:
        fmt, width, height = marker.read_text().split() if marker else ("", "", "")
        found = (fmt, int(width), int(height))
    except (OSError, ValueError):
        return None
    _CHECKED[key] = found
    return found


def _remember(key: tuple[str, str, bool], found: tuple[str, int, int]) -> None:
    _CHECKED[key] = found
    marker = _marker(key)
    if marker is None:
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        tmp = marker.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(" ".join(map(str, found)))
        os.replace(tmp, marker)
    except OSError:
        pass  # a read-only home only costs the next run a decode


def check_media(
    config: ProjectConfig, config_path: Path, *, only: str | None = None
) -> dict[str, MediaFile]:
    """Every media file of the config (or the one at field `only`), checked; field -> file.

    Raises:
        ConfigError: naming the config file and the field of the first file refused.
    """
    folder = Path(config_path).parent
    source = str(config_path)
    checked: dict[str, MediaFile] = {}
    for field, value, logo in media_refs(config):
        if only is not None and field != only:
            continue
        path = resolve_inside(folder, value, source=source, field=field)
        raw = read_limited(
            path, MAX_LOGO_BYTES if logo else MAX_PHOTO_BYTES, source=source, field=field
        )
        key = (hashlib.sha256(raw).hexdigest(), path.suffix.lower(), logo)
        known = _remembered(key)
        if known is not None:
            checked[field] = MediaFile(field, path, *known, key[0])
            continue
        found, _ = check_file(folder, value, source=source, field=field, logo=logo)
        _remember(key, (found.format, found.width, found.height))
        checked[field] = found
    return checked

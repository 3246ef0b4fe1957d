"""What is served of a checked photo: upright, in sRGB, with no metadata at all."""

from __future__ import annotations

import io

from PIL import Image, ImageCms, ImageOps

_SRGB = ImageCms.createProfile("sRGB")


def to_srgb(img: Image.Image) -> Image.Image:
    """Colours converted from the embedded ICC profile to sRGB (assumed sRGB without one).

    A Display P3 phone photo shown without conversion looks washed out in browsers that ignore
    the profile, and the profile itself is stripped below.
    """
    icc = img.info.get("icc_profile")
    rgb_mode = "RGBA" if img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info else "RGB"
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            base = img.convert(rgb_mode)
            return ImageCms.profileToProfile(base, source, _SRGB, outputMode=rgb_mode) or base
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile is treated as none: the pixels are kept as they are
    return img.convert(rgb_mode)


def flatten(img: Image.Image, background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """RGB, transparent parts on `background` (JPEG has no alpha)."""
    if img.mode != "RGBA":
        return img.convert("RGB")
    base = Image.new("RGBA", img.size, (*background, 255))
    return Image.alpha_composite(base, img).convert("RGB")


def strip(img: Image.Image) -> Image.Image:
    """A copy of the pixels only: no EXIF, GPS, XMP, ICC, comments or text chunks.

    Encoders read some of these from `img.info` (AVIF takes the ICC profile from it), so a new
    image is made from the raw pixels rather than trusting each encoder to leave them out.
    """
    bare = Image.frombytes(img.mode, img.size, img.tobytes())
    bare.info = {}
    return bare


def clean_photo(img: Image.Image) -> Image.Image:
    """A decoded photo made safe to serve: EXIF orientation applied, sRGB, RGB, bare pixels."""
    upright = ImageOps.exif_transpose(img) or img
    if upright is not img and "icc_profile" in img.info:
        upright.info["icc_profile"] = img.info["icc_profile"]
    return strip(flatten(to_srgb(upright)))


def clean_logo(img: Image.Image) -> Image.Image:
    """A decoded raster logo: upright, sRGB, transparency kept (RGBA), bare pixels."""
    upright = ImageOps.exif_transpose(img) or img
    if upright is not img and "icc_profile" in img.info:
        upright.info["icc_profile"] = img.info["icc_profile"]
    return strip(to_srgb(upright).convert("RGBA"))

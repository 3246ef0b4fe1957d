"""The business's logo and icon: published cleaned, drawn into icons, and read for a palette."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image
from pydantic import BaseModel

from merlin_assets import color
from merlin_assets.media.check import check_file

if TYPE_CHECKING:
    from merlin_assets.config.project import ProjectConfig

# The header shows the logo this many CSS px tall; its file is drawn at 2x for dense screens.
HEADER_HEIGHT = 40
_RASTER_LOGO_HEIGHT = HEADER_HEIGHT * 3
_ICON_SIDE = 512


class BrandLogo(BaseModel):
    """The logo as published at the site root, and the size the header shows it at."""

    file: str
    width: int
    height: int


@dataclass(frozen=True)
class Marks:
    """What the brand kit draws from: the logo file to publish and a square icon image."""

    logo_name: str  # "logo.svg" or "logo.png"
    logo_bytes: bytes
    logo: BrandLogo
    icon: Image.Image  # RGBA, square, _ICON_SIDE px
    dark: tuple[str, bytes, BrandLogo] | None = None  # brand.logo_dark, for the dark footer


def _raster(data: bytes, fmt: str, width: int) -> Image.Image:
    """An RGBA drawing of a checked logo file, `width` px wide."""
    if fmt == "SVG":
        from merlin_assets.media.svg import rasterise

        return rasterise(data, width)
    from merlin_assets.media.check import decode
    from merlin_assets.media.clean import clean_logo

    img = clean_logo(decode(data, fmt, name="logo", source="logo", field="brand.logo"))
    height = max(1, round(img.height * width / img.width))
    return img.resize((width, height), Image.Resampling.LANCZOS)


def _square(img: Image.Image, side: int) -> Image.Image:
    """`img` fitted inside a transparent square, centred, with a little margin."""
    inner = round(side * 0.9)
    scale = inner / max(img.size)
    fitted = img.resize(
        (max(1, round(img.width * scale)), max(1, round(img.height * scale))),
        Image.Resampling.LANCZOS,
    )
    tile = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    tile.paste(fitted, ((side - fitted.width) // 2, (side - fitted.height) // 2), fitted)
    return tile


def load_marks(config: ProjectConfig, config_path: Path | str) -> Marks | None:
    """The logo and icon of the config, checked again and prepared; None when it names none."""
    logo_ref = config.brand.logo or config.brand.icon
    if logo_ref is None:
        return None
    folder, source = Path(config_path).parent, str(config_path)
    field = "brand.logo" if config.brand.logo else "brand.icon"
    found, data = check_file(folder, logo_ref, source=source, field=field, logo=True)
    ratio = found.width / found.height
    header = BrandLogo(
        file="",
        width=max(1, round(HEADER_HEIGHT * ratio)),
        height=HEADER_HEIGHT,
    )
    name, published = _published("logo", found.format, data, ratio)
    header = header.model_copy(update={"file": name})
    dark = None
    if config.brand.logo_dark:
        dark_found, dark_data = check_file(
            folder, config.brand.logo_dark, source=source, field="brand.logo_dark", logo=True
        )
        dark_ratio = dark_found.width / dark_found.height
        dark_name, dark_bytes = _published("logo-dark", dark_found.format, dark_data, dark_ratio)
        size = BrandLogo(
            file=dark_name, width=max(1, round(HEADER_HEIGHT * dark_ratio)), height=HEADER_HEIGHT
        )
        dark = (dark_name, dark_bytes, size)
    if config.brand.icon:
        icon_found, icon_data = check_file(
            folder, config.brand.icon, source=source, field="brand.icon", logo=True
        )
        icon_src = _raster(icon_data, icon_found.format, _ICON_SIDE)
    else:
        icon_src = _raster(data, found.format, _ICON_SIDE)
    return Marks(name, published, header, _square(icon_src, _ICON_SIDE), dark)


def _published(stem: str, fmt: str, data: bytes, ratio: float) -> tuple[str, bytes]:
    """The file name and bytes a logo is published as: sanitised SVG, or a re-encoded PNG."""
    if fmt == "SVG":
        return f"{stem}.svg", data
    # Re-encoded from the cleaned pixels: the published file carries no metadata either.
    drawn = _raster(data, fmt, max(1, round(_RASTER_LOGO_HEIGHT * ratio)))
    out = io.BytesIO()
    drawn.save(out, "PNG", optimize=True)
    return f"{stem}.png", out.getvalue()


def logo_colours(img: Image.Image, count: int = 3) -> list[str]:
    """The logo's most used colours, most used first, leaving out near-white, near-black and
    transparent pixels (backgrounds and outlines, not the brand's colour)."""
    rgba = img.convert("RGBA")
    rgba.thumbnail((128, 128))
    pixels = [
        p[:3]
        for p in rgba.get_flattened_data()
        if p[3] > 200 and 24 < sum(p[:3]) / 3 < 236 and max(p[:3]) - min(p[:3]) > 12
    ]
    if not pixels:
        return []
    strip = Image.new("RGB", (len(pixels), 1))
    strip.putdata(pixels)
    quant = strip.quantize(colors=max(count * 2, 4), method=Image.Quantize.MEDIANCUT)
    palette = quant.getpalette() or []
    ranked = sorted(quant.getcolors() or [], reverse=True)
    chosen: list[str] = []
    for _, index in ranked:
        rgb = tuple(palette[index * 3 : index * 3 + 3])
        hex_ = color.to_hex(rgb)
        if all(_distance(hex_, c) > 60 for c in chosen):
            chosen.append(hex_)
        if len(chosen) == count:
            break
    return chosen


def _distance(a: str, b: str) -> float:
    return sum((x - y) ** 2 for x, y in zip(color.to_rgb(a), color.to_rgb(b), strict=True)) ** 0.5


def palette_from_logo(config: ProjectConfig, config_path: Path | str) -> list[str]:
    """Up to three brand colours read from the logo (or icon), for a config that gives none."""
    marks = load_marks(config, config_path)
    return logo_colours(marks.icon) if marks is not None else []

"""Brand kit: a favicon set and a social card, drawn with Pillow from the style and the config.

The icons are the business's initials on a rounded square of its primary colour; the social
card (the page's `og:image`) is its name and domain or location on the same colour. Text colours
reach WCAG AA contrast on what they sit on. The files are published at the site root, where
`base.html` links them; output is deterministic (no timestamps, no randomness).
"""

from __future__ import annotations

import asyncio
import functools
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from merlin_assets import color
from merlin_assets.media.brand import BrandLogo, load_marks
from merlin_assets.media.serve import config_file
from merlin_assets.phases.base import Need, Node

if TYPE_CHECKING:
    from PIL import Image, ImageFont

    from merlin_assets.config.project import ProjectConfig
    from merlin_assets.engine.scheduler import ItemEvent, Scheduler
    from merlin_assets.media.brand import Marks
    from merlin_assets.phases.style_system import StyleSystem

ICO_SIZES = (16, 32, 48)
PNG_ICONS = {"icon-192.png": 192, "icon-512.png": 512, "apple-touch-icon.png": 180}
FAVICON, SOCIAL_CARD = "favicon.ico", "social-card.jpg"
CARD_SIZE = (1200, 630)
RECORD = "brand_kit.json"
# Words left out of a monogram: "Crumb & Co Bakery" is CB, "The Old Forge" is OF.
_SKIP = frozenset({"the", "and", "of", "a", "an", "&", "+"})
_FALLBACK_PRIMARY, _FALLBACK_BACKGROUND, _FALLBACK_ACCENT = "#1f2937", "#ffffff", "#f59e0b"


class BrandFile(BaseModel):
    """One published file of the kit."""

    width: int
    height: int
    format: str
    sizes: list[int] = []  # the sizes inside an ICO


class BrandKit(BaseModel):
    monogram: str
    background: str  # the icon tile and the card: the style's primary colour
    foreground: str  # the monogram and the card's name
    detail: str  # the card's domain / location line
    font: str  # the family drawn, or "Pillow default"
    files: dict[str, BrandFile]
    # The business's own logo, published at the site root and shown in the header; the icons
    # and card are then made from its icon (or logo) rather than drawn from initials.
    logo: BrandLogo | None = None
    logo_dark: BrandLogo | None = None  # shown on the footer's dark background


def preview(v: BrandKit) -> dict[str, Any]:
    return {
        **({"logo": f"{v.logo.file} (the business's own)"} if v.logo else {}),
        "monogram": v.monogram,
        "colours": f"{v.foreground} on {v.background}",
        "font": v.font,
        "files": [
            f"{name} ({'/'.join(map(str, f.sizes)) if f.sizes else f'{f.width}x{f.height}'})"
            for name, f in sorted(v.files.items())
        ],
    }


# --- what to draw -----------------------------------------------------------------------------


def monogram(name: str) -> str:
    """Up to two initials: of the first and last words that are not joiners."""
    words = [w for w in re.findall(r"\w+|&|\+", name) if w.lower() not in _SKIP]
    letters = [w[0].upper() for w in words if w[0].isalnum()]
    if not letters:
        return "?"
    return letters[0] if len(letters) == 1 else letters[0] + letters[-1]


def _hex(value: str, fallback: str) -> str:
    return color.to_hex(color.parse_rgb(value, color.to_rgb(fallback)))


def colours(style: StyleSystem) -> tuple[str, str, str]:
    """Tile colour, text colour on it, and a second text colour, both at WCAG AA (4.5:1)."""
    p = style.palette
    bg = _hex(p.primary, _FALLBACK_PRIMARY)
    light = _hex(p.background, _FALLBACK_BACKGROUND)
    fg = next(
        (c for c in (light, _hex(p.text, "#111827")) if color.contrast(c, bg) >= color.AA_TEXT),
        None,
    ) or color.ensure_contrast(color.readable_on(bg), bg)
    detail = color.ensure_contrast(_hex(p.accent, _FALLBACK_ACCENT), bg)
    return bg, fg, detail


def detail_line(config: ProjectConfig) -> str:
    """The site's domain, and its location when the config gives one."""
    host = urlsplit(config.site_url).hostname or ""
    location = " ".join(config.location.split())
    return " · ".join(p for p in (host, location) if p)


# --- fonts ------------------------------------------------------------------------------------


def _font_path(family: str) -> tuple[Path | None, str]:
    """The installed file of the style's heading family, if there is one."""
    try:
        from merlin_assets.render.fonts import font_file, resolve_family

        fam, _ = resolve_family(family)
        if fam is not None:
            return font_file(fam, 700), fam.name
    except Exception:  # a missing or broken font package must not stop the kit
        pass
    return None, "Pillow default"


def _font(path: Path | None, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    if path is not None:
        try:
            font = ImageFont.truetype(str(path), size)
            try:
                # A variable font is drawn at its default weight unless told otherwise.
                axes = font.get_variation_axes()
                font.set_variation_by_axes(
                    [700 if a.get("name") in (b"Weight", "Weight") else a["default"] for a in axes]
                )
            except (OSError, AttributeError, KeyError):
                pass
            return font
        except OSError:
            pass
    return ImageFont.load_default(size=size)  # type: ignore[return-value]


@functools.lru_cache(maxsize=16)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def _covers(path: Path | None, text: str) -> bool:
    """Whether the font file has a glyph for every character of `text`."""
    if path is None:
        return False
    try:
        cmap = _cmap(path)
    except Exception:
        return False
    return all(ch.isspace() or ord(ch) in cmap for ch in text)


# --- drawing ----------------------------------------------------------------------------------


def _icon(
    size: int, letters: str, font_path: Path | None, bg: str, fg: str, *, rounded: bool
) -> Image.Image:
    """The monogram tile at `size` px, drawn 4x larger and scaled down for smooth edges."""
    from PIL import Image, ImageDraw

    big = size * 4
    tile = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tile)
    radius = round(big * 0.22) if rounded else 0
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=radius, fill=color.to_rgb(bg))
    # The largest size at which the letters fit 64% of the width and 56% of the height.
    target_w, target_h = big * 0.64, big * 0.56
    font_size = round(big * 0.6)
    if not _covers(font_path, letters):
        font_path = None
    font = _font(font_path, font_size)
    while font_size > 4:
        left, top, right, bottom = draw.textbbox((0, 0), letters, font=font)
        if right - left <= target_w and bottom - top <= target_h:
            break
        font_size = round(font_size * 0.92)
        font = _font(font_path, font_size)
    left, top, right, bottom = draw.textbbox((0, 0), letters, font=font)
    x = (big - (right - left)) / 2 - left
    y = (big - (bottom - top)) / 2 - top
    draw.text((x, y), letters, font=font, fill=color.to_rgb(fg))
    return tile.resize((size, size), Image.Resampling.LANCZOS)


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    """Greedy word wrap; a word wider than the line is split by characters."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in word:
            if draw.textlength(line + ch, font=font) > width and line:
                lines.append(line)
                line = ""
            line += ch
    if line:
        lines.append(line)
    return lines


def _card(
    name: str, detail: str, letters: str, font_path: Path | None, colours: tuple[str, str, str]
) -> Image.Image:
    from PIL import Image, ImageDraw

    bg, fg, second = colours
    w, h = CARD_SIZE
    card = Image.new("RGB", CARD_SIZE, color.to_rgb(bg))
    draw = ImageDraw.Draw(card)
    margin = 96
    # A band of the detail colour down the left edge, and the monogram tile top left.
    draw.rectangle((0, 0, 23, h), fill=color.to_rgb(second))
    tile = _icon(120, letters, font_path, fg, bg, rounded=True)
    card.paste(tile, (margin, 84), tile)
    text_w = w - 2 * margin
    name_font_path = font_path if _covers(font_path, name) else None
    # The largest name size (96 down to 44 px) that fits three lines, else the last lines cut.
    for size in range(96, 43, -4):
        font = _font(name_font_path, size)
        lines = _wrap(draw, name, font, text_w)
        if len(lines) <= 3:
            break
    else:
        lines = lines[:3]
        lines[-1] = lines[-1].rstrip() + "…"
    line_h = round(size * 1.18)
    y = 250
    for line in lines:
        draw.text((margin, y), line, font=font, fill=color.to_rgb(fg))
        y += line_h
    small = _font(None, 34)
    detail_lines = _wrap(draw, detail, small, text_w)[:1]
    if detail_lines:
        draw.text((margin, h - 84 - 34), detail_lines[0], font=small, fill=color.to_rgb(second))
    return card


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _from_marks(
    config: ProjectConfig, marks: Marks, colours: tuple[str, str, str]
) -> tuple[dict[str, bytes], dict[str, BrandFile]]:
    """Icons from the business's icon (or logo), and a card with its logo on the page colour."""
    from PIL import Image

    files: dict[str, bytes] = {marks.logo_name: marks.logo_bytes}
    record = {
        marks.logo_name: BrandFile(
            width=marks.logo.width, height=marks.logo.height, format=marks.logo_name[-3:].upper()
        )
    }
    if marks.dark is not None:
        name, data, size = marks.dark
        files[name] = data
        record[name] = BrandFile(width=size.width, height=size.height, format=name[-3:].upper())
    icons = [marks.icon.resize((s, s), Image.Resampling.LANCZOS) for s in ICO_SIZES]
    out = io.BytesIO()
    icons[-1].save(out, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=icons[:-1])
    files[FAVICON] = out.getvalue()
    record[FAVICON] = BrandFile(
        width=max(ICO_SIZES), height=max(ICO_SIZES), format="ICO", sizes=list(ICO_SIZES)
    )
    for name, size in PNG_ICONS.items():
        icon = marks.icon.resize((size, size), Image.Resampling.LANCZOS)
        if name == "apple-touch-icon.png":  # iOS shows transparency as black
            icon = Image.alpha_composite(Image.new("RGBA", icon.size, "white"), icon)
        files[name] = _png(icon)
        record[name] = BrandFile(width=size, height=size, format="PNG")
    bg = colours[0]
    card = Image.new("RGB", CARD_SIZE, "white")
    mark = marks.icon.copy()
    mark.thumbnail((360, 360))
    card.paste(mark, ((CARD_SIZE[0] - mark.width) // 2, 96), mark)
    from PIL import ImageDraw

    draw = ImageDraw.Draw(card)
    draw.rectangle((0, CARD_SIZE[1] - 24, CARD_SIZE[0], CARD_SIZE[1]), fill=color.to_rgb(bg))
    font = _font(None, 44)
    name = " ".join(config.name.split())
    width = draw.textlength(name, font=font)
    ink = color.ensure_contrast(bg, "#ffffff")
    draw.text(((CARD_SIZE[0] - width) / 2, 500), name, font=font, fill=color.to_rgb(ink))
    out = io.BytesIO()
    card.save(out, format="JPEG", quality=88, optimize=True, progressive=True)
    files[SOCIAL_CARD] = out.getvalue()
    record[SOCIAL_CARD] = BrandFile(width=CARD_SIZE[0], height=CARD_SIZE[1], format="JPEG")
    return files, record


def draw_kit(
    config: ProjectConfig, style: StyleSystem, marks: Marks | None = None
) -> tuple[BrandKit, dict[str, bytes]]:
    """Every file of the kit as bytes, and its record."""
    letters = monogram(config.name)
    if marks is not None:
        files, record = _from_marks(config, marks, colours(style))
        bg, fg, second = colours(style)
        kit = BrandKit(
            monogram=letters,
            background=bg,
            foreground=fg,
            detail=second,
            font="Pillow default",
            files=record,
            logo=marks.logo,
            logo_dark=marks.dark[2] if marks.dark else None,
        )
        return kit, files
    bg, fg, second = colours(style)
    font_path, font_name = _font_path(style.fonts.heading)
    files: dict[str, bytes] = {}
    record: dict[str, BrandFile] = {}

    icons = [_icon(s, letters, font_path, bg, fg, rounded=True) for s in ICO_SIZES]
    out = io.BytesIO()
    icons[-1].save(out, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=icons[:-1])
    files[FAVICON] = out.getvalue()
    record[FAVICON] = BrandFile(
        width=max(ICO_SIZES), height=max(ICO_SIZES), format="ICO", sizes=list(ICO_SIZES)
    )
    for name, size in PNG_ICONS.items():
        # iOS rounds the apple-touch icon itself and shows transparency as black: a full square.
        icon = _icon(size, letters, font_path, bg, fg, rounded=name != "apple-touch-icon.png")
        files[name] = _png(icon)
        record[name] = BrandFile(width=size, height=size, format="PNG")

    card = _card(
        " ".join(config.name.split()), detail_line(config), letters, font_path, (bg, fg, second)
    )
    out = io.BytesIO()
    card.save(out, format="JPEG", quality=88, optimize=True, progressive=True)
    files[SOCIAL_CARD] = out.getvalue()
    record[SOCIAL_CARD] = BrandFile(width=CARD_SIZE[0], height=CARD_SIZE[1], format="JPEG")

    kit = BrandKit(
        monogram=letters,
        background=bg,
        foreground=fg,
        detail=second,
        font=font_name if font_path else "Pillow default",
        files=record,
    )
    return kit, files


def _write(folder: Path, files: dict[str, bytes]) -> None:
    from merlin_assets.paths import write_atomic

    for name, data in files.items():
        write_atomic(folder / name, data)


class BrandKitNode(Node):
    def folder(self, run: Scheduler) -> Path:
        return run.store.project_dir(run.project_id) / "brand"

    async def build(self, run: Scheduler, item: Any = None) -> ItemEvent:
        values = await run.gather(self.needs)
        config, style = values["project_config"], values["style_system"]
        clock = run.clock(run.cpu)
        marks = None
        if config.brand.logo or config.brand.icon:
            marks = await asyncio.to_thread(load_marks, config, config_file(run.config_path))
        async with clock.slot():
            kit, files = await asyncio.to_thread(draw_kit, config, style, marks)
            await asyncio.to_thread(_write, self.folder(run), files)
        run.store.save_json(self.folder(run) / RECORD, kit.model_dump())
        return clock.event(self.name, None, kit)

    def load(self, run: Scheduler, key: str | None = None) -> BrandKit:
        try:
            return BrandKit.model_validate_json((self.folder(run) / RECORD).read_bytes())
        except FileNotFoundError:
            # Never made in full (it degraded, say): a page redone alone links no icons.
            return self.degraded("no brand kit has been made for this project")

    def degraded(self, error: str) -> BrandKit:
        return BrandKit(monogram="", background="", foreground="", detail="", font="", files={})

    def site_files(self, run: Scheduler, value: BrandKit) -> dict[str, Path]:
        folder = self.folder(run)
        return {name: folder / name for name in value.files}


NODE = BrandKitNode(
    name="brand_kit",
    group="brand",
    description="Favicons, app icons and a 1200x630 social card, drawn from the brand colours.",
    kinds=frozenset({"pillow", "png", "jpeg"}),
    needs=(Need("project_config"), Need("style_system")),
    preview=preview,
    counts_as_phase=False,
    ships_files=True,
    role="polish",
    degrades_to="no icons or social card",
)

"""Offline drawing, safe decoding and web encoding of images."""

from __future__ import annotations

import hashlib
import io
import itertools
import math
import os
import random
import struct
import subprocess
import sys
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from merlin_assets.color import to_rgb
from merlin_assets.imaging.draw import aspect_size, draw_image, pick_glyph
from merlin_assets.imaging.encode import (
    UntrustedImageError,
    open_untrusted,
    save_web_image,
    web_widths,
)
from merlin_assets.types.images import ImageFile, PlannedImage
from merlin_assets.types.style import Palette


def _palette(primary, secondary, accent, background, surface, text="#111827") -> Palette:
    return Palette(
        primary=primary,
        secondary=secondary,
        accent=accent,
        background=background,
        surface=surface,
        text=text,
        muted_text="#6b7280",
        neutrals=["#e5e7eb", "#9ca3af"],
    )


PALETTES = {
    "teal": _palette("#0f766e", "#14b8a6", "#f97316", "#f8fafc", "#ffffff", "#0f172a"),
    "bakery": _palette("#9a3412", "#f59e0b", "#be123c", "#fffbeb", "#fef3c7", "#1c1917"),
    "dark": _palette("#6366f1", "#22d3ee", "#f472b6", "#0b1020", "#111827", "#e5e7eb"),
    "forest": _palette("#166534", "#84cc16", "#facc15", "#f0fdf4", "#ffffff", "#14532d"),
}
# Colours no drawing in the palettes above should come near.
ALIEN = _palette("#ff00ff", "#9400d3", "#00ff00", "#ffff00", "#ff8c00", "#000000")
HERO_SCENES = ("nature", "city", "tech", "kitchen", "")
CASES = [
    *(("hero", scene, seed) for scene in HERO_SCENES for seed in (1, 2)),
    *(("supporting", "", seed) for seed in range(4)),
    *(("icon", "", seed) for seed in (1, 2)),
    *(("background", "", seed) for seed in range(4)),
]


def _planned(purpose: str, aspect: str = "16:9", key: str = "section-image", prompt: str = ""):
    if purpose == "icon":
        aspect = "1:1"
    return PlannedImage(
        key=key,
        section_key="hero",
        purpose=purpose,
        prompt=prompt or "a friendly illustration",
        alt="An illustration",
        aspect=aspect,
    )


def _draw(purpose: str, palette: str, scene: str, seed: int, aspect: str = "16:9"):
    image = _planned(purpose, aspect)
    return draw_image(image, PALETTES[palette], aspect_size(image.aspect, purpose), seed, scene)


def _structure(img: Image.Image) -> tuple[float, int]:
    """Mean channel stddev and distinct colours after box-downsampling away the grain."""
    small = img.resize((64, round(64 * img.height / img.width)), Image.Resampling.BOX)
    return sum(ImageStat.Stat(small).stddev) / 3, len(small.getcolors(64 * 64))


def _family(palette: Palette) -> list[tuple[float, ...]]:
    """The palette's five main colours with their tints, shades and pairwise blends."""
    main = [to_rgb(c) for c in (palette.primary, palette.secondary, palette.accent)]
    main += [to_rgb(palette.background), to_rgb(palette.surface)]
    out: list[tuple[float, ...]] = list(main)
    for c in main:
        for t in (0.25, 0.5):
            out.append(tuple(v + (255 - v) * t for v in c))
            out.append(tuple(v * (1 - t) for v in c))
    out += [
        tuple((x + y) / 2 for x, y in zip(a, b, strict=True))
        for a, b in itertools.combinations(main, 2)
    ]
    return out


def _palette_distance(img: Image.Image, palette: Palette) -> float:
    """Pixel-weighted distance of the image's 8 dominant colours to the palette family."""
    quantized = img.resize((96, round(96 * img.height / img.width))).quantize(8)
    flat = quantized.getpalette()[:24]
    colours = [tuple(flat[i * 3 : i * 3 + 3]) for i in range(8)]
    family = _family(palette)
    total = weighted = 0.0
    for count, index in quantized.getcolors():
        weighted += count * min(math.dist(colours[index], f) for f in family)
        total += count
    return weighted / total


# --- drawing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("purpose", "scene", "seed"), CASES)
@pytest.mark.parametrize("palette", ["teal", "dark"])
def test_drawing_is_deterministic_and_sized(purpose, scene, seed, palette):
    first = _draw(purpose, palette, scene, seed)
    second = _draw(purpose, palette, scene, seed)
    assert first.mode == "RGB"
    assert first.size == aspect_size("1:1" if purpose == "icon" else "16:9", purpose)
    assert first.tobytes() == second.tobytes()


def test_drawing_is_stable_across_processes():
    # str hashes are salted per process; the drawing must not depend on them.
    code = (
        "import hashlib, json, sys\n"
        "from merlin_assets.imaging.draw import draw_image\n"
        "from merlin_assets.phases.image_plan import PlannedImage\n"
        "from merlin_assets.phases.style_system import Palette\n"
        "image, palette = (json.loads(a) for a in sys.argv[1:3])\n"
        "img = draw_image(PlannedImage(**image), Palette(**palette), (800, 450), 3, 'tech')\n"
        "print(hashlib.sha256(img.tobytes()).hexdigest())\n"
    )
    image, palette = _planned("hero"), PALETTES["teal"]
    args = [image.model_dump_json(), palette.model_dump_json()]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=root,
    ).stdout.strip()
    here = draw_image(image, palette, (800, 450), 3, "tech")
    assert out == hashlib.sha256(here.tobytes()).hexdigest()


def test_different_seeds_give_different_drawings():
    assert (
        _draw("hero", "teal", "nature", 1).tobytes() != _draw("hero", "teal", "nature", 2).tobytes()
    )


@pytest.mark.parametrize(("purpose", "scene", "seed"), CASES)
@pytest.mark.parametrize("palette", sorted(PALETTES))
def test_drawing_has_structure_not_a_flat_fill(purpose, scene, seed, palette):
    spread, colours = _structure(_draw(purpose, palette, scene, seed))
    if purpose == "background":
        # Backgrounds are meant to be calm: a gentle gradient plus a faint pattern.
        assert spread > 1.0
        assert colours >= 30
    else:
        assert spread > 10
        assert colours >= 200


def test_structure_check_rejects_a_flat_fill():
    spread, colours = _structure(Image.new("RGB", (1600, 900), (200, 120, 40)))
    assert spread < 1.0
    assert colours < 30


@pytest.mark.parametrize(("purpose", "scene", "seed"), CASES)
@pytest.mark.parametrize("palette", ["teal", "bakery"])
def test_drawing_uses_the_palette(purpose, scene, seed, palette):
    img = _draw(purpose, palette, scene, seed)
    own = _palette_distance(img, PALETTES[palette])
    other = _palette_distance(img, PALETTES["bakery" if palette == "teal" else "teal"])
    assert own < 50
    assert own < other
    assert own < 0.8 * _palette_distance(img, ALIEN)


@pytest.mark.parametrize("aspect", ["16:9", "4:3", "3:2", "1:1"])
@pytest.mark.parametrize("purpose", ["hero", "supporting", "background"])
def test_every_aspect_draws_at_its_size(aspect, purpose):
    image = _planned(purpose, aspect)
    size = aspect_size(aspect, purpose)
    img = draw_image(image, PALETTES["forest"], size, 5, "kitchen")
    assert img.size == size
    assert _structure(img)[0] > 1.0


def test_aspect_sizes():
    assert aspect_size("16:9", "hero") == (1600, 900)
    assert aspect_size("4:3", "hero") == (1200, 900)
    assert aspect_size("3:2", "supporting") == (1200, 800)
    assert aspect_size("1:1", "icon") == (512, 512)
    assert aspect_size("16:9", "icon") == (512, 512)
    assert aspect_size("16:9", "background") == (1600, 900)
    with pytest.raises(ValueError, match="aspect"):
        aspect_size("21:9", "hero")


def test_small_and_odd_sizes_draw():
    for size in ((333, 217), (64, 64), (2000, 1000)):
        assert draw_image(_planned("hero"), PALETTES["teal"], size, 3, "city").size == size
    with pytest.raises(ValueError):
        draw_image(_planned("hero"), PALETTES["teal"], (0, 10), 3)


def test_unparseable_palette_colours_fall_back():
    broken = _palette("teal-ish", "", "#12", "rgb(1,2,3)", "not a colour")
    img = draw_image(_planned("supporting"), broken, (800, 450), 1)
    assert _structure(img)[0] > 10


@pytest.mark.parametrize(
    ("key", "prompt", "glyph"),
    [
        ("feature-coffee", "", "cup"),
        ("eco-friendly", "", "leaf"),
        ("secure-payments", "", "shield"),
        ("icon-1", "a lightning fast delivery service", "bolt"),
        ("our-team", "", "person"),
    ],
)
def test_icon_glyph_follows_the_words(key, prompt, glyph):
    assert pick_glyph(_planned("icon", key=key, prompt=prompt or "simple icon"), 1) == glyph


ALL_GLYPHS = {
    "star", "leaf", "check", "heart", "house", "gear", "cup", "bolt",
    "pin", "chat", "shield", "chart", "clock", "sparkle", "book", "person",
}  # fmt: skip


def test_icon_glyph_falls_back_to_the_seed():
    # Words decide whatever the seed; without them the seed picks one of the drawn glyphs, the
    # same one for the same seed even from a separately built plan.
    assert {pick_glyph(_planned("icon", key="feature-coffee"), s) for s in range(40)} == {"cup"}
    picks = [pick_glyph(_planned("icon", key="icon-1", prompt="zzz qqq"), s) for s in range(40)]
    again = [pick_glyph(_planned("icon", key="icon-1", prompt="zzz qqq"), s) for s in range(40)]
    assert picks == again
    assert set(picks) <= ALL_GLYPHS and len(set(picks)) > 3


# --- decoding --------------------------------------------------------------------------------


def _encoded(img: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, fmt)
    return buffer.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` but carries no real pixel data."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_open_untrusted_accepts_real_images(fmt):
    source = _draw("hero", "teal", "city", 1).resize((320, 180))
    img = open_untrusted(_encoded(source, fmt))
    assert img.mode == "RGB"
    assert img.size == (320, 180)


def test_open_untrusted_flattens_transparency_onto_white():
    rgba = Image.new("RGBA", (40, 30), (255, 0, 0, 0))
    rgba.paste((0, 0, 255, 255), (0, 0, 20, 30))
    img = open_untrusted(_encoded(rgba, "PNG"))
    assert img.mode == "RGB"
    assert img.getpixel((5, 5)) == (0, 0, 255)
    assert img.getpixel((35, 5)) == (255, 255, 255)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "no image data"),
        (b"<html><body>rate limited</body></html>", "not an image"),
        (random.Random(7).randbytes(4096), "not an image"),
        (b"GIF89a" + b"\x00" * 64, "unsupported image format GIF"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "unsupported image format SVG"),
    ],
)
def test_open_untrusted_rejects_non_images(data, message):
    with pytest.raises(UntrustedImageError, match=message):
        open_untrusted(data)


def test_open_untrusted_rejects_a_truncated_png():
    data = _encoded(_draw("supporting", "teal", "", 1).resize((300, 200)), "PNG")
    with pytest.raises(UntrustedImageError, match="corrupt or truncated PNG"):
        open_untrusted(data[: len(data) // 2])


def test_open_untrusted_rejects_a_png_signature_with_garbage():
    with pytest.raises(UntrustedImageError, match="PNG"):
        open_untrusted(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)


def test_open_untrusted_rejects_a_decompression_bomb_header():
    with pytest.raises(UntrustedImageError, match="too large"):
        open_untrusted(_png_header(30_000, 30_000))


def test_open_untrusted_applies_the_local_pixel_limit():
    data = _encoded(Image.new("RGB", (100, 100), (10, 20, 30)), "PNG")
    with pytest.raises(UntrustedImageError, match="over the 5000 pixel limit"):
        open_untrusted(data, max_pixels=5000)
    assert open_untrusted(data, max_pixels=10_000).size == (100, 100)


def test_open_untrusted_turns_pillows_bomb_warning_into_an_error():
    # Between Pillow's warning and error thresholds; our own limit is set out of the way.
    side = math.isqrt(int(Image.MAX_IMAGE_PIXELS * 1.5))
    filters = list(warnings.filters)
    with pytest.raises(UntrustedImageError, match="too large"):
        open_untrusted(_png_header(side, side), max_pixels=side * side + 1)
    assert warnings.filters == filters


def test_open_untrusted_rejects_a_real_large_png_under_a_small_limit():
    data = _encoded(Image.new("1", (5000, 5000)), "PNG")
    assert len(data) < 10_000  # a bilevel blank compresses to almost nothing
    with pytest.raises(UntrustedImageError, match="too large"):
        open_untrusted(data, max_pixels=1_000_000)


# --- encoding --------------------------------------------------------------------------------


def _listing(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


def test_save_web_image_writes_every_width_and_a_fallback(tmp_path):
    img = _draw("hero", "teal", "nature", 1)
    record = save_web_image(img, tmp_path, key="hero-main", alt="Hills at dawn", source="offline")
    assert isinstance(record, ImageFile)
    assert record.files == {
        "480": "hero-main-480.webp",
        "960": "hero-main-960.webp",
        "1600": "hero-main-1600.webp",
    }
    assert record.fallback == "hero-main.jpg"
    assert (record.key, record.alt, record.source) == ("hero-main", "Hills at dawn", "offline")
    assert (record.width, record.height) == (1600, 900)
    assert _listing(tmp_path) == {*record.files.values(), record.fallback}
    for width, name in record.files.items():
        with Image.open(tmp_path / name) as saved:
            assert saved.format == "WEBP"
            assert saved.size == (int(width), round(900 * int(width) / 1600))
    with Image.open(tmp_path / record.fallback) as jpeg:
        assert jpeg.format == "JPEG"
        assert jpeg.size == (960, 540)
        assert jpeg.info.get("progressive") or jpeg.info.get("progression")
    assert oct((tmp_path / record.fallback).stat().st_mode & 0o777) == oct(0o644)


def test_save_web_image_icon_sizes(tmp_path):
    img = _draw("icon", "dark", "", 1)
    record = save_web_image(img, tmp_path, key="icon-star", alt="Star", source="offline")
    assert record.files == {"256": "icon-star-256.webp", "512": "icon-star-512.webp"}
    assert (record.width, record.height) == (512, 512)
    with Image.open(tmp_path / record.fallback) as jpeg:
        assert jpeg.size == (512, 512)


def test_save_web_image_never_upscales(tmp_path):
    record = save_web_image(
        Image.new("RGB", (1200, 900), "red"), tmp_path, key="four-three", alt="", source="openai"
    )
    assert sorted(record.files, key=int) == ["480", "960", "1200"]
    assert (record.width, record.height) == (1200, 900)
    tiny = save_web_image(
        Image.new("RGB", (120, 90)), tmp_path, key="tiny", alt="", source="fallback"
    )
    assert tiny.files == {"120": "tiny-120.webp"}
    assert web_widths(1600) == [480, 960, 1600]
    assert web_widths(2400) == [480, 960, 1600]
    assert web_widths(700) == [480, 700]


def test_save_web_image_accepts_transparent_images(tmp_path):
    rgba = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    record = save_web_image(rgba, tmp_path, key="clear", alt="", source="openai")
    with Image.open(tmp_path / record.files["480"]) as saved:
        assert saved.convert("RGB").getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize("key", ["", "Hero", "-lead", "hero_main", "a" * 64, "../etc", "hé"])
def test_save_web_image_rejects_bad_keys(tmp_path, key):
    with pytest.raises(ValueError, match="key"):
        save_web_image(Image.new("RGB", (500, 300)), tmp_path, key=key, alt="", source="offline")
    assert _listing(tmp_path) == set()


def test_save_web_image_leaves_no_partial_file_on_failure(tmp_path, monkeypatch):
    (tmp_path / "hero-960.webp").write_bytes(b"previous version")
    real_save = Image.Image.save

    def failing_save(self, fp, fmt=None, **params):
        if self.width == 960 and fmt == "WEBP":
            fp.write(b"partial")
            raise OSError("disk full")
        return real_save(self, fp, fmt, **params)

    monkeypatch.setattr(Image.Image, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        save_web_image(
            _draw("hero", "teal", "city", 1), tmp_path, key="hero", alt="", source="offline"
        )
    # The failed file keeps its old contents and no temporary file is left behind.
    assert (tmp_path / "hero-960.webp").read_bytes() == b"previous version"
    assert _listing(tmp_path) == {"hero-1600.webp", "hero-960.webp"}  # largest first


def test_saved_files_reopen_through_open_untrusted(tmp_path):
    record = save_web_image(
        _draw("supporting", "bakery", "", 2), tmp_path, key="about", alt="", source="offline"
    )
    for name in [*record.files.values(), record.fallback]:
        assert open_untrusted((tmp_path / name).read_bytes()).mode == "RGB"

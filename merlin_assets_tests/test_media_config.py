"""The business's own media in the config: paths, photos, and every hostile file refused clearly."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from merlin_assets.config.project import ConfigError
from merlin_assets.media.check import MAX_PHOTO_BYTES, check_media
from merlin_assets.media.load import load_with_media
from merlin_assets.testing.media_files import icon_svg, jpeg_with_metadata, logo_svg, photo

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "projects"
HEAD = "name: Crumb Co\nindustry: bakery\n"


@pytest.fixture(autouse=True)
def _checked_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Passed checks are remembered in the test's own folder, not the user's cache."""
    monkeypatch.setenv("MERLIN_MEDIA_CHECKED", str(tmp_path / "checked"))


def _jpeg(width: int = 400, height: int = 300, seed: int = 1) -> bytes:
    return jpeg_with_metadata(photo(width, height, seed))


def _project(tmp_path: Path, body: str, files: dict[str, bytes | str]) -> Path:
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    config = tmp_path / "site.yaml"
    config.write_text(HEAD + body)
    return config


def _refused(tmp_path: Path, body: str, files: dict[str, bytes | str]) -> ConfigError:
    config = _project(tmp_path, body, files)
    with pytest.raises(ConfigError) as err:
        load_with_media(config)
    assert err.value.path == str(config)
    return err.value


def test_logo_photos_and_team_photo_are_read_relative_to_the_config(tmp_path: Path):
    config = _project(
        tmp_path,
        "brand: {logo: media/logo.svg, icon: media/icon.svg}\n"
        "team: [{name: Aisha Khan, role: Head baker, photo: media/aisha.jpg}]\n"
        "photos:\n"
        "  - {file: media/shop.jpg, alt: Our shop front at dawn, use: hero, focus: '0.3,0.6'}\n"
        "  - {file: media/aisha.jpg, alt: Aisha shaping dough, use: team}\n",
        {
            "media/logo.svg": logo_svg("Crumb Co"),
            "media/icon.svg": icon_svg(),
            "media/shop.jpg": _jpeg(),
            "media/aisha.jpg": _jpeg(seed=2),
        },
    )
    loaded = load_with_media(config)
    assert loaded.brand.logo == "media/logo.svg"
    assert loaded.photos[0].focus == (0.3, 0.6)
    assert loaded.photos[1].use == "team" and loaded.team[0].photo == "media/aisha.jpg"
    checked = check_media(loaded, config)
    assert checked["photos[0].file"].path == tmp_path / "media" / "shop.jpg"
    assert checked["photos[0].file"].format == "JPEG"
    assert checked["brand.logo"].format == "SVG"
    assert (checked["photos[0].file"].width, checked["photos[0].file"].height) == (400, 300)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.*")), ids=lambda p: p.name)
def test_the_five_examples_keep_their_hash(path: Path):
    # Measured with the config model from before media fields existed (main at ae40fd2).
    before = {
        "brightsmile-dental.json": "9320213cf8f9a6bf",
        "crumb-and-co-bakery.yaml": "c0b34b0bef94ba73",
        "greenline-plumbing.yaml": "a2e5da0c6e085748",
        "harbor-legal.yaml": "f131956c53303c9b",
        "ledgerly.yaml": "27f3ab2546e123f5",
    }
    if path.name not in before:
        pytest.skip("a newer example with media has no earlier hash")
    assert load_with_media(path).content_hash() == before[path.name]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (
            "photos: [{file: 'https://cdn.example.com/a.jpg', alt: A}]\n",
            "photos[0].file",
            "is a URL; nothing is downloaded",
        ),
        ("brand: {logo: '//cdn.example.com/logo.svg'}\n", "brand.logo", "is a URL"),
        ("brand: {logo: 'data:image/svg+xml,<svg/>'}\n", "brand.logo", "is a URL"),
        ("photos: [{file: /etc/passwd.jpg, alt: A}]\n", "photos[0].file", "absolute path"),
        ("photos: [{file: ../outside.jpg, alt: A}]\n", "photos[0].file", "leaves the config"),
        ("photos: [{file: media/a.gif, alt: A}]\n", "photos[0].file", "jpg, jpeg, png, webp"),
        ("brand: {icon: media/icon.tiff}\n", "brand.icon", "svg"),
        ("photos: [{file: a.jpg, alt: A, use: banner}]\n", "photos[0].use", "hero"),
        ("photos: [{file: a.jpg, alt: A, focus: '1.5,0.2'}]\n", "photos[0].focus", "outside 0..1"),
        ("photos: [{file: a.jpg, alt: A, focus: 'left'}]\n", "photos[0].focus", "two numbers"),
        ("photos: [{file: a.jpg}]\n", "photos[0].alt", "add alt:"),
        ("photos: [{file: a.jpg, alt: '...'}]\n", "photos[0].alt", "no words"),
        (
            "photos: [{file: a.jpg, alt: A}, {file: A.JPG, alt: B}]\n",
            "photos[1].file",
            "listed twice",
        ),
        (
            "team: [{name: Aisha, role: Baker, photo: b.jpg}]\nphotos: [{file: a.jpg, alt: A}]\n",
            "team[0].photo",
            "not one of the config's photos",
        ),
        ("offers: [{name: Loaf, photo: b.jpg}]\n", "offers[0].photo", "add it under photos"),
    ],
)
def test_bad_media_fields_name_file_and_field(tmp_path: Path, body: str, field: str, words: str):
    err = _refused(tmp_path, body, {})
    assert err.field == field
    assert words in err.reason


def _png_header(width: int, height: int, bit_depth: int = 8, colour: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, 0)
    row = b"\x00" + b"\x00" * (width * 3 * bit_depth // 8)
    body = zlib.compress(row * min(height, 4))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def _save(img: Image.Image, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def _hostile() -> dict[str, tuple[str, bytes, str]]:
    """name -> (file name, bytes, words the error must hold)."""
    base = photo(400, 300, 3)
    frames = [photo(300, 300, s) for s in range(3)]
    big16 = Image.new("I;16", (300, 300))
    return {
        "png-named-jpg": ("a.jpg", _save(base, "PNG"), "its bytes are PNG; rename it to a.png"),
        "truncated": ("a.jpg", _jpeg()[:1500], "truncated or corrupt"),
        "not-an-image": ("a.jpg", b"hello, I am text\n" * 20, "is not an image"),
        "gif": ("a.jpg", _save(base, "GIF"), "is GIF data"),
        "html": ("a.png", b"<html><script>alert(1)</script></html>", "not an image"),
        "svg-photo": ("a.png", logo_svg("X").encode(), "is SVG data"),
        "cmyk": ("a.jpg", _save(base.convert("CMYK"), "JPEG"), "CMYK"),
        "animated": (
            "a.webp",
            _save(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100),
            "animated",
        ),
        "16-bit-grey": ("a.png", _save(big16, "PNG"), "16-bit"),
        "16-bit-rgb": ("a.png", _png_header(300, 300, bit_depth=16), "16-bit"),
        "bomb": ("a.png", _png_header(60_000, 60_000), "pixels"),
        "tiny": ("a.png", _save(base.resize((40, 30)), "PNG"), "at least 200 px"),
        "empty": ("a.jpg", b"", "is empty"),
    }


@pytest.mark.parametrize("case", sorted(_hostile()))
def test_hostile_photos_are_refused_naming_file_and_field(tmp_path: Path, case: str):
    name, data, words = _hostile()[case]
    err = _refused(
        tmp_path,
        f"photos:\n  - {{file: ok.jpg, alt: Fine}}\n  - {{file: media/{name}, alt: Bad}}\n",
        {"ok.jpg": _jpeg(), f"media/{name}": data},
    )
    assert err.field == "photos[1].file"
    assert words in err.reason
    assert name in err.reason


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path):
    config = _project(tmp_path, "photos: [{file: huge.jpg, alt: Huge}]\n", {})
    with open(tmp_path / "huge.jpg", "wb") as fh:
        fh.write(_jpeg())
        fh.truncate(MAX_PHOTO_BYTES + 10)  # sparse: costs no disk
    with pytest.raises(ConfigError) as err:
        load_with_media(config)
    assert err.value.field == "photos[0].file" and "MB limit" in err.value.reason


def test_symlinked_photo_and_folder_are_refused(tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.jpg").write_bytes(_jpeg())
    project = tmp_path / "project"
    project.mkdir()
    (project / "link.jpg").symlink_to(outside / "secret.jpg")
    (project / "media").symlink_to(outside, target_is_directory=True)
    for value in ("link.jpg", "media/secret.jpg"):
        config = project / "site.yaml"
        config.write_text(HEAD + f"photos: [{{file: {value}, alt: A}}]\n")
        with pytest.raises(ConfigError) as err:
            load_with_media(config)
        assert err.value.field == "photos[0].file"
        assert "symlink" in err.value.reason


def test_missing_photo_names_the_path_looked_for(tmp_path: Path):
    err = _refused(tmp_path, "photos: [{file: media/nope.jpg, alt: A}]\n", {})
    assert err.field == "photos[0].file"
    assert "does not exist" in err.reason and str(tmp_path / "media") in err.reason


@pytest.mark.parametrize(
    ("svg", "words"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>'
            '<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "DTD or entities",
        ),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect', "not well-formed"),
        ("<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'/>", "not an SVG"),
        ("<html><script>alert(1)</script></html>", "not an image"),
        (
            '<svg xmlns="http://www.w3.org/2000/svg">'
            + "<g>" * 50_000
            + "</g>" * 50_000
            + "</svg>",
            "levels deep",
        ),
        ('<svg xmlns="http://www.w3.org/2000/svg">' + " " * 1_100_000 + "</svg>", "over 1024 KB"),
    ],
)
def test_unusable_svg_logos_are_refused(tmp_path: Path, svg: str, words: str):
    err = _refused(tmp_path, "brand: {logo: logo.svg}\n", {"logo.svg": svg})
    assert err.field == "brand.logo"
    assert words in err.reason


def test_bad_photo_at_the_cli_exits_2_and_writes_nothing(tmp_path: Path):
    config = _project(
        tmp_path,
        "photos: [{file: media/shop.jpg, alt: Shop}]\n",
        {"media/shop.jpg": _save(photo(400, 300, 1), "PNG")},
    )
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "HOME": str(tmp_path)}
    env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", "generate", str(config)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert proc.returncode == 2, proc.stderr
    assert str(config) in proc.stderr and "photos[0].file" in proc.stderr
    assert "rename it to shop.png" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["media", "site.yaml"]

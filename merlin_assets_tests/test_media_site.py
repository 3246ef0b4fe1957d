"""A whole offline site built from the example with a logo and eight photos of its own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pytest
from PIL import Image

from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.media.load import load_with_media
from merlin_assets.media.pool import shutdown
from merlin_assets.testing.media_files import GPS_IFD
from merlin_assets_tests.phase_support import run_whole_site, scheduler

# One worker builds the site once for every test of the module.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("media-site")]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "with-media" / "harbour-loaf" / "harbour-loaf.yaml"


@dataclass
class Built:
    site: Path
    events: list
    values: dict


def _build(root: Path) -> Built:
    config = load_with_media(EXAMPLE)
    events: list = []
    values: dict = {}

    def emit(event) -> None:
        events.append(event)
        values[(event.asset, event.partition)] = event.value

    sched = scheduler(
        project_id=config.project_id,
        llm=OfflineLLM(),
        work=root / "work",
        sites=root / "sites",
        emit=emit,
        config_path=EXAMPLE,
    )
    run_whole_site(sched)
    return Built(root / "sites" / config.project_id, events, values)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("media-site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MERLIN_MEDIA_CHECKED", str(root / "checked"))
        try:
            yield _build(root), root
        finally:
            shutdown()


def _user_images(built: Built) -> dict[str, object]:
    return {
        part: value
        for (asset, part), value in built.values.items()
        if asset == "site_images" and value is not None and value.source == "user"
    }


def test_every_photo_is_used_and_only_the_rest_is_drawn(built):
    site, _ = built
    config = load_with_media(EXAMPLE)
    users = _user_images(site)
    assert sorted(img.alt for img in users.values()) == sorted(p.alt for p in config.photos)
    drawn = [
        v.source
        for (asset, _), v in site.values.items()
        if asset == "site_images" and v is not None and v.source != "user"
    ]
    assert drawn and set(drawn) == {"offline"}
    html = "\n".join(p.read_text() for p in site.site.glob("*.html"))
    for photo in config.photos:
        assert f'alt="{escape(photo.alt).replace("&#x27;", "&#39;")}"' in html, photo.file


def test_a_users_photo_is_never_sent_to_a_model(built):
    site, _ = built
    users = _user_images(site)
    for event in site.events:
        if event.asset == "site_images" and event.partition in users:
            assert not event.calls, event.partition


def test_photos_are_served_in_picture_with_avif_webp_and_a_jpeg(built):
    site, _ = built
    html = (site.site / "index.html").read_text()
    blocks = [b.split("</picture>", 1)[0] for b in html.split("<picture")[1:]]
    hero = [b for b in blocks if 'src="images/hero.jpg"' in b]
    assert len(hero) == 1, blocks
    block = hero[0]
    assert re.search(
        r'type="image/avif" srcset="images/hero-480\.avif 480w, [^"]*1600w" sizes=', block
    )
    assert re.search(r'type="image/webp" srcset="images/hero-480\.webp 480w', block)
    assert 'src="images/hero.jpg"' in block and 'width="1600" height="900"' in block
    assert 'loading="eager" fetchpriority="high"' in block
    for name in re.findall(r"images/[\w.-]+", html):
        assert (site.site / name).is_file(), name


def test_each_image_has_its_own_placeholder_under_it_in_the_stylesheet(built):
    site, _ = built
    css = (site.site / "assets" / "site.css").read_text()
    rules = dict(re.findall(r"img\.(ph-[a-z0-9-]+)\{background:([^}]*)\}", css))
    images = {part: v for (asset, part), v in site.values.items() if asset == "site_images" and v}
    assert len(rules) == len(images)
    for key, img in images.items():
        assert rules[f"ph-{key}"] == f'{img.color} url("{img.thumb}") 50% 50% / cover no-repeat'
    users = _user_images(site)
    # Made from each photo: eight photos, eight different stand-ins.
    assert len({(v.color, v.thumb) for v in users.values()}) == len(users) == 8
    html = (site.site / "index.html").read_text()
    hero = re.search(r"<img[^>]*src=\"images/hero\.jpg\"[^>]*>", html).group()
    assert hero.startswith('<img class="ph-hero" ') and 'width="1600" height="900"' in hero
    for cls in re.findall(r'<img class="(ph-[a-z0-9-]+)"', html):
        assert cls in rules, cls
    # The CSP admits no inline style, so the placeholder must not come as one.
    assert " style=" not in html


def test_no_exif_gps_or_profile_reaches_any_published_image(built):
    site, _ = built
    files = [
        p for p in site.site.rglob("*") if p.suffix in {".jpg", ".webp", ".avif", ".png", ".ico"}
    ]
    assert len(files) > 40
    for path in files:
        data = path.read_bytes()
        assert b"SN-4242-SECRET" not in data and b"MerlinCam" not in data, path.name
        with Image.open(path) as img:
            img.load()
            exif = img.getexif()
            assert not exif.get_ifd(GPS_IFD), path.name
            assert not exif, path.name
            assert "icc_profile" not in img.info, path.name


def test_the_header_shows_the_logo_with_the_business_name_as_alt(built):
    site, _ = built
    for page in site.site.glob("*.html"):
        html = page.read_text()
        header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
        assert re.search(
            r'<img class="brand-logo" src="logo\.svg" alt="Harbour Loaf Bakery" '
            r'width="\d+" height="40">',
            header,
        ), page.name
        footer = html.split('<footer class="site-footer">', 1)[1]
        assert re.search(
            r'<img class="footer-logo" src="logo-dark\.svg" alt="Harbour Loaf Bakery"', footer
        ), page.name
    svg = (site.site / "logo.svg").read_text().lower()
    assert "<svg" in svg and "<script" not in svg and " on" not in svg.split(">", 2)[1]


def test_icons_come_from_the_icon_and_the_palette_from_the_logo(built):
    site, _ = built
    with Image.open(site.site / "icon-512.png") as icon:
        # (128, 180) of icon.svg's 256 px, drawn 90% of 512 px: inside the disc, below the arch.
        centre = icon.convert("RGB").getpixel((256, 350))
    # icon.svg is a #1f4e5f tile with a #e0a458 disc in the middle; a monogram tile has text.
    assert max(abs(a - b) for a, b in zip(centre, (0xE0, 0xA4, 0x58), strict=True)) <= 6
    config = site.values[("project_config", None)]
    assert config.brand.colors_from_logo
    assert config.brand.colors.primary == "#1f4e5f"
    kit = site.values[("brand_kit", None)]
    assert kit.logo is not None and kit.logo.file == "logo.svg"


def test_an_unchanged_photo_costs_only_the_cache_on_the_next_run(built):
    site, root = built
    cache = root / "work" / ".media-cache"
    entries = sorted(p.name for p in cache.iterdir())
    assert len(entries) == len(_user_images(site))
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    again = _build(root / "again")
    # A second store has its own cache; the same store's cache is what a re-run reads.
    assert sorted(p.name for p in (root / "again" / "work" / ".media-cache").iterdir()) == entries
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == stamps
    assert _user_images(again).keys() == _user_images(site).keys()


def test_merlin_generate_says_which_images_are_the_users(tmp_path: Path):
    import os
    import subprocess
    import sys

    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "MERLIN_MEDIA_CHECKED": str(tmp_path / "checked"),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", "generate", str(EXAMPLE), "--out", "sites"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    # 8 photos fill 8 slots; the offline plan's other slots are drawn.
    assert re.search(r"images: 8 the business's own photos, [1-9]\d* generated", proc.stdout)

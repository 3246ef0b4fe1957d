"""The brand kit: favicons, app icons and a social card, published with a whole offline site."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from merlin_assets import color
from merlin_assets.config.project import load_config
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.phases import graph
from merlin_assets.phases.brand_kit import BrandKit, monogram
from merlin_assets.phases.quality_assessment import assess_site
from merlin_assets.phases.style_system import StyleSystem
from merlin_assets_tests.phase_support import run_whole_site, scheduler

ROOT = Path(__file__).resolve().parents[1]
BAKERY = ROOT / "examples" / "projects" / "crumb-and-co-bakery.yaml"


@dataclass(frozen=True)
class Built:
    site: Path
    kit: BrandKit
    style: StyleSystem
    site_url: str
    store: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("brand-kit")
    config = load_config(BAKERY)
    values: dict[str, object] = {}
    sched = scheduler(
        project_id=config.project_id,
        llm=OfflineLLM(),
        work=root / "work",
        sites=root / "sites",
        emit=lambda e: values.__setitem__(e.asset, e.value),
        config_path=BAKERY,
    )
    run_whole_site(sched)
    kit, style = values["brand_kit"], values["style_system"]
    assert isinstance(kit, BrandKit) and isinstance(style, StyleSystem)
    return Built(
        site=root / "sites" / config.project_id,
        kit=kit,
        style=style,
        site_url=config.site_url,
        store=root / "work",
    )


def _pages(site: Path) -> list[Path]:
    pages = sorted(site.glob("*.html"))
    assert pages, "the site has no pages"
    return pages


def test_favicon_ico_holds_three_sizes(built: Built):
    ico = Image.open(built.site / "favicon.ico")
    assert ico.format == "ICO"
    assert sorted(ico.info["sizes"]) == [(16, 16), (32, 32), (48, 48)]
    for size in (16, 32, 48):
        ico.size = (size, size)
        ico.load()
        assert ico.size == (size, size)


@pytest.mark.parametrize(
    ("name", "size"), [("icon-192.png", 192), ("icon-512.png", 512), ("apple-touch-icon.png", 180)]
)
def test_png_icons_have_their_sizes(built: Built, name: str, size: int):
    image = Image.open(built.site / name)
    assert image.format == "PNG"
    assert image.size == (size, size)


def test_social_card_is_a_1200x630_jpeg(built: Built):
    card = Image.open(built.site / "social-card.jpg")
    assert card.format == "JPEG"
    assert card.size == (1200, 630)


def test_every_page_links_the_icons_and_the_absolute_social_card(built: Built):
    card_url = f"{built.site_url}/social-card.jpg"
    assert card_url.startswith("https://")
    for page in _pages(built.site):
        html = page.read_text(encoding="utf-8")
        head = html.split("</head>", 1)[0]
        assert '<link rel="icon" href="favicon.ico" sizes="any">' in head, page.name
        assert '<link rel="icon" type="image/png" sizes="192x192" href="icon-192.png">' in head, (
            page.name
        )
        assert '<link rel="apple-touch-icon" href="apple-touch-icon.png">' in head, page.name
        og = re.findall(r'<meta property="og:image" content="([^"]*)">', head)
        assert og == [card_url], page.name
        assert '<meta property="og:image:width" content="1200">' in head
        assert '<meta property="og:image:height" content="630">' in head
        assert '<meta name="twitter:card" content="summary_large_image">' in head


def test_kit_is_drawn_in_the_style_primary_with_aa_text(built: Built):
    primary = built.style.palette.primary
    assert built.kit.background == primary.lower()
    assert color.contrast(built.kit.foreground, built.kit.background) >= color.AA_TEXT
    assert color.contrast(built.kit.detail, built.kit.background) >= color.AA_TEXT
    # The tile's centre-left edge and the card's open area are the primary colour, as drawn.
    icon = Image.open(built.site / "icon-512.png").convert("RGB")
    assert icon.getpixel((40, 256)) == color.to_rgb(primary)
    card = Image.open(built.site / "social-card.jpg").convert("RGB")
    r, g, b = card.getpixel((1150, 600))
    pr, pg, pb = color.to_rgb(primary)
    assert max(abs(r - pr), abs(g - pg), abs(b - pb)) <= 6  # JPEG rounding


def test_monogram_is_the_business_initials(built: Built):
    assert built.kit.monogram == "CB"
    assert monogram("The Old Forge") == "OF"
    assert monogram("Zest") == "Z"
    assert monogram("& +") == "?"


def test_kit_is_stored_and_loads_back(built: Built):
    config = load_config(BAKERY)
    sched = scheduler(
        project_id=config.project_id,
        llm=OfflineLLM(),
        work=built.store,
        sites=built.site.parent,
    )
    node = graph().nodes["brand_kit"]
    assert node.load(sched) == built.kit
    files = node.site_files(sched, built.kit)
    assert sorted(files) == sorted(
        ["favicon.ico", "icon-192.png", "icon-512.png", "apple-touch-icon.png", "social-card.jpg"]
    )
    for name, source in files.items():
        assert isinstance(source, Path)
        assert source.read_bytes() == (built.site / name).read_bytes()


def test_kit_is_deterministic(built: Built):
    from merlin_assets.phases.brand_kit import draw_kit

    kit, files = draw_kit(load_config(BAKERY), built.style)
    assert kit == built.kit
    for name, data in files.items():
        assert data == (built.site / name).read_bytes(), name
    # And the bytes are what they claim to be.
    assert Image.open(io.BytesIO(files["social-card.jpg"])).format == "JPEG"


def test_site_gains_the_kit_as_a_dependency():
    assert "brand_kit" in graph().nodes["site"].upstream


def test_quality_report_still_passes_every_check(built: Built):
    report = assess_site(built.site, built.style)
    failed = {c.name: c.findings for c in report.checks if not c.passed}
    assert failed == {}
    assert report.score == 1.0

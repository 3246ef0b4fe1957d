"""Tests for the site quality checks, on small hand-built sites."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from merlin_assets.phases.quality_assessment import CHECKS, QualityReport, assess_site
from merlin_assets.phases.quality_assessment.checks import page_files
from merlin_assets.phases.style_system import Fonts, StyleSystem
from merlin_assets.types.style import Palette

PALETTE = {
    "primary": "#1d4ed8",
    "secondary": "#0f766e",
    "accent": "#f59e0b",
    "background": "#ffffff",
    "surface": "#f3f4f6",
    "text": "#1f2937",
    "muted_text": "#4b5563",
    "neutrals": ["#e5e7eb", "#9ca3af"],
}

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="description" content="{description}">
<link rel="stylesheet" href="assets/site.css">
<link rel="canonical" href="https://example.com/{name}">
</head>
<body>
<nav><a href="#main">Skip</a> <a href="index.html">Home</a> <a href="about.html#team">Team</a>
<a href="mailto:hi@example.com">Mail</a> <a href="tel:+15550100">Call</a></nav>
<main id="main">
{body}
</main>
<script src="assets/site.js" defer></script>
</body>
</html>
"""

INDEX_BODY = """<h1>Harbor Bakery</h1>
<picture>
<source type="image/webp" srcset="images/hero-400.webp 400w, images/hero-800.webp 800w">
<img src="images/hero.jpg" alt="Fresh bread on a counter" width="800" height="450">
</picture>
<h2>What we bake</h2>
<p>Sourdough, <a href="https://example.org/">partners</a> and more.</p>"""

ABOUT_BODY = """<h1>About us</h1>
<h2 id="team">Our team</h2>
<h3>Bakers</h3>
<img src="images/hero-400.webp" srcset="images/hero-400.webp 1x, images/hero-800.webp 2x"
 alt="The bakers at work">
<h2>Visit</h2>"""


def _write_image(path: Path, size: tuple[int, int], fmt: str) -> None:
    Image.new("RGB", size, (200, 120, 40)).save(path, fmt)


def _noise_webp(path: Path) -> None:
    # Random pixels do not compress, so this lossless WebP is ~3 MB and still a valid image.
    Image.frombytes("RGB", (1024, 1024), os.urandom(1024 * 1024 * 3)).save(
        path, "WEBP", lossless=True
    )


def _page(name: str, title: str, description: str, body: str) -> str:
    return PAGE.format(name=name, title=title, description=description, body=body)


def build_site(root: Path) -> Path:
    (root / "assets").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "assets" / "site.css").write_text(":root { --color-text: #1f2937; }\n")
    (root / "assets" / "site.js").write_text("document.documentElement.classList.add('js');\n")
    _write_image(root / "images" / "hero-400.webp", (400, 225), "WEBP")
    _write_image(root / "images" / "hero-800.webp", (800, 450), "WEBP")
    _write_image(root / "images" / "hero.jpg", (800, 450), "JPEG")
    (root / "index.html").write_text(
        _page("", "Harbor Bakery | Fresh bread daily", "Sourdough baked at dawn.", INDEX_BODY)
    )
    (root / "about.html").write_text(
        _page("about.html", "About | Harbor Bakery", "Meet the bakers.", ABOUT_BODY)
    )
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://example.com/</loc></url></urlset>\n"
    )
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    return root


def style(**palette: str) -> StyleSystem:
    return StyleSystem(
        palette=Palette(**{**PALETTE, **palette}),
        fonts=Fonts(heading="Fraunces", body="Inter"),
        base_font_px=17,
        type_scale_ratio=1.25,
        spacing_unit_px=8,
        radius_px=8,
        shadow_strength=0.3,
        mood="warm",
    )


def edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        text = (root / name).read_text()
        assert old in text, f"fixture drift: {old!r} not in {name}"
        (root / name).write_text(text.replace(old, new, 1))

    return apply


def failing(report: QualityReport) -> set[str]:
    return {c.name for c in report.checks if not c.passed}


def findings(report: QualityReport, name: str) -> list[str]:
    return next(c.findings for c in report.checks if c.name == name)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return build_site(tmp_path / "site")


def test_good_site_passes_everything(site: Path) -> None:
    report = assess_site(site, style())
    assert [c.name for c in report.checks] == list(CHECKS)
    assert failing(report) == set(), [c.findings for c in report.checks]
    assert all(c.findings == [] and c.description == CHECKS[c.name] for c in report.checks)
    assert report.score == 1.0


def _missing_image(root: Path) -> None:
    (root / "images" / "hero-800.webp").unlink()


def _corrupt_image(root: Path) -> None:
    (root / "images" / "hero-800.webp").write_bytes(b"RIFF\x00\x00\x00\x00not really a webp")


def _truncated_image(root: Path) -> None:
    path = root / "images" / "hero.jpg"
    Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3)).save(path, "JPEG")
    path.write_bytes(path.read_bytes()[:600])


def _heavy_image(root: Path) -> None:
    _noise_webp(root / "images" / "big.webp")
    edit("about.html", "<h2>Visit</h2>", '<img src="images/big.webp" alt="Big"><h2>Visit</h2>')(
        root
    )


def _missing_description(root: Path) -> None:
    edit("index.html", '<meta name="description" content="Sourdough baked at dawn.">\n', "")(root)


CASES = [
    pytest.param(
        edit("about.html", 'href="index.html"', 'href="servics.html"'),
        {"links_resolve"},
        "links_resolve",
        ["about.html:", "'servics.html' does not resolve"],
        id="broken-link",
    ),
    pytest.param(
        edit("about.html", 'href="index.html"', 'href="../../etc/passwd"'),
        {"links_resolve"},
        "links_resolve",
        ["about.html:", "'../../etc/passwd' points outside the site folder"],
        id="path-traversal",
    ),
    pytest.param(
        edit("index.html", 'href="#main"', 'href="#nowhere"'),
        {"links_resolve"},
        "links_resolve",
        ["index.html:", "'#nowhere' has no matching id on this page"],
        id="missing-fragment",
    ),
    pytest.param(
        edit("index.html", 'href="about.html#team"', 'href="about.html#crew"'),
        {"links_resolve"},
        "links_resolve",
        ["index.html:", "'about.html#crew' has no matching id on about.html"],
        id="missing-fragment-other-page",
    ),
    pytest.param(
        edit("index.html", 'href="assets/site.css"', 'href="assets/styles.css"'),
        {"links_resolve"},
        "links_resolve",
        ["index.html:", "link href 'assets/styles.css' does not resolve"],
        id="missing-stylesheet",
    ),
    pytest.param(
        _missing_image,
        {"links_resolve", "images_resolve"},
        "images_resolve",
        ["index.html:", "image 'images/hero-800.webp' is missing"],
        id="missing-image",
    ),
    pytest.param(
        _corrupt_image,
        {"images_resolve"},
        "images_resolve",
        ["index.html:", "image 'images/hero-800.webp' cannot be opened"],
        id="corrupt-image",
    ),
    pytest.param(
        _truncated_image,
        {"images_resolve"},
        "images_resolve",
        ["index.html:", "image 'images/hero.jpg' cannot be opened"],
        id="truncated-image",
    ),
    pytest.param(
        edit("about.html", ' alt="The bakers at work"', ""),
        {"alt_text"},
        "alt_text",
        ["about.html:", "<img src='images/hero-400.webp'> has no alt text"],
        id="no-alt",
    ),
    pytest.param(
        edit("index.html", 'alt="Fresh bread on a counter"', 'alt="  "'),
        {"alt_text"},
        "alt_text",
        ["index.html:", "<img src='images/hero.jpg'> has no alt text"],
        id="blank-alt",
    ),
    pytest.param(
        edit("about.html", "<h2>Visit</h2>", "<h1>Visit</h1>"),
        {"single_h1"},
        "single_h1",
        ["about.html: 2 <h1> elements", "expected 1"],
        id="two-h1",
    ),
    pytest.param(
        edit("index.html", "<h1>Harbor Bakery</h1>", "<p>Harbor Bakery</p>"),
        {"single_h1"},
        "single_h1",
        ["index.html: 0 <h1> elements"],
        id="no-h1",
    ),
    pytest.param(
        edit("about.html", "About | Harbor Bakery", "A" * 70),
        {"title_length"},
        "title_length",
        ["about.html: <title> is 70 chars (max 60)"],
        id="long-title",
    ),
    pytest.param(
        edit("about.html", "<title>About | Harbor Bakery</title>", "<title> </title>"),
        {"title_length"},
        "title_length",
        ["about.html: <title> is empty"],
        id="empty-title",
    ),
    pytest.param(
        _missing_description,
        {"description_length"},
        "description_length",
        ["index.html: no meta description"],
        id="missing-description",
    ),
    pytest.param(
        edit("about.html", "Meet the bakers.", "x" * 161),
        {"description_length"},
        "description_length",
        ["about.html: meta description is 161 chars (max 160)"],
        id="long-description",
    ),
    pytest.param(
        edit("about.html", "<h2>Visit</h2>", "<div><p>Visit <span>us</div>"),
        {"html_parses"},
        "html_parses",
        ["about.html: line 19, col ", "End tag (div) seen too early"],
        id="unclosed-html",
    ),
    pytest.param(
        edit("about.html", "<h2>Visit</h2>", "<h2 <<>>Visit</h2>"),
        {"html_parses"},
        "html_parses",
        ["about.html: line 19, col 5", "Invalid character in attribute name"],
        id="garbage-html",
    ),
    pytest.param(
        edit("index.html", "<!DOCTYPE html>\n", ""),
        {"html_parses"},
        "html_parses",
        ["index.html: line 1, col ", "Expected DOCTYPE"],
        id="no-doctype",
    ),
    pytest.param(
        edit("index.html", "<h2>What we bake</h2>", "<h3>What we bake</h3>"),
        {"headings_order"},
        "headings_order",
        ["index.html:", "<h3> follows <h1> (skips h2)"],
        id="heading-skip",
    ),
    pytest.param(
        _heavy_image,
        {"page_weight"},
        "page_weight",
        ["about.html: weighs 3.", "MB (max 2.5 MB"],
        id="heavy-image",
    ),
]


@pytest.mark.parametrize(("breakage", "expected_failing", "check", "expected_text"), CASES)
def test_each_breakage_fails_only_its_check(
    site: Path,
    breakage: Callable[[Path], None],
    expected_failing: set[str],
    check: str,
    expected_text: list[str],
) -> None:
    breakage(site)
    report = assess_site(site, style())
    assert failing(report) == expected_failing, [c.findings for c in report.checks]
    found = findings(report, check)
    assert any(all(text in f for text in expected_text) for f in found), found
    passed = len(CHECKS) - len(expected_failing)
    assert report.score == round(passed / len(CHECKS), 2)


def test_low_contrast_palette_fails_text_contrast(site: Path) -> None:
    report = assess_site(site, style(muted_text="#aaaaaa", surface="#d1d5db", text="#6b7280"))
    assert failing(report) == {"text_contrast"}
    assert findings(report, "text_contrast") == [
        "palette: text #6b7280 on surface #d1d5db is 3.28:1 (needs 4.5:1)",
        "palette: muted_text #aaaaaa on background #ffffff is 2.32:1 (needs 4.5:1)",
    ]
    assert report.score == 0.9


def test_invalid_palette_colour_is_a_finding(site: Path) -> None:
    report = assess_site(site, style(text="navy"))
    assert "palette: text 'navy' or background '#ffffff' is not a #rrggbb colour" in findings(
        report, "text_contrast"
    )


def test_only_the_offending_page_is_named(site: Path) -> None:
    edit("about.html", 'href="index.html"', 'href="servics.html"')(site)
    found = findings(assess_site(site, style()), "links_resolve")
    assert len(found) == 1
    assert found[0].startswith("about.html:11: a href 'servics.html'")


def test_heavy_picture_fallback_is_not_counted(site: Path) -> None:
    # Browsers that understand <picture> fetch a <source> candidate, never the <img> fallback.
    _noise_webp(site / "images" / "big.webp")
    (site / "images" / "hero.jpg").write_bytes((site / "images" / "big.webp").read_bytes())
    report = assess_site(site, style())
    assert "page_weight" not in failing(report)


def test_largest_srcset_candidate_is_counted(site: Path) -> None:
    _noise_webp(site / "images" / "big.webp")
    edit("about.html", "images/hero-800.webp 2x", "images/big.webp 2x")(site)
    found = findings(assess_site(site, style()), "page_weight")
    assert len(found) == 1
    assert found[0].startswith("about.html: weighs 3.")


def test_root_relative_and_directory_links_resolve(site: Path) -> None:
    (site / "blog").mkdir()
    (site / "blog" / "index.html").write_text("<!DOCTYPE html><title>Blog</title>")
    edit("about.html", 'href="index.html"', 'href="/blog/"')(site)
    edit("index.html", 'href="index.html"', 'href="/?ref=nav"')(site)
    assert failing(assess_site(site, style())) == set()


def test_external_and_inline_urls_are_skipped(site: Path) -> None:
    extra = (
        '<a href="//cdn.example.com/x.js">cdn</a> <a href="HTTPS://example.com/missing">x</a>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="pixel"><h2>Visit</h2>'
    )
    edit("about.html", "<h2>Visit</h2>", extra)(site)
    assert failing(assess_site(site, style())) == set()


def test_unsupported_scheme_does_not_resolve(site: Path) -> None:
    edit("about.html", 'href="index.html"', 'href="file:///etc/passwd"')(site)
    found = findings(assess_site(site, style()), "links_resolve")
    assert found == ["about.html:11: a href 'file:///etc/passwd' uses unsupported scheme 'file:'"]


def test_symlink_out_of_the_site_does_not_resolve(site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text("secret")
    (site / "leak.html").symlink_to(secret)
    edit("about.html", 'href="index.html"', 'href="leak.html"')(site)
    found = findings(assess_site(site, style()), "links_resolve")
    assert any("'leak.html' points outside the site folder" in f for f in found)


def test_srcset_urls_with_commas_and_svg_titles(site: Path) -> None:
    (site / "images" / "a,b.webp").write_bytes((site / "images" / "hero-400.webp").read_bytes())
    extra = (
        '<img srcset="images/a,b.webp 1x,images/hero-800.webp 2x" src="images/a,b.webp"'
        ' alt="comma"><svg viewBox="0 0 1 1"><title>Icon title that is long enough to exceed'
        " sixty characters easily</title></svg><h2>Visit</h2>"
    )
    edit("about.html", "<h2>Visit</h2>", extra)(site)
    assert failing(assess_site(site, style())) == set()


def test_findings_are_capped_at_20(site: Path) -> None:
    edit("about.html", "<h2>Visit</h2>", '<img src="images/hero.jpg">' * 30)(site)
    found = findings(assess_site(site, style()), "alt_text")
    assert len(found) == 20
    assert found[-1] == "... and 11 more"
    assert all("has no alt text" in f for f in found[:-1])


def test_empty_folder_has_no_home_page(tmp_path: Path) -> None:
    report = assess_site(tmp_path, style())
    assert failing(report) == {"html_parses"}
    assert findings(report, "html_parses") == ["index.html: missing, the site has no home page"]


def test_page_files_lists_top_level_html_index_first(site: Path) -> None:
    (site / "contact.html").write_text("")
    (site / "about-us.html").write_text("")
    (site / "blog").mkdir()
    (site / "blog" / "post.html").write_text("")
    names = [p.name for p in page_files(site)]
    assert names == ["index.html", "about-us.html", "about.html", "contact.html"]

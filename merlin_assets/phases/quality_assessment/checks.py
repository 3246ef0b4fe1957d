"""Quality checks over a generated site folder: links, images, SEO, contrast, HTML validity."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
from html5lib.html5parser import ParseError
from PIL import Image

from merlin_assets.color import AA_TEXT, contrast, is_hex
from merlin_assets.phases.quality_assessment.report import CheckOutcome, QualityReport
from merlin_assets.phases.style_system import StyleSystem
from merlin_assets.types.field_limits import DESCRIPTION_MAX, TITLE_MAX

CHECKS: dict[str, str] = {
    "links_resolve": "Every internal href/src/srcset in every page resolves to a file in the site",
    "images_resolve": "Every referenced image file exists and opens with Pillow",
    "alt_text": "Every <img> has non-empty alt text",
    "single_h1": "Every page has exactly one <h1>",
    "title_length": "Every page has a non-empty <title> of at most 60 characters",
    "description_length": "Every page has a non-empty meta description of at most 160 characters",
    "text_contrast": "Body text colours reach 4.5:1 contrast against their backgrounds",
    "html_parses": "Every page parses without errors as strict HTML5, doctype included",
    "headings_order": "Headings never skip a level going down (e.g. h1 then h3)",
    "page_weight": "Each page with its CSS, JS and largest images weighs at most 2.5 MB",
}

MAX_FINDINGS = 20
PAGE_WEIGHT_MAX = 2_500_000  # bytes; decimal MB, the stricter reading of "2.5 MB"

_EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# data: URLs are inline content, not files, so there is nothing to resolve.
_INLINE_SCHEMES = frozenset({"data"})
# Pillow cannot rasterise vector formats; for those, existing is enough.
_VECTOR_SUFFIXES = frozenset({".svg", ".svgz"})
# Attributes holding a single URL, per tag.
_URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
}
_SRCSET_TAGS = frozenset({"img", "source"})


@dataclass
class _Ref:
    """One URL found in a page, with where it was found."""

    url: str
    tag: str
    attr: str
    line: int


@dataclass
class _ImageUse:
    """One rendered image: every candidate URL the browser might fetch for it."""

    line: int
    candidates: list[str] = field(default_factory=list)


@dataclass
class _PageData:
    path: Path
    raw: bytes
    refs: list[_Ref] = field(default_factory=list)
    image_refs: list[_Ref] = field(default_factory=list)
    images: list[_ImageUse] = field(default_factory=list)
    missing_alt: list[tuple[int, str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    headings: list[tuple[int, int]] = field(default_factory=list)  # (level, line)
    titles: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)


def _srcset_urls(value: str) -> list[str]:
    """URLs of a srcset, split as the HTML spec does (URLs may contain commas)."""
    urls: list[str] = []
    pos, end = 0, len(value)
    while pos < end:
        while pos < end and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < end and not value[pos].isspace():
            pos += 1
        url = value[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            # Skip the descriptors; a comma inside parentheses does not end the candidate.
            depth = 0
            while pos < end and not (value[pos] == "," and depth == 0):
                depth += {"(": 1, ")": -1}.get(value[pos], 0)
                pos += 1
        if url:
            urls.append(url)
    return urls


class _Collector(HTMLParser):
    """Gathers links, images, ids, headings, title and meta description from one page."""

    def __init__(self, page: _PageData) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self._svg_depth = 0
        self._picture: _ImageUse | None = None
        self._picture_has_sources = False
        self._title: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, self_closing: bool) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in reversed(attrs)}  # first wins, as in HTML
        page = self.page
        if values.get("id"):
            page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            page.ids.add(values["name"])
        for attr in _URL_ATTRS.get(tag, ()):
            if attr in values:
                page.refs.append(_Ref(values[attr], tag, attr, line))
        srcset = [] if tag not in _SRCSET_TAGS else _srcset_urls(values.get("srcset", ""))
        page.refs.extend(_Ref(url, tag, "srcset", line) for url in srcset)

        if tag == "svg" and not self_closing:
            self._svg_depth += 1
        elif tag == "picture" and not self_closing:
            self._picture = _ImageUse(line)
            self._picture_has_sources = False
        elif tag == "source" and self._picture is not None:
            urls = srcset + ([values["src"]] if values.get("src") else [])
            self._image_refs(urls, tag, line)
            if urls and not self._picture_has_sources:
                # A browser that understands <picture> never fetches the <img> fallback.
                self._picture.candidates.clear()
                self._picture_has_sources = True
            self._picture.candidates.extend(urls)
        elif tag == "img":
            urls = ([values["src"]] if values.get("src") else []) + srcset
            self._image_refs(urls, tag, line)
            if not values.get("alt", "").strip():
                page.missing_alt.append((line, values.get("src", "")))
            if self._picture is None:
                page.images.append(_ImageUse(line, urls))
            elif not self._picture_has_sources:
                self._picture.candidates.extend(urls)
        elif tag == "video" and values.get("poster"):
            self._image_refs([values["poster"]], tag, line)
        elif tag == "link":
            rels = values.get("rel", "").lower().split()
            if "stylesheet" in rels and values.get("href"):
                page.stylesheets.append(values["href"])
            if any(rel in {"icon", "apple-touch-icon"} for rel in rels) and values.get("href"):
                self._image_refs([values["href"]], tag, line)
        elif tag == "script" and values.get("src"):
            page.scripts.append(values["src"])
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            page.headings.append((int(tag[1]), line))
        elif tag == "title" and self._svg_depth == 0:
            # An SVG <title> is an accessible name for the graphic, not the page title.
            self._title = []
        elif tag == "meta" and values.get("name", "").lower() == "description":
            page.descriptions.append(values.get("content", ""))

    def _image_refs(self, urls: list[str], tag: str, line: int) -> None:
        self.page.image_refs.extend(_Ref(url, tag, "image", line) for url in urls)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._svg_depth:
            self._svg_depth -= 1
        elif tag == "picture" and self._picture is not None:
            self.page.images.append(self._picture)
            self._picture = None
        elif tag == "title" and self._title is not None:
            self.page.titles.append(" ".join("".join(self._title).split()))
            self._title = None

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)


def page_files(site_dir: Path) -> list[Path]:
    """All top-level *.html pages, sorted, with index.html first."""
    if not site_dir.is_dir():
        return []
    pages = [p for p in site_dir.glob("*.html") if p.is_file()]
    return sorted(pages, key=lambda p: (p.name != "index.html", p.name))


def _parse_page(path: Path) -> _PageData:
    page = _PageData(path, path.read_bytes())
    collector = _Collector(page)
    # Lenient decoding here: bad bytes are html_parses' finding, not a reason to skip the rest.
    collector.feed(page.raw.decode("utf-8", errors="replace"))
    collector.close()
    return page


@dataclass
class _Site:
    root: Path
    style: StyleSystem
    pages: list[_PageData]

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.by_path = {page.path.resolve(): page for page in self.pages}

    def resolve(self, page: _PageData, url: str) -> tuple[Path | None, str | None]:
        """Map a URL to a file in the site: (path, None), (None, None) if external, or a problem.

        Fragments are not checked here.
        """
        url = url.strip()
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in _EXTERNAL_SCHEMES or scheme in _INLINE_SCHEMES or url.startswith("//"):
            return None, None
        if scheme:
            return None, f"uses unsupported scheme '{scheme}:'"
        path = unquote(parts.path)
        if not path:
            return page.path.resolve(), None
        base = self.root if path.startswith("/") else page.path.parent
        try:
            target = (base / path.lstrip("/")).resolve()
        except (OSError, ValueError):
            return None, "is not a valid path"
        # Resolving first makes '..' and symlinks count: anything outside the site is broken.
        if not target.is_relative_to(self.root):
            return None, "points outside the site folder"
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return None, "does not resolve"
        return target, None


def _name(site: _Site, page: _PageData) -> str:
    # Pages live at the top level, so the file name identifies them.
    return page.path.name


def _check_links(site: _Site) -> list[str]:
    findings: list[str] = []
    for page in site.pages:
        name = _name(site, page)
        for ref in page.refs:
            target, problem = site.resolve(page, ref.url)
            if problem:
                findings.append(f"{name}:{ref.line}: {ref.tag} {ref.attr} '{ref.url}' {problem}")
                continue
            fragment = unquote(urlsplit(ref.url.strip()).fragment)
            linked = site.by_path.get(target) if target else None
            # An empty fragment and '#top' always scroll to the top, per the HTML spec.
            if linked and fragment and fragment.lower() != "top" and fragment not in linked.ids:
                where = "this page" if linked is page else _name(site, linked)
                findings.append(
                    f"{name}:{ref.line}: link '{ref.url}' has no matching id on {where}"
                )
    return findings


def _image_problem(path: Path) -> str | None:
    if path.suffix.lower() in _VECTOR_SUFFIXES:
        return None
    try:
        with Image.open(path) as image:
            image.verify()
        # verify() only reads headers for many formats, so a truncated file needs a full decode.
        with Image.open(path) as image:
            image.load()
    except Exception as exc:  # Pillow signals bad data with many exception types
        return f"{type(exc).__name__}: {exc}"
    return None


def _check_images(site: _Site) -> list[str]:
    findings: list[str] = []
    opened: list[tuple[str, int, str, Path]] = []
    for page in site.pages:
        name = _name(site, page)
        seen: set[str] = set()
        for ref in page.image_refs:
            if ref.url in seen:
                continue
            seen.add(ref.url)
            target, problem = site.resolve(page, ref.url)
            if problem:
                findings.append(f"{name}:{ref.line}: image '{ref.url}' is missing ({problem})")
            elif target is not None:
                opened.append((name, ref.line, ref.url, target))
    # Decoding every file is most of this report's time on a wide site; Pillow releases the
    # GIL while it decodes, so the files are opened on every core at once.
    targets = sorted({target for *_, target in opened})
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        verdicts = dict(zip(targets, pool.map(_image_problem, targets), strict=True))
    for name, line, url, target in opened:
        if verdicts[target]:
            findings.append(f"{name}:{line}: image '{url}' cannot be opened ({verdicts[target]})")
    return findings


def _check_alt(site: _Site) -> list[str]:
    return [
        f"{_name(site, page)}:{line}: <img src='{src}'> has no alt text"
        for page in site.pages
        for line, src in page.missing_alt
    ]


def _check_h1(site: _Site) -> list[str]:
    findings: list[str] = []
    for page in site.pages:
        lines = [line for level, line in page.headings if level == 1]
        if len(lines) != 1:
            at = f" (lines {', '.join(map(str, lines))})" if lines else ""
            findings.append(f"{_name(site, page)}: {len(lines)} <h1> elements{at}, expected 1")
    return findings


def _check_title(site: _Site) -> list[str]:
    findings: list[str] = []
    for page in site.pages:
        name = _name(site, page)
        if not page.titles:
            findings.append(f"{name}: no <title>")
            continue
        if len(page.titles) > 1:
            findings.append(f"{name}: {len(page.titles)} <title> elements, expected 1")
        title = page.titles[0]
        if not title:
            findings.append(f"{name}: <title> is empty")
        elif len(title) > TITLE_MAX:
            findings.append(f"{name}: <title> is {len(title)} chars (max {TITLE_MAX}): '{title}'")
    return findings


def _check_description(site: _Site) -> list[str]:
    findings: list[str] = []
    for page in site.pages:
        name = _name(site, page)
        if not page.descriptions:
            findings.append(f"{name}: no meta description")
            continue
        if len(page.descriptions) > 1:
            findings.append(f"{name}: {len(page.descriptions)} meta descriptions, expected 1")
        text = " ".join(page.descriptions[0].split())
        if not text:
            findings.append(f"{name}: meta description is empty")
        elif len(text) > DESCRIPTION_MAX:
            findings.append(
                f"{name}: meta description is {len(text)} chars (max {DESCRIPTION_MAX})"
            )
    return findings


def _check_contrast(site: _Site) -> list[str]:
    palette = site.style.palette
    findings: list[str] = []
    for fg, bg in (("text", "background"), ("text", "surface"), ("muted_text", "background")):
        a, b = getattr(palette, fg), getattr(palette, bg)
        if not (is_hex(a) and is_hex(b)):
            findings.append(f"palette: {fg} {a!r} or {bg} {b!r} is not a #rrggbb colour")
            continue
        ratio = contrast(a, b)
        if ratio < AA_TEXT:
            # Round down so a failing ratio is never displayed as 4.50.
            shown = math.floor(ratio * 100) / 100
            findings.append(f"palette: {fg} {a} on {bg} {b} is {shown:.2f}:1 (needs {AA_TEXT}:1)")
    return findings


def _check_parses(site: _Site) -> list[str]:
    findings: list[str] = []
    if not (site.root / "index.html").is_file():
        findings.append("index.html: missing, the site has no home page")
    for page in site.pages:
        name = _name(site, page)
        try:
            text = page.raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            findings.append(f"{name}: not valid UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        parser = html5lib.HTMLParser(strict=True)
        try:
            parser.parse(text)
        except ParseError as exc:
            # Strict mode raises on the first error; its position is the last one recorded.
            line, col = parser.errors[-1][0] if parser.errors else ("?", "?")
            findings.append(f"{name}: line {line}, col {col}: {exc}")
    return findings


def _check_headings(site: _Site) -> list[str]:
    findings: list[str] = []
    for page in site.pages:
        for (previous, _), (level, line) in zip(page.headings, page.headings[1:], strict=False):
            if level > previous + 1:
                findings.append(
                    f"{_name(site, page)}:{line}: <h{level}> follows <h{previous}>"
                    f" (skips h{previous + 1})"
                )
    return findings


def _check_weight(site: _Site) -> list[str]:
    findings: list[str] = []
    for page in site.pages:
        assets: set[Path] = set()  # a file fetched twice by one page is downloaded once
        for url in page.stylesheets + page.scripts:
            target, _ = site.resolve(page, url)
            if target is not None:
                assets.add(target)
        images: set[Path] = set()
        for use in page.images:
            # Only one candidate is fetched; budget for the heaviest in case the viewport picks it.
            targets = [site.resolve(page, url)[0] for url in use.candidates]
            sized = [t for t in targets if t is not None]
            if sized:
                images.add(max(sized, key=lambda p: p.stat().st_size))
        html_bytes = len(page.raw)
        asset_bytes = sum(p.stat().st_size for p in assets)
        image_bytes = sum(p.stat().st_size for p in images)
        total = html_bytes + asset_bytes + image_bytes
        if total > PAGE_WEIGHT_MAX:
            findings.append(
                f"{_name(site, page)}: weighs {total / 1e6:.2f} MB (max {PAGE_WEIGHT_MAX / 1e6} MB;"
                f" html {html_bytes / 1e3:.0f} KB, css+js {asset_bytes / 1e3:.0f} KB,"
                f" images {image_bytes / 1e3:.0f} KB)"
            )
    return findings


_RUNNERS: dict[str, Callable[[_Site], list[str]]] = {
    "links_resolve": _check_links,
    "images_resolve": _check_images,
    "alt_text": _check_alt,
    "single_h1": _check_h1,
    "title_length": _check_title,
    "description_length": _check_description,
    "text_contrast": _check_contrast,
    "html_parses": _check_parses,
    "headings_order": _check_headings,
    "page_weight": _check_weight,
}


def _cap(findings: list[str]) -> list[str]:
    if len(findings) <= MAX_FINDINGS:
        return findings
    kept = findings[: MAX_FINDINGS - 1]
    return [*kept, f"... and {len(findings) - len(kept)} more"]


def assess_site(site_dir: Path, style: StyleSystem) -> QualityReport:
    """Run every check in CHECKS over the site folder; score is the fraction that passed."""
    site = _Site(Path(site_dir), style, [_parse_page(p) for p in page_files(Path(site_dir))])
    outcomes = []
    for name, description in CHECKS.items():
        findings = _RUNNERS[name](site)
        outcomes.append(
            CheckOutcome(
                name=name, passed=not findings, description=description, findings=_cap(findings)
            )
        )
    return QualityReport(
        score=round(sum(o.passed for o in outcomes) / len(outcomes), 2), checks=outcomes
    )

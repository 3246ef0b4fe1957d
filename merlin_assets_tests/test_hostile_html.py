"""Hostile text from the config and from model replies: every page stays inert in a real browser.

Each payload class goes through the real engine (config -> writers or a hostile provider ->
repair -> render -> atomic publish), and every published page is loaded in headless Chromium,
once with its Content-Security-Policy and once with the policy bypassed, while the DevTools
protocol records dialogs, console calls, exceptions, and the page's scripts and attributes.
"""

from __future__ import annotations

import json
from pathlib import Path

import html5lib
import pytest
import yaml

from merlin_assets.config.project import ConfigError, load_config, parse_config_text
from merlin_assets_tests.chromium import needs_chromium
from merlin_assets_tests.hostile_support import (
    ALL_PAYLOADS,
    MARKER,
    PAYLOAD_CLASSES,
    PAYLOADS,
    Chromium,
    HostileLLM,
    QuickImagesLLM,
    build_site,
    check_site,
    problems,
    serve,
)
from merlin_assets_tests.test_pipeline import _generate


@pytest.fixture(scope="module")
def browser():
    chromium = Chromium()
    try:
        yield chromium
    finally:
        chromium.close()


def hostile_config(payloads: list[str], project_id: str) -> dict:
    """A valid config whose every free-text field carries payloads, rotating through them."""
    n = len(payloads)

    def pick(i: int, limit: int) -> str:
        return payloads[i % n][:limit]

    return {
        "id": project_id,
        "name": ("Acme " + pick(0, 74)).strip(),
        "industry": "bakery " + pick(1, 72),
        "description": " ".join(payloads)[:2000],
        "location": pick(2, 120),
        "services": [pick(i, 120) for i in range(3, 3 + max(n, 3))][:20],
        "audiences": [pick(i, 120) for i in range(n)][:10],
        "tone": pick(4, 120),
        "goals": [pick(i + 1, 120) for i in range(n)][:10],
        "notes": "\n\n".join(reversed(payloads))[:2000],
    }


def static_problems(html: str, form_action: str | None = None) -> list[str]:
    """What an HTML parser (not a browser) sees that should not be there; the one form allowed
    posts to `form_action`, the endpoint the config names."""
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    found = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        found += [f"<{el.tag} {k}>" for k in el.attrib if k.lower().startswith("on")]
        for attr in ("href", "src", "action", "formaction"):
            value = "".join((el.get(attr) or "").split()).lower()
            if value.startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"<{el.tag} {attr}={value[:40]}>")
        if el.tag in {"iframe", "object", "embed", "base", "style", "svg"}:
            found.append(f"<{el.tag}>")
        if el.tag == "form" and not (
            form_action and el.get("action") == form_action and el.get("method") == "post"
        ):
            found.append(f"<form action={el.get('action')!r}>")
        if el.tag == "script":
            ours = el.get("src") == "assets/site.js" and el.get("type") is None
            json_ld = el.get("src") is None and el.get("type") == "application/ld+json"
            if not (ours or json_ld):
                found.append(f"<script {dict(el.attrib)}>")
            if json_ld:
                json.loads(el.text)  # still one JSON value: nothing broke out of it
    if 'http-equiv="Content-Security-Policy"' not in html:
        found.append("no CSP")
    return found


def assert_text_survives_inert(site: Path, payloads: list[str]) -> None:
    """Template syntax is shown as text, never evaluated; no payload markup is left raw."""
    html = "".join(p.read_text() for p in site.glob("*.html"))
    assert f"<script>alert('{MARKER}" not in html
    assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=\\", "")
    if "{{7*7}}" in payloads:
        assert "{{7*7}}" in html or "${7*7}" in html


# --- config text through the offline writers ---------------------------------------------------


@needs_chromium
@pytest.mark.parametrize("payload_class", PAYLOAD_CLASSES)
def test_config_payloads_stay_inert(payload_class, browser, tmp_path: Path):
    payloads = PAYLOADS[payload_class]
    config = hostile_config(payloads, f"cfg-{payload_class}")
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    sites = tmp_path / "sites"
    site, _ = build_site(path, llm=QuickImagesLLM(), sites=sites, work=tmp_path / "work")
    for page in site.glob("*.html"):
        assert static_problems(page.read_text()) == [], page.name
    assert_text_survives_inert(site, payloads)
    with serve(sites) as served:
        assert check_site(browser, served, site, site.name) == {}


@needs_chromium
@pytest.mark.slow
def test_config_payloads_through_dagster_as_json(instance, sites: Path, browser, tmp_path: Path):
    """The whole product path: a JSON config with every payload class, run as a Dagster job."""
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(hostile_config(ALL_PAYLOADS, "all-payloads")))
    assert _generate(instance, path).success
    site = sites / "all-payloads"
    assert len(list(site.glob("*.html"))) >= 3
    for page in site.glob("*.html"):
        assert static_problems(page.read_text()) == [], page.name
    with serve(sites) as served:
        assert check_site(browser, served, site, site.name) == {}


CSS_AND_URL_INJECTION = [
    ({"brand": {"colors": {"primary": "red;}</style><script>alert(1)</script>"}}}, "primary"),
    ({"brand": {"colors": {"accent": "#fff; background:url(javascript:alert(1))"}}}, "accent"),
    ({"brand": {"colors": {"secondary": "expression(alert(1))"}}}, "secondary"),
    ({"brand": {"fonts": {"heading": 'Arial"; } body { background: url(x) } {'}}}, "heading"),
    ({"brand": {"fonts": {"body": "Inter</style><script>alert(1)</script>"}}}, "body"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"url": "data:text/html,<script>alert(1)</script>"}, "url"),
    ({"url": "https://x.example/<script>"}, "url"),
    ({"id": "<script>"}, "id"),
    ({"id": "{{7*7}}"}, "id"),
]


@pytest.mark.parametrize(("extra", "field"), CSS_AND_URL_INJECTION)
def test_css_and_url_injection_in_config_is_refused(extra, field):
    base = {"name": "Acme Bakery", "industry": "bakery", **extra}
    with pytest.raises(ConfigError) as err:
        parse_config_text(json.dumps(base), source="hostile.json", suffix=".json")
    assert "hostile.json" in str(err.value) and field in err.value.field


# --- model replies through repair and rendering ------------------------------------------------


@needs_chromium
@pytest.mark.parametrize("payload_class", PAYLOAD_CLASSES)
def test_model_reply_payloads_stay_inert(payload_class, browser, tmp_path: Path):
    """Every string of every phase reply (keys kept, so every section renders) is a payload."""
    payloads = PAYLOADS[payload_class]
    sites = tmp_path / "sites"
    config = Path(__file__).parents[1] / "examples" / "projects" / "crumb-and-co-bakery.yaml"
    site, events = build_site(
        config, llm=HostileLLM(payloads, keys=False), sites=sites, work=tmp_path / "work"
    )
    # Keys were left alone, so the site keeps its shape: several pages, each section present.
    assert len(list(site.glob("*.html"))) >= 3
    assert any(e.calls and e.calls[0].provider == "hostile" for e in events)
    for page in site.glob("*.html"):
        assert static_problems(page.read_text()) == [], page.name
    assert_text_survives_inert(site, payloads)
    with serve(sites) as served:
        assert check_site(browser, served, site, site.name) == {}


@needs_chromium
def test_model_reply_payloads_in_keys_slugs_and_styles(browser, tmp_path: Path):
    """Payloads in section keys, slugs, image keys, colours, fonts, schema and OG types too."""
    sites = tmp_path / "sites"
    config = Path(__file__).parents[1] / "examples" / "projects" / "harbor-legal.yaml"
    site, events = build_site(
        config, llm=HostileLLM(ALL_PAYLOADS, keys=True), sites=sites, work=tmp_path / "work"
    )
    notes = [n for e in events for n in e.notes]
    # Repair, not luck: it renamed keys, replaced colours and fonts, and said so.
    assert any("section key" in n for n in notes)
    assert any("is not #rrggbb" in n for n in notes)
    assert any("fonts." in n for n in notes)
    names = {p.name for p in site.rglob("*") if p.is_file()}
    assert all(n.isascii() and "/" not in n and not n.startswith(".") for n in names), names
    css = (site / "assets" / "site.css").read_text()
    assert "<" not in css and "javascript" not in css.lower() and MARKER not in css
    endpoint = load_config(config).form_endpoint
    assert endpoint and any("<form" in p.read_text() for p in site.glob("*.html"))
    for page in site.glob("*.html"):
        assert static_problems(page.read_text(), endpoint) == [], page.name
    with serve(sites) as served:
        assert check_site(browser, served, site, site.name, endpoint) == {}


# --- the watcher itself ------------------------------------------------------------------------


@needs_chromium
def test_the_browser_check_catches_a_vulnerable_page(browser, tmp_path: Path):
    """A page that lets payloads through fails every check, so clean results mean something."""
    site = tmp_path / "sites" / "vulnerable"
    site.mkdir(parents=True)
    (site / "index.html").write_text(
        "<!DOCTYPE html><html><head><title>ok</title></head><body>"
        f"<script>alert('{MARKER}-a');console.log('{MARKER}-c');document.title='{MARKER}'</script>"
        f"<script>fetch('/{MARKER}-fetch')</script>"
        f'<img src="x.png" onerror="confirm(1)"><a href="javascript:alert(1)">x</a>'
        f'<iframe src="data:text/html,hi"></iframe></body></html>'
    )
    with serve(tmp_path / "sites") as served:
        report = browser.visit(f"{served.url}/vulnerable/index.html", bypass_csp=True)
        found = "\n".join(problems(report, served))
    assert f"dialog opened: {MARKER}-a" in found
    assert "dialog opened: 1" in found  # the onerror handler ran too
    assert f"console: {MARKER}-c" in found
    assert "title changed by a script" in found
    assert f"payload request /{MARKER}-fetch" in found
    assert "no Content-Security-Policy" in found
    assert "elements with event-handler attributes" in found
    assert "foreign script" in found
    assert "dangerous URL A[href]=javascript:alert(1)" in found
    assert "dangerous element <iframe" in found

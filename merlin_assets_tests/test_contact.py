"""A site that works for its visitors: real ways to reach the business, and self-hosted fonts.

Contact links, the address and its map, opening hours, a form and the LocalBusiness JSON-LD
come from the config's facts and from nowhere else; a config without them gets none of them.
The published site serves its own subset fonts, loaded by relative URLs from site.css, made
by the site_fonts node beside the images and cached on the machine for the next site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import pytest
import yaml
from fontTools.ttLib import TTFont

from merlin_assets.phases.quality_assessment.checks import CHECKS, assess_site
from merlin_assets.phases.site_fonts import make_fonts
from merlin_assets.phases.style_system import Fonts
from merlin_assets.render import fonts as fonts_module
from merlin_assets.render.css import render_css
from merlin_assets.render.fonts import font_stack
from merlin_assets.render.site import CSP, render_page
from merlin_assets_tests.hostile_support import QuickImagesLLM, build_site
from merlin_assets_tests.test_render import (
    ATTR_BREAK,
    HOSTILE,
    NS,
    build_context,
    find_all,
    json_ld,
    make_config,
    make_style,
    parse,
    text_of,
)

ENDPOINT = "https://forms.crumbandco.example/f/contact?src=site"
FACTS = {
    "contact": {
        "phone": "+44 (0)131 555 0186",
        "email": "hello@crumbandco.example",
        "address": "14 Shore Place\nLeith, Edinburgh EH6 6SW",
    },
    "hours": {
        "mon": "closed",
        "tue-fri": "07:30-16:00",
        "sat": ["09:00-12:00", "13:00-17:00"],
        # Sunday is not given: the site says nothing about it.
    },
    "form_endpoint": ENDPOINT,
}
EXAMPLE = Path(__file__).parents[1] / "examples" / "projects" / "crumb-and-co-bakery.yaml"


def render(slug: str = "contact", **config) -> str:
    return render_page(build_context(slug, config=make_config(**config)), year=2031)


def csp_of(doc) -> dict[str, str]:
    [policy] = [
        m.get("content")
        for m in find_all(doc, "meta")
        if m.get("http-equiv") == "Content-Security-Policy"
    ]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def business(doc) -> dict:
    return json_ld(doc)["@graph"][0]


# --- with the facts -------------------------------------------------------------------------


def test_phone_and_email_links_are_exact():
    doc = parse(render(**FACTS))
    hrefs = [a.get("href") for a in find_all(doc, "a")]
    # Digits and the leading + only; the "(0)" trunk prefix is not dialled from abroad.
    assert "tel:+441315550186" in hrefs
    assert "mailto:hello@crumbandco.example" in hrefs
    tel = next(a for a in find_all(doc, "a") if a.get("href") == "tel:+441315550186")
    assert text_of(tel) == "+44 (0)131 555 0186"
    assert all(re.fullmatch(r"tel:\+?[0-9]+", h) for h in hrefs if h.startswith("tel:"))


def test_address_with_an_openstreetmap_link_when_no_map_url():
    doc = parse(render(**FACTS))
    [address] = find_all(doc, "address")
    assert text_of(address) == "14 Shore PlaceLeith, Edinburgh EH6 6SW"
    assert len(address.findall(f"{NS}br")) == 1
    expected = "https://www.openstreetmap.org/search?query=" + quote_plus(
        "14 Shore Place, Leith, Edinburgh EH6 6SW"
    )
    maps = [a for a in find_all(doc, "a") if "contact-map" in (a.get("class") or "")]
    assert [a.get("href") for a in maps] == [expected]


def test_the_configs_map_url_wins():
    given = "https://maps.example/place?q=14+Shore+Place"
    facts = {**FACTS, "contact": {**FACTS["contact"], "map_url": given}}
    doc = parse(render(**facts))
    maps = [a for a in find_all(doc, "a") if "contact-map" in (a.get("class") or "")]
    assert [a.get("href") for a in maps] == [given]
    assert business(doc)["hasMap"] == given


def test_opening_hours_table_rows():
    doc = parse(render(**FACTS))
    [table] = [t for t in find_all(doc, "table") if "hours" in (t.get("class") or "")]
    rows = [
        (text_of(tr.find(f"{NS}th")), text_of(tr.find(f"{NS}td"))) for tr in table.iter(f"{NS}tr")
    ]
    assert rows == [
        ("Monday", "Closed"),
        ("Tuesday", "07:30–16:00"),
        ("Wednesday", "07:30–16:00"),
        ("Thursday", "07:30–16:00"),
        ("Friday", "07:30–16:00"),
        ("Saturday", "09:00–12:0013:00–17:00"),
    ]
    saturday = table.findall(f".//{NS}tr")[-1].find(f"{NS}td")
    assert len(saturday.findall(f"{NS}br")) == 1  # two periods, one per line
    assert all(th.get("scope") == "row" for th in table.iter(f"{NS}th"))
    assert text_of(table.find(f"{NS}caption")) == "Opening hours"


def test_all_day_hours_read_as_such():
    doc = parse(render(hours={"daily": "24 hours"}))
    cells = [text_of(td) for td in find_all(doc, "td")]
    assert cells == ["Open 24 hours"] * 7


def test_form_posts_to_the_endpoint_and_the_csp_allows_exactly_its_origin():
    doc = parse(render(**FACTS))
    [form] = find_all(doc, "form")
    assert form.get("method") == "post"
    assert form.get("action") == ENDPOINT
    labels = {lab.get("for"): text_of(lab) for lab in form.iter(f"{NS}label")}
    fields = {
        el.get("name"): el
        for el in form.iter()
        if el.tag in (f"{NS}input", f"{NS}textarea") and el.get("name")
    }
    assert set(fields) == {"name", "email", "message"}
    for name, label in (("name", "Name"), ("email", "Email"), ("message", "Message")):
        assert labels[fields[name].get("id")] == label
        assert fields[name].get("required") is not None
    assert fields["email"].get("type") == "email"
    assert fields["message"].tag == f"{NS}textarea"
    buttons = list(form.iter(f"{NS}button"))
    assert [b.get("type") for b in buttons] == ["submit"]
    policy = csp_of(doc)
    assert policy["form-action"] == "https://forms.crumbandco.example"
    assert policy["font-src"] == "'self'"
    # Every page carries the same policy, form or not.
    home = parse(render("home", **FACTS))
    assert not find_all(home, "form")
    assert csp_of(home)["form-action"] == "https://forms.crumbandco.example"


def test_form_endpoint_with_a_port_keeps_it_in_the_origin():
    doc = parse(render(form_endpoint="https://forms.example:8443/submit"))
    assert find_all(doc, "form")[0].get("action") == "https://forms.example:8443/submit"
    assert csp_of(doc)["form-action"] == "https://forms.example:8443"


def test_no_mailto_button_beside_the_form():
    doc = parse(render(**FACTS))
    buttons = [a.get("href") for a in find_all(doc, "a") if "button" in (a.get("class") or "")]
    assert not any(h.startswith("mailto:") for h in buttons)
    # Without a form, the contact card's button writes an email.
    no_form = {k: v for k, v in FACTS.items() if k != "form_endpoint"}
    doc = parse(render(**no_form))
    buttons = [a.get("href") for a in find_all(doc, "a") if "button" in (a.get("class") or "")]
    assert "mailto:hello@crumbandco.example" in buttons


def test_json_ld_states_the_config_facts():
    facts = {**FACTS, "contact": {**FACTS["contact"], "map_url": "https://maps.example/x"}}
    org = business(parse(render("home", **facts)))
    assert org["@type"] == "Bakery"
    assert org["name"] == "Crumb & Co"
    assert org["url"] == "https://crumbandco.example/"
    assert org["telephone"] == "+44 (0)131 555 0186"
    assert org["email"] == "hello@crumbandco.example"
    assert org["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "14 Shore Place, Leith, Edinburgh EH6 6SW",
    }
    assert org["hasMap"] == "https://maps.example/x"
    spec = org["openingHoursSpecification"]
    assert spec == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Monday"],
            "opens": "00:00",
            "closes": "00:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Tuesday", "Wednesday", "Thursday", "Friday"],
            "opens": "07:30",
            "closes": "16:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Saturday"],
            "opens": "09:00",
            "closes": "12:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Saturday"],
            "opens": "13:00",
            "closes": "17:00",
        },
    ]
    # The derived OpenStreetMap link is ours, not a config fact: no hasMap for it.
    assert "hasMap" not in business(parse(render("home", **FACTS)))


def test_json_ld_hours_to_midnight_close_at_2359():
    org = business(parse(render("home", hours={"fri": "18:00-24:00"})))
    assert org["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Friday"],
            "opens": "18:00",
            "closes": "23:59",
        }
    ]


def test_notes_are_the_second_source():
    notes = "Call 0131 496 0000 or email orders@crumbandco.example."
    doc = parse(render(notes=notes))
    hrefs = [a.get("href") for a in find_all(doc, "a")]
    assert "tel:01314960000" in hrefs and "mailto:orders@crumbandco.example" in hrefs
    # config.contact comes first.
    doc = parse(render(notes=notes, **FACTS))
    hrefs = [a.get("href") for a in find_all(doc, "a")]
    assert "tel:+441315550186" in hrefs and "tel:01314960000" not in hrefs
    assert "mailto:hello@crumbandco.example" in hrefs
    assert "mailto:orders@crumbandco.example" not in hrefs


def test_hostile_address_stays_text():
    evil = f"{HOSTILE} {ATTR_BREAK} </script>"
    html = render("contact", contact={"address": evil})
    doc = parse(html)
    assert "<script>alert" not in html and ATTR_BREAK not in html
    assert text_of(find_all(doc, "address")[0]) == evil
    assert len(find_all(doc, "script")) == 2
    assert business(doc)["address"]["streetAddress"] == evil
    maps = [a for a in find_all(doc, "a") if "contact-map" in (a.get("class") or "")]
    assert maps[0].get("href") == "https://www.openstreetmap.org/search?query=" + quote_plus(evil)


# --- without them ---------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["home", "about", "contact"])
def test_nothing_invented_without_the_facts(slug):
    # make_seo's organisation names a phone and email; the config states neither.
    html = render(slug)
    doc = parse(html)
    assert "tel:" not in html
    assert "mailto:" not in html
    assert not find_all(doc, "form")
    assert not find_all(doc, "table")
    assert not find_all(doc, "address")
    assert "openstreetmap" not in html
    policy = csp_of(doc)
    assert policy["form-action"] == "'none'"
    assert "; ".join(f"{k} {v}" for k, v in policy.items()) == CSP
    org = business(doc)
    for key in ("telephone", "email", "address", "openingHoursSpecification", "hasMap"):
        assert key not in org
    assert org["name"] == "Crumb & Co"
    assert org["url"] == "https://crumbandco.example/"


def test_days_the_config_leaves_out_are_not_shown():
    doc = parse(render(hours={"sat": "08:00-12:00"}))
    rows = [text_of(th) for th in find_all(doc, "th")]
    assert rows == ["Saturday"]
    org = business(doc)
    assert [s["dayOfWeek"] for s in org["openingHoursSpecification"]] == [["Saturday"]]


# --- fonts in the stylesheet ----------------------------------------------------------------


def test_css_takes_the_font_bundles_stacks():
    stacks = {"heading": font_stack("Playfair Display", "serif"), "body": font_stack(None, "sans")}
    css = render_css(make_style(), stacks=stacks)
    assert f"--font-heading: {stacks['heading']};" in css
    assert f"--font-body: {stacks['body']};" in css
    assert "&#34;" not in css and "&quot;" not in css
    # Other callers are unchanged.
    assert '--font-heading: "Playfair Display", Georgia' in render_css(make_style())


@pytest.mark.parametrize(
    "stack", ['"Inter"; } body { x: 1', "url(https://evil.example/f.woff2)", '"Inter\\"', "a,b"]
)
def test_css_refuses_a_stack_that_is_not_plain(stack):
    with pytest.raises(ValueError, match="stack"):
        render_css(make_style(), stacks={"heading": stack, "body": "serif"})
    with pytest.raises(ValueError, match="font"):
        render_css(make_style(fonts=Fonts(heading="Inter", body='Inter"; }')))


# --- the published site ---------------------------------------------------------------------


# Not Latin: Greek in the description. Source Sans 3 has Greek; Playfair Display a few signs.
GREEK = "Ψωμί"


@pytest.fixture(scope="module")
def font_cache(tmp_path_factory) -> Iterator[Path]:
    """An empty machine font cache for this module, and no subset in memory."""
    mp = pytest.MonkeyPatch()
    folder = tmp_path_factory.mktemp("merlin-cache")
    mp.setenv("MERLIN_FONT_CACHE_DIR", str(folder / "fonts"))
    fonts_module.clear_memory_cache()
    yield folder / "fonts"
    mp.undo()


@pytest.fixture(scope="module")
def built(tmp_path_factory, font_cache) -> tuple[Path, dict, list]:
    """The bakery example, with a form endpoint and a Greek word, through the whole engine
    (small images)."""
    work = tmp_path_factory.mktemp("contact-site")
    data = yaml.safe_load(EXAMPLE.read_text())
    data["form_endpoint"] = "https://forms.crumbandco.example/contact"
    data["description"] = f"{data['description'].strip()} Our {GREEK} (Greek bread) on Fridays."
    config = work / "bakery.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    path, events = build_site(config, llm=QuickImagesLLM(), sites=work / "sites", work=work / "w")
    return path, {e.asset: e.value for e in events if e.partition is None}, events


@pytest.fixture
def site(built) -> Path:
    return built[0]


def test_site_serves_its_own_fonts_by_relative_urls(site: Path):
    css = (site / "assets" / "site.css").read_text()
    urls = re.findall(r"url\(\"?([^\")]+)\"?\)", css)
    fonts = [u for u in urls if u.endswith(".woff2")]
    assert len(fonts) == 4, urls  # heading and body, 400 and 700
    for url in fonts:
        assert urlsplit(url).scheme == "" and url.startswith("../fonts/"), url
        assert (site / "assets" / url).resolve().is_file(), url
        assert (site / "assets" / url).resolve().read_bytes()[:4] == b"wOF2"
    # The faces come before the stylesheet's own rules (beside the images' placeholders, the
    # other CSS a node gives, whose only url()s are data: thumbnails).
    nodes_css = css.split(":root {", 1)[0]
    assert "@font-face" in nodes_css
    assert all(u.startswith("data:image/webp;base64,") for u in urls if u not in fonts), urls
    assert '--font-heading: "Playfair Display", "Playfair Display Fallback", Georgia' in css
    assert '--font-body: "Source Sans 3", "Source Sans 3 Fallback", system-ui' in css
    woff2 = {p.name for p in (site / "fonts").glob("*.woff2")}
    assert woff2 == {u.rsplit("/", 1)[1] for u in fonts}
    assert (site / "fonts" / "playfair-display-LICENSE.txt").is_file()
    assert (site / "fonts" / "source-sans-3-LICENSE.txt").is_file()
    # No font comes from anywhere but the site.
    for path in [*site.glob("*.html"), site / "assets" / "site.css"]:
        text = path.read_text()
        assert not re.search(r"url\(\s*[\"']?(https?:)?//", text), path.name
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path.name
        assert not re.search(r"https?://[^\"')\s]*\.(woff2?|ttf|otf)\b", text), path.name


def test_site_fonts_cover_the_configs_greek_and_all_of_latin(site: Path, built):
    record = built[1]["site_fonts"]
    assert "Greek and Coptic" in record.blocks
    wanted = {ord(c) for c in GREEK + "Zoë Łódź Ærø “—”"}
    for path in (site / "fonts").glob("*.woff2"):
        family = path.name.rsplit("-", 2)[0]
        source = {"playfair-display": "Playfair Display", "source-sans-3": "Source Sans 3"}[family]
        fam, _ = fonts_module.resolve_family(source)
        has = set(TTFont(fonts_module.font_file(fam, 400)).getBestCmap())
        cmap = set(TTFont(path).getBestCmap())
        # Every wanted character the font has is in the file; the rest comes from the stack.
        assert wanted & has <= cmap, (path.name, [chr(c) for c in (wanted & has) - cmap])
        if family == "source-sans-3":
            assert wanted <= cmap, path.name


def test_fonts_are_made_off_the_critical_path_and_cached_for_the_next_site(built, font_cache):
    events = built[2]
    [fonts_event] = [e for e in events if e.asset == "site_fonts"]
    [site_event] = [e for e in events if e.asset == "site"]
    pages = [e for e in events if e.asset == "site_pages"]
    # Beside the images and pages, not after them: the site node does no font work.
    assert fonts_event.started_at < max(e.finished_at for e in pages)
    assert fonts_event.finished_at <= site_event.finished_at
    record = fonts_event.value
    assert set(record.made.values()) == {"subset"}  # the cache was empty
    assert len(list(font_cache.glob("*.woff2"))) == 4  # kept for the next site
    # The next site on this machine (a new process: nothing in memory) reads the cache.
    # Every file came from the disk cache, none was subset again (how much faster that is, the
    # benches measure: a wall-clock ratio here broke on a loaded machine).
    values = built[1]
    fonts_module.clear_memory_cache()
    again, _ = make_fonts(values["project_config"], values["style_system"], values["copywriting"])
    assert set(again.made.values()) == {"disk"}
    assert again.css == record.css and again.files == record.files


def test_site_contact_page_and_quality(site: Path, built):
    doc = parse((site / "contact.html").read_text())
    hrefs = [a.get("href") for a in find_all(doc, "a")]
    assert "tel:+441315550186" in hrefs
    assert "mailto:hello@crumbandco.example" in hrefs
    assert any(h.startswith("https://www.google.com/maps/") for h in hrefs)
    [form] = find_all(doc, "form")
    assert form.get("action") == "https://forms.crumbandco.example/contact"
    assert csp_of(doc)["form-action"] == "https://forms.crumbandco.example"
    values = built[1]
    report = assess_site(site, values["style_system"])
    failed = {c.name: c.findings for c in report.checks if not c.passed}
    assert failed == {}
    assert {c.name for c in report.checks} == set(CHECKS)
    # The run's own quality node saw the same published site.
    assert all(c.passed for c in values["quality_assessment"].checks)

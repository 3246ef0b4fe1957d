"""The privacy notice: written from the config's contact facts only, published beside the
planned pages, linked from every footer, listed in the sitemap and read by the content review."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from merlin_assets.config.project import ProjectConfig, load_config
from merlin_assets.content_gate import Facts, check_copy
from merlin_assets.phases import graph
from merlin_assets.phases.privacy_notice import NODE, head, write
from merlin_assets_tests.conftest import EXAMPLES
from merlin_assets_tests.copy_fields import build_offline, site_fields
from merlin_assets_tests.html_refs import refs_of

BAKERY = load_config(EXAMPLES / "crumb-and-co-bakery.yaml")
LEGAL = load_config(EXAMPLES / "harbor-legal.yaml")


class _Text(HTMLParser):
    """The text of a page's <main>, and the `name`s of its form fields."""

    def __init__(self):
        super().__init__()
        self.depth, self.text, self.fields = 0, [], []

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "main"
        if tag in {"input", "textarea"}:
            self.fields += [v for k, v in attrs if k == "name"]

    def handle_endtag(self, tag):
        self.depth -= tag == "main"

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def _read(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def _said(config: ProjectConfig) -> str:
    return " ".join(s.body for s in write(config).sections)


def test_a_site_without_a_form_asks_for_nothing_and_names_every_way_to_reach_it():
    said = _said(BAKERY)
    assert (
        "This notice is from Crumb & Co Bakery, 14 Shore Place, Leith, Edinburgh EH6 6SW." in said
    )
    assert "no contact form" in said and "set no cookies" in said
    assert "email hello@crumbandco.example, call +44 131 555 0186 or write to" in said


def test_a_form_names_what_it_sends_and_the_host_it_sends_it_to():
    said = _said(LEGAL)
    assert "name, email address and message you type are sent to forms.harborlegal.example" in said
    assert "no contact form" not in said


def test_with_no_contact_facts_the_notice_gives_only_the_place():
    config = ProjectConfig(name="Quiet Co", industry="bakery", location="Leeds")
    said = _said(config)
    assert "This notice is from Quiet Co in Leeds." in said
    assert "ask us in person in Leeds." in said
    assert "@" not in said and "call" not in said


def test_the_title_keeps_within_sixty_characters():
    assert head(BAKERY).title == "Privacy notice | Crumb & Co Bakery"
    long = ProjectConfig(name="The " + "Very " * 12 + "Long Bakery", industry="bakery")
    assert head(long).title == "Privacy notice"
    assert long.name in head(long).description


@pytest.mark.parametrize("config", [BAKERY, LEGAL], ids=["bakery", "legal"])
def test_the_gate_finds_nothing_invented_in_the_notice(config: ProjectConfig):
    fields = NODE.copy_fields("privacy_notice", (None, write(config)))
    assert {f.field for f in fields} >= {f"sections[{i}].body" for i in range(3)}
    facts = Facts.from_config(config)
    assert [f for f in check_copy(fields, facts) if f.severity == "error"] == []
    # The same fields with an address the config does not give are caught: the gate reads them.
    copy = write(config)
    copy.sections[2].body = "To ask about your information, email privacy@elsewhere.example."
    invented = check_copy(NODE.copy_fields("privacy_notice", (None, copy)), facts)
    assert [f.check for f in invented if f.severity == "error"] == ["invented_contact"]


def test_the_node_is_declared_not_registered():
    g = graph()
    assert g.declared_pages == (NODE.pages[0],)
    assert "privacy_notice" in g.nodes["site"].upstream
    assert "privacy_notice" in g.nodes["content_review"].upstream
    assert "privacy_notice" not in g.counted_phases


@pytest.fixture(scope="module")
def legal_site(tmp_path_factory) -> tuple[dict, Path]:
    root = tmp_path_factory.mktemp("privacy")
    return build_offline(LEGAL, root), root / "sites" / LEGAL.project_id


def test_the_built_page_says_what_the_contact_form_sends(legal_site):
    _, site = legal_site
    notice = _read((site / "privacy.html").read_text(encoding="utf-8"))
    text = " ".join(" ".join(notice.text).split())
    assert text.startswith("Privacy notice Who we are")
    # The notice names exactly the fields the site's own form has.
    contact = _read((site / "contact.html").read_text(encoding="utf-8"))
    assert contact.fields == ["name", "email", "message"]
    assert "name, email address and message you type" in text
    assert "office@harborlegal.example" in text


def test_every_page_links_it_from_its_footer_and_the_sitemap_lists_it(legal_site):
    values, site = legal_site
    pages = sorted(site.glob("*.html"))
    assert len(pages) == len(values["site_pages"]) + 1
    for page in pages:
        html = page.read_text(encoding="utf-8")
        footer = html[html.index('<footer class="site-footer">') :]
        assert 'href="privacy.html"' in footer, page.name
        assert "privacy.html" in refs_of(html)
    own = (site / "privacy.html").read_text(encoding="utf-8")
    assert '<a href="privacy.html" aria-current="page">Privacy</a>' in own
    # The notice has the site's navigation: every planned page, none of them current.
    for slug in values["site_pages"]:
        assert f'href="{"index" if slug == "home" else slug}.html"' in own
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert re.findall(r"<loc>([^<]+)</loc>", sitemap)[-1] == f"{LEGAL.site_url}/privacy.html"


def test_the_content_review_reads_its_copy(legal_site):
    values, _ = legal_site
    items = {f.item for f in site_fields(values)}
    assert "privacy_notice" in items and "copywriting" in items
    report = values["content_review"]
    assert report.checks and all(c.passed for c in report.checks if c.name == "content_claims")

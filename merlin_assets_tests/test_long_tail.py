"""The long tail: businesses no built-in industry profile was written for.

Each config in `long_tail/configs.yaml` (a locksmith, a choir, a deep-sea lab, a hospice, a
ferry...) is written offline by the rule-based writers and read by the content gate. The
profile is picked only on strong evidence, so most get the generic one, named after their
own industry words; either way the copy invents nothing, borrows no other trade's words
(no "free trial" for a research lab), and names the business, its place and its services.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from merlin_assets.config.project import ProjectConfig, load_config
from merlin_assets.content_gate import CHECKS, Facts
from merlin_assets.content_gate.text import has_phrase
from merlin_assets.industries import profile_for
from merlin_assets.phases.content_review import RULE_COPY
from merlin_assets_tests.copy_fields import build_offline, build_rules, site_fields, site_findings

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples" / "projects"
ENTRIES = yaml.safe_load((HERE / "long_tail" / "configs.yaml").read_text(encoding="utf-8"))
CONFIGS = {e["config"]["name"]: (e["expect"], ProjectConfig(**e["config"])) for e in ENTRIES}
ALL = {
    **CONFIGS,
    **{p.stem: ("", load_config(p)) for p in sorted(EXAMPLES.iterdir())},
}
CLAIMS = {check for check, (family, _) in CHECKS.items() if family == "claims"}
# Calls to action and page words of the built-in trades, foreign on a business that has not
# said them itself.
TRADE_PHRASES = (
    "free trial", "book a demo", "talk to sales", "pricing", "book a table", "the menu",
    "free consultation", "discovery call", "valuation", "donate", "enrol", "free lesson",
    "free session", "timetable", "memberships", "portfolio", "treatments", "register your pet",
    "site visit", "garden visit", "book your car", "free quote", "get started free",
    "see our impact", "meet our tutors", "meet the coaches", "join today", "check availability",
)  # fmt: skip


def test_the_set_is_the_long_tail():
    assert len(CONFIGS) >= 30
    generic = [name for name, (expect, _) in CONFIGS.items() if expect == "generic"]
    assert len(generic) >= 30


@pytest.mark.parametrize("name", sorted(ALL))
def test_gate_passes(name):
    expect, config = ALL[name]
    if expect:
        # Strong evidence or none: the generic profile unless the config names a trade.
        assert profile_for(config).key == expect
    values = build_rules(config)
    findings = site_findings(config, values)
    errors = [f for f in findings if f.severity == "error"]
    assert not errors, errors
    assert not [f for f in findings if f.check == "foreign_vocabulary"]
    assert not [f for f in findings if f.check in CLAIMS]
    missing = {"missing_business_name", "missing_location"}
    assert not [f for f in findings if f.check in missing]
    if not config.offers:
        assert "pricing" not in values["page_plan"].pages and not any(
            s.type == "pricing" for s in values["section_plan"].sections
        )


@pytest.mark.parametrize("name", sorted(n for n, (e, _) in CONFIGS.items() if e == "generic"))
def test_no_trade_words_on_a_generic_site(name):
    _, config = CONFIGS[name]
    text = "\n".join(f.text for f in site_fields(build_rules(config)))
    corpus = Facts.from_config(config).corpus
    foreign = [p for p in TRADE_PHRASES if has_phrase(text, p) and not has_phrase(corpus, p)]
    assert not foreign
    assert config.name in text and config.location.split(",")[0] in text


def test_generic_profile_is_named_in_the_clients_words():
    _, lab = CONFIGS["Abyssal Research Lab"]
    assert profile_for(lab).label == "deep-sea research lab"
    _, hire = CONFIGS["Kennet Narrowboats"]
    assert profile_for(hire).label == "canal boat hire business"


def test_the_deep_sea_lab_through_the_engine(tmp_path):
    """The issue's own case, built the way a run builds it: no free trial, no pricing page."""
    _, config = CONFIGS["Abyssal Research Lab"]
    values = build_offline(config, tmp_path)
    assert set(values["site_pages"]) == {p.slug for p in values["page_plan"].pages}
    assert "pricing" not in values["site_pages"]
    findings = site_findings(config, values)
    assert not [f for f in findings if f.severity == "error"], findings
    text = "\n".join(f.text for f in site_fields(values)).lower()
    for phrase in ("free trial", "book a demo", "software", "pricing"):
        assert phrase not in text
    # The content review, run by the engine, reads the copy as a visitor would.
    reading = {c.name: c for c in values["content_review"].checks if c.name in RULE_COPY}
    assert set(reading) == set(RULE_COPY) and all(c.passed for c in reading.values()), reading


def test_sixty_services_are_all_listed_and_the_intro_stays_short():
    _, base = CONFIGS["Clearview Glaziers"]
    services = [f"Glass job number {i}" for i in range(1, 61)]
    config = base.model_copy(update={"services": services})
    values = build_rules(config)
    section = next(
        s for _, page in values["site_pages"].values() for s in page.sections if s.key == "services"
    )
    # Every service stays an item: the page renders one card per copywriting service.
    assert [s.name for s in values["copywriting"].services] == services
    # The cards are the list; bullets naming them again would be a fourth mention of each.
    assert section.bullets == []
    also = section.body.split("We also offer ", 1)[1]
    assert also.endswith(" and more.")
    assert sum(s in also for s in services[5:]) <= 5
    assert len(section.body) < 400
    errors = [f for f in site_findings(config, values) if f.severity == "error"]
    assert not errors, errors

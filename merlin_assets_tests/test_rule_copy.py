"""Rule copy a business would sign: the four reading checks of the content review.

The checks (`content_gate.style`) must fail on bad copy: a phrase said four times, a 13-word
hero, "a apple", a field's name given an article, a paragraph of legalese. The offline writers
must pass all four on every example and long-tail config, and on a few businesses written here
that no profile was made for (a piano tuner, a marine biology research group).
"""

from __future__ import annotations

import dagster as dg
import pytest

from merlin_assets.config.project import ProjectConfig
from merlin_assets.content_gate import CopyField
from merlin_assets.content_gate.style import (
    StyleCheck,
    article_errors,
    check_style,
    exempt_phrases,
    flesch,
    hero_words,
    phrase_counts,
    repeated_phrases,
)
from merlin_assets.defs.metadata import check_results
from merlin_assets.phases.content_review import NODE, RULE_COPY, review
from merlin_assets_tests.copy_fields import build_rules, site_fields
from merlin_assets_tests.test_long_tail import ALL

LEGALESE = (
    "Notwithstanding the aforementioned indemnification provisions, the undersigned "
    "organisation hereby irrevocably acknowledges its contractual obligations pursuant to "
    "applicable jurisdictional regulations, including but not limited to administrative "
    "determinations, supplementary documentation and consequential liabilities."
)
PLAIN = "We tune pianos in your home. Call us and we will find a time that suits you."
# Businesses outside every profile, as their owners would write them.
UNSEEN = {
    "piano tuner": ProjectConfig(
        name="Keynote Piano Care",
        industry="Piano tuner",
        description="Piano tuning and repairs in homes, schools and concert halls.",
        location="Bath",
        services=["Piano tuning", "Action regulation", "String replacement"],
    ),
    "research group": ProjectConfig(
        name="Hadal Zone Institute",
        industry="Deep-sea marine biology research",
        description="We study life in the deepest ocean trenches and share our findings.",
        location="Southampton, Hampshire",
        services=["Trench expeditions", "Specimen analysis", "Public lectures"],
        audiences=["Universities", "Science teachers", "Ocean charities"],
    ),
    "long names everywhere": ProjectConfig(
        name="The Old Mill Community Arts and Heritage Trust",
        industry="Arts and heritage charity",
        description="We run a restored water mill as a place for art, history and learning.",
        location="Bakewell, Derbyshire Dales, Derbyshire",
        services=[
            "Guided tours of the working mill",
            "Art classes for adults and children",
            "Room hire for weddings and events",
            "Heritage open days every summer",
            "Volunteer programme for local people",
            "School visits with hands-on learning",
        ],
        audiences=[
            "Families on a day out in the Peak District",
            "Local schools looking for a trip",
            "Retired people who want to volunteer",
        ],
        goals=["Get more school bookings", "Recruit volunteers"],
        tone="warm, curious, welcoming",
    ),
    "engineering firm": ProjectConfig(
        name="Apex Industrial Refrigeration Engineering Services",
        industry="Industrial refrigeration engineering",
        description="Design, installation and maintenance of industrial refrigeration systems.",
        location="Grimsby",
        services=["Refrigeration system design", "Ammonia plant maintenance"],
        audiences=["Food manufacturers", "Cold storage operators"],
    ),
}


def _field(text: str, kind: str = "body", item: str = "page:home", field: str = "x") -> CopyField:
    return CopyField(item, field, kind, text)  # type: ignore[arg-type]


def _by_name(fields: list[CopyField], exempt: list[str] | None = None) -> dict:
    return {c.name: c for c in check_style(fields, exempt or [])}


# --- the checks fail on bad copy -------------------------------------------------------------


def test_a_phrase_said_four_times_fails_and_three_times_passes():
    said = "Fresh bread for the whole street."
    four = [_field(said, field=f"f{i}") for i in range(4)]
    assert ("bread for the whole", 4) in repeated_phrases([f.text for f in four])
    check = _by_name(four)["repeated_phrases"]
    assert not check.passed and check.figures["max_repeats"] == 4
    assert "'fresh bread for the' appears 4 times" in check.findings
    assert _by_name(four[:3])["repeated_phrases"].passed


def test_a_longer_phrase_is_caught_by_its_four_word_parts():
    counts = phrase_counts(["the people we serve every day"] * 4)
    assert counts["the people we serve"] == 4 and counts["we serve every day"] == 4


def test_the_business_name_and_address_may_repeat():
    exempt = exempt_phrases("Hollis and Greave Funeral Directors", "Shrewsbury, Shropshire")
    assert exempt == [
        "Hollis and Greave Funeral Directors",
        "Shrewsbury, Shropshire",
        "Shrewsbury",
        "Shropshire",
    ]
    texts = [
        f"Call Hollis and Greave Funeral Directors in Shrewsbury, Shropshire {i}" for i in "ab"
    ]
    fields = [_field(t, field=str(i)) for i, t in enumerate(texts * 3)]
    assert _by_name(fields, exempt)["repeated_phrases"].passed
    # Without the exemption the name itself is the repeated phrase.
    assert not _by_name(fields)["repeated_phrases"].passed


def test_a_phrase_stops_at_a_sentence_break():
    # "...the bread. Fresh bread for..." never forms "the bread fresh bread".
    assert phrase_counts(["We bake the bread. Fresh bread daily."])["the bread fresh bread"] == 0


def test_a_thirteen_word_hero_fails_and_twelve_passes():
    twelve = "Warm sourdough and honest pastries baked every single morning in Leith, Edinburgh"
    assert hero_words(twelve) == 12
    thirteen = f"{twelve} today"
    ok = _by_name([_field(twelve, "heading", field="sections[0].heading")])["hero_length"]
    assert ok.passed and ok.figures["max_hero_words"] == 12
    long = _by_name([_field(thirteen, "heading", field="sections[0].heading")])["hero_length"]
    assert not long.passed and long.figures["max_hero_words"] == 13
    assert long.findings == ["page:home sections[0].heading: 13 words"]
    # A lone symbol is not a word.
    assert hero_words("Crumb & Co: bread") == 3


@pytest.mark.parametrize(
    "text, wrong",
    [
        ("Pick a apple from the tree.", ["a apple"]),
        ("It took a hour.", ["a hour"]),
        ("Expect an warm welcome.", ["an warm"]),
        ("A deep-sea marine biology research you can trust, from us.", None),
        ("We are a care you can rely on.", ["a care"]),
        ("Book a 8-week course.", ["a 8-week"]),
    ],
)
def test_wrong_articles_fail(text, wrong):
    found = article_errors(text)
    if wrong is None:
        assert found == ["A deep-sea marine biology research"]
    else:
        assert found == wrong
    assert not _by_name([_field(text)])["articles"].passed


@pytest.mark.parametrize(
    "text",
    [
        "An apple, an hour, a university and a one-off fee.",
        "A research lab in Plymouth, a care home and a software company.",
        "An 8-week course, a 10-week course and a uPVC door.",
        "We run a deep-sea research lab. Research is what we do.",
    ],
)
def test_right_articles_pass(text):
    assert article_errors(text) == []


def test_dense_legalese_fails_the_readability_floor_and_plain_copy_passes():
    dense = _by_name([_field(LEGALESE)])["readability"]
    assert not dense.passed and dense.figures["flesch_reading_ease"] < 0
    plain = _by_name([_field(PLAIN)])["readability"]
    assert plain.passed and plain.figures["flesch_reading_ease"] >= 80
    # Only body copy is scored: legalese in a list item leaves the body's score alone.
    mixed = _by_name([_field(PLAIN), _field(LEGALESE, "list_item")])["readability"]
    assert mixed.passed


def test_the_business_name_reads_as_one_word():
    name = "Apex Industrial Refrigeration Engineering Services"
    texts = [f"Call {name} today. {name} will come out and fix it fast."] * 3
    assert flesch(texts) < 50 <= flesch(texts, names=[name])


def test_readability_floor_is_for_english_only():
    assert flesch([LEGALESE]) is not None
    other = check_style([_field(LEGALESE)], lang="de")
    assert next(c for c in other if c.name == "readability").passed


# --- the offline writers pass on every site --------------------------------------------------


def _site_checks(config: ProjectConfig) -> dict:
    fields = site_fields(build_rules(config))
    address = config.contact.address if config.contact else None
    return _by_name(fields, exempt_phrases(config.name, config.location, address))


@pytest.mark.parametrize("name", sorted(ALL))
def test_offline_site_passes_the_rule_copy_checks(name):
    _, config = ALL[name]
    checks = _site_checks(config)
    failed = {n: c.findings for n, c in checks.items() if not c.passed}
    assert not failed, failed
    assert checks["repeated_phrases"].figures["max_repeats"] <= 3
    assert checks["hero_length"].figures["max_hero_words"] <= 12
    assert checks["articles"].figures["wrong_articles"] == 0
    assert checks["readability"].figures["flesch_reading_ease"] >= 50


@pytest.mark.parametrize("kind", sorted(UNSEEN))
def test_businesses_no_profile_was_written_for(kind):
    config = UNSEEN[kind]
    checks = _site_checks(config)
    assert all(c.passed for c in checks.values()), {n: c.findings for n, c in checks.items()}
    text = "\n".join(f.text for f in site_fields(build_rules(config)))
    assert text.lower().count("the people we serve") <= 3
    assert "a deep-sea marine biology research" not in text.lower()


# --- the content review records them ---------------------------------------------------------


def test_content_review_reports_the_four_checks_with_their_figures():
    _, config = ALL["crumb-and-co-bakery"]
    values = build_rules(config)
    report = review(config, site_fields(values))
    outcomes = {c.name: c for c in report.checks}
    assert set(RULE_COPY) <= set(outcomes)
    assert all(outcomes[n].passed for n in RULE_COPY)
    assert outcomes["readability"].figures["flesch_reading_ease"] >= 50

    # The same site with a page of legalese and a long hero fails those two, and says why.
    _, home = values["site_pages"]["home"]
    hero = home.sections[0].model_copy(
        update={"heading": "Crumb and Co " * 5, "body": LEGALESE * 3}
    )
    bad_pages = {
        **values["site_pages"],
        "home": (None, home.model_copy(update={"sections": [hero]})),
    }
    bad = site_fields({**values, "site_pages": bad_pages})
    worse = {c.name: c for c in review(config, bad).checks}
    assert not worse["hero_length"].passed and worse["hero_length"].figures["max_hero_words"] == 15
    assert not worse["readability"].passed
    assert (
        worse["readability"].figures["flesch_reading_ease"]
        < outcomes["readability"].figures["flesch_reading_ease"]
    )
    assert report.score > review(config, bad).score

    # Recorded as Dagster asset checks: a warning, with the figure in the metadata.
    keys = {dg.AssetCheckKey(dg.AssetKey("content_review"), n) for n in RULE_COPY}
    results = {r.check_name: r for r in check_results(NODE, report, keys)}
    assert set(results) == set(RULE_COPY)
    readability = results["readability"]
    assert readability.passed and readability.severity == dg.AssetCheckSeverity.WARN
    assert readability.metadata["flesch_reading_ease"].value >= 50
    assert results["repeated_phrases"].metadata["max_repeats"].value <= 3


def test_the_four_checks_report_what_they_measured_on_a_small_site():
    fields = [
        CopyField(
            "page:home",
            "sections[0].heading",
            "heading",
            "Fresh sourdough bread baked by hand every single morning in the heart of Leith",
        ),
        CopyField("page:about", "sections[0].heading", "heading", "Our story"),
        # Not a page's first heading: no hero, however long.
        CopyField(
            "page:home",
            "sections[1].heading",
            "heading",
            "A one two three four five six seven eight nine ten eleven twelve thirteen words",
        ),
        CopyField(
            "page:home",
            "sections[0].body",
            "body",
            "Crumb & Co bakes fresh sourdough bread daily. We sell fresh sourdough bread daily. "
            "Buy fresh sourdough bread daily. Love fresh sourdough bread daily.",
        ),
        CopyField("page:home", "sections[2].body", "body", "Try a apple tart today."),
        # The business's name is exempt, however often it is said.
        CopyField("seo", "description", "description", "Crumb & Co in Leith. " * 4),
    ]
    repeats, hero, articles, readability = check_style(fields, ["Crumb & Co"])
    assert repeats == StyleCheck(
        "repeated_phrases",
        False,
        {"max_repeats": 4, "most_repeated": "fresh sourdough bread daily", "limit": 3},
        ["'fresh sourdough bread daily' appears 4 times"],
    )
    assert hero == StyleCheck(
        "hero_length",
        False,
        {"max_hero_words": 14, "limit": 12},
        ["page:home sections[0].heading: 14 words"],
    )
    assert articles == StyleCheck(
        "articles", False, {"wrong_articles": 1}, ["page:home sections[2].body: 'a apple'"]
    )
    assert readability == StyleCheck(
        "readability", True, {"flesch_reading_ease": 85.4, "floor": 50.0}, []
    )


def test_a_site_with_no_copy_passes_with_empty_figures():
    assert check_style([], []) == [
        StyleCheck(
            "repeated_phrases", True, {"max_repeats": 0, "most_repeated": "", "limit": 3}, []
        ),
        StyleCheck("hero_length", True, {"max_hero_words": 0, "limit": 12}, []),
        StyleCheck("articles", True, {"wrong_articles": 0}, []),
        StyleCheck("readability", True, {"flesch_reading_ease": "", "floor": 50.0}, []),
    ]
    # Each text is its own sentence; blank ones are left out; names read as one word.
    assert flesch(["", "  "]) is None
    assert flesch(["Crumb & Co bakes bread", "It is good."]) == 118.7
    assert flesch(["Crumb & Co bakes bread", "It is good."], names=["Crumb & Co"]) == 119.2

"""Content gate: normal copy passes; degenerate, invented, foreign and irrelevant copy fails."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from merlin_assets.content_gate import (
    CHECKS,
    SITE,
    CopyField,
    Facts,
    Finding,
    Person,
    check_copy,
    check_site,
    failing_fields,
)

BAKERY = Facts(
    name="Crumb & Co",
    location="Leith, Edinburgh",
    industry="Artisan bakery",
    services=("Sourdough bread", "Pastries", "Celebration cakes", "Catering"),
    texts=("A neighbourhood bakery baking sourdough and pastries since 2011.",),
)
FUNERAL = Facts(
    name="Hartley & Sons Funeral Directors",
    location="Ripon",
    industry="Funeral director",
    services=("Funeral arrangements", "Cremations", "Burials", "Pre-paid funeral plans"),
    texts=("Family-run funeral directors caring for Ripon families.",),
)
LAB = Facts(
    name="Abyssal Research Lab",
    location="Plymouth",
    industry="Deep-sea research laboratory",
    services=("Deep-sea sampling", "ROV surveys", "Sediment analysis"),
    texts=("An independent marine science lab studying the deep ocean.",),
)
PLUMBER = Facts(
    name="FlowRight Plumbing & Heating",
    location="Stockport",
    industry="Plumbing and heating",
    services=("Boiler servicing", "Emergency repairs", "Bathroom installation"),
)
FACTS = {"bakery": BAKERY, "funeral": FUNERAL, "lab": LAB, "plumber": PLUMBER}


def page(item: str, *fields: tuple[str, str]) -> list[CopyField]:
    """Fields of one item from (kind, text) pairs, numbered in order."""
    return [CopyField(item, f"f[{i}]", kind, text) for i, (kind, text) in enumerate(fields)]  # type: ignore[arg-type]


GOOD = {
    "bakery": page(
        "page:home",
        ("eyebrow", "Artisan bakery in Leith"),
        ("heading", "Sourdough, pastries and cakes baked before sunrise"),
        (
            "body",
            "Crumb & Co is a neighbourhood bakery in Leith. We bake sourdough bread and "
            "pastries by hand every morning, and make celebration cakes to order.",
        ),
        ("list_item", "Catering for offices and parties across Edinburgh"),
        ("button", "Order a cake"),
        ("title", "Crumb & Co | Artisan bakery in Leith"),
        ("description", "Sourdough bread, pastries and celebration cakes baked daily in Leith."),
    ),
    "funeral": page(
        "page:home",
        ("eyebrow", "Funeral directors in Ripon"),
        ("heading", "Caring for your family, every step of the way"),
        (
            "body",
            "Hartley & Sons Funeral Directors is a family-run firm caring for Ripon "
            "families. We help with funeral arrangements, cremations and burials, and "
            "we can talk you through pre-paid funeral plans whenever you are ready.",
        ),
        ("button", "Call us any time"),
        ("list_item", "A calm, private chapel of rest"),
        ("title", "Hartley & Sons Funeral Directors | Ripon"),
    ),
    "lab": page(
        "page:home",
        ("eyebrow", "Marine science, Plymouth"),
        ("heading", "Studying life in the deep ocean"),
        (
            "body",
            "Abyssal Research Lab is an independent marine science lab in Plymouth. Our "
            "team runs deep-sea sampling cruises and ROV surveys, then carries out "
            "sediment analysis on shore. We share our data with partner institutes.",
        ),
        ("button", "Work with us"),
        ("list_item", "Sediment analysis to published standards"),
    ),
    "plumber": page(
        "page:home",
        ("eyebrow", "Plumbing & heating, Stockport"),
        ("heading", "Warm homes and working boilers"),
        (
            "body",
            "FlowRight Plumbing & Heating keeps Stockport homes running. From boiler "
            "servicing to bathroom installation, we turn up when we say we will, and we "
            "take on emergency repairs the same day when we can.",
        ),
        ("button", "Book a visit"),
        ("quote", ""),  # an empty optional-looking quote slot is left to the layout
    )[:-1],
}


@pytest.mark.parametrize("business", sorted(GOOD))
def test_normal_copy_passes(business):
    findings = check_site(GOOD[business], FACTS[business])
    assert findings == [], findings


def checks_of(findings: list[Finding], severity: str | None = None) -> set[str]:
    return {f.check for f in findings if severity is None or f.severity == severity}


HERO = (
    "To be a Plumber and Heating is a 24/7 Emergency call-out. This is about the 100% of the "
    "service and the plumbing and the heating and the boilers in the homes that people who "
    "live in Stockport need when the boiler is broken and the water is cold and the "
    "radiators are cold and they want help from a plumber who is local and fast and the…"
)
BAD = [
    ("plumber", "heading", HERO, {"too_long", "truncated", "invented_figure"}),
    (
        "bakery",
        "eyebrow",
        "Freshly baked\nevery single morning\nright here in Leith\nfor you and your family",
        {"multiline", "too_long"},
    ),
    ("bakery", "button", "Order your celebration cake\nfor collection this weekend", {"too_long"}),
    ("bakery", "heading", "Lorem ipsum dolor sit amet", {"placeholder"}),
    ("bakery", "body", "Call {name} on [insert phone number] today.", {"placeholder"}),
    ("bakery", "heading", "TBD", {"placeholder"}),
    (
        "bakery",
        "title",
        "Crumb & Co — the best bakery in Leith for sourdough, pastries and celebration cakes",
        {"too_long"},
    ),
    ("bakery", "heading", "", {"empty"}),
    ("bakery", "body", "We bake the the the best bread in Leith every day.", {"repeated_words"}),
    (
        "bakery",
        "body",
        "Fresh bread fresh bread fresh bread fresh bread for everyone in Leith.",
        {"repeated_words"},
    ),
    (
        "bakery",
        "body",
        "Our bakers start at four every morning so that your loaves are",
        {"truncated"},
    ),
    (
        "bakery",
        "body",
        "Kind words from real people. “Best croissants in town.” — Yusuf W., Product manager",
        {"invented_name"},
    ),
    ("bakery", "name", "Yusuf W., Product manager", {"invented_name"}),
    ("bakery", "quote", "The best sourdough I have ever had.", {"invented_testimonial"}),
    ("bakery", "body", "Trusted by 500+ clients across Edinburgh.", {"invented_figure"}),
    ("bakery", "body", "Rated 4.9/5 by our customers.", {"invented_figure", "unsupported_claim"}),
    ("bakery", "list_item", "Over 25 years of experience", {"invented_figure"}),
    ("bakery", "list_item", "Baking in Leith since 1998", {"invented_figure"}),
    ("bakery", "body", "Loaves from £4.50, delivered free.", {"invented_figure"}),
    ("bakery", "list_item", "98% of customers come back", {"invented_figure"}),
    ("bakery", "heading", "Edinburgh's award-winning bakery", {"unsupported_claim"}),
    (
        "bakery",
        "list_item",
        "Certified organic flour, satisfaction guaranteed",
        {"unsupported_claim"},
    ),
    ("bakery", "list_item", "Read our verified reviews", {"unsupported_claim"}),
    ("funeral", "button", "Start your free trial", {"foreign_vocabulary"}),
    ("funeral", "list_item", "Flexible pricing plans and a live dashboard", {"foreign_vocabulary"}),
    ("funeral", "button", "Book a table", {"foreign_vocabulary"}),
    ("plumber", "body", "Add to basket and checkout in seconds.", {"foreign_vocabulary"}),
    ("lab", "body", "Our tasting menu changes with the seasons.", {"foreign_vocabulary"}),
]


@pytest.mark.parametrize(("business", "kind", "text", "expected"), BAD)
def test_bad_copy_fails_with_the_expected_check(business, kind, text, expected):
    fields = [*GOOD[business], CopyField("page:home", "extra", kind, text)]
    findings = check_copy(fields, FACTS[business])
    errors = [f for f in findings if f.severity == "error"]
    assert expected <= checks_of(errors), findings
    # Only the bad field fails; the normal copy around it stays clean.
    assert failing_fields(findings) == {"page:home": {"extra"}}


def test_repeated_sentence_within_a_field_is_an_error():
    body = "We bake every loaf by hand in Leith. We bake every loaf by hand in Leith."
    findings = check_copy(page("page:home", ("body", body)), BAKERY)
    assert checks_of(findings, "error") == {"repeated_sentence"}


def test_repeated_sentences_across_fields_of_one_page():
    said = "We bake every loaf by hand in Leith."
    fields = page("page:about", ("body", said + " Come and say hello."), ("body", said))
    findings = check_copy(fields, BAKERY)
    # The second field says nothing new: it fails.
    assert [(f.field, f.check, f.severity) for f in findings] == [
        ("f[1]", "repeated_sentence", "error")
    ]
    # One echoed sentence among new ones is a warning; another page may repeat it freely.
    echo = page("page:about", ("body", said), ("body", said + " Come and say hello."))
    assert checks_of(check_copy(echo, BAKERY), "warning") == {"repeated_sentence"}
    other = page("page:home", ("body", said)) + page("page:about", ("body", said))
    assert check_copy(other, BAKERY) == []


def test_short_sentences_may_repeat_and_quotes_may_trail_off():
    fields = page("page:home", ("body", "Call us today."), ("body", "Call us today."))
    assert check_copy(fields, BAKERY) == []
    quote = page("page:home", ("quote", "I came for bread and stayed for…"))
    facts = Facts(name="Crumb & Co", testimonials=(Person("Ana", "", "I came for bread"),))
    assert "truncated" not in checks_of(check_copy(quote, facts))


CONFIG_FACTS = Facts(
    name="Crumb & Co",
    location="Leith",
    industry="Bakery",
    services=("Sourdough bread", "Pastries"),
    texts=("Over 500 clients served; rated 4.9/5 on Google reviews. Award-winning since 2011.",),
    testimonials=(Person("Yusuf Warsame", "Product manager", "The best croissants in town."),),
    team=(Person("Maria Lopez", "Head baker"),),
    founded=2011,
    accreditations=("Soil Association certified organic",),
)


@pytest.mark.parametrize(
    "text",
    [
        "“The best croissants in town.” — Yusuf W., Product manager",
        "Trusted by 500+ clients across Leith.",
        "Rated 4.9/5 in verified Google reviews.",
        "An award-winning bakery, baking since 2011.",
        "Over 10 years of experience",
        "Certified organic flour from trusted mills.",
        "Meet Maria Lopez, Head baker",
    ],
)
def test_figures_names_and_claims_from_the_config_pass(text):
    findings = check_copy(page("page:home", ("body", text)), CONFIG_FACTS)
    assert findings == [], findings


def test_quotes_from_the_config_pass_and_others_are_flagged():
    same = page("copywriting", ("quote", "The best croissants in town!"), ("name", "Yusuf W."))
    assert check_copy(same, CONFIG_FACTS) == []
    other = page("copywriting", ("quote", "Friendly staff and lovely cakes for birthdays."))
    # An invented quote is an error: the gate removes it, it does not only warn.
    assert checks_of(check_copy(other, CONFIG_FACTS), "error") == {"unmatched_quote"}


def test_vocabulary_the_config_gives_evidence_for_is_not_foreign():
    # Only the vocabulary is judged here: a free trial the config never offers is an
    # invented offer (`invented_figure`), whatever the trade.
    def foreign(text: str, facts: Facts) -> set[str]:
        return checks_of(check_copy(page("page:home", ("button", text)), facts)) & {
            "foreign_vocabulary"
        }

    saas = Facts(name="Flowdesk", industry="B2B SaaS", services=("Reporting dashboards",))
    assert foreign("Start your free trial", saas) == set()
    gym = Facts(name="Iron Works", industry="Gym", services=("Classes",))
    assert foreign("Book a free trial class", gym) == set()
    said = Facts(name="Hartley & Sons", industry="Funeral director", texts=("Free trial? No.",))
    assert check_copy(page("page:home", ("button", "Start your free trial")), said) == []
    # "Sign up" next to a newsletter fits any business.
    news = page("page:home", ("body", "Sign up to our newsletter for seasonal bakes."))
    assert check_copy(news, FUNERAL) == []


def test_a_site_that_never_names_the_business_fails():
    fields = page("page:home", ("heading", "Fresh bread every morning in Leith"))
    findings = check_site(fields, BAKERY)
    assert ("missing_business_name", SITE) in {(f.check, f.item) for f in findings}
    assert failing_fields(findings)[SITE] == {""}


def test_a_page_that_never_names_the_business_fails():
    about = page(
        "page:about",
        ("heading", "Our story"),
        (
            "body",
            "We started with one oven and a stubborn sourdough starter. Every loaf is "
            "shaped by hand and baked slowly, the way bread used to be made, and every "
            "pastry is laminated with real butter. Come and see the bakers at work, ask "
            "about our flour, and take something warm home with you.",
        ),
    )
    findings = check_site(GOOD["bakery"] + about, BAKERY)
    assert [(f.item, f.field, f.check) for f in findings] == [
        ("page:about", "", "missing_business_name")
    ]


def test_location_and_services_must_appear_somewhere():
    fields = page("page:home", ("body", "Crumb & Co bakes bread."))
    checks = checks_of(check_site(fields, BAKERY), "error")
    assert checks == {"missing_location", "missing_services"}
    # Most services named: the rest are only a warning.
    most = page(
        "page:home", ("body", "Crumb & Co in Leith: sourdough bread, pastries, celebration cakes.")
    )
    findings = check_site(most, BAKERY)
    assert [(f.check, f.severity) for f in findings] == [("missing_services", "warning")]
    assert "Catering" in findings[0].message


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Harbour & Finch Solicitors", "Harbour and Finch can help."),
        ("Crumb & Co Ltd", "Welcome to Crumb."),
        ("The Green Room", "Green Room is open."),
        ("Smith & Sons Plumbing and Heating", "Call Smith & Sons today."),
    ],
)
def test_the_business_may_be_named_the_way_people_say_it(name, said):
    facts = Facts(name=name)
    findings = check_site(page("page:home", ("body", said)), facts)
    assert "missing_business_name" not in checks_of(findings)


def test_facts_from_config_reads_old_and_new_configs():
    old = SimpleNamespace(
        name="Crumb & Co", industry="Bakery", location="Leith", services=["Cakes"]
    )
    facts = Facts.from_config(old)
    assert (facts.name, facts.location, facts.services, facts.testimonials) == (
        "Crumb & Co",
        "Leith",
        ("Cakes",),
        (),
    )
    new = {
        "name": "Crumb & Co",
        "industry": "Bakery",
        "description": "Trusted by 300 families.",
        "testimonials": [{"quote": "Lovely bread.", "name": "Ana Silva", "role": None}],
        "team": [SimpleNamespace(name="Maria Lopez", role="Head baker", bio="Baker since 2005.")],
        "offers": [{"name": "Loaf", "price": "£4.50", "description": None}],
        "founded": 2011,
        "accreditations": ["Real Bread Campaign member"],
        "contact": {"phone": "0131 555 0199", "email": "hello@crumb.example", "address": None},
        "hours": {
            d: {"closed": False, "periods": [{"opens": "00:00", "closes": "24:00"}]}
            for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
    }
    facts = Facts.from_config(new)
    assert [p.name for p in facts.people] == ["Ana Silva", "Maria Lopez"]
    assert facts.founded == 2011 and facts.hours.startswith("24/7")
    assert {300.0, 4.5, 2011.0, 2005.0} <= facts.figures
    ok = page("page:home", ("body", "Open 24/7. Loaves £4.50. Loved by 300 families."))
    assert check_copy(ok, facts) == []


def test_facts_from_a_real_project_config():
    from merlin_assets.config.project import ProjectConfig

    config = ProjectConfig(name="Crumb & Co", industry="Bakery", services=["Sourdough bread"])
    facts = Facts.from_config(config)
    assert facts.name == "Crumb & Co" and facts.services == ("Sourdough bread",)


def test_every_check_is_documented():
    assert all(
        family in {"degenerate", "claims", "vocabulary", "sense", "relevance"}
        for family, _ in CHECKS.values()
    )
    finding = Finding("page:home", "f[0]", "too_long", "x")
    assert finding.family == "degenerate" and finding.severity == "error"
    warn = Finding("page:home", "f[1]", "repeated_phrase", "x", "warning")
    assert failing_fields([finding, warn]) == {"page:home": {"f[0]"}}
    assert failing_fields([warn], include_warnings=True) == {"page:home": {"f[1]"}}


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("twenty-five", 25),
        ("Two Thousand", 2000),
        ("a hundred", 100),
        ("a dozen", 12),
        ("a ten", 10),  # "a ten-year warranty" is ten, not one ten
        ("an eleven", 11),
        ("three hundred and twelve", 312),
        ("two thousand five hundred", 2500),
        ("one million two thousand", 1_002_000),
        ("hundred", 100),
        ("fish", None),
        ("", None),
    ],
)
def test_numbers_written_in_words_are_read(phrase, value) -> None:
    from merlin_assets.content_gate.numbers import _words_value

    assert _words_value(phrase) == value


def test_a_placeholder_word_the_config_itself_uses_is_not_a_placeholder():
    games = Facts(name="Placeholder Games", industry="Indie game studio", location="Dundee")
    fields = page("page:home", ("body", "Placeholder Games makes cosy puzzle games in Dundee."))
    assert "placeholder" not in checks_of(check_copy(fields, games))
    # The same words on another business's site are a placeholder left in.
    findings = check_copy(fields, BAKERY)
    assert [f.message for f in findings if f.check == "placeholder"] == [
        "placeholder text (placeholder): 'Placeholder'"
    ]


@pytest.mark.parametrize(
    ("kind", "text", "found"),
    [
        ("heading", "", [("empty", "the heading is empty")]),
        ("eyebrow", "  ", []),  # a layout may leave out an eyebrow or a button
        ("button", "", []),
        # One placeholder is enough: the first pattern that matches is named.
        (
            "body",
            "Call {name} today. Lorem ipsum.",
            [("placeholder", "placeholder text (lorem ipsum): 'Lorem'")],
        ),
        (
            "body",
            "Call {name} today.",
            [("placeholder", "placeholder text (a template slot): '{name}'")],
        ),
        ("body", "Call TODO", [("placeholder", "placeholder text (TBD): 'TODO'")]),
        ("body", "null", [("placeholder", "placeholder text (an unfilled value): 'null'")]),
        ("heading", "Fresh\nbread\ndaily", [("multiline", "the heading runs over 3 lines")]),
        ("body", "Fresh\nbread\ndaily.", []),
        ("button", "Order five cakes today", []),
        (
            "button",
            "Order your cake for Saturday now",
            [("too_long", "6 words; a button has at most 5")],
        ),
        ("button", "Order celebration cakes for June", []),  # 32 characters
        (
            "button",
            "Order celebration cakes for June!",
            [("too_long", "33 characters; a button has at most 32")],
        ),
        ("body", "We bake bread bread daily.", []),
        (
            "body",
            "We bake bread bread bread daily.",
            [("repeated_words", "'bread' repeated 3+ times in a row")],
        ),
        (
            "body",
            "Fresh bread fresh bread fresh bread daily.",
            [("repeated_words", "'fresh bread' repeated 3+ times in a row")],
        ),
        (
            "body",
            "Bake it, love it, bake it, love it, bake it, love it.",
            [("repeated_words", "'bake it love it' repeated 3+ times in a row")],
        ),
        (
            "body",
            "Fresh bread every morning…",
            [("truncated", "ends with an ellipsis, as if cut off")],
        ),
        (
            "body",
            "Fresh bread every morning...",
            [("truncated", "ends with an ellipsis, as if cut off")],
        ),
        ("quote", "Fresh bread every morning…", []),
        ("heading", "Fresh bread,", [("truncated", "ends with ',', as if cut off")]),
        ("heading", "Bread & cakes &", [("truncated", "ends with '&', as if cut off")]),
        ("heading", "Order your", [("truncated", "ends on 'your', as if cut off mid-sentence")]),
        ("heading", "Order yours", []),
        # Running text of eight words or more ends a sentence; a heading need not.
        ("body", "We bake bread and cakes every morning", []),
        (
            "body",
            "Kind words. We bake fresh bread and cakes every morning",
            [("truncated", "running text that stops without a full stop")],
        ),
        ("heading", "We bake fresh bread and cakes every single morning", []),
    ],
)
def test_degenerate_findings_say_what_is_wrong(kind, text, found):
    from merlin_assets.content_gate import check_degenerate

    findings = check_degenerate([CopyField("page:home", "f[0]", kind, text)])
    assert [(f.check, f.message) for f in findings] == found
    assert all((f.item, f.field, f.severity) == ("page:home", "f[0]", "error") for f in findings)


def test_a_phrase_said_three_times_in_a_field_is_a_warning():
    from merlin_assets.content_gate import check_degenerate

    body = (
        "Our fresh sourdough bread sells out. Buy fresh sourdough bread early. "
        "We love fresh sourdough bread."
    )
    findings = check_degenerate([CopyField("page:home", "f[0]", "body", body)])
    assert [(f.check, f.message, f.severity) for f in findings] == [
        ("repeated_phrase", "'fresh sourdough bread' appears 3 times", "warning")
    ]
    # Twice is fine, and a phrase of stopwords and one word ("of the bread") is no phrase.
    twice = "Our fresh sourdough bread sells out. Buy fresh sourdough bread early."
    assert check_degenerate([CopyField("page:home", "f[0]", "body", twice)]) == []
    filler = "Smell the bread. Bake it for the bread. Love it for the bread. Eat it for the bread."
    assert check_degenerate([CopyField("page:home", "f[0]", "body", filler)]) == []


def test_repeated_sentences_name_where_they_were_said_first():
    from merlin_assets.content_gate import check_degenerate

    said = "We bake every loaf by hand."  # five words: long enough to count
    fields = page(
        "page:about",
        ("body", f"{said} {said} Come in."),
        ("list_item", f"{said} And more besides."),
        ("body", said),
    )
    assert [(f.field, f.message, f.severity) for f in check_degenerate(fields)] == [
        ("f[0]", f"{said!r} was already said earlier in this field", "error"),
        ("f[1]", f"{said!r} was already said in f[0]", "warning"),
        ("f[2]", f"{said!r} was already said in f[0]", "error"),
    ]
    # Four words may repeat; buttons and titles are not sentences.
    short = page("page:about", ("body", "Bake every loaf daily. Bake every loaf daily."))
    assert check_degenerate(short) == []
    buttons = page("page:about", ("button", said), ("title", said), ("body", said))
    assert checks_of(check_degenerate(buttons)) == {"too_long"}


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("Crumb & Co", ["crumb", "crumb and co"]),
        ("The Green Room Ltd", ["green room", "the green room ltd"]),
        ("Smith and Sons Ltd", ["smith and sons", "smith and sons ltd"]),
        (
            "Hartley & Sons Funeral Directors",
            ["hartley and sons", "hartley and sons funeral", "hartley and sons funeral directors"],
        ),
        ("Acme", ["acme"]),
        ("", []),
    ],
)
def test_the_ways_copy_may_name_the_business(name, variants):
    from merlin_assets.content_gate.relevance import name_variants

    assert name_variants(name) == variants


@pytest.mark.parametrize(
    ("location", "places"),
    [
        ("Leith, Edinburgh", ["Leith", "Edinburgh"]),
        ("Greater London (online)", ["London"]),
        ("St. Ives; Cornwall", ["St. Ives", "Ives", "Cornwall"]),
        ("Leeds & Bradford", ["Leeds", "Bradford"]),
        ("online", []),
    ],
)
def test_the_names_copy_may_give_a_location(location, places):
    from merlin_assets.content_gate.relevance import place_words

    assert place_words(location) == places


def test_relevance_findings_say_what_the_copy_never_names():
    from merlin_assets.content_gate import check_relevance

    facts = Facts(
        name="Crumb & Co", location="Leith, Edinburgh", services=("Sourdough bread", "Pastries")
    )
    nothing = page("page:home", ("body", "Fresh bread."), ("body", " "))
    assert [
        (f.item, f.field, f.check, f.message, f.severity) for f in check_relevance(nothing, facts)
    ] == [
        ("site", "", "missing_business_name", "the copy never names 'Crumb & Co'", "error"),
        ("site", "", "missing_location", "the copy never names 'Leith, Edinburgh'", "error"),
        (
            "site",
            "",
            "missing_services",
            "only 0 of the config's services appear (need 2); missing: Sourdough bread, Pastries",
            "error",
        ),
    ]
    # One place of two, named in any case, is enough; a name in the middle of a word is not.
    some = page("page:home", ("body", "Crumb & Co, EDINBURGH: sourdough bread."))
    assert [f.message for f in check_relevance(some, facts)] == [
        "only 1 of the config's services appear (need 2); missing: Pastries"
    ]
    inside = page(
        "page:home", ("body", "Crumb & Co, Edinburghshire: sourdough bread and pastries.")
    )
    assert checks_of(check_relevance(inside, facts)) == {"missing_location"}
    # No services, no location: nothing to miss.
    assert (
        check_relevance(page("page:home", ("body", "Crumb & Co.")), Facts(name="Crumb & Co")) == []
    )


def test_a_page_of_forty_words_or_more_names_the_business():
    from merlin_assets.content_gate import check_relevance

    facts = Facts(name="Crumb & Co")
    words39 = " ".join(["bread"] * 39)
    home = page("page:home", ("body", "Crumb & Co bakes."))
    short = home + page("page:about", ("body", words39))
    assert check_relevance(short, facts) == []
    long_ = home + page("page:about", ("body", words39), ("body", "bread"))
    assert [(f.item, f.message) for f in check_relevance(long_, facts)] == [
        ("page:about", "this page never names 'Crumb & Co'")
    ]
    # Only pages are held to it: the SEO phase's copy is not a page.
    seo = home + page("seo", ("description", words39 + " bread"))
    assert check_relevance(seo, facts) == []

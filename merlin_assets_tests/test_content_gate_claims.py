"""The content gate's typed claims, one check at a time: what each finds in which sentence,
against which config fact, and what it says about it."""

from __future__ import annotations

import pytest

from merlin_assets.content_gate import CopyField, Facts, Finding, Person, check_copy
from merlin_assets.content_gate.contact import check_contact, phones_in, regions
from merlin_assets.content_gate.facts import Offer

SHOP = Facts(
    name="Crumb & Co",
    location="Leith, Edinburgh",
    industry="Bakery",
    phone="0131 555 0199",
    email="hello@crumb.example",
    links=("https://www.crumb.example/order",),
    texts=("Follow us on Instagram at @crumbandco.",),
)


def body(text: str) -> list[CopyField]:
    return [CopyField("page:contact", "sections[0].body", "body", text)]


def said(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings]


def test_the_business_s_own_contact_details_pass():
    text = (
        "Call 0131 555 0199 or +44 131 555 0199, write to Hello@Crumb.example, order at "
        "crumb.example/order or https://www.crumb.example, and follow @crumbandco."
    )
    assert check_contact(body(text), SHOP) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Call 0131 555 0123 today.",
            "'0131 555 0123' is not the business's phone (0131 555 0199)",
        ),
        (
            "Write to orders@crumb.example.",
            "'orders@crumb.example' is not the business's e-mail (hello@crumb.example)",
        ),
        (
            "Order at www.crumbandco.co.uk.",
            "'www.crumbandco.co.uk' is a web address the config does not give",
        ),
        (
            "See https://crumb-bakes.com/menu for more.",
            "'https://crumb-bakes.com/menu' is a web address the config does not give",
        ),
        (
            "Follow @crumb_bakes for news.",
            "'@crumb_bakes' is a social account the config does not give",
        ),
    ],
)
def test_contact_details_that_are_not_the_business_s(text, message):
    findings = check_contact(body(text), SHOP)
    assert said(findings) == [message]
    [f] = findings
    assert (f.item, f.field, f.check, f.severity) == (
        "page:contact",
        "sections[0].body",
        "invented_contact",
        "error",
    )


def test_a_config_with_no_contact_details_has_none_to_give():
    bare = Facts(name="Crumb & Co", location="Leith")
    text = "Call 0131 555 0123 or e-mail hi@crumb.example."
    assert said(check_contact(body(text), bare)) == [
        "'0131 555 0123' is a phone number the config does not give",
        "'hi@crumb.example' is an e-mail address the config does not give",
    ]


def test_an_e_mail_s_domain_is_the_business_s_web_address():
    # The config gives only an e-mail; its domain is the business's own site.
    facts = Facts(name="Crumb & Co", email="hello@crumb.example")
    assert check_contact(body("Order online at www.crumb.example."), facts) == []


def test_phone_numbers_are_read_in_the_business_s_country():
    # A US business's local number is read as a US number, not a British one.
    us = Facts(name="Bean There", location="Portland, Oregon, USA", phone="(503) 555-0142")
    assert regions(us)[0] == "US"
    assert phones_in("Call (503) 555-0142.", regions(us)) == [("(503) 555-0142", "+1 5035550142")]
    assert check_contact(body("Call (503) 555-0142."), us) == []
    # A number written with its country code carries its country.
    assert regions(Facts(name="X", phone="+33 1 42 68 53 00"))[0] == "FR"
    # Too short to be a phone: an order number.
    assert phones_in("Order 55501 is ready.", ("GB",)) == []


def test_check_copy_reports_invented_contact_as_a_claim():
    findings = check_copy(body("Call 0131 555 0123 today."), SHOP)
    assert [(f.check, f.family) for f in findings] == [("invented_contact", "claims")]


def week(**open_days: tuple[str, str]) -> dict[str, dict]:
    """A config's `hours`: the days given open with one period, the rest closed."""
    return {
        d: {"closed": False, "periods": [{"opens": o, "closes": c}]}
        if (o, c) != ("", "")
        else {"closed": True}
        for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        for o, c in [open_days.get(d, ("", ""))]
    }


# Tuesday to Saturday; Friday open late, Saturday short.
BAKERY_HOURS = Facts.from_config(
    {
        "name": "Crumb & Co",
        "industry": "Bakery",
        "hours": week(
            tue=("07:30", "16:00"),
            wed=("07:30", "16:00"),
            thu=("07:30", "16:00"),
            fri=("07:30", "19:30"),
            sat=("08:00", "15:00"),
        ),
    }
)
NO_HOURS = Facts(name="Crumb & Co", industry="Bakery")
ON_MONDAY = "says open on Monday, but the config says closed"
ON_SUNDAY = "says open on Sunday, but the config says closed"
NONE_GIVEN = "the config gives no opening hours; say none"


@pytest.mark.parametrize(
    ("text", "with_hours", "without_hours"),
    [
        ("Open Tuesday to Saturday.", [], [NONE_GIVEN]),
        ("Open Monday to Friday.", [ON_MONDAY], [NONE_GIVEN]),
        ("Closed on Sundays and Mondays.", [], [NONE_GIVEN]),
        (
            "Closed on Saturdays.",
            ["says closed on Saturday, but the config opens then"],
            [NONE_GIVEN],
        ),
        ("Open daily.", [ON_MONDAY, ON_SUNDAY], []),
        ("Open 7 days a week.", [ON_MONDAY, ON_SUNDAY], []),
        ("Open daily except Monday and Sunday.", [], [NONE_GIVEN]),
        (
            "Open daily except Friday.",
            ["says closed on Friday, but the config opens then", ON_MONDAY, ON_SUNDAY],
            [NONE_GIVEN],
        ),
        ("Pop in on Monday.", [ON_MONDAY], [NONE_GIVEN]),
        ("Mon-Fri, closed Sunday", ["names Monday, a day the config says is closed"], [NONE_GIVEN]),
        (
            "Open 24/7.",
            ["'24/7': the config's hours are not round the clock"],
            ["'24/7': the config's hours are not round the clock"],
        ),
        (
            "We open at 7:30am and close at 4pm.",
            [],
            [
                "'7:30am': the config gives no opening hours",
                "'4pm': the config gives no opening hours",
            ],
        ),
        (
            "We open at 9am.",
            ["'9am' is no opening or closing time in the config"],
            ["'9am': the config gives no opening hours"],
        ),
        (
            "We close at 3pm on Fridays.",
            ["'3pm' is not an opening or closing time on the days said"],
            [NONE_GIVEN],
        ),
        ("Open until 7.30pm on Fridays.", [], [NONE_GIVEN]),
        ("Open late on Fridays.", [], [NONE_GIVEN]),
        ("Open late on Saturdays.", ["'Open late': no day in the config opens late"], [NONE_GIVEN]),
        (
            "Closed on bank holidays.",
            ["the config says nothing about holidays"],
            ["the config says nothing about holidays"],
        ),
        # A day that is a deadline or a visit, not an opening day; a time in a story.
        ("Order by Friday for Saturday collection.", [], []),
        ("See us on Tuesday.", [], []),
        ("A burst pipe at 11pm is no fun.", [], []),
    ],
)
def test_opening_days_and_times_against_the_config_s_hours(text, with_hours, without_hours):
    from merlin_assets.content_gate.days import check_days

    def messages(facts: Facts) -> list[str]:
        findings = check_days(body(text), facts)
        assert all(f.check == "invented_hours" for f in findings)
        return [f.message for f in findings]

    assert messages(BAKERY_HOURS) == with_hours
    assert messages(NO_HOURS) == without_hours


def test_days_the_config_s_own_text_names_are_facts_but_its_hours_text_is_not():
    from merlin_assets.content_gate.days import check_days

    said = Facts(name="Crumb & Co", texts=("Bread delivered Tuesday to Saturday.",))
    assert check_days(body("Open Tuesday to Saturday."), said) == []
    # Hours written as free text give no typed days: saying them is not grounded by them.
    free = Facts(name="Crumb & Co", hours="Tuesday to Saturday, 8am to 4pm")
    assert [f.message for f in check_days(body("Open Tuesday to Saturday."), free)] == [NONE_GIVEN]
    late = Facts(name="Crumb & Co", texts=("Late opening on Thursdays.",), week=BAKERY_HOURS.week)
    assert check_days(body("Open late on Saturdays."), late) == []
    always = Facts.from_config(
        {
            "name": "Night Owl",
            "hours": week(
                **{d: ("00:00", "24:00") for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
            ),
        }
    )
    assert always.hours.startswith("24/7") and check_days(body("Open 24/7."), always) == []
    said_always = Facts(name="Night Owl", texts=("We answer the phone around the clock.",))
    assert check_days(body("Call us 24/7."), said_always) == []


@pytest.mark.parametrize(
    ("sentence", "days"),
    [
        ("Open Tuesday to Saturday", ["tue", "wed", "thu", "fri", "sat"]),
        ("Fri-Mon", ["fri", "sat", "sun", "mon"]),
        ("Open Sat. and Sun.", ["sat", "sun"]),
        ("sat on the sun lounger", []),  # lower-case three letters are words
        ("Weekends only", ["sat", "sun"]),
        ("on weekdays", ["mon", "tue", "wed", "thu", "fri"]),
        ("Lundi au vendredi", ["mon", "tue", "wed", "thu", "fri"]),
    ],
)
def test_the_days_a_sentence_names(sentence, days):
    from merlin_assets.content_gate.days import mentioned_days

    assert [d for d, _ in mentioned_days(sentence)] == days


@pytest.mark.parametrize(
    ("written", "clock"),
    [
        ("7:30am", "07:30"),
        ("4pm", "16:00"),
        ("12am", "00:00"),
        ("12pm", "12:00"),
        ("9.45", "09:45"),
        ("19h", "19:00"),
        ("noon", "12:00"),
        ("Midnight", "24:00"),
        ("7", ""),  # a number, not a time
        ("13pm", ""),
        ("25:00", ""),
        ("10:75", ""),
    ],
)
def test_written_times_of_day(written, clock):
    from merlin_assets.content_gate.days import _TIME, _clock

    assert _clock(_TIME.search(written)) == clock


# A bakery founded in 2011, scored in 2026: two on the team, three services, two offers.
FIGURES = Facts(
    name="Crumb & Co",
    location="Leith",
    industry="Bakery",
    services=("Sourdough bread", "Pastries", "Celebration cakes"),
    texts=(
        "Rated 4.8 out of 5 by 120 customers. Every cake comes with a 2-year guarantee on the "
        "stand. 95% of loaves sold by noon.",
    ),
    team=(Person("Maria Lopez", "Head baker", "Baking since 2005."), Person("Tom Reid", "Baker")),
    testimonials=(Person("Morag Reid", "Regular since 2016", "Lovely bread."),),
    offers=(Offer("Sourdough loaf", "£4.50"), Offer("Bread club", "£20 a month")),
    founded=2011,
    year=2026,
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Counts: the size of the team, the services and offers, or a number the config says.
        ("Our 2 bakers start at dawn.", []),
        (
            "Our 3 bakers start at dawn.",
            ["'Our 3 bakers start' (count) is not a number the config gives for this"],
        ),
        ("We offer 3 services.", []),
        (
            "We offer 4 services.",
            ["'offer 4 services.' (count) is not a number the config gives for this"],
        ),
        ("Choose from 2 plans.", []),
        (
            "Choose from 3 plans.",
            ["'from 3 plans.' (count) is not a number the config gives for this"],
        ),
        ("Trusted by 120 customers.", []),
        (
            "Trusted by 150 customers.",
            ["'by 150 customers.' (count) is not a number the config gives for this"],
        ),
        (
            "Over 500+ cakes.",
            ["'Over 500 cakes.' (count) is not a number the config gives for this"],
        ),
        ("Loved by thousands.", ["'by thousands.' (count) is not a quantity the config gives"]),
        ("Step 3: knead.", []),
        ("3 simple steps to order.", []),
        ("We bake 1 loaf at a time.", []),
        ("Open 7 days a week.", []),  # opening hours are the hours check's
        ("Call 0131 555 0199 now.", []),  # a phone number is no figure
        # Years: the founding year, a person's own year, a decade.
        ("Founded in 2011.", []),
        ("Founded in 2009.", ["'2009' (years) contradicts the config: founded 2011"]),
        ("Baking since 2005.", ["'2005' (years) contradicts the config: founded 2011"]),
        ("Maria Lopez has been baking since 2005.", []),
        ("Morag Reid has been a regular since 2016.", []),
        (
            "Since the nineties.",
            ["'Since the nineties' (years) contradicts the config: founded 2011"],
        ),
        ("Since the 2010s.", []),
        # Durations against the business's age (15 years).
        ("15 years of baking.", []),
        ("Over 10 years of baking.", []),
        ("Nearly 15 years of baking.", []),
        ("About 16 years of baking.", []),
        (
            "Almost 20 years of baking.",
            ["'Almost 20 years' (years) does not fit founded 2011 (15 years ago)"],
        ),
        (
            "Two decades of baking.",
            ["'Two decades' (years) does not fit founded 2011 (15 years ago)"],
        ),
        (
            "For decades we have baked.",
            ["'For decades we' (years) does not fit founded 2011 (15 years ago)"],
        ),
        # Warranties, ratings, percentages, prices and free offers.
        ("Every cake has a 2-year guarantee.", []),
        (
            "Every cake has a 5-year guarantee.",
            ["'5 year guarantee.' (years) is not a warranty the config gives"],
        ),
        (
            "A ten-year warranty on ovens.",
            ["'A ten year warranty' (years) is not a warranty the config gives"],
        ),
        ("Rated 4.8 out of 5.", []),
        ("Rated 4.9 out of 5.", ["'4.9 out of 5.' (rating) is not a rating the config gives"]),
        ("Rated 4.9/5.", ["'4.9/5.' (rating) is not a rating the config gives"]),
        (
            "5 stars from our customers.",
            ["'5 stars from our' (rating) is not a rating the config gives"],
        ),
        ("95% of loaves sold by noon.", []),
        ("90% of loaves sold.", ["'90%' (percent) is not a percentage the config gives"]),
        ("Loaves from £4.50.", []),
        ("Bread club for £20 a month.", []),
        ("Loaves from £5.", ["'from £5.' (price) is not a price in the config's offers"]),
        (
            "Free delivery on every order.",
            ["'Free delivery' (price) is not a free offer the config makes"],
        ),
    ],
)
def test_figures_against_the_config_s_facts_of_their_kind(text, found):
    from merlin_assets.content_gate.figures import check_figures

    findings = check_figures(body(text), FIGURES)
    assert [f.message for f in findings] == found
    assert all((f.check, f.field) == ("invented_figure", "sections[0].body") for f in findings)


def test_a_duration_needs_a_founding_year():
    from merlin_assets.content_gate.figures import check_figures

    unfounded = Facts(name="Crumb & Co", industry="Bakery")
    assert [f.message for f in check_figures(body("15 years of baking."), unfounded)] == [
        "'15 years' (years) needs a founding year, and the config gives none"
    ]
    said = Facts(name="Crumb & Co", texts=("Fifteen years of baking in Leith.",))
    assert check_figures(body("15 years of baking."), said) == []
    # The same figure said the same way twice in a field is one finding.
    twice = body("90% of loaves and 90% of cakes.")
    assert [f.message for f in check_figures(twice, FIGURES)] == [
        "'90%' (percent) is not a percentage the config gives"
    ]


LEITH = Facts(
    name="Crumb & Co",
    location="Leith, Edinburgh",
    industry="Bakery",
    team=(Person("Florence Okafor", "Baker"),),
    texts=("We deliver across Portobello.",),
)
NOWHERE = Facts(name="Crumb & Co", industry="Bakery")
NOT_NAMED = "is a place the config does not name"


@pytest.mark.parametrize(
    ("text", "in_leith", "nowhere"),
    [
        ("Fresh bread in Leith.", [], ["'Leith'"]),
        ("The best bakery in Scotland.", [], ["'Scotland'"]),  # Edinburgh is in Scotland
        ("Now open in Glasgow.", ["'Glasgow'"], ["'Glasgow'"]),
        ("Delivering across Portobello.", [], ["'Portobello'"]),  # the config's own text
        ("Best bread in Edinburgh and Fife.", ["'Fife'"], ["'Edinburgh'", "'Fife'"]),
        ("Fresh bread in Glasgow. And in Glasgow again.", ["'Glasgow'"], ["'Glasgow'"]),
        ("Baking in Paris, Texas.", ["'Paris'", "'Texas'"], ["'Paris'", "'Texas'"]),
        # Everyday words are places only after a place word; a person is no place.
        ("We moved from Reading.", ["'Reading'"], ["'Reading'"]),
        ("Reading is good for you.", [], []),
        ("Florence Okafor bakes our bread.", [], []),
        ("Visit us at 12 Leith Walk.", [], []),
    ],
)
def test_places_the_config_neither_names_nor_lies_within(text, in_leith, nowhere):
    from merlin_assets.content_gate.places import check_places

    def said(facts: Facts) -> list[str]:
        findings = check_places(body(text), facts)
        assert all(f.check == "invented_place" for f in findings)
        return [f.message for f in findings]

    where = " (the config says Leith, Edinburgh)"
    assert said(LEITH) == [f"{name} {NOT_NAMED}{where}" for name in in_leith]
    assert said(NOWHERE) == [f"{name} {NOT_NAMED}" for name in nowhere]


def test_a_town_many_states_share_is_read_in_the_state_the_config_names():
    from merlin_assets.content_gate.places import check_places

    portland = Facts(name="Bean There", location="Portland, Maine")
    assert check_places(body("Roasting in Portland, serving all of Maine."), portland) == []
    assert [f.message for f in check_places(body("Loved across Oregon."), portland)] == [
        f"'Oregon' {NOT_NAMED} (the config says Portland, Maine)"
    ]


PLUMBER = Facts(
    name="FlowRight",
    industry="Plumbing",
    texts=(
        "Gas Safe registered engineers. Winner of the Stockport Business Award 2022. Featured "
        "in the Manchester Evening News. Every job has a 12-month guarantee. Rated 4.9 on "
        "Google reviews. Fully insured.",
    ),
    accreditations=("Gas Safe",),
)


@pytest.mark.parametrize(
    ("text", "unfounded", "plumber"),
    [
        ("Read our verified reviews.", "'verified reviews' claims reviews", None),
        ("An award-winning bakery.", "'award-winning' claims an award", None),
        ("Winner of the Stockport Business Award.", "'Winner of' claims an award", None),
        ("Voted best bakery in Leith.", "'Voted' claims a ranking", "same"),
        ("Edinburgh's best bakery.", '"Edinburgh\'s best" claims a ranking', "same"),
        ("Number one in Stockport.", "'Number one' claims a ranking", "same"),
        ("Featured in the Manchester Evening News.", "'Featured in' claims press coverage", None),
        (
            "Featured in the Guardian.",
            "'Featured in' claims press coverage",
            "'the Guardian' claims press coverage",
        ),
        ("As featured in The Scotsman.", "'As featured in' claims press coverage", "same"),
        ("Certified organic flour.", "'Certified' claims a certification or licence", None),
        ("Gas Safe registered engineers.", "'Gas Safe' claims a certification or licence", None),
        ("NICEIC approved electricians.", "'NICEIC' claims a certification or licence", "same"),
        ("ISO 9001 certified.", "'certified' claims a certification or licence", "same"),
        (
            "Members of the Federation of Master Builders.",
            "'Members of the Federation' claims a certification or licence",
            "same",
        ),
        ("Satisfaction guaranteed.", "'guaranteed' claims a guarantee", None),
        ("Our 12-month guarantee.", "'guarantee' claims a guarantee", None),
        ("Top-rated by customers.", "'Top-rated' claims a rating", None),
        ("Rated 5 stars.", "'Rated' claims a rating", None),
        ("Fully insured.", "'Fully insured' claims insurance", None),
        # Said not to be so, a guarantee or insurance is no boast.
        ("No guarantee is given.", None, None),
        ("Not insured.", None, None),
    ],
)
def test_boasts_need_their_own_evidence_in_the_config(text, unfounded, plumber):
    from merlin_assets.content_gate.awards import check_claim_words

    def said(facts: Facts) -> list[str]:
        findings = check_claim_words(body(text), facts)
        assert all(f.check == "unsupported_claim" for f in findings)
        return [f.message for f in findings]

    tail = " that the config does not give"
    plumber = unfounded if plumber == "same" else plumber
    assert said(NO_HOURS) == ([unfounded + tail] if unfounded else [])
    assert said(PLUMBER) == ([plumber + tail] if plumber else [])


PEOPLE = Facts(
    name="Crumb & Co",
    industry="Bakery",
    testimonials=(
        Person(
            "Morag Reid",
            "Regular since 2016",
            "The sourdough is the best I have had outside San Francisco.",
        ),
    ),
    team=(Person("Maria Lopez", "Head baker", "Trained in Lyon."),),
)
NOT_LISTED = "is not a person named in the config's testimonials/team list"
GIVEN = "The sourdough is the best outside San Francisco."


@pytest.mark.parametrize(
    ("kind", "text", "found"),
    [
        ("name", "Morag Reid", []),
        (
            "name",
            "Yusuf Warsame, Product manager",
            [("invented_name", f"'Yusuf Warsame' {NOT_LISTED}")],
        ),
        ("body", "Meet Fiona, our pastry chef.", [("invented_name", f"'Fiona' {NOT_LISTED}")]),
        ("body", "Meet Maria Lopez, our head baker.", []),
        ("body", "Ask for Maria at the counter.", []),
        ("body", "Dr. Patel recommends our rye.", [("invented_name", f"'Patel' {NOT_LISTED}")]),
        ("body", "Sarah Jones, Homeowner", [("invented_name", f"'Sarah Jones' {NOT_LISTED}")]),
        (
            "body",
            "Thanks to Yusuf W. for the photos.",
            [
                ("invented_name", f"'Yusuf W.' {NOT_LISTED}"),
                ("invented_name", f"'Yusuf' {NOT_LISTED}"),
            ],
        ),
        ("body", "Will you visit?", []),
        # A customer in the config is not the team's baker, however the copy puts it.
        (
            "body",
            "Morag Reid, our head baker, trained in Lyon.",
            [
                (
                    "invented_name",
                    "'Morag Reid' is the config's Regular since 2016, not our head baker",
                )
            ],
        ),
        (
            "body",
            "Our head baker, Morag Reid, trained in Lyon.",
            [
                (
                    "invented_name",
                    "'Morag Reid' is the config's Regular since 2016, not our head baker",
                )
            ],
        ),
        # Quotes: the config's words by the person who said them, or a finding.
        ("body", f"“{GIVEN}” — Morag Reid", []),
        ("body", f"Morag Reid says {GIVEN[0].lower()}{GIVEN[1:]}", []),
        (
            "body",
            "“Lovely bread.” — Morag Reid",
            [("unmatched_quote", "'Morag Reid' did not say this; quote the config's words")],
        ),
        (
            "body",
            f"“{GIVEN}” — Maria Lopez",
            [("unmatched_quote", "'Maria Lopez' did not say this; quote the config's words")],
        ),
        (
            "body",
            "Morag Reid says the croissants are flaky and buttery.",
            [("unmatched_quote", "'Morag Reid' did not say this; quote the config's words")],
        ),
        ("quote", "The sourdough is the best I have had outside San Francisco.", []),
        (
            "quote",
            "Friendly staff and lovely cakes.",
            [("unmatched_quote", "this quote is not one of the config's testimonials")],
        ),
    ],
)
def test_people_and_quotes_against_the_config_s_testimonials_and_team(kind, text, found):
    from merlin_assets.content_gate.claims import check_names, check_quotes

    fields = [CopyField("page:about", "sections[0].x", kind, text)]
    findings = check_names(fields, PEOPLE) + check_quotes(fields, PEOPLE)
    assert [(f.check, f.message) for f in findings] == found


def test_with_no_people_in_the_config_every_name_and_quote_is_invented():
    from merlin_assets.content_gate.claims import check_names, check_quotes

    name = [CopyField("copywriting", "testimonials[0].name", "name", "Morag Reid")]
    assert [f.message for f in check_names(name, NO_HOURS)] == [
        "'Morag Reid' is not a person named in the config's testimonials or team"
    ]
    quote = [CopyField("copywriting", "testimonials[0].quote", "quote", "Lovely cakes.")]
    assert [(f.check, f.message) for f in check_quotes(quote, NO_HOURS)] == [
        ("invented_testimonial", "a testimonial, but the config supplies no testimonials to quote")
    ]


def test_the_config_s_own_quote_makes_no_claim_of_the_business():
    # "the best" in Morag's words is her praise, not a ranking the business claims.
    text = f"“{GIVEN[:-1]} I have had.” — Morag Reid"
    assert check_copy(body(text), PEOPLE) == []
    said = body("The best sourdough outside San Francisco.")
    assert {f.check for f in check_copy(said, PEOPLE)} == {"unsupported_claim"}


def test_facts_read_every_field_of_a_config_and_its_odd_shapes():
    from types import SimpleNamespace

    config = {
        "name": " Crumb & Co ",
        "industry": "Bakery",
        "location": "Leith",
        "description": "Sourdough since 2011.",
        "notes": "Twelve bakers.",
        "tone": "warm",
        "audiences": ["Families", "Cafés"],
        "goals": "More wholesale",
        "url": "https://crumb.example",
        "form_endpoint": "https://forms.example/crumb",
        "services": ["Bread", "", None, "Cakes"],
        "testimonials": [{"quote": "Lovely.", "name": "Ana Silva", "role": None}],
        "team": [SimpleNamespace(name="Maria Lopez", role="Head baker", bio="Baker since 2005.")],
        "offers": [{"name": "Loaf", "price": "£4.50", "description": None}],
        "founded": True,  # not a year
        "accreditations": "Real Bread Campaign",
        "contact": {
            "phone": "0131 555 0199",
            "email": "hello@crumb.example",
            "address": {"street": "1 Shore", "city": "Leith"},
            "map_url": "https://maps.example/crumb",
        },
        "language": "FR-fr",
        "hours": {
            "mon": {"closed": True},
            "tue": {
                "closed": False,
                "periods": [
                    {"opens": "07:30", "closes": "12:00"},
                    {"opens": "13:00", "closes": "16:00"},
                ],
            },
        },
    }
    f = Facts.from_config(config)
    assert (f.name, f.location, f.industry, f.services) == (
        "Crumb & Co",
        "Leith",
        "Bakery",
        ("Bread", "Cakes"),
    )
    address = "street: 1 Shore; city: Leith"
    assert f.texts == (
        "Sourdough since 2011.",
        "Twelve bakers.",
        "warm",
        "Families",
        "Cafés",
        "More wholesale",
        "https://crumb.example",
        "0131 555 0199",
        "hello@crumb.example",
        address,
    )
    assert f.testimonials == (Person("Ana Silva", "", "Lovely."),)
    assert f.team == (Person("Maria Lopez", "Head baker", "Baker since 2005."),)
    assert f.people == f.testimonials + f.team
    assert f.offers == (Offer("Loaf", "£4.50", ""),)
    assert (f.founded, f.accreditations, f.language) == (None, ("Real Bread Campaign",), "fr")
    assert f.about == ("Sourdough since 2011.", "Twelve bakers.", "More wholesale")
    assert (f.phone, f.email, f.address) == ("0131 555 0199", "hello@crumb.example", address)
    assert f.links == (
        "https://crumb.example",
        "https://maps.example/crumb",
        "https://forms.example/crumb",
    )
    assert f.hours == "mon closed; tue 07:30-12:00, 13:00-16:00"
    assert f.days == {"mon": (), "tue": (("07:30", "12:00"), ("13:00", "16:00"))}
    lines = f.corpus.split("\n")
    assert lines[:5] == ["Crumb & Co", "Leith", "Bakery", "Bread", "Cakes"]
    assert lines[-8:] == [
        "Ana Silva",
        "Lovely.",
        "Maria Lopez",
        "Head baker",
        "Baker since 2005.",
        "Loaf",
        "£4.50",
        "Real Bread Campaign",
    ]
    # A customer's words ground no claim of the business; the rest of the config does.
    assert f.claims_text == f.corpus.replace("\nLovely.", "")
    assert f.about_text == (
        "Bakery\nBread\nCakes\nSourdough since 2011.\nTwelve bakers.\nMore wholesale\nLoaf"
    )
    assert {12.0, 2011.0, 2005.0, 4.5} <= f.figures


@pytest.mark.parametrize(
    ("config", "hours", "week"),
    [
        ({"hours": "Tue-Sat 8-4"}, "Tue-Sat 8-4", ()),  # free text: no typed days
        ({"hours": {"note": "ring ahead"}}, "note: ring ahead", ()),
        (
            {"hours": [{"days": ["mon", "tue"], "opens": "09:00", "closes": "17:00"}]},
            "days: mon; tue; opens: 09:00; closes: 17:00",
            (("mon", (("09:00", "17:00"),)), ("tue", (("09:00", "17:00"),))),
        ),
        ({}, "", ()),
    ],
)
def test_facts_read_hours_in_every_form_the_config_accepts(config, hours, week):
    f = Facts.from_config({"name": "Crumb & Co", **config})
    assert (f.hours, f.week) == (hours, week)


def test_facts_of_a_sparse_config():
    f = Facts.from_config({"name": "X", "services": "Bread", "founded": 2011})
    assert (f.services, f.founded, f.texts, f.about, f.language) == (("Bread",), 2011, (), (), "en")
    assert Facts.from_config({"name": "X", "services": 7}).services == ("7",)
    # Numbers the config writes in words count as its figures; it is founded in its year.
    said = Facts(name="X", texts=("Three decades and twenty staff, a hundred loaves",))
    assert said.figures == {3.0, 20.0, 100.0}
    assert Facts(name="X", founded=1998).figures == {1998.0}


@pytest.mark.parametrize(
    ("founded", "text", "found"),
    [
        # Decades, centuries and generations are counted in years against the business's age.
        (2006, "Two decades of baking.", []),
        (2006, "Nearly two decades of baking.", []),
        (
            2011,
            "Two decades of baking.",
            ["'Two decades' (years) does not fit founded 2011 (15 years ago)"],
        ),
        (1926, "A century of baking.", []),
        (1976, "For generations we have baked.", []),
        (
            2011,
            "For generations we have baked.",
            ["'For generations we' (years) does not fit founded 2011 (15 years ago)"],
        ),
        (
            2011,
            "2 years of baking.",
            ["'2 years' (years) does not fit founded 2011 (15 years ago)"],
        ),
        # Years that are no age of the business: ago, every so often, capitalised units.
        (2011, "We moved here 5 years ago.", []),
        (2011, "We service ovens every 2 years.", []),
        (2011, "Our 3 Services.", []),
        (2011, "Choose from 2 Plans.", []),
        (
            2011,
            "A 3-year warranty on every oven.",
            ["'3 year warranty' (years) is not a warranty the config gives"],
        ),
        # Only the sentence that says the year is read for a person's name.
        (
            2011,
            "Maria Lopez joined us. The bakery has been baking since 2005.",
            ["'2005' (years) contradicts the config: founded 2011"],
        ),
    ],
)
def test_durations_are_read_in_years_against_the_founding_year(founded, text, found):
    from dataclasses import replace

    from merlin_assets.content_gate.figures import check_figures

    facts = replace(FIGURES, founded=founded)
    assert [f.message for f in check_figures(body(text), facts)] == found


def test_a_century_the_business_has_not_lived_is_a_finding():
    from dataclasses import replace

    from merlin_assets.content_gate.figures import check_figures

    [finding] = check_figures(body("A century of baking."), replace(FIGURES, founded=2011))
    assert finding.message.endswith("(years) does not fit founded 2011 (15 years ago)")


def test_a_duration_the_config_states_in_decades_is_its_own():
    from merlin_assets.content_gate.figures import check_figures

    texts = ("Two decades of baking in Leith.",)
    facts = Facts(name="Crumb & Co", texts=texts, founded=2011, year=2026)
    assert check_figures(body("20 years of baking."), facts) == []
    assert [f.message for f in check_figures(body("30 years of baking."), facts)] == [
        "'30 years' (years) does not fit founded 2011 (15 years ago)"
    ]


def test_the_day_names_the_hours_check_reads():
    from merlin_assets.content_gate.wordlists import day_names

    names = day_names()
    said = ["monday", "mon", "mondays", "sundays", "tues", "thurs", "lundi", "sonntags", "domingos"]
    assert [names[n] for n in said] == [
        "mon",
        "mon",
        "mon",
        "sun",
        "tue",
        "thu",
        "mon",
        "sun",
        "sun",
    ]
    # Abbreviations lose their full stop and take no plural.
    assert "sun." not in names and "mons" not in names and names["sat"] == "sat"


def test_given_names_and_everyday_words():
    from merlin_assets.content_gate.wordlists import is_common_word, is_given_name, zipf

    assert is_given_name("Florence") and is_given_name("florence") and not is_given_name("Bread")
    assert zipf("Bread") == zipf("bread") > 4.0 and zipf("xqzt") == 0.0
    # "Reading" is an everyday word as well as a town; "Leith" is only a place.
    assert is_common_word("Reading") and not is_common_word("Leith")
    assert is_common_word("bread") and not is_common_word("bread", 6.0)


def test_places_and_the_regions_that_hold_them():
    from merlin_assets.content_gate.wordlists import place, place_first_words, region_names

    assert place("Edinburgh") == (("GB", "SCT"),)
    assert place("UK") == (("GB", ""),)
    assert place("Scotland") == (("", ""), ("GB", "SCT"))
    assert place("Yorkshire") == (("", ""),)
    assert place("Maine") == (("US", "ME"),)
    assert ("US", "ME") in place("Portland") and ("US", "OR") in place("Portland")
    assert place("Nowhereville") == ()
    assert {"New", "Edinburgh"} <= place_first_words()
    assert region_names("GB", "SCT") == {
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "United Kingdom",
        "British",
        "Scotland",
    }
    assert region_names("US", "ME") == {"USA", "U.S.", "US", "America", "United States", "Maine"}
    assert region_names("FR", "") == {"France"}
    assert region_names("ZZ", "") == set()


def _fits(founded: int, text: str) -> list[str]:
    from dataclasses import replace

    from merlin_assets.content_gate.figures import check_figures

    return [f.message for f in check_figures(body(text), replace(FIGURES, founded=founded))]


@pytest.mark.parametrize(
    ("founded", "text", "fits"),
    [
        # "Decades" is at least twenty years, "generations" fifty: no more than the age.
        (2006, "For decades we have baked.", True),
        (1990, "For decades we have baked.", True),
        (1976, "For generations we have baked.", True),
        (1950, "For generations we have baked.", True),
        # "Over" (or "+"): at most the age, which is fifteen years here.
        (2011, "Baking for over 10 years.", True),
        (2011, "Baking for 10+ years.", True),
        (2011, "Over 15 years of baking.", True),
        (2011, "Baking for over 16 years.", False),
        # "Nearly": the age to three years more.
        (2011, "Baking for nearly 17 years.", True),
        (2011, "Baking for nearly 18 years.", True),
        (2011, "Baking for nearly 19 years.", False),
        # "About": within a tenth, at least two years; plain: within one.
        (2011, "Baking for about 17 years.", True),
        (1996, "Baking for about 33 years.", True),
        (1996, "Baking for about 34 years.", False),
        (2011, "Baking for 17 years.", False),
    ],
)
def test_how_near_a_duration_must_come_to_the_business_s_age(founded, text, fits):
    found = _fits(founded, text)
    if fits:
        assert found == []
    else:
        [message] = found
        assert message.endswith(f"does not fit founded {founded} ({2026 - founded} years ago)")


@pytest.mark.parametrize(
    ("config_says", "accredited", "text", "found"),
    [
        # A bare "certified" stands on the config's list of accreditations.
        ("", ("Soil Association",), "Certified organic flour.", []),
        # A named body or standard must be the config's own.
        ("", ("NICEIC",), "NICEIC approved electricians.", []),
        (
            "",
            (),
            "NICEIC approved electricians.",
            ["'NICEIC' claims a certification or licence"],
        ),
        ("", ("ISO 9001",), "ISO 9001 compliant.", []),
        (
            "",
            ("Gas Safe",),
            "ISO 9001 compliant.",
            ["'ISO 9001' claims a certification or licence"],
        ),
        # Press: the paper the config names is evidence enough.
        ("The Scotsman wrote about our rye.", (), "Praised by The Scotsman.", []),
        ("", (), "Praised by The Scotsman.", ["'The Scotsman' claims press coverage"]),
        # A client the config names is no endorsement it gives.
        (
            "We bake for Google's staff canteen.",
            (),
            "Trusted by Google.",
            ["'Trusted by G' claims a backer, partner or client"],
        ),
        ("Fixed-price quotes for every cake.", (), "Fixed prices on all cakes.", []),
        # A ranking needs its own word: "best" does not back "number one".
        (
            "Voted best bakery in Leith, 2023.",
            (),
            "Voted number one in Leith.",
            ["'number one' claims a ranking"],
        ),
        ("Voted number one in Leith, 2023.", (), "Voted number one in Edinburgh.", []),
    ],
)
def test_the_evidence_each_boast_needs(config_says, accredited, text, found):
    from merlin_assets.content_gate.awards import check_claim_words

    name = "NICEIC" if "NICEIC" in accredited else "Crumb & Co"
    texts = (config_says,) if config_says else ()
    facts = Facts(name=name, texts=texts, accreditations=accredited)
    tail = " that the config does not give"
    assert [f.message for f in check_claim_words(body(text), facts)] == [x + tail for x in found]


VOTED = Facts(
    name="Crumb & Co",
    industry="Bakery",
    testimonials=(
        Person("Morag Reid", "Regular", "Voted the best bakery in town by my whole street."),
    ),
    team=(Person("Maria Lopez", "Head baker"),),
)
SAID = "Voted the best bakery in town by my whole street."


@pytest.mark.parametrize(
    ("kind", "text", "found"),
    [
        # Morag's own words, quoted or reported, are her praise: no ranking is claimed.
        ("body", f"“{SAID}” — Morag Reid", []),
        ("body", f"‘{SAID}’ — Morag Reid", []),
        ("quote", SAID, []),
        ("body", "Morag Reid says we are the best bakery in town, voted by her whole street.", []),
        # Her words put in the baker's mouth are a misquote; the baker has said nothing.
        (
            "body",
            f"“{SAID}” — Maria Lopez",
            [("unmatched_quote", "'Maria Lopez' did not say this; quote the config's words")],
        ),
        (
            "body",
            "Maria Lopez says we are the best bakery in town, voted by her whole street.",
            [("unsupported_claim", "'voted' claims a ranking that the config does not give")],
        ),
    ],
)
def test_a_customer_s_words_from_the_config_claim_nothing_for_the_business(kind, text, found):
    fields = [CopyField("page:about", "sections[0].x", kind, text)]
    assert [(f.check, f.message) for f in check_copy(fields, VOTED)] == found


@pytest.mark.parametrize(
    "text",
    [
        # "Closed" belongs to the clause that says it (between commas or semicolons).
        "Closed on Sundays, but on Saturdays we bake.",
        "Closed on Sundays; on Saturdays we bake.",
        "On Saturdays we bake, closed on Sundays.",
        "On Saturdays we bake; closed on Sundays.",
        "On Saturdays we close at 3pm, Sundays closed.",  # a closing time is no closed day
    ],
)
def test_closed_is_read_in_the_clause_that_names_the_day(text):
    from merlin_assets.content_gate.days import check_days

    assert check_days(body(text), BAKERY_HOURS) == []


def test_closing_at_seven_is_open_late():
    from merlin_assets.content_gate.days import check_days

    seven = Facts.from_config({"name": "Crumb & Co", "hours": week(fri=("08:00", "19:00"))})
    assert check_days(body("Open late on Fridays."), seven) == []
    six = Facts.from_config({"name": "Crumb & Co", "hours": week(fri=("08:00", "18:59"))})
    assert [f.message for f in check_days(body("Open late on Fridays."), six)] == [
        "'Open late': no day in the config opens late"
    ]


@pytest.mark.parametrize(
    ("written", "clock"),
    [("1pm", "13:00"), ("midday", "12:00"), ("24:00", "24:00"), ("19 Uhr", "19:00"), ("0am", "")],
)
def test_more_written_times_of_day(written, clock):
    from merlin_assets.content_gate.days import _TIME, _clock

    assert _clock(_TIME.search(written)) == clock


@pytest.mark.parametrize(
    ("kind", "text", "found"),
    [
        # An initial stands for the surname: Morag R. is Morag Reid, and misquoted.
        (
            "body",
            "“Lovely bread.” — Morag R.",
            [("unmatched_quote", "'Morag R.' did not say this; quote the config's words")],
        ),
        # A quote with no content words is still no testimonial the config gives.
        (
            "quote",
            "And we are.",
            [("unmatched_quote", "this quote is not one of the config's testimonials")],
        ),
        # Four parts with a particle are a name; so is an everyday given name after "Meet".
        ("name", "Jean Paul de Vries", [("invented_name", f"'Jean Paul de Vries' {NOT_LISTED}")]),
        ("body", "Ask Will about our rye.", [("invented_name", f"'Will' {NOT_LISTED}")]),
        ("body", "Our rye is made with Grace.", [("invented_name", f"'Grace' {NOT_LISTED}")]),
        # A place after "with" or "thanks to" is no person.
        ("body", "We bake with Florence.", []),
        ("body", "Thanks to Paris for the photos.", []),
    ],
)
def test_how_names_are_read(kind, text, found):
    from merlin_assets.content_gate.claims import check_names, check_quotes

    fields = [CopyField("page:about", "sections[0].x", kind, text)]
    findings = check_names(fields, PEOPLE) + check_quotes(fields, PEOPLE)
    assert [(f.check, f.message) for f in findings] == found


def test_a_two_letter_name_and_the_business_s_own_name_after_a_verb():
    from merlin_assets.content_gate.claims import check_names, check_quotes

    bo = Facts(name="Crumb & Co", testimonials=(Person("Bo Chen", "", "Great rye."),))
    quote = body("“Lovely bread.” — Bo")
    assert [f.message for f in check_quotes(quote, bo)] == [
        "'Bo' did not say this; quote the config's words"
    ]
    greenline = Facts(name="Greenline Plumbing & Heating", industry="Plumbing")
    assert check_names(body("Tell Greenline Plumbing & Heating straight away."), greenline) == []


@pytest.mark.parametrize(
    ("moved", "founded", "text", "found"),
    [
        (
            False,
            None,
            "Founded in 2009.",
            ["'2009' (years) is a founding year the config does not give"],
        ),
        (
            False,
            2011,
            "In 2019 we moved to Leith.",
            ["'2019' (years) is a year the config does not mention"],
        ),
        # The config's own year, said the way it says it ("in 2019"), is its fact.
        (True, 2011, "In 2019 we moved to Leith.", []),
        (True, 2011, "Back in 2019 we moved.", []),
        (
            True,
            2011,
            "Since 2019 in Leith.",
            ["'2019' (years) contradicts the config: founded 2011"],
        ),
        # This year and later are plans, not history; a customer's year is theirs.
        (False, 2011, "Open for Christmas 2026.", []),
        (False, 2011, "A customer since 2016.", []),
        (
            False,
            2011,
            "Our bakery since 2016.",
            ["'2016' (years) contradicts the config: founded 2011"],
        ),
    ],
)
def test_years_against_the_founding_year_and_the_config_s_own_years(moved, founded, text, found):
    from dataclasses import replace

    from merlin_assets.content_gate.figures import check_figures

    texts = FIGURES.texts + (("We moved to Leith in 2019.",) if moved else ())
    facts = replace(FIGURES, texts=texts, founded=founded)
    assert [f.message for f in check_figures(body(text), facts)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # A price next to an offer's name must be that offer's; else any of the config's.
        ("A sourdough loaf for £4.50.", []),
        ("A sourdough loaf for £20.", ["'for £20.' (price) is not a price in the config's offers"]),
        ("Join the bread club for £20 a month.", []),
        (
            "Join the bread club for £4.50 a month.",
            ["'for £4.50 a' (price) is not a price in the config's offers"],
        ),
        ("Cakes from £20.", []),
        # Only the sentence (or clause after ";") that says the price names the offer.
        ("Our sourdough loaf is famous. Cakes from £20.", []),
        ("Cakes from £20; our sourdough loaf is famous.", []),
        # The currency is part of the price, written before or after.
        (
            "A sourdough loaf for $4.50.",
            ["'for $4.50.' (price) is not a price in the config's offers"],
        ),
        ("A sourdough loaf for 4.50 GBP.", []),
    ],
)
def test_prices_against_the_offers_the_sentence_names(text, found):
    from merlin_assets.content_gate.figures import check_figures

    assert [f.message for f in check_figures(body(text), FIGURES)] == found


@pytest.mark.parametrize(
    ("thousands", "text", "found"),
    [
        (
            "",
            "We bake 24 loaves.",
            ["'bake 24 loaves.' (count) is not a number the config gives for this"],
        ),
        ("", "Open 24 hours.", []),  # opening hours are the hours check's
        (
            "",
            "We have 2 ovens.",
            ["'have 2 ovens.' (count) is not a number the config gives for this"],
        ),
        ("", "We have 1 oven.", []),  # one is no claim
        ("Loved by thousands of families.", "Loved by thousands.", []),
        # "Generations" after a number: the number is the figure, read once.
        (
            "",
            "Three generations of bakers.",
            ["'Three generations of' (count) is not a number the config gives for this"],
        ),
    ],
)
def test_counts_that_are_claims_and_counts_that_are_not(thousands, text, found):
    from dataclasses import replace

    from merlin_assets.content_gate.figures import check_figures

    facts = replace(FIGURES, texts=FIGURES.texts + ((thousands,) if thousands else ()))
    assert [f.message for f in check_figures(body(text), facts)] == found


US_SHOP = Facts(name="Bean There", location="Portland, Oregon, USA", phone="(503) 555-0142")


@pytest.mark.parametrize(
    ("facts", "text", "found"),
    [
        # Read in the business's own country: "011" is how the US dials abroad, so this is a
        # British number, not the shop's (read in Britain it is no number at all).
        (
            US_SHOP,
            "Call 011 44 131 555 0186.",
            ["'011 44 131 555 0186' is not the business's phone ((503) 555-0142)"],
        ),
        # A number the config gives in its notes, with no phone field, is the business's own.
        (
            Facts(name="Crumb & Co", location="Leith", texts=("Orders on 0131 555 0186.",)),
            "Call 0131 555 0186.",
            [],
        ),
        # A leading dot makes another address.
        (
            SHOP,
            "Write to .hello@crumb.example today.",
            ["'.hello@crumb.example' is not the business's e-mail (hello@crumb.example)"],
        ),
        # An address glued to a handle: the handle is read on its own.
        (
            SHOP,
            "Write to hello@crumb.example@crumb_bakes today.",
            ["'@crumb_bakes' is a social account the config does not give"],
        ),
        # The full stop that ends the sentence is not part of the address; its capitals are.
        (
            SHOP,
            "Order a box at crumb-bakes.com/XMAS-BOX.",
            ["'crumb-bakes.com/XMAS-BOX' is a web address the config does not give"],
        ),
    ],
)
def test_contact_details_read_in_the_business_s_country_and_notes(facts, text, found):
    assert said(check_contact(body(text), facts)) == found


def names_found(kind: str, text: str, facts: Facts = PEOPLE) -> list[str]:
    from merlin_assets.content_gate.claims import check_names

    fields = [CopyField("page:about", "sections[0].x", kind, text)]
    return [f.message for f in check_names(fields, facts)]


@pytest.mark.parametrize(
    ("kind", "text", "names"),
    [
        # A name field's name is what comes before its first comma, bracket or dash...
        ("name", "Yusuf, Leith", ["Yusuf"]),
        # ...and only a name field's: capitalised words that open a body are no name.
        ("body", "Fresh Bread", []),
        ("body", "Fresh Bread every day.", []),
        # A name of stop words only is still a name the config does not give.
        ("name", "An", ["An"]),
        # Two given names side by side, in the order written, after the names found before.
        ("body", "Meet Fiona. Ewan and Kirsty opened the shop.", ["Fiona", "Ewan", "Kirsty"]),
        # A place next to a given name is no pair of people.
        ("body", "Visit Leith and Portobello.", []),
        # An everyday given name right after "Thanks to" is a person; before ", the" it is not.
        ("body", "Thanks to Will for the photos.", ["Will"]),
        ("body", "Hope, the heart of our bakery.", []),
        # After "with", only a given name is a person.
        ("body", "Made with Butter.", []),
        # A given name that is no everyday word is a person before "says".
        ("body", "Kirsty says hello.", ["Kirsty"]),
        # A name the config knows does not stop the names after it being read.
        ("body", "Maria L. says hi. Meet Fiona.", ["Fiona"]),
        # Five words are more than a name: nothing is reported.
        ("name", "Anna de Maria van Berg", []),
    ],
)
def test_which_words_are_names(kind, text, names):
    assert names_found(kind, text) == [f"{n!r} {NOT_LISTED}" for n in names]


def test_a_config_person_in_another_part_is_reported_where_the_copy_says_it():
    from merlin_assets.content_gate.claims import check_names

    fields = [CopyField("page:about", "sections[2].body", "body", "Morag Reid, our head baker.")]
    [f] = check_names(fields, PEOPLE)
    assert (f.item, f.field, f.check, f.message) == (
        "page:about",
        "sections[2].body",
        "invented_name",
        "'Morag Reid' is the config's Regular since 2016, not our head baker",
    )


@pytest.mark.parametrize(
    ("kind", "text", "found"),
    [
        # Half of a quote's words from Morag's testimonial make it hers: its boasts are hers.
        ("quote", "Voted the best, warm and kind.", []),
        ("body", "“Voted the best, warm and kind.”", []),
        # Her quotation and her paraphrase leave nothing of their words behind: a figure after
        # them is shown with no word before it (only the paraphrase's full stop).
        (
            "body",
            "“Voted the best bakery in town.” 30 ovens.",
            [("invented_figure", "'30 ovens.' (count) is not a number the config gives for this")],
        ),
        (
            "body",
            "Morag Reid says the bakery is the best in town. 30 ovens.",
            [
                (
                    "invented_figure",
                    "'. 30 ovens.' (count) is not a number the config gives for this",
                )
            ],
        ),
        # A quotation that is no testimonial's is the business's own claim.
        (
            "body",
            "Our motto: “Winner of every award.”",
            [("unsupported_claim", "'Winner of' claims an award that the config does not give")],
        ),
        # Someone the config does not name says it: the business's claim, and a new name.
        (
            "body",
            "Fiona says we won an award.",
            [
                ("invented_name", f"'Fiona' {NOT_LISTED}"),
                (
                    "unsupported_claim",
                    "'won an award' claims an award that the config does not give",
                ),
            ],
        ),
        # Morag paraphrased with two words in five of hers (0.4): her words, no claim, not even
        # the award she is said to name.
        ("body", "Morag Reid says the bakery is the best for miles, truly, madly.", []),
        ("body", "Morag Reid says the bakery is the best, award winning, truly.", []),
        # With one word in five of hers, a misquote and the business's own claims.
        (
            "body",
            "Morag Reid says we are the best and win every award, truly.",
            [
                ("unmatched_quote", "'Morag Reid' did not say this; quote the config's words"),
                ("unsupported_claim", "'award' claims an award that the config does not give"),
            ],
        ),
    ],
)
def test_how_much_of_a_testimonial_makes_a_customer_s_words_hers(kind, text, found):
    fields = [CopyField("page:about", "sections[0].x", kind, text)]
    assert [(f.check, f.message) for f in check_copy(fields, VOTED)] == found


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # A given name and a surname: the name is the pair, and a possessive is not part of it.
        ("Kirsty Okafor opened the shop.", ["Kirsty Okafor"]),
        ("Kirsty Okafor's cakes sell out.", ["Kirsty Okafor"]),
        # An everyday given name before a rare surname, a rare one before an everyday surname.
        ("Grace Okafor opened the shop.", ["Grace Okafor"]),
        ("Kirsty Baker opened the shop.", ["Kirsty Baker"]),
        # Both everyday words: a person only with a part or a speech verb after them.
        ("Will Baker says hello.", ["Will Baker"]),
        # A street, a park or a beach is no surname, and no name at all.
        ("Shop on Victoria Station Road.", []),
        ("Swim at Victoria Park Lido.", []),
        ("We swim at Portobello Beach.", []),
        ("Victoria Road is where Kirsty Okafor bakes.", ["Kirsty Okafor"]),
    ],
)
def test_full_names_read_from_running_text(text, names):
    assert names_found("body", text) == [f"{n!r} {NOT_LISTED}" for n in names]


PARTS = Facts(
    name="Crumb & Co",
    industry="Bakery",
    testimonials=(
        Person("Morag Reid", "Regular since 2016", "The sourdough is the best I have had."),
        Person("Bo Chen", "", "Great rye."),
    ),
    team=(Person("Maria Lopez", "Head baker", "Trained in Lyon."),),
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # The team's baker in her own part: nothing; the next sentence is still read.
        (
            "Maria Lopez, our head baker, trained in Lyon. Morag Reid, our head baker, did too.",
            ["'Morag Reid' is the config's Regular since 2016, not our head baker"],
        ),
        # A name the config does not hold is check_names' to report; the next one is read.
        (
            "Fiona, our pastry chef, is new. Maria Lopez, our delivery driver, is too.",
            ["'Maria Lopez' is the config's Head baker, not our delivery driver"],
        ),
        # A customer is "the regular", not "our regular".
        ("The regular, Morag Reid, came in.", []),
        (
            "Our regular, Morag Reid, came in.",
            ["'Morag Reid' is the config's Regular since 2016, not our regular"],
        ),
        # A testimonial with no role is a customer's.
        ("Bo Chen, our head baker, is new.", ["'Bo Chen' is a customer, not our head baker"]),
    ],
)
def test_the_part_the_copy_gives_a_config_person(text, found):
    from merlin_assets.content_gate.claims import _wrong_parts

    assert _wrong_parts(CopyField("page:about", "sections[0].body", "body", text), PARTS) == found


@pytest.mark.parametrize(
    ("text", "regions_", "found"),
    [
        # With no region to read it in, a local number is read as British.
        ("Call 0131 555 0186.", (), [("0131 555 0186", "+44 1315550186")]),
        # Ofcom's drama range: possible, never valid, and still a phone number in the copy.
        ("Text 07700 900 123.", ("GB",), [("07700 900 123", "+44 7700900123")]),
        # Seven digits are a phone number (a US local one); six are not, however spaced.
        ("Call 555-0142.", ("US",), [("555-0142", "+1 5550142")]),
        ("Ring 12 34 56.", ("GB",), []),
        # A short number before a phone number does not hide it.
        ("Order 55501: call 0131 555 0186.", ("GB",), [("0131 555 0186", "+44 1315550186")]),
    ],
)
def test_the_phone_numbers_a_text_holds(text, regions_, found):
    assert phones_in(text, regions_) == found


def quotes_found(text: str) -> list[str]:
    from merlin_assets.content_gate.claims import invented_quotes

    return invented_quotes(CopyField("page:about", "sections[0].body", "body", text), PEOPLE)


MISQUOTED = "'Morag Reid' did not say this; quote the config's words"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Attributed before the quotation.
        ("Morag Reid says: “Lovely bread.”", [MISQUOTED]),
        # A quotation no one is named for, or someone the config does not name, is skipped
        # (check_names reports the name); the quotations after it are still read.
        ("“Fresh daily.” is our motto. “Lovely bread.” — Morag Reid", [MISQUOTED]),
        ("“Lovely bread.” — Fiona Hay. “Great rye.” — Morag Reid", [MISQUOTED]),
        # Half of the words from her testimonial make a quote hers; a third do not.
        ("“The sourdough is lovely.” — Morag Reid", []),
        ("“The sourdough is lovely, honestly.” — Morag Reid", [MISQUOTED]),
        # Reported speech: a quarter of her words is a misquote; two in five are hers (the
        # quotation in the middle is no word of what she is reported to say).
        ("Morag Reid says the sourdough is flaky, buttery and light.", [MISQUOTED]),
        ("Morag Reid says the sourdough is the best “ever” in Leith, truly, madly.", []),
        # Nothing but stop words reported, or someone unknown first: nothing, then the next.
        ("Morag Reid says it is so.", []),
        ("Fiona says hi. Morag Reid says the croissants are flaky.", [MISQUOTED]),
    ],
)
def test_quotes_and_reported_speech_against_who_said_them(text, found):
    assert quotes_found(text) == found

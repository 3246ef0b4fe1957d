"""The content gate's typed claims, one check at a time: what each finds in which sentence,
against which config fact, and what it says about it."""

from __future__ import annotations

import pytest

from merlin_assets.content_gate import CopyField, Facts, Finding, check_copy
from merlin_assets.content_gate.contact import check_contact, phones_in, regions

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

"""Contact details in the copy: phone numbers, e-mail addresses, web addresses and handles.

Each must be one the config gives (its contact, url, map and form links, or a number in its
notes). Phones are compared as numbers with `phonenumbers`, so "0131 555 0186" is the config's
"+44 131 555 0186"; the region to read a local number in comes from the config's own phone,
else from its location, else the UK and then the US are tried.
"""

from __future__ import annotations

import re
from functools import cache

import phonenumbers

from merlin_assets.content_gate.facts import Facts
from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.wordlists import place

# Public: figures.py blanks e-mails and web addresses with these same patterns before it reads
# numbers, so a digit in `shop42.co.uk` is never taken for a figure.
EMAIL_RE = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_TLD = (
    r"com|org|net|co\.uk|org\.uk|uk|io|co|app|dev|ai|shop|store|biz|info|me|us|ca|au|nz|ie|eu|"
    r"de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|pt|in|example|site|online|studio|london|scot|wales"
)
DOMAIN_RE = re.compile(
    rf"(?<![@\w.-])(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLD}))\b(/[^\s)]*)?",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_.]{3,30})\b")
_GUESSES = ("GB", "US")


def check_contact(fields: list[CopyField], facts: Facts) -> list[Finding]:
    """Phones, e-mails, domains and social handles that are not the business's own."""
    out = []
    for f in fields:
        for said, why in _unknown(f.text, facts):
            out.append(Finding(f.item, f.field, "invented_contact", f"{said!r} {why}"))
    return out


def _unknown(text: str, facts: Facts) -> list[tuple[str, str]]:
    found = []
    own = _phones(facts)
    for raw, number in phones_in(text, regions(facts)):
        if number not in own:
            why = f"is not the business's phone ({facts.phone})" if facts.phone else ""
            found.append((raw, why or "is a phone number the config does not give"))
    emails = {e.lower() for e in EMAIL_RE.findall(facts.corpus)}
    for email in EMAIL_RE.findall(text):
        if email.lower().rstrip(".") not in emails:
            why = f"is not the business's e-mail ({facts.email})" if facts.email else ""
            found.append((email, why or "is an e-mail address the config does not give"))
    text_without_emails = EMAIL_RE.sub(" ", text)
    domains = _domains(facts)
    for m in DOMAIN_RE.finditer(text_without_emails):
        if _bare(m.group(1)) not in domains:
            found.append((m.group().rstrip("."), "is a web address the config does not give"))
    corpus = facts.corpus.lower()
    for m in _HANDLE.finditer(text_without_emails):
        if f"@{m.group(1).lower()}" not in corpus:
            found.append((m.group(), "is a social account the config does not give"))
    return found


def _bare(domain: str) -> str:
    domain = domain.lower()
    return domain[4:] if domain.startswith("www.") else domain


def _domains(facts: Facts) -> set[str]:
    text = EMAIL_RE.sub(lambda m: " " + m.group().split("@")[1] + " ", facts.corpus)
    return {_bare(m.group(1)) for m in DOMAIN_RE.finditer(text)}


def regions(facts: Facts) -> tuple[str, ...]:
    """Regions to read local numbers in, most likely first."""
    return _regions(facts.phone, facts.location, facts.address)


@cache
def _regions(phone: str, location: str, address: str) -> tuple[str, ...]:
    found: list[str] = []
    if phone.strip().startswith("+"):
        try:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(phone, None))
            found.append(region)
        except phonenumbers.NumberParseException:
            pass
    for text in (location, address):
        for part in re.split(r"[,;\n]", text):
            for country, _ in place(part.strip()):
                if country and country not in found:
                    found.append(country)
    return tuple(dict.fromkeys([*found, *_GUESSES]))


def phones_in(text: str, regions: tuple[str, ...]) -> list[tuple[str, str]]:
    """(as written, "+<country> <national number>") for every phone number in the text.

    Read in the first region; numbers written with "+" carry their own country.
    """
    region = regions[0] if regions else "GB"
    out = []
    leniency = phonenumbers.Leniency.POSSIBLE
    for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency):
        digits = re.sub(r"\D", "", m.raw_string)
        if len(digits) < 7:
            continue
        out.append((m.raw_string, _key(m.number)))
    return out


def _key(number: phonenumbers.PhoneNumber) -> str:
    return f"+{number.country_code} {number.national_number}"


def _phones(facts: Facts) -> frozenset[str]:
    """The business's numbers, each read in every likely region."""
    return _numbers_of(facts.corpus, facts.phone, regions(facts))


@cache
def _numbers_of(corpus: str, phone: str, regions_: tuple[str, ...]) -> frozenset[str]:
    found: set[str] = set()
    for region in regions_:
        found |= {n for _, n in phones_in(corpus, (region,))}
        found |= {n for _, n in phones_in(phone, (region,))}
    return frozenset(found)

"""Figures in the copy, each matched to the config fact of its own kind.

- years ("since 1987", "founded in 1987", "a regular since 2016") against `founded`, or the
  same year said the same way in the config's text;
- durations ("over 30 years", "three decades", "for generations") against the age that
  `founded` gives this year, or the same duration in the config's text (a team member's bio);
- prices ("£45", "$12 a month", "free consultation") against the offers' prices;
- ratings ("4.9/5", "5-star") and percentages against the same rating or percentage;
- counts and quantities ("over 2,000 loaves", "500+ clients", "thousands of customers"):
  the same number next to the same word in the config ("up to five users" backs "5 users").

A number is never backed by the same digits elsewhere: "30 years" is not "07:30".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from merlin_assets.content_gate.contact import DOMAIN_RE, EMAIL_RE, phones_in, regions
from merlin_assets.content_gate.facts import Facts
from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.numbers import VAGUE, Number, numbers_in
from merlin_assets.content_gate.text import STOPWORDS, stem, stems_match, wordset

_YEAR = re.compile(r"^(?:1[89]\d\d|20\d\d)$")
_FOUNDING = re.compile(
    r"\b(?:since|founded|established|est\.?|estd|opened|started|began|set up|launched|"
    r"trading|born|dating from|going since|founding|foundation|opening)\b[\w\s,.&'’-]{0,40}$"
    r"|^\W*(?:[A-Z][\w&' ]+\s)?(?:was\s+)?(?:founded|established|opened|started|launched)",
    re.IGNORECASE,
)
_PERSONAL_SINCE = re.compile(
    r"\b(?:customers?|clients?|regulars?|members?|patients?|partners?|friends?|volunteers?|"
    r"subscribers?|users?|fans?|visitors?|here|joined|with us|ours)\b[\w\s,]{0,12}"
    r"(?:since|in)\s+$",
    re.IGNORECASE,
)
_DURATION = re.compile(r"^(?:years?|yrs|decades?|centur(?:y|ies))\b", re.IGNORECASE)
_NOT_AGE = re.compile(
    r"^\s*(?:years?|decades?)[\s-]+(?:old|warranty|guarantee|plan|contract|lease|term|fixed|"
    r"ago|from now|later|time)\b",
    re.IGNORECASE,
)
_NOT_AGE_BEFORE = re.compile(
    r"\b(?:every|each|per|after|within|in the next|next|last|the first|up to|for up to)\s*$",
    re.IGNORECASE,
)
_OVER = wordset("over more than upwards of well just at least past")
_UNDER = wordset("almost nearly close under just under not quite")
_ABOUT = wordset("around about some roughly approximately")
_RATING = re.compile(
    r"^\s*(?:/\s*(?:5|10)\b|out of (?:5|10|five|ten)\b|[\s-]*stars?\b|[\s-]*star\b)",
    re.IGNORECASE,
)
_HOURS_FIGURE = re.compile(
    r"^\s*(?:days?\s+a\s+(?:week|year)|/\s*(?:7|365)\b|hours?\s+a\s+day)",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"^\s*(?:%|per\s?cent\b)", re.IGNORECASE)
_CURRENCY = {"£": "GBP", "$": "USD", "€": "EUR", "¥": "JPY", "₹": "INR"}
_CODES = {"usd": "USD", "dollars": "USD", "gbp": "GBP", "pounds": "GBP", "eur": "EUR"}
_CODES |= {"euros": "EUR", "cad": "CAD", "aud": "AUD"}
_CURRENCY_AFTER = re.compile(r"^\s?(usd|eur|gbp|cad|aud|dollars|pounds|euros)\b", re.IGNORECASE)
_LABEL_BEFORE = re.compile(
    r"\b(?:step|phase|stage|part|option|chapter|page|tip|day|week|no|number|line|"
    r"#|top|size|level|grade|year|type|version)\.?\s*$",
    re.IGNORECASE,
)
# Words that say nothing about what a number counts.
_FILLER = STOPWORDS | wordset(
    "over more than up about around nearly almost some just of per each every happy "
    "satisfied loyal local repeat returning delighted new different fresh daily weekly plus"
)
_OWN_PARTS = re.compile(
    r"^\s+(?:(?:simple|easy|clear|quick|short|key|main|practical|good)\s+)?"
    r"(?:steps?|ways?|reasons?|questions?|things?|tips?|stages?|parts?|sections?|pages?)\b",
    re.IGNORECASE,
)
# Free things that are an offer a business makes (not the free first call or quote that any
# trade's call to action promises): the config must make them.
_FREE = re.compile(
    r"(?<![\w-])free\s+(?:[a-z-]+\s+)?(delivery|shipping|returns?|trials?|samples?|parking|"
    r"wi-?fi|gifts?|installation|upgrades?|months?|weeks?|lessons?|class(?:es)?|sessions?|"
    r"tastings?|coffee|refills?|collection|postage|p&p|survey|cake|loaf|bread|pastry|"
    r"check-?ups?|whitening|x-rays?|exams?|cleaning|will|setup|onboarding|migration|support)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Said:
    label: str  # years, duration, price, rating, percent, count
    text: str
    why: str


def check_figures(fields: list[CopyField], facts: Facts) -> list[Finding]:
    """Figures in the copy that no config fact of the same kind states."""
    out = []
    for f in fields:
        reported: set[str] = set()
        for said in unsupported_figures(f.text, facts):
            if said.text.lower() in reported:
                continue
            reported.add(said.text.lower())
            out.append(
                Finding(
                    f.item,
                    f.field,
                    "invented_figure",
                    f"{said.text!r} ({said.label}) {said.why}",
                )
            )
    return out


_DECADES = {"fifties": 1950, "sixties": 1960, "seventies": 1970, "eighties": 1980}
_DECADES |= {"nineties": 1990, "noughties": 2000}
_DECADE_SAID = re.compile(
    r"\b(?:since|from|in|back in|during)\s+the\s+(?:early\s+|mid[\s-]|late\s+)?"
    r"(?:(?:19|20)?(\d0)['’]?s|'(\d0)s|(fifties|sixties|seventies|eighties|nineties|noughties))\b",
    re.IGNORECASE,
)


def _decades(text: str, facts: Facts) -> list[_Said]:
    """ "Since the late eighties": a founding decade, against `founded`."""
    out = []
    for m in _DECADE_SAID.finditer(text):
        digits = m.group(1) or m.group(2)
        start = _DECADES[m.group(3).lower()] if m.group(3) else 1900 + int(digits)
        if digits and m.group().lower().find("20" + digits) != -1:
            start = 2000 + int(digits)
        if facts.founded and start <= facts.founded < start + 10:
            continue
        why = f"contradicts the config: founded {facts.founded}" if facts.founded else ""
        out.append(_Said("years", m.group(), why or "is a founding time the config does not give"))
    return out


def unsupported_figures(text: str, facts: Facts) -> list[_Said]:
    out = _decades(text, facts)
    clean = _without_contacts(text, facts)
    for n in numbers_in(clean):
        before, after = clean[: n.start], clean[n.end :]
        said = _judge(n, before, after, facts)
        if said:
            out.append(said)
    out += _free_things(clean, facts)
    return out


def _judge(n: Number, before: str, after: str, facts: Facts) -> _Said | None:
    raw = n.raw
    if n.is_digits and _YEAR.match(raw) and re.match(r"['’]?s\b", after):
        return None  # "the 1990s": a decade, judged in `_decades`
    if n.is_digits and _YEAR.match(raw) and not _PERCENT.match(after):
        return _year(int(raw), before, facts)
    if n.raw.lower() in ("decades", "generations") and numbers_in(before[-12:]):
        return None  # "two decades": the number before it is the figure
    if _DURATION.match(after.lstrip(" -")) or n.raw.lower() in ("decades", "generations"):
        return _duration(n, before, after, facts)
    if _HOURS_FIGURE.match(after) or (n.value == 24 and re.match(r"[\s-]hours?\b", after)):
        return None  # "7 days a week", "24/7": opening hours, judged in `days`
    currency = _currency(before, after)
    if currency:
        if (currency, n.value) in _offer_prices(before, after, facts):
            return None
        shown = _span(before, raw, after, 1, 1)
        return _Said("price", shown, "is not a price in the config's offers")
    if _RATING.match(after):
        if _same_with(n.value, _RATING, facts):
            return None
        return _Said("rating", _span(before, raw, after, 0, 3), "is not a rating the config gives")
    if _PERCENT.match(after):
        if _same_with(n.value, _PERCENT, facts):
            return None
        return _Said("percent", raw + "%", "is not a percentage the config gives")
    if n.raw.lower() in VAGUE:
        if re.search(rf"\b{n.raw.lower()}\b", facts.claims_text.lower()):
            return None
        shown = _span(before, raw, after, 1, 2)
        return _Said("count", shown, "is not a quantity the config gives")
    if _LABEL_BEFORE.search(before) or (n.value <= 1 and not n.plus):
        return None
    if _OWN_PARTS.match(after):
        return None  # "3 clear steps": the page counts what it lists itself
    if _count_supported(n, before, after, facts) or _size_of_a_list(n, after, facts):
        return None
    shown = _span(before, raw, after, 1, 2)
    return _Said("count", shown, "is not a number the config gives for this")


_STAFF = re.compile(
    r"^\s+(?:\w+\s+)?(?:people|staff|lawyers|attorneys|partners|dentists|doctors|bakers|"
    r"engineers|experts|specialists|founders|co-founders|members|colleagues)\b",
    re.IGNORECASE,
)


def _size_of_a_list(n: Number, after: str, facts: Facts) -> bool:
    """ "Three lawyers" when the config's team has three people; "four services"."""
    if _STAFF.match(after) and n.value == len(facts.team):
        return True
    if re.match(r"^\s+(?:\w+\s+)?services\b", after, re.IGNORECASE):
        return n.value == len(facts.services)
    if re.match(r"^\s+(?:\w+\s+)?(?:plans|packages|options|offers)\b", after, re.IGNORECASE):
        return n.value == len(facts.offers)
    return False


def _year(year: int, before: str, facts: Facts) -> _Said | None:
    config_years = _context_years(facts)
    prev = _last_word(before)
    if (year, prev) in config_years and (
        _PERSONAL_SINCE.search(before) or _names_a_person(before, facts)
    ):
        return None  # "Morag Reid has been coming in since 2016": her fact, not the firm's
    if _FOUNDING.search(before) and not _PERSONAL_SINCE.search(before):
        if facts.founded == year:
            return None
        if facts.founded:
            return _Said("years", f"{year}", f"contradicts the config: founded {facts.founded}")
        if (year, prev) in config_years:
            return None
        return _Said("years", f"{year}", "is a founding year the config does not give")
    if year == facts.founded or (year, prev) in config_years or year >= facts.year:
        return None
    if any(y == year for y, _ in config_years) and not _PERSONAL_SINCE.search(before):
        return None
    return _Said("years", f"{year}", "is a year the config does not mention")


def _names_a_person(before: str, facts: Facts) -> bool:
    sentence = re.split(r"[.!?]\s", before)[-1].lower()
    return any(p.name and p.name.lower() in sentence for p in facts.people)


def _duration(n: Number, before: str, after: str, facts: Facts) -> _Said | None:
    after = re.sub(r"^-", " ", after)  # "ten-year warranty"
    if _NOT_AGE.match(after) and re.match(r"^\s*\w+[\s-]+(?:warranty|guarantee)", after):
        if _count_supported(n, before, after, facts):
            return None
        return _Said(
            "years", _span(before, n.raw, after, 0, 2), "is not a warranty the config gives"
        )
    if _NOT_AGE.match(after) or _NOT_AGE_BEFORE.search(before):
        return None
    unit = _DURATION.match(after.strip())
    word = unit.group().lower() if unit else n.raw.lower()
    years = n.value * (10 if word.startswith("decade") else 100 if word.startswith("cent") else 1)
    if n.raw.lower() in ("decades", "generations"):
        years = 20 if n.raw.lower() == "decades" else 50
    shown = _span(before, n.raw, after, 2, 1)
    if _same_duration(years, facts):
        return None
    if not facts.founded:
        return _Said("years", shown, "needs a founding year, and the config gives none")
    age = facts.year - facts.founded
    qualifier = " ".join(before.lower().split()[-2:])
    last = qualifier.split()[-1] if qualifier else ""
    if n.plus or last in _OVER or qualifier in _OVER:
        fits = years <= age
    elif last in _UNDER or qualifier in _UNDER:
        fits = age <= years <= age + 3
    elif last in _ABOUT:
        fits = abs(age - years) <= max(2, years // 10)
    elif n.raw.lower() in ("decades", "generations", "many", "several"):
        fits = years <= age
    else:
        fits = abs(age - years) <= 1
    if fits:
        return None
    return _Said("years", shown, f"does not fit founded {facts.founded} ({age} years ago)")


def _same_duration(years: float, facts: Facts) -> bool:
    """The config itself states this many years ("Twenty years advising...")."""
    text = _config_numbers(facts)
    return any(
        n.value * (10 if a.strip().startswith("decade") else 1) == years
        for n, a in text
        if _DURATION.match(a.strip())
    )


def _count_supported(n: Number, before: str, after: str, facts: Facts) -> bool:
    """The config says the same number next to the same word."""
    near = _near_words(before, after)
    text = _config_clean(facts)
    for m, a in _config_numbers(facts):
        if m.value != n.value:
            continue
        theirs = _near_words(text[: m.start], a)
        if not near or any(stems_match(x, y) for x in near for y in theirs):
            return True
    return False


def _near_words(before: str, after: str) -> set[str]:
    prev = [w for w in re.findall(r"[a-z]+", before.lower())[-1:] if w not in _FILLER]
    nxt = [w for w in re.findall(r"[a-z]+", after.lower())[:4] if w not in _FILLER][:2]
    return {stem(w) for w in prev + nxt}


@cache
def _config_clean_cached(corpus: str, phone: str, hours: str) -> str:
    text = corpus.replace(hours, " ") if hours else corpus
    return _strip_contacts(text, ("GB", "US"))


def _config_clean(facts: Facts) -> str:
    return _config_clean_cached(facts.corpus, facts.phone, facts.hours)


def _config_numbers(facts: Facts) -> list[tuple[Number, str]]:
    text = _config_clean(facts)
    return [(n, text[n.end :]) for n in numbers_in(text)]


def _context_years(facts: Facts) -> set[tuple[int, str]]:
    text = _config_clean(facts)
    return {
        (int(n.raw), _last_word(text[: n.start]))
        for n in numbers_in(text)
        if n.is_digits and _YEAR.match(n.raw)
    }


def _last_word(text: str) -> str:
    found = re.findall(r"[a-z]+", text.lower()[-30:])
    return found[-1] if found else ""


def _same_with(value: float, unit: re.Pattern[str], facts: Facts) -> bool:
    return any(m.value == value and unit.match(a) for m, a in _config_numbers(facts))


def _currency(before: str, after: str) -> str:
    m = re.search(r"([£$€¥₹])\s?$", before)
    if m:
        return _CURRENCY[m.group(1)]
    m = _CURRENCY_AFTER.match(after)
    return _CODES[m.group(1).lower()] if m else ""


def _prices(facts: Facts) -> set[tuple[str | None, float]]:
    """(currency, amount) of every price in the offers and the config's text."""
    text = _config_clean(facts)
    out: set[tuple[str | None, float]] = set()
    for n in numbers_in(text):
        currency = _currency(text[: n.start], text[n.end :])
        if currency:
            out.add((currency, n.value))
    return out


def _offer_prices(before: str, after: str, facts: Facts) -> set[tuple[str | None, float]]:
    """The prices a price in this sentence may be: those of the offers it names, else any."""
    sentence = re.split(r"[.!?;]\s", before)[-1] + re.split(r"[.!?;](?:\s|$)", after)[0]
    said = {stem(w) for w in re.findall(r"[a-z]+", sentence.lower()) if w not in _FILLER}
    named = set()
    for offer in facts.offers:
        wanted = {stem(w) for w in re.findall(r"[a-z]+", offer.name.lower()) if w not in _FILLER}
        if wanted and len(wanted & said) >= min(2, len(wanted)):
            found = f"{offer.price} {offer.description}"
            named |= {
                (_currency(found[: n.start], found[n.end :]), n.value) for n in numbers_in(found)
            }
    return named or _prices(facts)


def _free_things(text: str, facts: Facts) -> list[_Said]:
    """ "Free delivery", "free quotes": an offer the config must make."""
    out = []
    config = facts.claims_text.lower()
    for m in _FREE.finditer(text):
        if re.search(r"\bfeel\s+$", text[: m.start()], re.IGNORECASE):
            continue
        wanted = [m.group(1)]
        ok = any(
            re.search(rf"\bfree\b[\w\s(),-]{{0,40}}\b{re.escape(stem(w.lower())[:5])}", config)
            or re.search(rf"\b{re.escape(stem(w.lower())[:5])}\w*[^.;\n]{{0,40}}\bfree\b", config)
            for w in wanted
        )
        if wanted and not ok:
            out.append(_Said("price", m.group().strip(), "is not a free offer the config makes"))
    return out


def _span(before: str, raw: str, after: str, back: int, ahead: int) -> str:
    """The figure with a few words around it, as the copy says it."""
    head = re.search(rf"(?:\S+\s+){{0,{back}}}\S*$", before).group() if back else ""
    if not back and before[-1:] in _CURRENCY:
        head = before[-1]
    tail = re.match(rf"\S*(?:\s+\S+){{0,{ahead}}}", after).group() if ahead else ""
    return f"{head}{raw}{tail}".strip()


def _without_contacts(text: str, facts: Facts) -> str:
    return _strip_contacts(text, regions(facts))


def _strip_contacts(text: str, regions_: tuple[str, ...]) -> str:
    """Blank phones, e-mails, web addresses and clock times: their digits are no figures."""
    for raw, _ in phones_in(text, regions_):
        text = text.replace(raw, " " * len(raw))
    text = EMAIL_RE.sub(lambda m: " " * len(m.group()), text)
    text = DOMAIN_RE.sub(lambda m: " " * len(m.group()), text)
    half = r"(?:am|pm|a\.m\.|p\.m\.)"
    clock = rf"(?<![£$€¥₹\d.,])\b\d{{1,2}}(?:[:.]\d{{2}})\s*{half}?|\b\d{{1,2}}\s*{half}"
    clock += r"|\b\d{1,2}h\d{0,2}\b"  # 8h, 19h30
    clock += r"|\b\d{1,2}(?:[:.]\d{2})?(?:\s*(?:bis|à|a|-|–)\s*\d{1,2}(?:[:.]\d{2})?)?\s*Uhr\b"
    return re.sub(clock, lambda m: " " * len(m.group()), text, flags=re.IGNORECASE)
